import { describe, expect, it } from 'vitest';
import { createBitGrid, packCells } from './bitgrid.ts';
import { sampledSize, samplePlanes } from './plane-sample.ts';

/** A deterministic pseudo-random grid of 0/1/2. */
function cells(rows: number, cols: number, seed: number): Uint8Array {
  const out = new Uint8Array(rows * cols);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 3;
  }
  return out;
}

describe('samplePlanes', () => {
  it('reads every stride-th row and column as the planes unpack (0, 1 or 2), on shapes that are no multiple of the stride or 32', () => {
    for (const [rows, cols] of [
      [37, 70],
      [64, 64],
      [5, 129],
      [1, 1],
    ]) {
      const grid = cells(rows, cols, rows * 1000 + cols);
      const burning = createBitGrid(rows, cols);
      const burned = createBitGrid(rows, cols);
      packCells(grid, burning, 1);
      packCells(grid, burned, 2);
      for (const stride of [1, 2, 3, 4, 7, 200]) {
        const got = samplePlanes([burning, burned], [1, 2], stride);
        const size = sampledSize(rows, cols, stride);
        expect(got.length).toBe(size.rows * size.cols);
        const want: number[] = [];
        for (let r = 0; r < rows; r += stride) for (let c = 0; c < cols; c += stride) want.push(grid[r * cols + c]);
        expect(Array.from(got)).toEqual(want);
      }
    }
  });

  it('refuses a stride that is not a positive integer', () => {
    const g = createBitGrid(4, 4);
    expect(() => samplePlanes([g], [1], 0)).toThrow(RangeError);
    expect(() => samplePlanes([g], [1], 1.5)).toThrow(RangeError);
  });
});
