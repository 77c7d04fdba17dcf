/**
 * The controlled run's live state (its own small store, beside the workbench's):
 * the step reached, whether it is paused, the last live frame of the display
 * layer, and the speed setting. Fed by the worker's LiveEvents.
 */
import { create } from 'zustand';
import type { LiveEvent } from '../../worker/protocol.ts';

export interface LiveFrame {
  step: number;
  total: number;
  data: ArrayBufferView;
  /** Set when `data` holds every `stride`-th row and column of the grid only (LiveEvent.sampled). */
  sampled?: { stride: number; width: number; height: number };
}

/**
 * Most cells along either side of a live frame (LiveRequest.frameMax): the window's larger side in
 * device pixels, which the map never exceeds; a 4000² grid then comes every 4th row and column at 1280 px.
 */
export function liveFrameMax(): number | undefined {
  if (typeof window === 'undefined') return undefined;
  const side = Math.max(window.innerWidth, window.innerHeight) * (window.devicePixelRatio || 1);
  return Number.isFinite(side) && side >= 1 ? Math.ceil(side) : undefined;
}

/** Speed presets: milliseconds of delay per step (0 = as fast as the model goes). */
export const SPEEDS: { label: string; delayMs: number }[] = [
  { label: 'slowest', delayMs: 1000 },
  { label: 'slow', delayMs: 250 },
  { label: 'medium', delayMs: 50 },
  { label: 'fast', delayMs: 10 },
  { label: 'fastest', delayMs: 0 },
];

export interface LiveState {
  /** The workbench run id these events belong to (null = none). */
  runId: number | null;
  step: number;
  total: number;
  paused: boolean;
  frame: LiveFrame | null;
  /** Index into SPEEDS. */
  speed: number;
  /** When the last live frame came (performance.now()), until the map has drawn it. */
  frameAt: number | null;
  /**
   * The page's time (performance.now()) at the run's last repaint: the elapsed time shown is counted to it,
   * so that the clock ticks with the run's other notices (frame-batch.ts), not in display updates of its own.
   */
  clock: number | null;
  /** The map is drawn: ms since the live frame it shows came (null: none waiting). */
  drawn(): number | null;
  begin(runId: number): void;
  event(runId: number, e: LiveEvent): void;
  end(runId: number): void;
  tick(runId: number, now: number): void;
  setSpeed(i: number): void;
}

export const useLive = create<LiveState>()((set, get) => ({
  runId: null,
  step: 0,
  total: 0,
  paused: false,
  frame: null,
  speed: SPEEDS.length - 1,
  frameAt: null,
  clock: null,
  drawn() {
    const { frameAt, runId } = get();
    if (frameAt === null || runId === null) return null;
    set({ frameAt: null });
    return performance.now() - frameAt;
  },
  begin(runId) {
    set({ runId, step: 0, total: 0, paused: false, frame: null, frameAt: null, clock: performance.now() });
  },
  event(runId, e) {
    if (get().runId !== runId) return;
    set({
      step: e.step,
      total: e.total,
      paused: e.paused,
      ...(e.frame
        ? {
            frame: { step: e.step, total: e.total, data: e.frame, ...(e.sampled ? { sampled: e.sampled } : {}) },
            frameAt: performance.now(),
          }
        : {}),
    });
  },
  end(runId) {
    if (get().runId !== runId) return;
    set({ runId: null, paused: false, frame: null, frameAt: null, clock: null });
  },
  tick(runId, now) {
    if (get().runId === runId) set({ clock: now });
  },
  setSpeed(i) {
    set({ speed: Math.max(0, Math.min(SPEEDS.length - 1, Math.round(i))) });
  },
}));
