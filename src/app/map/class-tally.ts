/** A grid's values counted by value, and those counts grouped by a legend's classes. Pure (the raster worker runs it too). */

export interface ClassCounts {
  byValue: Map<number, number>;
  other: number;
  /** Valid cells (nodata and empty values excluded). */
  total: number;
}

/** Cells per value: codes 0 … SMALL_CODES − 1 in `small`, any other value in `big`. */
export interface Tally {
  small: Float64Array;
  big: Map<number, number>;
  /** Valid cells (nodata, NaN and empty values excluded). */
  total: number;
}

/** Codes 0 … SMALL_CODES − 1 are tallied in an array. */
const SMALL_CODES = 1024;

/** Count the valid values (not null, NaN or `nodata`) by value. Pure: the raster worker runs it too. */
export function tallyValues(values: ArrayLike<number | null>, nodata: number | null): Tally {
  const small = new Float64Array(SMALL_CODES);
  const big = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v !== v || v === nodata) continue;
    total++;
    if (v >= 0 && v < SMALL_CODES && (v | 0) === v) small[v]++;
    else big.set(v, (big.get(v) ?? 0) + 1);
  }
  return { small, big, total };
}

/** The legend's counts: a tally grouped by the scale's classes (values it does not list are "other"). */
export function countsOf(tally: Tally, entries: readonly { value: number }[]): ClassCounts {
  const byValue = new Map<number, number>();
  for (const e of entries) byValue.set(e.value, 0);
  let other = 0;
  const add = (v: number, n: number) => {
    const had = byValue.get(v);
    if (had !== undefined) byValue.set(v, had + n);
    else other += n;
  };
  for (let v = 0; v < SMALL_CODES; v++) if (tally.small[v] > 0) add(v, tally.small[v]);
  for (const [v, n] of tally.big) add(v, n);
  return { byValue, other, total: tally.total };
}
