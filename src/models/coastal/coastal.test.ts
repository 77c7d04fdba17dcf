import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plain } from '../test-grids.ts';
import { CoastalRaster, type CoastalMetrics, type CoastalOptions } from './raster-kernel.ts';
import { coastalRule, type CoastalGrid } from './rule.ts';

const REF = new URL('../../../tests/reference/', import.meta.url);
const brmangue = JSON.parse(readFileSync(new URL('brmangue_flood_mangrove.json', REF), 'utf8'));
const bench = JSON.parse(readFileSync(new URL('flood_benchmark_inline.json', REF), 'utf8'));

type Bands = Record<string, number[][]>;
interface RefCase {
  name: string;
  rows: number;
  cols: number;
  steps: number;
  options: CoastalOptions;
  initial: Bands;
  after: Record<string, Bands>;
  metrics?: Record<string, CoastalMetrics>;
}

/** Every raster reference case: BR-MANGUE (flood + mangrove) and the benchmark's inline flood (zero-padding quirk). */
const CASES: RefCase[] = [
  ...brmangue.cases.map((c: Record<string, never>): RefCase => ({
    name: `brmangue ${c.case}`,
    rows: c.rows,
    cols: c.cols,
    steps: c.steps,
    options: { rate: c.taxa_elevacao, padLower: false, mangrove: true, tide: c.altura_mare, accretion: c.acrecao_ativa },
    initial: c.initial,
    after: c.after_step,
    metrics: c.metrics_after_step,
  })),
  {
    name: 'flood_benchmark inline',
    rows: bench.rows,
    cols: bench.cols,
    steps: bench.steps,
    options: { rate: bench.taxa, padLower: true, mangrove: false, tide: 0, accretion: false },
    initial: { uso: bench.initial.uso, alt: bench.initial.alt },
    after: bench.raster_after_step,
  },
];

const f64 = (g: number[][]) => Float64Array.from(g.flat());

/** Both sides start from the file's values: int16 codes, alt as float32 (as DisSModel loads them). */
function start(c: RefCase, mask: ArrayLike<number> | null = null) {
  const alt = f64(c.initial.alt).map(Math.fround);
  const grid: CoastalGrid = {
    rows: c.rows,
    cols: c.cols,
    uso: f64(c.initial.uso),
    alt,
    solo: c.initial.solo ? f64(c.initial.solo) : null,
    mask,
    altFloat32: true,
  };
  const kernel = new CoastalRaster(
    {
      rows: c.rows,
      cols: c.cols,
      uso: Int16Array.from(grid.uso),
      alt: alt.slice(),
      solo: grid.solo ? Int16Array.from(grid.solo) : null,
      mask: mask ? Uint8Array.from(mask) : null,
      altFloat32: true,
    },
    c.options,
  );
  return { grid, kernel };
}

describe('the readable coastal rule (whole-array, shift2d) vs the reference vectors', () => {
  for (const c of CASES) {
    it(`${c.name}: uso, alt${c.initial.solo ? ', solo' : ''}${c.metrics ? ' and metrics' : ''} exact after every step`, () => {
      let { grid } = start(c);
      let compared = 0;
      for (let t = 1; t <= c.steps; t++) {
        const { next, metrics } = coastalRule(grid, t, c.options);
        grid = next;
        const want = c.after[String(t)];
        if (!want) continue;
        expect(plain(grid.uso), `uso after step ${t}`).toEqual(want.uso.flat());
        expect(plain(grid.alt), `alt after step ${t}`).toEqual(want.alt.flat());
        if (want.solo) expect(plain(grid.solo!), `solo after step ${t}`).toEqual(want.solo.flat());
        if (c.metrics) expect(metrics, `metrics after step ${t}`).toEqual(c.metrics[String(t)]);
        compared++;
      }
      expect(compared).toBe(Object.keys(c.after).length);
    });
  }
});

describe('the fused raster kernel equals the readable rule, step by step', () => {
  function expectSame(kernel: CoastalRaster, got: CoastalMetrics, grid: CoastalGrid, want: CoastalMetrics, at: string) {
    expect(plain(kernel.uso), `uso ${at}`).toEqual(plain(grid.uso));
    expect(plain(kernel.alt), `alt ${at}`).toEqual(plain(grid.alt));
    if (grid.solo) expect(plain(kernel.solo!), `solo ${at}`).toEqual(plain(grid.solo));
    expect({ ...got }, `metrics ${at}`).toEqual(want);
  }

  for (const c of CASES) {
    it(`on reference case ${c.name} (${c.steps} steps, then 10 more)`, () => {
      const started = start(c);
      const kernel = started.kernel;
      let grid = started.grid;
      for (let t = 1; t <= c.steps + 10; t++) {
        const r = coastalRule(grid, t, c.options);
        grid = r.next;
        expectSame(kernel, kernel.step(t), grid, r.metrics, `t=${t}`);
      }
    });

    it(`on reference case ${c.name} with a mask and accretion`, () => {
      const mask = Array.from({ length: c.rows * c.cols }, (_, i) => +(i % 7 !== 3 && i % 11 !== 5));
      const options = { ...c.options, accretion: c.options.mangrove };
      let { grid } = start({ ...c, options }, c.options.padLower ? null : mask);
      const kernel = start({ ...c, options }, c.options.padLower ? null : mask).kernel;
      for (let t = 1; t <= c.steps; t++) {
        const r = coastalRule(grid, t, options);
        grid = r.next;
        expectSame(kernel, kernel.step(t), grid, r.metrics, `t=${t}`);
      }
    });
  }

  // Random-ish grids with coarse elevations, so that `<=` ties are frequent, and odd shapes (one row, one column).
  function lcg(seed: number) {
    let x = seed >>> 0;
    return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
  }
  for (const [rows, cols] of [
    [1, 1],
    [1, 7],
    [6, 1],
    [9, 13],
    [17, 11],
  ]) {
    for (const variant of ['brmangue', 'brmangue+mask+accretion', 'benchmark'] as const) {
      it(`on a random ${rows}×${cols} grid, ${variant}, 15 steps`, () => {
        const rnd = lcg(rows * 1000 + cols * 7 + variant.length);
        const n = rows * cols;
        const pick = (xs: number[]) => xs[Math.floor(rnd() * xs.length)];
        const initial: Bands = {
          uso: [Array.from({ length: n }, () => pick([1, 2, 2, 2, 3, 3, 4, 5, 8, 2]))],
          alt: [Array.from({ length: n }, () => Math.floor(rnd() * 6) * 0.05 - 0.05)],
          solo: [Array.from({ length: n }, () => pick([0, 3, 4, 4, 4, 9, 1]))],
        };
        const mask = variant === 'brmangue+mask+accretion' ? Array.from({ length: n }, () => +(rnd() < 0.8)) : null;
        const options: CoastalOptions = {
          rate: 0.03,
          padLower: variant === 'benchmark',
          mangrove: variant !== 'benchmark',
          tide: 0.1,
          accretion: variant === 'brmangue+mask+accretion',
        };
        const c: RefCase = { name: variant, rows: 1, cols: n, steps: 15, options, initial, after: {} };
        // the bands were drawn as one row: lay them out rows × cols
        const started = start({ ...c, rows, cols }, mask);
        const kernel = started.kernel;
        let grid = started.grid;
        const first = { uso: plain(grid.uso), alt: plain(grid.alt) };
        for (let t = 1; t <= 15; t++) {
          const r = coastalRule(grid, t, options);
          grid = r.next;
          expectSame(kernel, kernel.step(t), grid, r.metrics, `t=${t}`);
        }
        if (n >= 50) {
          // the case exercises flooding / migration
          expect(plain(grid.uso)).not.toEqual(first.uso);
          expect(plain(grid.alt)).not.toEqual(first.alt);
        }
      });
    }
  }
});

describe('the fused raster kernel on an advancing coast', () => {
  // Sea along the right edge and an inlet along one row, land rising to the left with noise,
  // a mangrove strip next to the sea: the flood and the mangrove fronts move a column per
  // step, so each row's flag range grows step by step (and the inlet's row leads the others).
  function coast(rows: number, cols: number) {
    let x = 20261202;
    const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
    const n = rows * cols;
    const uso = new Float64Array(n);
    const alt = new Float64Array(n);
    const solo = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const inland = cols - 4 - c; // columns from the sea
        if (inland < 0 || (r === rows >> 1 && c > cols >> 1)) {
          uso[i] = 3;
          solo[i] = 0;
        } else {
          uso[i] = inland < 3 ? 1 : rnd() < 0.15 ? 5 : 2;
          solo[i] = inland < 3 ? 3 : 4;
          alt[i] = Math.fround(0.02 * inland + Math.floor(rnd() * 4) * 0.01);
        }
      }
    }
    return { uso, alt, solo };
  }

  for (const variant of ['brmangue', 'brmangue, mask and accretion', 'benchmark'] as const) {
    it(`${variant}: equal to the readable rule at every step while the fronts advance`, () => {
      const rows = 23;
      const cols = 31;
      const { uso, alt, solo } = coast(rows, cols);
      const mask = variant === 'brmangue, mask and accretion' ? Array.from({ length: rows * cols }, (_, i) => +(i % 13 !== 6)) : null;
      const options: CoastalOptions = {
        rate: 0.02,
        padLower: variant === 'benchmark',
        mangrove: variant !== 'benchmark',
        tide: 0.25,
        accretion: variant === 'brmangue, mask and accretion',
      };
      let grid: CoastalGrid = { rows, cols, uso, alt, solo: options.mangrove ? solo : null, mask, altFloat32: true };
      const kernel = new CoastalRaster(
        {
          rows,
          cols,
          uso: Int16Array.from(uso),
          alt: alt.slice(),
          solo: options.mangrove ? Int16Array.from(solo) : null,
          mask: mask ? Uint8Array.from(mask) : null,
          altFloat32: true,
        },
        options,
      );
      let metrics: CoastalMetrics | undefined;
      for (let t = 1; t <= 30; t++) {
        const r = coastalRule(grid, t, options);
        grid = r.next;
        metrics = kernel.step(t);
        expect(plain(kernel.uso), `uso t=${t}`).toEqual(plain(grid.uso));
        expect(plain(kernel.alt), `alt t=${t}`).toEqual(plain(grid.alt));
        if (grid.solo) expect(plain(kernel.solo!), `solo t=${t}`).toEqual(plain(grid.solo));
        expect({ ...metrics }, `metrics t=${t}`).toEqual(r.metrics);
      }
      // the fronts did advance well inland (so the ranges grew; accretion keeps mangrove soil above the sea)
      if (!options.accretion) expect(metrics!.flooded_cells).toBeGreaterThan(rows * 8);
      if (options.mangrove) expect(metrics!.mangrove_migrated + metrics!.soil_migrated).toBeGreaterThan(rows * 4);
    });
  }
});

describe('CoastalRaster ownership of the arrays', () => {
  const init = () => ({
    rows: 2,
    cols: 3,
    uso: Int16Array.of(3, 2, 2, 3, 5, 2),
    alt: Float64Array.of(0, 0.001, 0.5, 0, 0.002, 0.7),
    solo: Int16Array.of(0, 3, 4, 0, 4, 4),
    mask: null,
    altFloat32: false,
  });
  const options: CoastalOptions = { rate: 0.011, padLower: false, mangrove: true, tide: 0.1, accretion: false };

  it('copies the arrays by default: the caller’s stay as they were', () => {
    const given = init();
    const kernel = new CoastalRaster(given, options);
    kernel.step(1);
    expect([...given.uso]).toEqual([3, 2, 2, 3, 5, 2]);
    expect([...given.alt]).toEqual([0, 0.001, 0.5, 0, 0.002, 0.7]);
    expect([...kernel.uso]).toEqual([3, 10, 2, 3, 6, 2]);
  });

  it('with adopt, updates the given arrays themselves (no copy)', () => {
    const given = { ...init(), adopt: true };
    const kernel = new CoastalRaster(given, options);
    kernel.step(1);
    expect(kernel.uso).toBe(given.uso);
    expect(kernel.alt).toBe(given.alt);
    expect(kernel.solo).toBe(given.solo);
    expect([...given.uso]).toEqual([3, 10, 2, 3, 6, 2]);
    expect(given.alt[0]).toBeGreaterThan(0);
  });
});
