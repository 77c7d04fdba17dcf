import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../sim/random.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells } from '../../sim/bitgrid.ts';
import { bitLifeRows, bitLifeStep } from './bit-kernel.ts';
import { lifeRule } from './rule.ts';

describe('the bit-parallel Game of Life kernel equals the readable rule', () => {
  it.each([
    [1, 1],
    [3, 31],
    [5, 32],
    [7, 33],
    [9, 64],
    [11, 65],
    [40, 97],
  ])('step by step on a %i×%i random grid (fixed edges, word padding)', (rows, cols) => {
    const rng = new SeededRandom(rows * 1000 + cols);
    let want: Uint8Array = new Uint8Array(rows * cols);
    for (let i = 0; i < want.length; i++) want[i] = rng.next() < 0.4 ? 1 : 0;
    let cur = createBitGrid(rows, cols);
    let nxt = createBitGrid(rows, cols);
    packCells(want, cur);
    expect(unpackCells(cur, new Uint8Array(want.length))).toEqual(want);
    let changed = 0;
    for (let step = 0; step < 30; step++) {
      const before = want;
      want = lifeRule(want, rows, cols);
      const population = bitLifeStep(cur, nxt);
      [cur, nxt] = [nxt, cur];
      const got = unpackCells(cur, new Uint8Array(want.length));
      expect(got, `step ${step + 1}`).toEqual(want);
      expect(population).toBe(want.reduce((a, v) => a + v, 0));
      expect(bitPopulation(cur)).toBe(population);
      if (got.some((v, i) => v !== before[i])) changed++;
    }
    if (rows * cols > 100) expect(changed).toBeGreaterThan(10); // the grids evolve, so the comparison means something
  });
});

describe('the row-range step (a band of a banded run)', () => {
  it('bands covering the grid in any order give the whole-grid step: the same words, populations summing to its population', () => {
    const rows = 37;
    const cols = 70;
    const rng = new SeededRandom(17);
    const cells = new Uint8Array(rows * cols);
    for (let i = 0; i < cells.length; i++) cells[i] = rng.next() < 0.4 ? 1 : 0;
    const cur = createBitGrid(rows, cols);
    packCells(cells, cur);
    const whole = createBitGrid(rows, cols);
    const population = bitLifeStep(cur, whole);
    for (const cuts of [
      [0, 1, 37],
      [0, 12, 13, 30, 37],
      [0, 36, 37],
    ]) {
      const banded = createBitGrid(rows, cols);
      let sum = 0;
      // Last band first: a band reads only `cur`, so the order cannot matter.
      for (let k = cuts.length - 2; k >= 0; k--) sum += bitLifeRows(cur, banded, cuts[k], cuts[k + 1]);
      expect(banded.words).toEqual(whole.words);
      expect(sum).toBe(population);
    }
  });
});
