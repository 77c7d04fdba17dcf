import { describe, expect, it } from 'vitest';
import { createBitGrid, packCells, unpackCells, type BitGrid } from '../../sim/bitgrid.ts';
import { MOORE, VON_NEUMANN } from '../../sim/raster.ts';
import { SeededRandom } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { bitFireRows, bitFireStep, type FirePlanes } from './bit-kernel.ts';
import { WasmFireKernel } from './bit-kernel-wasm.ts';
import { FireRaster } from './model.ts';
import { countFire, fireRule } from './rule.ts';

/** Awkward shapes: one row, one column, widths either side of the 32- and 64-bit word sizes. */
const AWKWARD: Array<[number, number]> = [
  [1, 1],
  [1, 150],
  [150, 1],
  [3, 31],
  [5, 32],
  [7, 33],
  [9, 63],
  [9, 64],
  [11, 65],
  [6, 127],
  [6, 129],
  [37, 97],
];
const NEIGHBOURHOODS = [
  ['moore', MOORE],
  ['von_neumann', VON_NEUMANN],
] as const;

/** Mostly forest, some fire, some burned ground. */
function randomStates(rows: number, cols: number, seed: number): Uint8Array {
  const rng = new SeededRandom(seed);
  return Uint8Array.from({ length: rows * cols }, () => {
    const u = rng.next();
    return u < 0.08 ? 1 : u < 0.2 ? 2 : 0;
  });
}

function pack(states: Uint8Array, planes: FirePlanes): void {
  packCells(states, planes.burning, 1);
  packCells(states, planes.burned, 2);
}
function unpack(planes: FirePlanes): Uint8Array {
  const out = unpackCells(planes.burning, new Uint8Array(planes.burning.rows * planes.burning.cols));
  return unpackCells(planes.burned, out, 2, true);
}
const jsPlanes = (rows: number, cols: number): FirePlanes => ({ burning: createBitGrid(rows, cols), burned: createBitGrid(rows, cols) });
const words = (p: FirePlanes): Uint32Array[] => [p.burning.words, p.burned.words];

describe('the WebAssembly forest fire kernel equals the JavaScript kernel and the readable rule', () => {
  for (const [nbh, dirs] of NEIGHBOURHOODS) {
    it.each(AWKWARD)(`${nbh}: bit for bit, step by step, on a %i×%i random grid`, (rows, cols) => {
      let want = randomStates(rows, cols, rows * 613 + cols);
      const w = WasmFireKernel.withPlanes(rows, cols);
      let [cur, next] = [w.cur, w.next];
      let [js, jsNext] = [jsPlanes(rows, cols), jsPlanes(rows, cols)];
      pack(want, cur);
      pack(want, js);
      const counts = new Int32Array(2);
      countFire(want, counts);
      const jsCounts = counts.slice();
      for (let step = 0; step < 12; step++) {
        want = fireRule(want, rows, cols, dirs);
        w.kernel.step(cur, next, nbh === 'moore', counts);
        bitFireStep(js, jsNext, nbh === 'moore', jsCounts);
        expect(words(next), `step ${step + 1}: the words, padding included`).toEqual(words(jsNext));
        expect(unpack(next), `step ${step + 1}`).toEqual(want);
        const ruleCounts = new Int32Array(2);
        countFire(want, ruleCounts);
        expect([...counts], `step ${step + 1}: [burning, burned]`).toEqual([...ruleCounts]);
        expect(jsCounts).toEqual(counts);
        [cur, next] = [next, cur];
        [js, jsNext] = [jsNext, js];
      }
    });
  }

  it.each([
    [13, 75, false],
    [13, 75, true],
    [10, 33, true],
    [2, 64, true],
  ])('row bands of a %i×%i grid (shared memory: %s) give the whole step and write only their rows', (rows, cols, shared) => {
    const states = randomStates(rows, cols, 7 + rows * cols);
    for (const [nbh] of NEIGHBOURHOODS) {
      const moore = nbh === 'moore';
      const whole = jsPlanes(rows, cols);
      pack(states, whole);
      const want = jsPlanes(rows, cols);
      const burning = bitFireRows(whole, want, moore, 0, rows);
      const w = WasmFireKernel.withPlanes(rows, cols, { shared });
      expect(w.cur.burning.words.buffer instanceof SharedArrayBuffer).toBe(shared);
      pack(states, w.cur);
      const sentinel = 0x5a5a5a5a;
      for (const g of [w.next.burning, w.next.burned] as BitGrid[]) g.words.fill(sentinel);
      const cut = Math.floor(rows / 2);
      let sum = w.kernel.stepRows(w.cur, w.next, moore, cut, rows);
      expect(w.next.burning.words.subarray(0, cut * w.next.burning.stride).every((x) => x === sentinel)).toBe(true);
      sum += w.kernel.stepRows(w.cur, w.next, moore, 0, cut);
      expect(sum).toBe(burning);
      expect(words(w.next)).toEqual(words(want));
      const js = jsPlanes(rows, cols);
      expect(bitFireRows(whole, js, moore, cut, rows) + bitFireRows(whole, js, moore, 0, cut)).toBe(burning);
      expect(words(js)).toEqual(words(want));
    }
  });

  it('refuses planes that are not in its memory', () => {
    const w = WasmFireKernel.withPlanes(3, 40);
    expect(() => w.kernel.step(w.cur, jsPlanes(3, 40), true, new Int32Array(2))).toThrow(/allocateBitPlanes/);
  });

  it('the forest fire model gives the same states and counts with either engine', () => {
    const rows = 31;
    const cols = 90;
    const states = randomStates(rows, cols, 11);
    for (const [nbh] of NEIGHBOURHOODS) {
      const models = (['wasm', 'js'] as const).map((engine) => new FireRaster(new Environment(), rows, cols, states, nbh, { engine }));
      expect(models.map((m) => m.engine)).toEqual(['wasm', 'js']);
      for (let t = 0; t < 20; t++) {
        for (const m of models) m.execute();
        expect(models[0].state).toEqual(models[1].state);
        expect([models[0].burning, models[0].burned]).toEqual([models[1].burning, models[1].burned]);
      }
    }
  });
  it('the model refuses an initial state out of range with either engine: by `check` when given, else a RangeError', () => {
    const rows = 5;
    const cols = 37;
    for (const at of [0, 36, 5 * 37 - 1]) {
      const cells = new Uint8Array(rows * cols);
      cells[at] = 3;
      for (const engine of ['wasm', 'js'] as const) {
        const check = () => {
          throw new Error(`bad cell ${cells.indexOf(3)}`);
        };
        expect(() => new FireRaster(new Environment(), rows, cols, cells, 'moore', { engine, check })).toThrow(`bad cell ${at}`);
        if (engine === 'wasm')
          expect(() => new FireRaster(new Environment(), rows, cols, cells, 'moore', { engine })).toThrow(/other than 0, 1 and 2/);
      }
    }
    const ok = new FireRaster(new Environment(), rows, cols, new Uint8Array(rows * cols), 'moore', {
      engine: 'wasm',
      check: () => {
        throw new Error('not called');
      },
    });
    expect(ok.state.every((v) => v === 0)).toBe(true);
  });
});
