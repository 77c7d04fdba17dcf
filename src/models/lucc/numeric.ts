/**
 * NumPy's arithmetic where the LUCC results depend on it to the last digit:
 * float32 rounding (`f32`, for the raster substrate, which computes in
 * float32 as DisSModel's `astype(np.float32)` arrays do) or none (`f64`, the
 * vector substrate's float64 columns), and `np.add.reduce`'s pairwise
 * summation (numpy/_core/src/umath/loops_utils.h.src), whose rounding differs
 * from a left-to-right sum.
 */

/** How a substrate rounds each arithmetic result: Math.fround (float32) or the identity (float64). */
export type Round = (x: number) => number;

export const f32: Round = Math.fround;
export const f64: Round = (x) => x;

const BLOCK = 128; // PW_BLOCKSIZE

function pairwise(a: ArrayLike<number>, lo: number, n: number, R: Round): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res = R(res + a[lo + i]);
    return res;
  }
  if (n <= BLOCK) {
    const r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = R(r[j] + a[lo + i + j]);
    let res = R(R(R(r[0] + r[1]) + R(r[2] + r[3])) + R(R(r[4] + r[5]) + R(r[6] + r[7])));
    for (; i < n; i++) res = R(res + a[lo + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return R(pairwise(a, lo, n2, R) + pairwise(a, lo + n2, n - n2, R));
}

/** `np.sum` of a contiguous array (float32 accumulators when R = f32), the identity 0 added first as NumPy does. */
export function npSum(a: ArrayLike<number>, R: Round): number {
  return R(0 + pairwise(a, 0, a.length, R));
}

/** `np.mean` of a float64 array: the pairwise sum divided by the count. */
export function npMean(a: ArrayLike<number>): number {
  return npSum(a, f64) / a.length;
}
