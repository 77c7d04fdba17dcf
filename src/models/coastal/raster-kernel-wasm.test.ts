/**
 * The coastal raster kernel's two engines (raster-kernel-wasm.ts and the JavaScript passes of
 * raster-kernel.ts) on the same inputs: every array byte for byte (so -0 and NaN bits count) and every
 * metric after every step. Random grids mix every land-use and soil code (negative ones too), alt
 * around the sea level with zeros, -0 and float32 values, nodata holes in a mask, and shapes that are
 * all border (one row, one column, one cell), under every option the models use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CoastalRaster, allocateCoastalState, type CoastalOptions } from './raster-kernel.ts';

function rng(seed: number) {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const USES = [3, 3, 3, 1, 2, 2, 4, 5, 5, 6, 7, 8, 9, 10, 0, -2, 11];
const SOILS = [0, 1, 2, 3, 3, 4, 9, -1];

function grid(rows: number, cols: number, seed: number, masked: boolean) {
  const rnd = rng(seed);
  const n = rows * cols;
  const uso = new Int16Array(n);
  const alt = new Float64Array(n);
  const solo = new Int16Array(n);
  const mask = masked ? new Uint8Array(n) : null;
  for (let i = 0; i < n; i++) {
    uso[i] = USES[Math.floor(rnd() * USES.length)]!;
    const pick = rnd();
    alt[i] = pick < 0.05 ? 0 : pick < 0.08 ? -0 : Math.fround(rnd() * 0.6 - 0.1);
    solo[i] = SOILS[Math.floor(rnd() * SOILS.length)]!;
    if (mask) mask[i] = +(rnd() > 0.12);
  }
  return { rows, cols, uso, alt, solo, mask };
}

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** The first cell whose bytes differ (-1: none), compared by bytes so that -0 and NaN bits count (toEqual on typed arrays is slow). */
function firstDiff(a: ArrayBufferView & { length: number }, b: ArrayBufferView & { length: number }): number {
  const x = bytes(a);
  const y = bytes(b);
  if (x.length !== y.length) return 0;
  const size = x.length / a.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / size);
  return -1;
}

function both(g: ReturnType<typeof grid>, options: CoastalOptions) {
  const init = (engine: 'js' | 'wasm') =>
    new CoastalRaster(
      {
        rows: g.rows,
        cols: g.cols,
        uso: g.uso,
        alt: g.alt,
        solo: options.mangrove ? g.solo : null,
        mask: g.mask,
        altFloat32: true,
        engine,
      },
      options,
    );
  return { js: init('js'), wasm: init('wasm') };
}

function expectEqualSteps(js: CoastalRaster, wasm: CoastalRaster, steps: number, at: string) {
  for (let t = 1; t <= steps; t++) {
    const mj = { ...js.step(t) };
    const mw = { ...wasm.step(t) };
    expect(mw, `${at} metrics t=${t}`).toEqual(mj);
    expect(firstDiff(wasm.uso, js.uso), `${at} uso t=${t}: first different cell`).toBe(-1);
    expect(firstDiff(wasm.alt, js.alt), `${at} alt t=${t}: first different cell`).toBe(-1);
    if (js.solo) expect(firstDiff(wasm.solo!, js.solo), `${at} solo t=${t}: first different cell`).toBe(-1);
  }
}

const SHAPES: Array<[number, number]> = [
  [1, 1],
  [1, 9],
  [9, 1],
  [2, 2],
  [3, 5],
  [13, 29],
  [40, 64],
];

describe('the WebAssembly coastal kernel equals the JavaScript one', () => {
  for (const padLower of [false, true])
    for (const mangrove of [false, true])
      for (const accretion of [false, true])
        for (const masked of [false, true]) {
          const name = `${padLower ? 'benchmark padding' : 'no padding'}, ${mangrove ? 'mangrove' : 'flood only'}${accretion ? ', accretion' : ''}${masked ? ', mask' : ''}`;
          it(`${name}: every array byte and metric after every step, on every shape`, () => {
            for (const [rows, cols] of SHAPES) {
              const g = grid(rows, cols, rows * 1000 + cols + (masked ? 7 : 0), masked);
              const options: CoastalOptions = { rate: 0.031, padLower, mangrove, tide: 0.12, accretion };
              const { js, wasm } = both(g, options);
              expectEqualSteps(js, wasm, 12, `${rows}×${cols}`);
            }
          });
        }

  it('a coast whose flooded front crosses the grid (the row ranges grow and move) stays equal', () => {
    const rows = 37;
    const cols = 53;
    const n = rows * cols;
    const uso = new Int16Array(n).fill(2);
    const alt = new Float64Array(n);
    const solo = new Int16Array(n).fill(4);
    const rnd = rng(99);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const d = c + Math.floor(rnd() * 3) - (r % 5);
        if (d < 3) uso[i] = 3;
        else if (d < 9) uso[i] = rnd() < 0.5 ? 1 : 5;
        if (d < 12) solo[i] = 3;
        alt[i] = Math.fround(0.01 * d + Math.floor(rnd() * 4) * 0.01);
      }
    for (const mask of [null, Uint8Array.from({ length: n }, (_, i) => +(i % 17 !== 3))]) {
      const options: CoastalOptions = { rate: 0.02, padLower: false, mangrove: true, tide: 0.2, accretion: false };
      const { js, wasm } = both({ rows, cols, uso, alt, solo, mask }, options);
      expectEqualSteps(js, wasm, 40, mask ? 'masked front' : 'front');
      expect(js.metrics.flooded_cells).toBeGreaterThan(rows * 10); // the front did move
    }
  });
});

describe('the WebAssembly engine and the arrays it is given', () => {
  const init = (adopt: boolean) => ({
    rows: 2,
    cols: 3,
    uso: Int16Array.of(3, 2, 2, 3, 5, 2),
    alt: Float64Array.of(0, 0.001, 0.5, 0, 0.002, 0.7),
    solo: Int16Array.of(0, 3, 4, 0, 4, 4),
    mask: null,
    altFloat32: false,
    adopt,
    engine: 'wasm' as const,
  });
  const options: CoastalOptions = { rate: 0.011, padLower: false, mangrove: true, tide: 0.1, accretion: false };

  it('with adopt, the given arrays hold every step’s state when read', () => {
    const given = init(true);
    const kernel = new CoastalRaster(given, options);
    kernel.step(1);
    expect(kernel.uso).toBe(given.uso);
    expect([...given.uso]).toEqual([3, 10, 2, 3, 6, 2]);
    kernel.step(2);
    expect(kernel.alt).toBe(given.alt);
    expect(kernel.solo).toBe(given.solo);
    const js = new CoastalRaster({ ...init(false), engine: 'js' }, options);
    js.step(1);
    js.step(2);
    expect([...given.uso]).toEqual([...js.uso]);
    expect([...given.alt]).toEqual([...js.alt]);
    expect([...given.solo]).toEqual([...js.solo!]);
  });

  it('arrays from allocateCoastalState are stepped where they are (adopt), and a second kernel on them copies them', () => {
    const g = grid(9, 11, 3, true);
    const state = allocateCoastalState(9, 11, { solo: true, mask: true });
    state.uso.set(g.uso);
    state.alt.set(g.alt);
    state.solo!.set(g.solo);
    state.mask!.set(g.mask!);
    const options: CoastalOptions = { rate: 0.031, padLower: false, mangrove: true, tide: 0.12, accretion: false };
    const kernel = new CoastalRaster({ rows: 9, cols: 11, ...state, altFloat32: true, adopt: true, engine: 'wasm' }, options);
    const other = new CoastalRaster({ rows: 9, cols: 11, ...state, altFloat32: true, adopt: true, engine: 'wasm' }, options);
    const { js } = both(g, options);
    expectEqualSteps(js, kernel, 6, 'in place');
    expect(kernel.uso).toBe(state.uso);
    expect(kernel.alt).toBe(state.alt);
    expect(kernel.solo).toBe(state.solo);
    // the second kernel took a copy of the state before the first stepped it
    expectEqualSteps(both(g, options).js, other, 6, 'copied');
  });

  it('without adopt, the given arrays stay as they were', () => {
    const given = init(false);
    const kernel = new CoastalRaster(given, options);
    kernel.step(1);
    expect([...given.uso]).toEqual([3, 2, 2, 3, 5, 2]);
    expect([...kernel.uso]).toEqual([3, 10, 2, 3, 6, 2]);
  });
});

describe('without WebAssembly', () => {
  const saved = globalThis.WebAssembly;
  afterEach(() => {
    globalThis.WebAssembly = saved;
  });

  it("the default engine is the JavaScript one (same values); 'wasm' is refused", () => {
    const g = grid(9, 11, 5, true);
    const options: CoastalOptions = { rate: 0.031, padLower: false, mangrove: true, tide: 0.12, accretion: false };
    const { wasm } = both(g, options);
    (globalThis as { WebAssembly?: unknown }).WebAssembly = undefined;
    const fallback = new CoastalRaster({ ...g, altFloat32: true }, options);
    expect(() => new CoastalRaster({ ...g, altFloat32: true, engine: 'wasm' }, options)).toThrow(/WebAssembly/);
    expectEqualSteps(fallback, wasm, 10, 'fallback');
  });
});
