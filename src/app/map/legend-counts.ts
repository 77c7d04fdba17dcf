/** Class counts for a categorical legend: cells (or features) per category and their share of the valid ones. */
import type { DrawLayer } from './layers.ts';

export interface ClassCounts {
  byValue: Map<number, number>;
  other: number;
  /** Valid cells (nodata and empty values excluded). */
  total: number;
}

/** Codes 0 … SMALL_CODES − 1 are tallied in an array. */
const SMALL_CODES = 1024;

const cache = new WeakMap<object, { key: string; counts: ClassCounts }>();

export function classCounts(layer: DrawLayer): ClassCounts | null {
  const s = layer.scale;
  if (s.kind !== 'categorical') return null;
  const values = layer.values as ArrayLike<number | null>;
  const hit = cache.get(values as object);
  if (hit && hit.key === layer.valueKey) return hit.counts;
  const known = new Set(s.entries.map((e) => e.value));
  const byValue = new Map<number, number>();
  for (const e of s.entries) byValue.set(e.value, 0);
  const nodata = layer.kind === 'raster' ? layer.nodata : null;
  // Small non-negative integer codes (the usual categories) are tallied in an array: a 4000² grid is 16 M cells.
  const tally = new Float64Array(SMALL_CODES);
  let other = 0;
  let total = 0;
  const big = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v !== v || v === nodata) continue;
    total++;
    if (v >= 0 && v < SMALL_CODES && (v | 0) === v) tally[v]++;
    else big.set(v, (big.get(v) ?? 0) + 1);
  }
  const add = (v: number, n: number) => {
    if (known.has(v)) byValue.set(v, byValue.get(v)! + n);
    else other += n;
  };
  for (let v = 0; v < SMALL_CODES; v++) if (tally[v] > 0) add(v, tally[v]);
  for (const [v, n] of big) add(v, n);
  const counts = { byValue, other, total };
  cache.set(values as object, { key: layer.valueKey, counts });
  return counts;
}

export function shareText(n: number, total: number): string {
  if (total === 0) return '0';
  const p = (100 * n) / total;
  return `${n.toLocaleString('en-US')} · ${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
