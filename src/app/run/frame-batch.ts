/**
 * A run's notices (progress, live frames) applied to the page's stores at
 * most once per animation frame: each message from the worker is its own task,
 * so applied one by one every one re-renders the panels that show it, while
 * batched in one task React renders them once. The notices are applied in
 * order and none is dropped (the series takes a point from each progress);
 * `flush` applies what waits at once, before the run's end is shown, so a
 * finished run never shows an earlier step than its last.
 */

/** The longest a notice waits when no animation frame comes (a hidden tab has none), ms. */
export const FRAME_BATCH_MAX_WAIT_MS = 250;

export interface FrameBatch {
  /** Queue `apply` for the next animation frame. */
  push(apply: () => void): void;
  /** Apply every queued notice now, in order. */
  flush(): void;
}

export interface FrameBatchHost {
  requestFrame?: (cb: () => void) => number;
  cancelFrame?: (id: number) => void;
  setTimer?: (cb: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (id: ReturnType<typeof setTimeout>) => void;
}

export function createFrameBatch(host: FrameBatchHost = {}): FrameBatch {
  const raf =
    host.requestFrame ?? (typeof requestAnimationFrame === 'function' ? (cb: () => void) => requestAnimationFrame(cb) : undefined);
  const caf = host.cancelFrame ?? (typeof cancelAnimationFrame === 'function' ? (id: number) => cancelAnimationFrame(id) : undefined);
  const setTimer = host.setTimer ?? ((cb: () => void, ms: number) => setTimeout(cb, ms));
  const clearTimer = host.clearTimer ?? ((id: ReturnType<typeof setTimeout>) => clearTimeout(id));
  let queue: (() => void)[] = [];
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (frame !== null) caf?.(frame);
    if (timer !== null) clearTimer(timer);
    frame = null;
    timer = null;
    const todo = queue;
    queue = [];
    for (const apply of todo) apply();
  };

  return {
    push(apply) {
      queue.push(apply);
      if (timer !== null) return; // already scheduled
      timer = setTimer(flush, FRAME_BATCH_MAX_WAIT_MS);
      if (raf) frame = raf(flush);
    },
    flush,
  };
}
