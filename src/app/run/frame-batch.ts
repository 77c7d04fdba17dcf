/**
 * A run's notices (progress, live frames, the elapsed-time clock) applied to
 * the page's stores together, on an animation frame, and at most once every
 * RUN_REPAINT_INTERVAL_MS: each message from the worker is its own task, so
 * applied one by one every one re-renders the panels that show it, and each
 * re-render is a display update that Chromium's GPU process composites (in
 * software, SwiftShader, on a machine without a GPU: most of what drawing a
 * run live cost it). Batched, React renders them once per repaint. The notices
 * are applied in order and none is dropped (the series takes a point from each
 * progress); an urgent one (a pause: the state reached is shown at once) waits
 * only for the next animation frame; `flush` applies what waits at once, before
 * the run's end is shown, so a finished run never shows an earlier step than
 * its last.
 */

/** The longest a notice waits when no animation frame comes (a hidden tab has none), ms. */
export const FRAME_BATCH_MAX_WAIT_MS = 250;
/** The shortest time between two repaints of a run's live state (map, progress, counters, chart), ms: about 4 a second. */
export const RUN_REPAINT_INTERVAL_MS = 250;

export interface FrameBatch {
  /** Queue `apply` for the next repaint; `urgent`: for the next animation frame, however recent the last repaint. */
  push(apply: () => void, urgent?: boolean): void;
  /** Apply every queued notice now, in order. */
  flush(): void;
}

export interface FrameBatchHost {
  requestFrame?: (cb: () => void) => number;
  cancelFrame?: (id: number) => void;
  setTimer?: (cb: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (id: ReturnType<typeof setTimeout>) => void;
  now?: () => number;
  /** The shortest time between two applications, ms (0: every animation frame). */
  minIntervalMs?: number;
}

export function createFrameBatch(host: FrameBatchHost = {}): FrameBatch {
  const raf =
    host.requestFrame ?? (typeof requestAnimationFrame === 'function' ? (cb: () => void) => requestAnimationFrame(cb) : undefined);
  const caf = host.cancelFrame ?? (typeof cancelAnimationFrame === 'function' ? (id: number) => cancelAnimationFrame(id) : undefined);
  const setTimer = host.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms));
  const clearTimer = host.clearTimer ?? ((id: ReturnType<typeof setTimeout>) => clearTimeout(id));
  const now = host.now ?? (() => performance.now());
  const minInterval = host.minIntervalMs ?? 0;
  let queue: (() => void)[] = [];
  let frame: number | null = null;
  /** The fallback for a frame asked for that does not come. */
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The wait until the interval since the last application has passed (then a frame is asked for). */
  let delay: ReturnType<typeof setTimeout> | null = null;
  let lastApplied = -Infinity;

  const askFrame = () => {
    timer = setTimer(flush, FRAME_BATCH_MAX_WAIT_MS);
    if (raf) frame = raf(flush);
  };

  const flush = () => {
    if (frame !== null) caf?.(frame);
    if (timer !== null) clearTimer(timer);
    if (delay !== null) clearTimer(delay);
    frame = null;
    timer = null;
    delay = null;
    const todo = queue;
    queue = [];
    if (todo.length > 0) lastApplied = now();
    for (const apply of todo) apply();
  };

  return {
    push(apply, urgent = false) {
      queue.push(apply);
      if (timer !== null) return; // a frame is already asked for
      if (delay !== null) {
        if (!urgent) return; // applied when the interval has passed
        clearTimer(delay);
        delay = null;
        askFrame();
        return;
      }
      const wait = lastApplied + minInterval - now();
      if (wait > 0 && !urgent)
        delay = setTimer(() => {
          delay = null;
          askFrame();
        }, wait);
      else askFrame();
    },
    flush,
  };
}
