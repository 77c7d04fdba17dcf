/**
 * Game of Life (B3/S23) on a vector layer: one synchronous step over cells
 * whose neighbours are given in CSR form (cell i's neighbours are
 * `neighbors[offsets[i] .. offsets[i+1])`, e.g. the Queen neighbourhood built
 * from the polygons). As dissmodel-ca's vector GameOfLife:
 *   n = Σ neighbour states;  alive' = (2 ≤ n ≤ 3) if alive else (n == 3).
 * All cells read `cur` and write `next` (the CellularAutomaton's
 * `gdf[state] = index.map(rule)`). Returns the live population of `next`.
 */
export interface CsrNeighbors {
  /** Length n + 1; offsets[0] = 0. */
  readonly offsets: ArrayLike<number>;
  /** Concatenated neighbour indices. */
  readonly neighbors: ArrayLike<number>;
}

export function vectorLifeStep(cur: Uint8Array, next: Uint8Array, csr: CsrNeighbors): number {
  const { offsets, neighbors } = csr;
  const n = cur.length;
  let population = 0;
  let start = offsets[0];
  for (let i = 0; i < n; i++) {
    const end = offsets[i + 1];
    let sum = 0;
    for (let k = start; k < end; k++) sum += cur[neighbors[k]];
    const v = cur[i] === 1 ? (sum === 2 || sum === 3 ? 1 : 0) : sum === 3 ? 1 : 0;
    next[i] = v;
    population += v;
    start = end;
  }
  return population;
}
