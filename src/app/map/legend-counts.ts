/**
 * Class counts for a categorical legend: cells (or features) per category and their share of the
 * valid ones. The tally of a raster's values does not depend on the colour scale, so it is kept per
 * values array (tally-store.ts); a large raster's is made in the raster worker with its image
 * (raster-paint.ts), not on the page's main thread (a 4000² grid is 16 M cells): until it is back,
 * the legend keeps the counts it showed for the same layer (a live run's previous frame), if any.
 */
import { countsOf, tallyValues, type ClassCounts } from './class-tally.ts';
import type { DrawLayer } from './layers.ts';
import { paintsInWorker } from './raster-paint.ts';
import { keepTally, knownTally } from './tally-store.ts';

export type { ClassCounts } from './class-tally.ts';
export { useTallies } from './tally-store.ts';

/** Counts per values array for the layer's value key (a vector layer's values are a fresh array per draw). */
const cache = new WeakMap<object, { key: string; entries: unknown; counts: ClassCounts }>();
/** The last counts made per layer geometry and field, shown while a frame's tally is under way. */
const lastShown = new Map<string, ClassCounts>();

/** The counts of a categorical layer; null when it is not categorical, or its first tally is still being made off the page. */
export function classCounts(layer: DrawLayer): ClassCounts | null {
  const s = layer.scale;
  if (s.kind !== 'categorical') return null;
  const values = layer.values as ArrayLike<number | null>;
  const hit = cache.get(values);
  if (hit && hit.key === layer.valueKey && hit.entries === s.entries) return hit.counts;
  const nodata = layer.kind === 'raster' ? layer.nodata : null;
  const shownAs = `${layer.geoKey}|${layer.field}`;
  let tally = layer.kind === 'raster' ? knownTally(values, nodata) : null;
  if (!tally) {
    // The worker colouring this raster tallies it (MapView asks for its image now).
    if (layer.kind === 'raster' && ArrayBuffer.isView(values) && paintsInWorker(values.length)) return lastShown.get(shownAs) ?? null;
    tally = tallyValues(values, nodata);
    // Only rasters' arrays are kept (a band or a frame, drawn again on a step back); a vector layer's are one-off.
    if (layer.kind === 'raster') keepTally(values, nodata, tally, false);
  }
  const counts = countsOf(tally, s.entries);
  cache.set(values, { key: layer.valueKey, entries: s.entries, counts });
  lastShown.delete(shownAs);
  lastShown.set(shownAs, counts);
  if (lastShown.size > 8) lastShown.delete(lastShown.keys().next().value!);
  return counts;
}

export function shareText(n: number, total: number): string {
  if (total === 0) return '0';
  const p = (100 * n) / total;
  return `${n.toLocaleString('en-US')} · ${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
