/**
 * A coarse look at bit-packed state planes (src/sim/bitgrid.ts): every
 * `stride`-th row and column read straight from the words, as the bytes the
 * planes unpack to (unpackStates: the sum of `values[p]` over the planes whose bit is set). A live map
 * of a 4000² grid needs ~1000² cells, not 16 M: this reads 1/stride² of the
 * bits and makes no full byte grid.
 */
import type { BitGrid } from './bitgrid.ts';

/** Rows and columns of a grid sampled every `stride` cells. */
export const sampledSize = (rows: number, cols: number, stride: number): { rows: number; cols: number } => ({
  rows: Math.ceil(rows / stride),
  cols: Math.ceil(cols / stride),
});

/**
 * The cells (r·stride, c·stride) of the planes, row-major, as bytes: the sum of values[p] over the
 * planes whose bit is set there (0 where none is), as unpackStates makes them. All planes share one shape.
 */
export function samplePlanes(planes: readonly BitGrid[], values: readonly number[], stride: number): Uint8Array {
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`stride must be a positive integer, not ${stride}`);
  const { rows, cols, stride: wordsPerRow } = planes[0];
  const size = sampledSize(rows, cols, stride);
  const out = new Uint8Array(size.rows * size.cols);
  for (let p = 0; p < planes.length; p++) {
    const words = planes[p].words;
    const v = values[p];
    let i = 0;
    for (let r = 0; r < rows; r += stride) {
      const row = r * wordsPerRow;
      for (let c = 0; c < cols; c += stride, i++) {
        if ((words[row + (c >>> 5)] >>> (c & 31)) & 1) out[i] += v;
      }
    }
  }
  return out;
}
