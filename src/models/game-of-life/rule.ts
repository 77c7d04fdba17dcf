/**
 * Conway's Game of Life (B3/S23) as DisSModel's GameOfLifeRaster writes it, in
 * whole-array statements over the raster vocabulary (src/sim/raster.ts):
 *
 *   n = focal_sum_mask(state == 1)                       Moore, zero-padded edges
 *   state' = where((state == 1 & n ∈ {2, 3}) | (state == 0 & n == 3), 1, 0)
 *
 * This is the readable rule; the model runs the bit-parallel kernel
 * (bit-kernel.ts), which the tests hold equal to this, step by step.
 */
import { focalCount, MOORE } from '../../sim/raster.ts';

export function lifeRule(state: Uint8Array, rows: number, cols: number): Uint8Array {
  const n = focalCount(state, rows, cols, MOORE);
  return state.map((alive, i) => (alive === 1 ? +(n[i] === 2 || n[i] === 3) : +(n[i] === 3)));
}

/**
 * The same rule on a vector layer (dissmodel-ca's vector GameOfLife), one
 * synchronous step from `cur` into `next` over neighbours in CSR form
 * (cell i's are `neighbors[offsets[i] .. offsets[i+1])`, e.g. Queen from the
 * geometry):  n = Σ neighbour states;  alive' = (2 ≤ n ≤ 3) if alive else (n == 3).
 * Returns the live population of `next`.
 */
export function lifeRuleGraph(cur: Uint8Array, next: Uint8Array, nb: { offsets: Int32Array; neighbors: Int32Array }): number {
  const { offsets, neighbors } = nb;
  let population = 0;
  for (let i = 0; i < cur.length; i++) {
    let n = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) n += cur[neighbors[k]];
    const v = cur[i] === 1 ? +(n === 2 || n === 3) : +(n === 3);
    next[i] = v;
    population += v;
  }
  return population;
}
