/**
 * The worker's hold on a running model's time loop (LiveControl): pause,
 * resume, single steps and a speed (a delay per step), and live frames of the
 * display layer sent to the page — throttled so that making them here and
 * drawing them on the page (its 'drawn' reports) cost the run at most a few per
 * cent of its time, and at about the map's resolution for a large grid whose
 * model has a preview (LiveOptions.frameMax).
 */
import type { LayerPreview, LiveControl } from '../executor/context.ts';
import type { LiveCommand, LiveEvent } from './protocol.ts';
import { sampledSize } from '../sim/plane-sample.ts';

export interface LiveOptions {
  signal: AbortSignal;
  /** Stop before the first step (Setup): the page sees the initial state and steps or goes from there. */
  startPaused?: boolean;
  /** Milliseconds to wait after each step (a slower speed); 0 = as fast as possible. */
  delayMs?: number;
  /** Receives frames and pause/resume notices; its frame arrays are fresh (transferable). */
  send?: (e: LiveEvent) => void;
  now?: () => number;
  /** Shortest gap between two live frames, ms. */
  minFrameIntervalMs?: number;
  /** Most of the run's time spent on frames (making them here and drawing them on the page), as a fraction. */
  frameBudget?: number;
  /** Most cells along either side of a frame while running (LiveRequest.frameMax); a larger grid with a preview is sampled. */
  frameMax?: number;
}

/**
 * The shortest gap between two live frames by default, ms: the page repaints a run's state at most this often
 * (RUN_REPAINT_INTERVAL_MS in src/app/run/frame-batch.ts), so a frame made sooner would be replaced unseen.
 */
export const LIVE_FRAME_MIN_INTERVAL_MS = 250;
/** Most milliseconds of delay per step a page may ask for. */
export const MAX_DELAY_MS = 2000;
/** Most milliseconds a page's drawing report counts for (a frame at least every MAX_DRAW_MS / budget). */
const MAX_DRAW_MS = 300;

export class LiveRunControl implements LiveControl {
  readonly keepPartial = true;
  private paused: boolean;
  private pauseAt: number | null = null;
  private delayMs: number;
  private wake: (() => void) | null = null;
  private lastFrameAt = -Infinity;
  private frameCost = 0;
  /** The page's time to draw the last frame it reported (LiveCommand 'drawn'), ms. */
  private drawCost = 0;
  private current = 0;
  private total = 0;
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly budget: number;
  /** Frames sent (for tests and the bench). */
  framesSent = 0;

  constructor(private readonly options: LiveOptions) {
    this.paused = options.startPaused ?? false;
    this.delayMs = clampDelay(options.delayMs ?? 0);
    this.now = options.now ?? (() => performance.now());
    this.minInterval = options.minFrameIntervalMs ?? LIVE_FRAME_MIN_INTERVAL_MS;
    this.budget = options.frameBudget ?? 0.03;
    options.signal.addEventListener('abort', () => this.release(), { once: true });
  }

  /** Apply a command from the page. */
  command(c: LiveCommand): void {
    switch (c.kind) {
      case 'pause':
        this.paused = true;
        this.pauseAt = null;
        break;
      case 'resume':
        this.paused = false;
        this.pauseAt = null;
        this.release();
        break;
      case 'step':
        this.paused = false;
        this.pauseAt = this.current + Math.max(1, Math.floor(c.steps ?? 1));
        this.release();
        break;
      case 'speed':
        this.delayMs = clampDelay(c.delayMs);
        this.release(); // a long wait at the old speed ends now
        break;
      case 'drawn':
        this.drawCost = Number.isFinite(c.ms) ? Math.max(0, Math.min(MAX_DRAW_MS, c.ms)) : 0;
        break;
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  async atStep(step: number, total: number, layer: (() => ArrayBufferView) | undefined, preview?: LayerPreview): Promise<void> {
    this.current = step;
    this.total = total;
    if (this.pauseAt !== null && step >= this.pauseAt) {
      this.paused = true;
      this.pauseAt = null;
    }
    if (this.options.signal.aborted) return;
    const willWait = this.paused;
    // The state a pause shows is always sent, and the first; otherwise frames are throttled to the budget:
    // making one here and drawing it on the page (as the page last reported) at most `budget` of the time.
    // The last step gets no frame of its own: the output follows at once.
    const t = this.now();
    const interval = Math.max(this.minInterval, (this.frameCost + this.drawCost) / this.budget);
    if (layer && (willWait || step === 0 || (step < total && t - this.lastFrameAt >= interval)))
      this.sendFrame(step, total, layer, willWait ? undefined : preview, t);
    if (step === total && !willWait) this.notify(step, total, false); // the step reached, without a frame
    if (willWait) {
      this.notify(step, total, true);
      while (this.paused && !this.options.signal.aborted) await this.waitForWake();
      if (!this.options.signal.aborted) this.notify(this.current, this.total, false);
    } else if (this.delayMs > 0) {
      await this.sleep(this.delayMs);
    }
  }

  /** A frame of the layer: sampled from the preview when the grid is larger than frameMax (a paused state is sent whole). */
  private sendFrame(step: number, total: number, layer: () => ArrayBufferView, preview: LayerPreview | undefined, t: number): void {
    const send = this.options.send;
    if (!send) return;
    const max = this.options.frameMax;
    const stride = preview && max && max >= 1 ? Math.ceil(Math.max(preview.width, preview.height) / Math.floor(max)) : 1;
    let event: LiveEvent;
    if (preview && stride > 1) {
      const frame = preview.sample(stride); // a fresh array: transferred as it is
      const size = sampledSize(preview.height, preview.width, stride);
      const sampled = { stride, width: size.cols, height: size.rows };
      event = { step, total, paused: this.paused, frame, sampled };
    } else {
      event = { step, total, paused: this.paused, frame: copyView(layer()) };
    }
    try {
      send(event);
      this.framesSent++;
    } catch {
      // A page that went away must not break the run.
    }
    const end = this.now();
    this.frameCost = end - t;
    this.lastFrameAt = end;
  }

  private notify(step: number, total: number, paused: boolean): void {
    try {
      this.options.send?.({ step, total, paused });
    } catch {
      /* the page went away */
    }
  }

  private waitForWake(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private release(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

function clampDelay(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.min(MAX_DELAY_MS, ms)) : 0;
}

/** A fresh copy of a typed array view (its own buffer, so it can be transferred). */
function copyView(view: ArrayBufferView): ArrayBufferView {
  const Ctor = view.constructor as { new (b: ArrayBufferLike): ArrayBufferView };
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
  if (view instanceof DataView) return new DataView(bytes.buffer);
  return new Ctor(bytes.buffer);
}
