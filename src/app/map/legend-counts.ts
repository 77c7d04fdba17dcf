/** Class counts for a categorical legend: cells (or features) per category and their share of the valid ones. */
import type { DrawLayer } from './layers.ts';

export interface ClassCounts {
  byValue: Map<number, number>;
  other: number;
  /** Valid cells (nodata and empty values excluded). */
  total: number;
}

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
  let other = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v !== v || v === nodata) continue;
    total++;
    if (known.has(v)) byValue.set(v, byValue.get(v)! + 1);
    else other++;
  }
  const counts = { byValue, other, total };
  cache.set(values as object, { key: layer.valueKey, counts });
  return counts;
}

export function shareText(n: number, total: number): string {
  if (total === 0) return '0';
  const p = (100 * n) / total;
  return `${n.toLocaleString('en-US')} · ${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
