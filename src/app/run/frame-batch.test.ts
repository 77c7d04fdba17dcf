import { describe, expect, it } from 'vitest';
import { createFrameBatch, FRAME_BATCH_MAX_WAIT_MS, RUN_REPAINT_INTERVAL_MS } from './frame-batch.ts';

/** A host whose animation frames and timers run only when the test says so. */
function fakeHost() {
  const clock = { t: 0 };
  const frames = new Map<number, () => void>();
  const timers = new Map<number, { cb: () => void; ms: number }>();
  let next = 1;
  return {
    frames,
    timers,
    clock,
    host: {
      now: () => clock.t,
      requestFrame: (cb: () => void) => (frames.set(next, cb), next++),
      cancelFrame: (id: number) => void frames.delete(id),
      setTimer: (cb: () => void, ms: number) => (timers.set(next, { cb, ms }), next++) as unknown as ReturnType<typeof setTimeout>,
      clearTimer: (id: ReturnType<typeof setTimeout>) => void timers.delete(id as unknown as number),
    },
    runFrames() {
      const todo = [...frames.values()];
      frames.clear();
      for (const cb of todo) cb();
    },
  };
}

describe('createFrameBatch', () => {
  it('applies the notices of one frame together, in order, at the frame', () => {
    const h = fakeHost();
    const batch = createFrameBatch(h.host);
    const seen: number[] = [];
    batch.push(() => seen.push(1));
    batch.push(() => seen.push(2));
    batch.push(() => seen.push(3));
    expect(seen).toEqual([]);
    expect(h.frames.size).toBe(1); // one frame asked for, not one per notice
    h.runFrames();
    expect(seen).toEqual([1, 2, 3]);
    expect(h.timers.size).toBe(0); // the fallback timer is cleared
    batch.push(() => seen.push(4));
    expect(h.frames.size).toBe(1);
    h.runFrames();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('flush applies what waits at once and cancels the frame', () => {
    const h = fakeHost();
    const batch = createFrameBatch(h.host);
    const seen: string[] = [];
    batch.push(() => seen.push('step 9'));
    batch.push(() => seen.push('step 10'));
    batch.flush();
    expect(seen).toEqual(['step 9', 'step 10']);
    expect(h.frames.size).toBe(0);
    expect(h.timers.size).toBe(0);
    batch.flush(); // nothing left: nothing applied twice
    expect(seen).toEqual(['step 9', 'step 10']);
  });

  it('applies the notices after FRAME_BATCH_MAX_WAIT_MS when no frame comes (a hidden tab)', () => {
    const h = fakeHost();
    const batch = createFrameBatch(h.host);
    const seen: number[] = [];
    batch.push(() => seen.push(1));
    const [timer] = [...h.timers.values()];
    expect(timer.ms).toBe(FRAME_BATCH_MAX_WAIT_MS);
    timer.cb();
    expect(seen).toEqual([1]);
    expect(h.frames.size).toBe(0); // the frame asked for is cancelled
  });

  it('with minIntervalMs, applies at most once per interval: what comes sooner waits, then goes at a frame', () => {
    const h = fakeHost();
    const batch = createFrameBatch({ ...h.host, minIntervalMs: RUN_REPAINT_INTERVAL_MS });
    const seen: number[] = [];
    batch.push(() => seen.push(1)); // nothing shown yet: the next frame
    h.runFrames();
    expect(seen).toEqual([1]);
    h.clock.t = 100;
    batch.push(() => seen.push(2));
    batch.push(() => seen.push(3));
    expect(h.frames.size).toBe(0); // no frame asked for before the interval has passed
    const [wait] = [...h.timers.values()];
    expect(wait.ms).toBe(RUN_REPAINT_INTERVAL_MS - 100);
    h.timers.clear();
    h.clock.t = RUN_REPAINT_INTERVAL_MS;
    wait.cb();
    expect(seen).toEqual([1]);
    expect(h.frames.size).toBe(1);
    h.runFrames();
    expect(seen).toEqual([1, 2, 3]); // together, in order
    h.clock.t = RUN_REPAINT_INTERVAL_MS + 1;
    batch.push(() => seen.push(4));
    batch.flush(); // the run's end: at once, the wait cancelled
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(h.timers.size).toBe(0);
  });

  it('an urgent notice (a pause) goes at the next frame, with what waits before it', () => {
    const h = fakeHost();
    const batch = createFrameBatch({ ...h.host, minIntervalMs: RUN_REPAINT_INTERVAL_MS });
    const seen: string[] = [];
    batch.push(() => seen.push('step 1'));
    h.runFrames();
    h.timers.clear();
    h.clock.t = 10;
    batch.push(() => seen.push('step 2'));
    expect(h.frames.size).toBe(0);
    batch.push(() => seen.push('paused at 2'), true);
    expect(h.frames.size).toBe(1);
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([FRAME_BATCH_MAX_WAIT_MS]); // the wait is cancelled
    h.runFrames();
    expect(seen).toEqual(['step 1', 'step 2', 'paused at 2']);
  });
});
