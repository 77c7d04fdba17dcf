/**
 * What the compare mode shows (zustand): nothing, the swipe of input ↔ output,
 * or the difference of two runs; the swipe divider's position; the last
 * difference computed (its layer drawn on the map, its counts in the results).
 */
import { create } from 'zustand';
import type { DrawLayer } from '../map/layers.ts';
import type { BandDiff } from './diff.ts';
import { useWorkbench } from '../store.ts';

export type CompareMode = 'off' | 'swipe' | 'diff';

export interface ShownDiff {
  /** Experiment ids of run A and run B. */
  a: string;
  b: string;
  band: string;
  bands: string[];
  diff: BandDiff;
  layer: DrawLayer;
  /** Code → text of a text column's categories (vector layers). */
  labels: Record<number, string> | null;
}

export interface CompareState {
  mode: CompareMode;
  /** Divider position, percent of the map's width from its left edge (input on the left). */
  divider: number;
  diff: ShownDiff | null;
  setMode(mode: CompareMode): void;
  setDivider(percent: number): void;
  showDiff(diff: ShownDiff | null): void;
}

export const clampPercent = (v: number): number => (Number.isFinite(v) ? Math.max(0, Math.min(100, Math.round(v))) : 50);

export const useCompare = create<CompareState>()((set) => ({
  mode: 'off',
  divider: 50,
  diff: null,
  setMode(mode) {
    set({ mode });
  },
  setDivider(percent) {
    set({ divider: clampPercent(percent) });
  },
  showDiff(diff) {
    set(diff ? { diff, mode: 'diff' } : { diff: null });
  },
}));

// A new run shows itself: the difference view (which hides the output) is left when one starts.
let lastRun = useWorkbench.getState().run.id;
useWorkbench.subscribe((s) => {
  if (s.run.id === lastRun) return;
  lastRun = s.run.id;
  if (useCompare.getState().mode === 'diff') useCompare.getState().setMode('off');
});
