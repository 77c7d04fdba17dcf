/**
 * What a host hands the lifecycle: byte I/O for URIs, progress, cancellation
 * and a clock. The lifecycle never touches the DOM or the file system itself.
 */
import { CancelledError } from './errors.ts';

export type Phase = 'validate' | 'load' | 'run' | 'save';

/** A per-step summary a model reports (population, flooded cells…), for charts. */
export type StepSummary = Record<string, number>;

export interface Progress {
  phase: Phase;
  step?: number;
  total?: number;
  summary?: StepSummary;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | null) => void;
}

export interface HostIO {
  /** The full bytes behind a URI: a path (CLI), http(s)://, s3://, sample:NAME, file:NAME (a dropped file). */
  read(uri: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Persist an artefact at `path` (all or nothing); returns where it went. */
  write(path: string, bytes: Uint8Array): Promise<string>;
  /**
   * Every read returns bytes of their own, which nothing else holds or reads afterwards (a fresh buffer per
   * call, as the CLI's file reads). A run may then reuse their memory for its own arrays, overwriting them once
   * read (a 4000² coastal input is 128–192 MB; see Sim.reuseInput). Default false: MemoryIO, for one, hands the
   * same bytes to every run that asks.
   */
  readonly freshReads?: boolean;
}

export interface LifecycleContext {
  io: HostIO;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Milliseconds, monotonic; defaults to performance.now(). */
  now?: () => number;
  /** Draws a seed for a stochastic model run without one. */
  drawSeed?: () => number;
  /** Keep per-step frames of the main output layer for animation (hosts with a UI). */
  keepFrames?: boolean;
  /** A host's hold on the time loop (the workbench's pause / step / speed and live map); the CLI passes none. */
  live?: LiveControl;
}

/**
 * A host's hold on a model's time loop, between steps: it may wait there (pause,
 * single step, a slower speed) and look at the display layer (a live map).
 */
export interface LiveControl {
  /**
   * Called before the first step (step 0, the initial state) and after each step; the loop
   * waits for a returned promise. `layer` materialises the display layer on demand (the
   * array may be reused by the model: copy what is kept); `preview`, when the model has one, reads the
   * same layer at a coarser resolution (what a live map needs: no more cells than it has pixels).
   */
  atStep(step: number, total: number, layer: (() => ArrayBufferView) | undefined, preview?: LayerPreview): void | Promise<void>;
  /** A cancelled loop returns the state reached (the run still ends "cancelled", nothing saved) instead of throwing. */
  keepPartial?: boolean;
}

/** A grid display layer read every `stride`-th row and column, straight from the model's state (no full layer made). */
export interface LayerPreview {
  /** The grid's columns and rows. */
  width: number;
  height: number;
  /**
   * The cells (r·stride, c·stride) of the current state, row-major: ceil(height / stride) rows of
   * ceil(width / stride) values, the same values the full layer holds there; a fresh array.
   */
  sample(stride: number): ArrayBufferView;
}

/** Where a loop stopped early with its state kept (LiveControl.keepPartial). */
export interface PartialState {
  step: number;
  total: number;
}

/** What a phase sees: the host context plus helpers for steps and cancellation. */
export class RunContext {
  readonly io: HostIO;
  readonly signal: AbortSignal | undefined;
  readonly keepFrames: boolean;
  readonly live: LiveControl | undefined;
  /** Set by the time loop when it stopped early and kept its state (see LiveControl.keepPartial). */
  partial: PartialState | null = null;
  private readonly onProgress: ((p: Progress) => void) | undefined;
  phase: Phase = 'validate';

  constructor(ctx: LifecycleContext) {
    this.io = ctx.io;
    this.signal = ctx.signal;
    this.onProgress = ctx.onProgress;
    this.keepFrames = ctx.keepFrames ?? false;
    this.live = ctx.live;
  }

  /** Throws CancelledError when the run was aborted. */
  checkAbort(): void {
    if (this.signal?.aborted) throw new CancelledError();
  }

  /** Report step k of n (checks for cancellation first). */
  step(step: number, total: number, summary?: StepSummary): void {
    this.checkAbort();
    this.onProgress?.({ phase: this.phase, step, total, ...(summary ? { summary } : {}) });
  }

  private lastYield = 0;

  /**
   * One turn of the host's event loop: setImmediate where the host has it (Node: no 1 ms timer clamp,
   * and no sleep in the poll phase, which on a loaded machine can cost a whole scheduler slice), else
   * setTimeout(0) (browsers, Web Workers).
   */
  private static readonly turn: (done: () => void) => unknown = (() => {
    const immediate = (globalThis as { setImmediate?: (done: () => void) => unknown }).setImmediate;
    return immediate ? (done: () => void) => immediate(done) : (done: () => void) => setTimeout(done, 0);
  })();

  /**
   * Between two simulation steps: check for cancellation, report progress, and
   * give the host's event loop a turn at most every 40 ms (so a worker sees a
   * cancel message and stays responsive without slowing short steps).
   */
  async tick(step: number, total: number, summary?: StepSummary): Promise<void> {
    this.step(step, total, summary);
    const t = performance.now();
    if (t - this.lastYield > 40) {
      await new Promise<void>((resolve) => RunContext.turn(resolve));
      this.lastYield = performance.now();
      this.checkAbort();
    }
  }

  report(p: Omit<Progress, 'phase'>): void {
    this.onProgress?.({ phase: this.phase, ...p });
  }
}
