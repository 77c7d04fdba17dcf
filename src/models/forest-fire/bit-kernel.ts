/**
 * Bit-parallel forest fire: the state is two bit planes, `burning` (state 1)
 * and `burned` (state 2); a cell in neither is forest (0). One step, 32 cells
 * per word:
 *   near    = OR of the burning plane over the neighbourhood (Moore: 8, von
 *             Neumann: 4; cells outside the grid are not burning)
 *   burning' = forest & near          burned' = burning | burned
 * The rule it computes, readably: rule.ts (forest-fire.test.ts holds the two equal).
 */
import { lastWordMask, popcount32, type BitGrid } from '../../sim/bitgrid.ts';

export interface FirePlanes {
  burning: BitGrid;
  burned: BitGrid;
}

/** One synchronous step from `cur` into `next`; updates `counts` = [burning, burned] (which must hold the counts of `cur`). */
export function bitFireStep(cur: FirePlanes, next: FirePlanes, moore: boolean, counts: Int32Array): void {
  advanceFireCounts(counts, bitFireRows(cur, next, moore, 0, cur.burning.rows));
}

/** After a step in which `burning` cells caught fire: every burning cell burned out, burned cells stay burned. */
export function advanceFireCounts(counts: Int32Array, burning: number): void {
  counts[1] += counts[0];
  counts[0] = burning;
}

/**
 * The step for rows [r0, r1) only: reads rows r0 − 1 … r1 of `cur`, writes rows r0 … r1 − 1 of `next`,
 * returns how many of their cells burn now. A band of a banded run (src/sim/bands.ts); bands covering
 * the grid give exactly bitFireStep's planes and, summed, its burning count.
 */
export function bitFireRows(cur: FirePlanes, next: FirePlanes, moore: boolean, r0: number, r1: number): number {
  const { rows, cols, stride } = cur.burning;
  const B = cur.burning.words;
  const D = cur.burned.words;
  const nB = next.burning.words;
  const nD = next.burned.words;
  const lastMask = lastWordMask(cols);
  let burning = 0;
  const end = Math.min(rows, r1);
  for (let r = Math.max(0, r0); r < end; r++) {
    const mid = r * stride;
    const up = r > 0 ? mid - stride : -1;
    const dn = r < rows - 1 ? mid + stride : -1;
    let upPrev = 0;
    let midPrev = 0;
    let dnPrev = 0;
    let upCur = up >= 0 ? B[up] : 0;
    let midCur = B[mid];
    let dnCur = dn >= 0 ? B[dn] : 0;
    for (let w = 0; w < stride; w++) {
      const last = w === stride - 1;
      const upNext = up >= 0 && !last ? B[up + w + 1] : 0;
      const midNext = !last ? B[mid + w + 1] : 0;
      const dnNext = dn >= 0 && !last ? B[dn + w + 1] : 0;
      let near = upCur | dnCur | (midCur << 1) | (midPrev >>> 31) | (midCur >>> 1) | (midNext << 31);
      if (moore) {
        near |=
          (upCur << 1) | (upPrev >>> 31) | (upCur >>> 1) | (upNext << 31) | (dnCur << 1) | (dnPrev >>> 31) | (dnCur >>> 1) | (dnNext << 31);
      }
      const i = mid + w;
      const done = midCur | D[i];
      let b = near & ~done;
      if (last) b &= lastMask;
      nB[i] = b;
      nD[i] = done;
      if (b !== 0) burning += popcount32(b);
      upPrev = upCur;
      midPrev = midCur;
      dnPrev = dnCur;
      upCur = upNext;
      midCur = midNext;
      dnCur = dnNext;
    }
  }
  return burning;
}
