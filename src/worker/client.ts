/**
 * The page's handle on a simulation worker. Wraps the Comlink proxy and keeps
 * the page safe from a worker that dies: an `error` event, a worker that stops
 * answering (out of memory, stuck) or a cancel that is not honoured ends every
 * pending call with a `crash` error, and a fresh worker replaces the dead one.
 * Several instances can exist side by side (a worker pool).
 */
import * as Comlink from 'comlink';
import type { ExecutorSpec } from '../executor/executor.ts';
import type {
  BandInfo,
  InspectResult,
  LiveCommand,
  LiveEvent,
  ProgressEvent,
  RunRequest,
  RunResponse,
  WorkerApi,
  WorkerError,
} from './protocol.ts';

export interface SimWorkerOptions {
  /**
   * A call with no sign of life (progress or ping answer) for this long means the worker died
   * (runs get 2×, dataset inspection 4×: one long synchronous parse blocks pings).
   */
  stallMs?: number;
  /** After cancel(), a run still going after this long gets its worker terminated. */
  cancelGraceMs?: number;
  /** Makes the Worker (tests may inject one). */
  createWorker?: () => Worker;
}

export function createSimulationWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-sim' });
}

export function isWorkerError(e: unknown): e is WorkerError {
  return (
    typeof e === 'object' && e !== null && typeof (e as WorkerError).message === 'string' && typeof (e as WorkerError).code === 'string'
  );
}

/** Any thrown value as a WorkerError. */
export function asWorkerError(e: unknown): WorkerError {
  if (isWorkerError(e)) return e;
  if (e instanceof Error) return { name: e.name, code: 'internal', message: e.message };
  return { name: 'Error', code: 'internal', message: String(e) };
}

interface Pending {
  reject: (e: WorkerError) => void;
  /** How long this call may go without a sign of life. */
  stallMs: number;
}

type RestartListener = (reason: string) => void;

export class SimWorker {
  private worker!: Worker;
  protected api!: Comlink.Remote<WorkerApi>;
  private readonly pending = new Set<Pending>();
  private readonly listeners = new Set<RestartListener>();
  private readonly stallMs: number;
  private readonly cancelGraceMs: number;
  private readonly make: () => Worker;
  private lastSign = 0;
  private pingOut: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private cancelTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Incremented on every restart. */
  generation = 0;

  constructor(options: SimWorkerOptions = {}) {
    this.stallMs = options.stallMs ?? 30_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 5_000;
    this.make = options.createWorker ?? createSimulationWorker;
    this.spawn();
  }

  private spawn(): void {
    const w = this.make();
    const gen = ++this.generation;
    w.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault?.();
      if (gen !== this.generation) return;
      const what = ev.message || 'the worker script failed to load or threw an uncaught error';
      this.crash(`The simulation worker crashed (${what}).`);
    });
    w.addEventListener('messageerror', () => {
      if (gen === this.generation) this.crash('The simulation worker sent a message that could not be read.');
    });
    this.worker = w;
    this.api = Comlink.wrap<WorkerApi>(w);
  }

  /** Called with the reason whenever the worker is replaced after a crash. */
  onRestart(listener: RestartListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Terminate the worker, fail every pending call with the reason, start a fresh one. */
  crash(reason: string, code: 'crash' | 'cancelled' = 'crash'): void {
    if (this.disposed) return;
    this.stopWatchdog();
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.cancelTimer = null;
    try {
      this.api[Comlink.releaseProxy]();
    } catch {
      /* already gone */
    }
    this.worker.terminate();
    const err: WorkerError = { name: code === 'crash' ? 'WorkerCrash' : 'CancelledError', code, message: reason };
    for (const p of [...this.pending]) p.reject(err);
    this.pending.clear();
    this.spawn();
    for (const l of this.listeners) l(reason);
  }

  private alive = (): void => {
    this.lastSign = performance.now();
  };

  private startWatchdog(): void {
    if (this.timer) return;
    this.lastSign = performance.now();
    this.pingOut = null;
    const gen = this.generation;
    this.timer = setInterval(
      () => {
        if (gen !== this.generation) return;
        const now = performance.now();
        const stall = Math.max(this.stallMs, ...[...this.pending].map((p) => p.stallMs));
        if (this.pingOut !== null && now - this.pingOut > stall && now - this.lastSign > stall) {
          this.crash(
            `The simulation worker stopped responding for ${Math.round(stall / 1000)} s (it may have run out of memory); it was restarted.`,
          );
          return;
        }
        if (this.pingOut === null) {
          this.pingOut = now;
          this.api.ping().then(
            () => {
              if (gen !== this.generation) return;
              this.pingOut = null;
              this.alive();
            },
            () => undefined,
          );
        }
      },
      Math.min(1000, Math.max(100, this.stallMs / 4)),
    );
  }

  private stopWatchdog(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pingOut = null;
  }

  /** Run a call against the current worker; a crash rejects it. */
  protected guard<T>(call: (api: Comlink.Remote<WorkerApi>) => Promise<T>, stallFactor = 1): Promise<T> {
    if (this.disposed) return Promise.reject<T>({ name: 'WorkerGone', code: 'crash', message: 'The worker was shut down.' });
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { reject, stallMs: this.stallMs * stallFactor };
      this.pending.add(entry);
      this.startWatchdog();
      const done = () => {
        this.pending.delete(entry);
        if (this.pending.size === 0) this.stopWatchdog();
      };
      call(this.api).then(
        (v) => {
          if (!this.pending.has(entry)) return;
          done();
          resolve(v);
        },
        (e: unknown) => {
          if (!this.pending.has(entry)) return;
          done();
          reject(asWorkerError(e));
        },
      );
    });
  }

  listExecutors(): Promise<ExecutorSpec[]> {
    return this.guard((api) => api.listExecutors() as Promise<ExecutorSpec[]>);
  }

  /** Why the worker's grid kernels run in JavaScript rather than WebAssembly, or null when WebAssembly runs. */
  wasmUnavailable(): Promise<string | null> {
    return this.guard((api) => api.wasmUnavailable() as Promise<string | null>);
  }

  /** The bytes are transferred (detached here): pass a copy if you keep them. */
  inspect(uri: string, bytes: Uint8Array): Promise<InspectResult> {
    // Parsing a large file is one long synchronous task in the worker: allow it more time.
    return this.guard((api) => api.inspect(uri, Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer])) as Promise<InspectResult>, 4);
  }

  /** Input bytes are transferred (detached here): pass copies if you keep them. */
  run(request: RunRequest, onProgress?: (p: ProgressEvent) => void, onLive?: (e: LiveEvent) => void): Promise<RunResponse> {
    const buffers = [...new Set((request.inputs ?? []).map((i) => i.bytes.buffer as ArrayBuffer))];
    const cb = (p: ProgressEvent) => {
      this.alive();
      onProgress?.(p);
    };
    const liveCb = onLive
      ? (e: LiveEvent) => {
          this.alive();
          onLive(e);
        }
      : undefined;
    return this.guard(
      (api) =>
        (liveCb
          ? api.run(Comlink.transfer(request, buffers), Comlink.proxy(cb), Comlink.proxy(liveCb))
          : api.run(Comlink.transfer(request, buffers), Comlink.proxy(cb))) as Promise<RunResponse>,
      // The load phase parses the input in one go (as inspect does): a little more slack than a ping.
      2,
    ).finally(() => {
      if (this.cancelTimer) clearTimeout(this.cancelTimer);
      this.cancelTimer = null;
    });
  }

  /** Pause, resume, step or change the speed of the controlled run in progress. */
  control(command: LiveCommand): void {
    void this.api.control(command).catch(() => undefined);
  }

  /** Ask the run to stop; if the worker does not end it within the grace period, it is terminated. */
  cancel(): void {
    void this.api.cancel().catch(() => undefined);
    if (this.pending.size > 0 && !this.cancelTimer) {
      const gen = this.generation;
      this.cancelTimer = setTimeout(() => {
        this.cancelTimer = null;
        if (gen === this.generation && this.pending.size > 0) {
          this.crash('The run did not stop after Cancel, so its worker was terminated and restarted.', 'cancelled');
        }
      }, this.cancelGraceMs);
    }
  }

  /** Set (a number, or null for the cores) and/or read the threads of banded runs (WorkerApi.bandThreads). */
  bandThreads(threads?: number | null): Promise<BandInfo> {
    return this.guard((api) => api.bandThreads(threads) as Promise<BandInfo>);
  }

  /** Test hook: make the worker crash, hang or close itself. */
  debugCrash(mode: 'throw' | 'hang' | 'close'): Promise<void> {
    return this.api.debugCrash(mode) as Promise<void>;
  }

  dispose(): void {
    this.stopWatchdog();
    this.disposed = true;
    this.worker.terminate();
    const err: WorkerError = { name: 'WorkerGone', code: 'crash', message: 'The worker was shut down.' };
    for (const p of [...this.pending]) p.reject(err);
    this.pending.clear();
  }
}
