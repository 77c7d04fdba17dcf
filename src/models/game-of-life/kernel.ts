/**
 * Game of Life (B3/S23) on a fixed-boundary grid: one synchronous step from
 * `cur` into `next` (0/1 bytes, row-major). Sums three rows per column once,
 * then slides a 3-column window; a lookup table on (alive, 3×3 total) decides
 * the new state. Returns the live population of `next`.
 */
const LUT = new Uint8Array(32);
for (let total = 0; total <= 9; total++) {
  LUT[total] = total === 3 ? 1 : 0; // dead: born with exactly 3 neighbours
  LUT[16 + total] = total === 3 || total === 4 ? 1 : 0; // alive: survives with 2 or 3 (total includes itself)
}

export function lifeStep(cur: Uint8Array, next: Uint8Array, rows: number, cols: number, colsum: Uint8Array): number {
  let population = 0;
  colsum[0] = 0;
  colsum[cols + 1] = 0;
  for (let i = 0; i < rows; i++) {
    const mid = i * cols;
    const up = mid - cols;
    const dn = mid + cols;
    const hasUp = i > 0;
    const hasDn = i < rows - 1;
    if (hasUp && hasDn) {
      for (let j = 0; j < cols; j++) colsum[j + 1] = cur[up + j] + cur[mid + j] + cur[dn + j];
    } else {
      for (let j = 0; j < cols; j++) {
        colsum[j + 1] = (hasUp ? cur[up + j] : 0) + cur[mid + j] + (hasDn ? cur[dn + j] : 0);
      }
    }
    let left = 0;
    let center = colsum[1];
    for (let j = 0; j < cols; j++) {
      const right = colsum[j + 2];
      const v = LUT[(cur[mid + j] << 4) | (left + center + right)];
      next[mid + j] = v;
      population += v;
      left = center;
      center = right;
    }
  }
  return population;
}

export function population(state: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < state.length; i++) n += state[i];
  return n;
}
