/**
 * The stretch of a continuous band: which values the ends of its colour ramp stand for.
 * Pure functions on plain arrays (no DOM), so the page and a worker can both run them.
 *
 * - `data`: the finite, non-nodata minimum and maximum;
 * - `percentile`: the p-th and q-th percentiles of those values (2–98 % by default), with
 *   numpy's default ("linear") definition: the value at rank p/100 · (n − 1) of the sorted
 *   values, interpolated between its two neighbours;
 * - `manual`: a min and max the user typed.
 */

export type StretchMode = 'data' | 'percentile' | 'manual';

export const DEFAULT_PERCENTILES = [2, 98] as const;

/** The finite values of the arrays that are not nodata (NaN, ±Infinity, null and `nodata` left out), as one copy. */
export function validValues(arrays: readonly ArrayLike<number | null>[], nodata: number | null): Float64Array {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Float64Array(n);
  let k = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v === null || v === nodata || !Number.isFinite(v)) continue;
      out[k++] = v;
    }
  }
  return out.subarray(0, k);
}

/** The k-th smallest value of `a` (0-based), reordering `a` in place (quickselect, median-of-three pivots). */
export function selectKth(a: Float64Array, k: number): number {
  if (k < 0 || k >= a.length) throw new RangeError(`rank ${k} outside 0..${a.length - 1}`);
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The p-th percentiles (0..100) of the valid values, numpy's `np.percentile(values, ps)` with its
 * default linear interpolation; null when there is no valid value.
 */
export function percentiles(arrays: readonly ArrayLike<number | null>[], nodata: number | null, ps: readonly number[]): number[] | null {
  for (const p of ps) if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within 0..100`);
  const values = validValues(arrays, nodata);
  const n = values.length;
  if (n === 0) return null;
  return ps.map((p) => {
    const rank = (p / 100) * (n - 1);
    const below = Math.floor(rank);
    const f = rank - below;
    const v0 = selectKth(values, below);
    if (f === 0 || below + 1 >= n) return v0;
    // After selecting rank `below`, the next value is the smallest of the part above it.
    let v1 = Infinity;
    for (let i = below + 1; i < n; i++) if (values[i] < v1) v1 = values[i];
    // numpy's _lerp: from the nearer end, so that the result stays within [v0, v1].
    return f < 0.5 ? v0 + (v1 - v0) * f : v1 - (v1 - v0) * (1 - f);
  });
}

/** The ends of a diverging ramp: centred on 0 when the range spans 0, else the range as it is. */
export function centredOnZero(min: number, max: number): { min: number; max: number } {
  if (!(min < 0 && max > 0)) return { min, max };
  const m = Math.max(-min, max);
  return { min: -m, max: m };
}
