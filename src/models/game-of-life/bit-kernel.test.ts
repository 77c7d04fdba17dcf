import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../sim/random.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells } from '../../sim/bitgrid.ts';
import { bitLifeStep } from './bit-kernel.ts';
import { lifeStep } from './kernel.ts';

describe('bit-parallel Game of Life', () => {
  it.each([
    [1, 1],
    [3, 31],
    [5, 32],
    [7, 33],
    [9, 64],
    [11, 65],
    [40, 97],
  ])('matches the byte kernel step by step on a %i×%i random grid (fixed edges, word padding)', (rows, cols) => {
    const rng = new SeededRandom(rows * 1000 + cols);
    const bytes = new Uint8Array(rows * cols);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.next() < 0.4 ? 1 : 0;
    let a = bytes.slice();
    let b = new Uint8Array(bytes.length);
    const colsum = new Uint8Array(cols + 2);
    let cur = createBitGrid(rows, cols);
    let nxt = createBitGrid(rows, cols);
    packCells(bytes, cur);
    expect(unpackCells(cur, new Uint8Array(bytes.length))).toEqual(bytes);
    for (let step = 0; step < 30; step++) {
      const popBytes = lifeStep(a, b, rows, cols, colsum);
      const popBits = bitLifeStep(cur, nxt);
      [a, b] = [b, a];
      [cur, nxt] = [nxt, cur];
      expect(popBits).toBe(popBytes);
      expect(bitPopulation(cur)).toBe(popBytes);
      expect(unpackCells(cur, new Uint8Array(bytes.length))).toEqual(a);
    }
  });
});
