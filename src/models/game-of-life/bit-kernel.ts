/**
 * Bit-parallel Game of Life: 32 cells per Uint32 word, rows padded to whole
 * words (padding bits always 0, so cells outside the grid are dead). One step
 * counts the 8 neighbours of 32 cells at once with bitwise adders:
 *   up row   a,b,c → 2-bit sum (u0,u1)      middle d,e → (m0,m1)
 *   down row f,g,h → 2-bit sum (d0,d1)
 * then ones = u0^m0^d0 with carry k0, and the weight-2 bits p,q,r,s =
 * u1,m1,d1,k0: the count is 2 or 3 exactly when an odd number of p..s is set
 * and no two are (i.e. exactly one), so next = exactlyOne & (ones | alive).
 * Bit j of word w holds column 32·w + j. The rule it computes, readably: rule.ts
 * (bit-kernel.test.ts holds the two equal).
 */

import { lastWordMask, popcount32, type BitGrid } from '../../sim/bitgrid.ts';

/** One synchronous step from `cur` into `next` (same shape). Returns the new population. */
export function bitLifeStep(cur: BitGrid, next: BitGrid): number {
  return bitLifeRows(cur, next, 0, cur.rows);
}

/**
 * The step for rows [r0, r1) only: reads rows r0 − 1 … r1 of `cur`, writes rows r0 … r1 − 1 of `next`,
 * returns their population. A band of a banded run (src/sim/bands.ts); bands covering the grid give
 * exactly bitLifeStep's planes and, summed, its population.
 */
export function bitLifeRows(cur: BitGrid, next: BitGrid, r0: number, r1: number): number {
  const { rows, cols, stride } = cur;
  const src = cur.words;
  const dst = next.words;
  const lastMask = lastWordMask(cols);
  let population = 0;
  const end = Math.min(rows, r1);
  for (let r = Math.max(0, r0); r < end; r++) {
    const mid = r * stride;
    const up = r > 0 ? mid - stride : -1;
    const dn = r < rows - 1 ? mid + stride : -1;
    // Sliding window of (previous, current, following) words for the three rows.
    let upPrev = 0;
    let midPrev = 0;
    let dnPrev = 0;
    let upCur = up >= 0 ? src[up] : 0;
    let midCur = src[mid];
    let dnCur = dn >= 0 ? src[dn] : 0;
    for (let w = 0; w < stride; w++) {
      const last = w === stride - 1;
      const upNext = up >= 0 && !last ? src[up + w + 1] : 0;
      const midNext = !last ? src[mid + w + 1] : 0;
      const dnNext = dn >= 0 && !last ? src[dn + w + 1] : 0;
      // Neighbour to the left of column c is c-1: shift the row up by one bit.
      const a = (upCur << 1) | (upPrev >>> 31);
      const b = upCur;
      const c = (upCur >>> 1) | (upNext << 31);
      const d = (midCur << 1) | (midPrev >>> 31);
      const e = (midCur >>> 1) | (midNext << 31);
      const f = (dnCur << 1) | (dnPrev >>> 31);
      const g = dnCur;
      const h = (dnCur >>> 1) | (dnNext << 31);
      const ab = a ^ b;
      const u0 = ab ^ c;
      const u1 = (a & b) | (c & ab);
      const m0 = d ^ e;
      const m1 = d & e;
      const fg = f ^ g;
      const d0 = fg ^ h;
      const d1 = (f & g) | (h & fg);
      const um = u0 ^ m0;
      const ones = um ^ d0;
      const k0 = (u0 & m0) | (d0 & um);
      const pq = u1 ^ m1;
      const rs = d1 ^ k0;
      const odd = pq ^ rs;
      const any2 = (u1 & m1) | (d1 & k0) | (pq & rs);
      let v = odd & ~any2 & (ones | midCur);
      if (last) v &= lastMask;
      dst[mid + w] = v;
      population += popcount32(v);
      upPrev = upCur;
      midPrev = midCur;
      dnPrev = dnCur;
      upCur = upNext;
      midCur = midNext;
      dnCur = dnNext;
    }
  }
  return population;
}
