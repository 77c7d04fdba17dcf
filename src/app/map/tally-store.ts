/**
 * The tallies of raster values made so far (class-tally.ts), per values array — a band or a
 * run's frame, so a step back to a frame finds its tally — with the nodata they left out. A large
 * raster's tally is made by the raster worker along with its image (raster-paint.ts); the
 * legend (legend-counts.ts) reads it here and renders again when one arrives.
 */
import { create } from 'zustand';
import type { Tally } from './class-tally.ts';

const tallies = new WeakMap<object, { nodata: number | null; tally: Tally }>();

/** Bumped when a tally made off the page arrives. */
export const useTallies = create<{ version: number }>()(() => ({ version: 0 }));

export function knownTally(values: object, nodata: number | null): Tally | null {
  const t = tallies.get(values);
  return t && t.nodata === nodata ? t.tally : null;
}

/** Keep a tally; `arrived`: it was made off the page (the legend is told). */
export function keepTally(values: object, nodata: number | null, tally: Tally, arrived: boolean): void {
  tallies.set(values, { nodata, tally });
  if (arrived) useTallies.setState((s) => ({ version: s.version + 1 }));
}
