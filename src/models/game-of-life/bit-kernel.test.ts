import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../sim/random.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells, type BitGrid } from '../../sim/bitgrid.ts';
import { allocateBitPlanes, viewBitPlanes } from '../../sim/wasm/bit-planes.ts';
import { Environment } from '../../sim/scheduler.ts';
import { bitLifeRows, bitLifeStep } from './bit-kernel.ts';
import { WasmLifeKernel } from './bit-kernel-wasm.ts';
import { GameOfLifeRaster } from './model.ts';
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

/** Awkward shapes: one row, one column, widths either side of the 32- and 64-bit word sizes. */
const AWKWARD: Array<[number, number]> = [
  [1, 1],
  [1, 200],
  [200, 1],
  [2, 2],
  [3, 31],
  [5, 32],
  [7, 33],
  [9, 63],
  [9, 64],
  [11, 65],
  [6, 127],
  [6, 128],
  [6, 129],
  [17, 191],
  [40, 97],
];

function randomCells(rows: number, cols: number, seed: number, p = 0.4): Uint8Array {
  const rng = new SeededRandom(seed);
  return Uint8Array.from({ length: rows * cols }, () => (rng.next() < p ? 1 : 0));
}

describe('the WebAssembly Game of Life kernel equals the JavaScript kernel and the readable rule', () => {
  it.each(AWKWARD)('bit for bit, step by step, on a %i×%i random grid', (rows, cols) => {
    let want = randomCells(rows, cols, rows * 7919 + cols);
    const w = WasmLifeKernel.withPlanes(rows, cols);
    let js = createBitGrid(rows, cols);
    let jsNext = createBitGrid(rows, cols);
    packCells(want, w.cur);
    packCells(want, js);
    let [cur, next] = [w.cur, w.next];
    for (let step = 0; step < 25; step++) {
      want = lifeRule(want, rows, cols);
      const population = w.kernel.step(cur, next);
      expect(population, `step ${step + 1}`).toBe(bitLifeStep(js, jsNext));
      expect(next.words, `step ${step + 1}: the words, padding included`).toEqual(jsNext.words);
      expect(unpackCells(next, new Uint8Array(rows * cols)), `step ${step + 1}`).toEqual(want);
      [cur, next] = [next, cur];
      [js, jsNext] = [jsNext, js];
    }
  });

  it.each([
    [12, 70, false],
    [12, 70, true],
    [9, 33, true],
    [1, 65, true],
  ])(
    'row bands of a %i×%i grid (shared memory: %s) give the whole step, in either order, and write only their rows',
    (rows, cols, shared) => {
      const cells = randomCells(rows, cols, 42 + rows + cols);
      const whole = createBitGrid(rows, cols);
      packCells(cells, whole);
      const want = createBitGrid(rows, cols);
      const population = bitLifeStep(whole, want);
      const w = WasmLifeKernel.withPlanes(rows, cols, { shared });
      expect(w.cur.words.buffer instanceof SharedArrayBuffer).toBe(shared);
      packCells(cells, w.cur);
      const cuts = [0, Math.floor(rows / 3), Math.ceil((2 * rows) / 3), rows];
      const bands = cuts.slice(1).map((end, i) => [cuts[i], end] as const);
      const sentinel = 0xa5a5a5a5;
      w.next.words.fill(sentinel);
      let sum = 0;
      for (const [r0, r1] of bands.reverse()) {
        sum += w.kernel.stepRows(w.cur, w.next, r0, r1);
        // Rows below the band (written later in this reverse order) are untouched so far.
        expect(w.next.words.subarray(0, r0 * w.next.stride).every((x) => x === sentinel)).toBe(true);
      }
      expect(sum).toBe(population);
      expect(w.next.words).toEqual(want.words);
      // The JavaScript row variant bands the same way.
      const js = createBitGrid(rows, cols);
      expect(bands.reduce((n, [r0, r1]) => n + bitLifeRows(whole, js, r0, r1), 0)).toBe(population);
      expect(js.words).toEqual(want.words);
    },
  );

  it('two kernels over one shared memory (as two workers would hold it: the memory and its layout) step one band each', () => {
    const [rows, cols] = [21, 150];
    const cells = randomCells(rows, cols, 99);
    const planes = allocateBitPlanes(rows, cols, 2, { shared: true });
    // What a band worker gets: the memory and the layout, posted; it rebuilds the grids and its own kernel.
    const bands = [0, 1].map(() => {
      const [cur, next] = viewBitPlanes(planes.memory, planes.layout) as [BitGrid, BitGrid];
      return { kernel: new WasmLifeKernel({ memory: planes.memory, shared: true }), cur, next };
    });
    packCells(cells, bands[0].cur);
    const whole = createBitGrid(rows, cols);
    packCells(cells, whole);
    for (let step = 0; step < 10; step++) {
      const want = createBitGrid(rows, cols);
      const population = bitLifeStep(whole, want);
      const parity = step % 2;
      const src = (b: (typeof bands)[number]) => (parity ? b.next : b.cur);
      const dst = (b: (typeof bands)[number]) => (parity ? b.cur : b.next);
      const sum =
        bands[0].kernel.stepRows(src(bands[0]), dst(bands[0]), 0, 8) + bands[1].kernel.stepRows(src(bands[1]), dst(bands[1]), 8, rows);
      expect(sum, `step ${step + 1}`).toBe(population);
      expect(dst(bands[1]).words, `step ${step + 1}`).toEqual(want.words);
      whole.words.set(want.words);
    }
  });

  it('refuses grids that are not planes of its memory, and an empty range steps nothing', () => {
    const w = WasmLifeKernel.withPlanes(4, 40);
    expect(() => w.kernel.step(createBitGrid(4, 40), w.next)).toThrow(/allocate them with allocateBitPlanes/);
    const other = WasmLifeKernel.withPlanes(4, 40);
    expect(() => w.kernel.step(w.cur, other.next)).toThrow(/live in its memory/);
    expect(w.kernel.stepRows(w.cur, w.next, 3, 3)).toBe(0);
  });

  it('the Game of Life model gives the same states and populations with either engine', () => {
    const rows = 23;
    const cols = 77;
    const cells = randomCells(rows, cols, 5);
    const models = (['wasm', 'js'] as const).map((engine) => new GameOfLifeRaster(new Environment(), rows, cols, cells, { engine }));
    expect(models.map((m) => m.engine)).toEqual(['wasm', 'js']);
    for (let t = 0; t < 30; t++) {
      for (const m of models) m.execute();
      expect(models[0].state).toEqual(models[1].state);
      expect(models[0].population).toBe(models[1].population);
    }
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
  it('the model refuses an initial state out of range with either engine: by `check` when given, else a RangeError', () => {
    const rows = 5;
    const cols = 37;
    for (const at of [0, 36, 5 * 37 - 1]) {
      const cells = new Uint8Array(rows * cols);
      cells[at] = 2;
      for (const engine of ['wasm', 'js'] as const) {
        const check = () => {
          throw new Error(`bad cell ${cells.indexOf(2)}`);
        };
        expect(() => new GameOfLifeRaster(new Environment(), rows, cols, cells, { engine, check })).toThrow(`bad cell ${at}`);
        if (engine === 'wasm')
          expect(() => new GameOfLifeRaster(new Environment(), rows, cols, cells, { engine })).toThrow(/other than 0 and 1/);
      }
    }
    const ok = new GameOfLifeRaster(new Environment(), rows, cols, new Uint8Array(rows * cols), {
      engine: 'wasm',
      check: () => {
        throw new Error('not called');
      },
    });
    expect(ok.state.every((v) => v === 0)).toBe(true);
  });
});
