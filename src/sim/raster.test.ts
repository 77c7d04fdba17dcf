import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { focalCount, focalSum, MOORE, neighborContact, shift2d, VON_NEUMANN } from './raster.ts';

const ref = JSON.parse(readFileSync(new URL('../../tests/reference/framework_semantics.json', import.meta.url), 'utf8'));
const flat = (g: number[][]) => g.flat();
const grid = (a: ArrayLike<number>, cols: number) =>
  Array.from({ length: a.length / cols }, (_, r) => Array.from(a).slice(r * cols, (r + 1) * cols));

describe('raster primitives (framework_semantics.json)', () => {
  it('uses DisSModel’s direction order', () => {
    expect(MOORE).toEqual(ref.DIRS_MOORE);
    expect(VON_NEUMANN).toEqual(ref.DIRS_VON_NEUMANN);
  });

  it('shift2d in all 8 directions', () => {
    const input = ref.shift2d.input as number[][];
    for (const [key, expected] of Object.entries(ref.shift2d.outputs_by_dr_dc as Record<string, number[][]>)) {
      const [dr, dc] = key.split(',').map(Number);
      const out = shift2d(Int32Array.from(flat(input)), 3, 4, dr, dc);
      expect(grid(out, 4), key).toEqual(expected);
      expect(out).toBeInstanceOf(Int32Array);
    }
  });

  it('focal counts over Moore and von Neumann with zero padding', () => {
    const mask = flat(ref.focal_sum_mask.mask);
    expect(grid(focalCount(mask, 4, 5, MOORE), 5)).toEqual(ref.focal_sum_mask.moore);
    expect(grid(focalCount(mask, 4, 5, VON_NEUMANN), 5)).toEqual(ref.focal_sum_mask.von_neumann);
    expect(grid(focalSum(mask, 4, 5, MOORE), 5)).toEqual(ref.focal_sum_mask.moore);
  });

  it('neighbor_contact: default dilation includes the cell, a list excludes it', () => {
    const mask = flat(ref.focal_sum_mask.mask);
    expect(grid(neighborContact(mask, 4, 5), 5)).toEqual(ref.neighbor_contact.default_binary_dilation_3x3);
    expect(grid(neighborContact(mask, 4, 5, VON_NEUMANN), 5)).toEqual(ref.neighbor_contact.von_neumann);
  });

  it('all-ones 3×3 focal sum is [[3,5,3],[5,8,5],[3,5,3]]', () => {
    expect(grid(focalSum(new Int8Array(9).fill(1), 3, 3), 3)).toEqual([
      [3, 5, 3],
      [5, 8, 5],
      [3, 5, 3],
    ]);
  });
});
