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

/**
 * The k-th smallest value of `a` (0-based), reordering `a` in place (quickselect, median-of-three
 * pivots). `from`: every value before it is already known to be no larger than the rest (a
 * previous selection's rank), so the search starts there.
 */
export function selectKth(a: Float64Array, k: number, from = 0): number {
  if (k < from || k >= a.length) throw new RangeError(`rank ${k} outside ${from}..${a.length - 1}`);
  let lo = from;
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
  if (arrays.length > 0 && arrays.every(isSmallIntArray)) return countedPercentiles(arrays as SmallIntArray[], nodata, ps);
  const values = validValues(arrays, nodata);
  const n = values.length;
  if (n === 0) return null;
  // In increasing order, each selection starting where the previous one left the array partitioned.
  const order = ps.map((_, i) => i).sort((i, j) => ps[i] - ps[j]);
  const out = new Array<number>(ps.length);
  let from = 0;
  for (const i of order) {
    const rank = (ps[i] / 100) * (n - 1);
    const below = Math.floor(rank);
    out[i] = valueAt(values, below, rank - below, from);
    from = below;
  }
  return out;
}

/** The value at rank `below + f` (0 ≤ f < 1) of the values, interpolated as numpy does. */
function valueAt(values: Float64Array, below: number, f: number, from: number): number {
  const n = values.length;
  const v0 = selectKth(values, below, from);
  if (f === 0 || below + 1 >= n) return v0;
  // After selecting rank `below`, the next value is the smallest of the part above it.
  let v1 = Infinity;
  for (let i = below + 1; i < n; i++) if (values[i] < v1) v1 = values[i];
  return lerp(v0, v1, f);
}

/** numpy's _lerp: from the nearer end, so that the result stays within [v0, v1]. */
const lerp = (v0: number, v1: number, f: number) => (f < 0.5 ? v0 + (v1 - v0) * f : v1 - (v1 - v0) * (1 - f));

type SmallIntArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array;

/** Typed arrays of at most 16-bit integers: their values are counted, not copied and selected. */
const isSmallIntArray = (a: ArrayLike<number | null>): a is SmallIntArray =>
  a instanceof Uint8Array ||
  a instanceof Int8Array ||
  a instanceof Uint8ClampedArray ||
  a instanceof Int16Array ||
  a instanceof Uint16Array;

/**
 * The same percentiles from a count of each value (−32768 … 65535): the value at a rank is read off
 * the running count, so a 4000² band takes one pass and no copy (a copy as doubles and a selection
 * took ~600 ms on the page's main thread; every frame of a run, ten times that memory).
 */
function countedPercentiles(arrays: readonly SmallIntArray[], nodata: number | null, ps: readonly number[]): number[] | null {
  const OFFSET = 32768;
  const counts = new Float64Array(OFFSET + 65536);
  for (const a of arrays) for (let i = 0; i < a.length; i++) counts[a[i] + OFFSET]++;
  if (nodata !== null && Number.isInteger(nodata) && nodata >= -OFFSET && nodata < 65536) counts[nodata + OFFSET] = 0;
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v];
  if (n === 0) return null;
  // The value at 0-based rank k: the first whose running count passes k.
  const at = (k: number): number => {
    let seen = 0;
    for (let v = 0; v < counts.length; v++) {
      seen += counts[v];
      if (seen > k) return v - OFFSET;
    }
    throw new RangeError(`rank ${k} outside 0..${n - 1}`);
  };
  return ps.map((p) => {
    const rank = (p / 100) * (n - 1);
    const below = Math.floor(rank);
    const f = rank - below;
    const v0 = at(below);
    return f === 0 || below + 1 >= n ? v0 : lerp(v0, at(below + 1), f);
  });
}

/** The ends of a diverging ramp: centred on 0 when the range spans 0, else the range as it is. */
export function centredOnZero(min: number, max: number): { min: number; max: number } {
  if (!(min < 0 && max > 0)) return { min, max };
  const m = Math.max(-min, max);
  return { min: -m, max: m };
}
