import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type JsonValue } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import type { VectorDataset } from '../../sim/dataset.ts';
import { PythonRandom, SeededRandom } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { VectorGrid, vectorGrid } from '../../sim/vector.ts';
import type { SimOutput } from '../../sim/output.ts';
import { ForestFireProbExecutor } from './executor.ts';
import { BURNED, BURNING, countStates, fireRandom, fireStepCsr, fireStepGrid, FOREST } from './kernel.ts';
import { ForestFireProb } from './model.ts';

const ref = JSON.parse(readFileSync(new URL('../../../tests/reference/fire_prob_seeded.json', import.meta.url), 'utf8')) as {
  params: { prob_combustion: number; prob_regrowth: number; seed: number; steps: number };
  index_order: string[];
  initial_state_in_index_order: number[];
  after_step_state_in_index_order: Record<string, number[]>;
};
const P = ref.params;

function grid10(attrs?: Record<string, number>): VectorDataset {
  return vectorGrid({ cols: 10, rows: 10, resolution: 1, ...(attrs ? { attrs } : {}) });
}

function countsOf(states: number[]) {
  return countStates(Uint8Array.from(states));
}

async function runFire(
  input: { uri: string; bytes: Uint8Array },
  parameters: Record<string, JsonValue>,
  extra: { column_map?: Record<string, string>; output_path?: string } = {},
) {
  const io = new MemoryIO();
  io.inputs.set(input.uri, input.bytes);
  const record = createRecord({
    model_name: 'forest_fire_prob',
    source: { uri: input.uri },
    parameters,
    output_path: extra.output_path ?? 'out/fire.geojson',
    ...(extra.column_map ? { column_map: extra.column_map } : {}),
  });
  const outcome = await executeLifecycle(new ForestFireProbExecutor(), record, { io });
  const bytes = record.output_path ? io.written.get(record.output_path) : undefined;
  return { record, outcome, bytes, io, result: outcome.result as SimOutput | undefined };
}

describe('forest_fire_prob kernel vs fire_prob_seeded.json (DisSModel FireModelProb, Python random)', () => {
  it('fill from random.seed(2024) then 10 steps continuing the same stream, every step identical', async () => {
    const grid = new VectorGrid(grid10({ state: 0 }));
    expect(grid.ids).toEqual(ref.index_order);
    const py = new PythonRandom(P.seed);
    const initial = Uint8Array.from(py.choices([FOREST, BURNING], [0.9, 0.1], grid.size));
    expect(Array.from(initial)).toEqual(ref.initial_state_in_index_order);
    const env = new Environment({ startTime: 1, endTime: P.steps });
    const model = new ForestFireProb(
      env,
      { kind: 'csr', csr: grid.neighborhood('queen') },
      initial,
      { probCombustion: P.prob_combustion, probRegrowth: P.prob_regrowth },
      () => py.random(),
    );
    const seen: Record<string, number[]> = {};
    let k = 0;
    await env.run(undefined, { afterTick: () => void (seen[String(++k)] = Array.from(model.state)) });
    expect(seen).toEqual(ref.after_step_state_in_index_order);
  });

  it('draws only for forest cells without a burning neighbour and for burned cells', () => {
    // 1 × 4 strip as CSR: 0-1-2-3 in a line
    const csr = { offsets: [0, 1, 3, 5, 6], neighbors: [1, 0, 2, 1, 3, 2] };
    let draws = 0;
    const next = new Uint8Array(4);
    // forest next to burning (no draw), burning (no draw), burned (draw), forest alone (draw)
    fireStepCsr(
      Uint8Array.from([FOREST, BURNING, BURNED, FOREST]),
      next,
      csr,
      { probCombustion: 0, probRegrowth: 1 },
      () => (draws++, 0.5),
    );
    expect(draws).toBe(2);
    expect(Array.from(next)).toEqual([BURNING, BURNED, FOREST, FOREST]);
  });

  it('raster path: Moore neighbourhood, fixed edges, matches the CSR kernel on a Moore neighbour list', () => {
    const rows = 7;
    const cols = 9;
    const offsets = [0];
    const neighbors: number[] = [];
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if ((dr || dc) && rr >= 0 && cc >= 0 && rr < rows && cc < cols) neighbors.push(rr * cols + cc);
          }
        offsets.push(neighbors.length);
      }
    const init = new SeededRandom(7);
    let a = Uint8Array.from({ length: rows * cols }, () => init.int(0, 2));
    let b = a.slice();
    const ra = new SeededRandom(99);
    const rb = new SeededRandom(99);
    for (let s = 0; s < 8; s++) {
      const na = new Uint8Array(a.length);
      const nb = new Uint8Array(b.length);
      fireStepGrid(a, na, rows, cols, { probCombustion: 0.05, probRegrowth: 0.3 }, () => ra.next());
      fireStepCsr(b, nb, { offsets, neighbors }, { probCombustion: 0.05, probRegrowth: 0.3 }, () => rb.next());
      expect(Array.from(na)).toEqual(Array.from(nb));
      a = na;
      b = nb;
    }
  });
});

describe('forest_fire_prob executor (lifecycle + MemoryIO)', () => {
  const refParams = { prob_combustion: P.prob_combustion, prob_regrowth: P.prob_regrowth, seed: P.seed, start_time: 1, end_time: P.steps };

  it('is registered, stochastic, vector and raster input, passes the contract checks', () => {
    expect(ExecutorRegistry.get('forest_fire_prob')).toBe(ForestFireProbExecutor);
    expect(ForestFireProbExecutor.spec.stochastic).toBe(true);
    expect(ForestFireProbExecutor.spec.params.seed.type).toBe('seed');
    expect(runContractTests(ForestFireProbExecutor).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('defaults: prob_combustion 0.001, prob_regrowth 0.1, start 1, end 10, rng python, density 0; a drawn seed is recorded', async () => {
    const io = new MemoryIO();
    io.inputs.set('g.geojson', writeGeoJson(grid10({ state: 0 })));
    const record = createRecord({ model_name: 'forest_fire_prob', source: { uri: 'g.geojson' } });
    await executeLifecycle(new ForestFireProbExecutor(), record, { io, drawSeed: () => 123 });
    expect(record.status).toBe('completed');
    expect(record.parameters).toMatchObject({
      prob_combustion: 0.001,
      prob_regrowth: 0.1,
      initial_fire_density: 0,
      rng: 'python',
      seed: 123,
      start_time: 1,
      end_time: 10,
    });
  });

  it('vector grid + initial_fire_density=0.1, seed 2024, rng python: output state and per-step counts match the reference', async () => {
    // no state column in the input: the fill creates it
    const input = { uri: 'grid.geojson', bytes: writeGeoJson(grid10()) };
    const a = await runFire(input, { ...refParams, initial_fire_density: 0.1 });
    expect(a.outcome.error, String(a.outcome.error)).toBeUndefined();
    expect(a.record.status).toBe('completed');
    expect(getOutputSha256(a.record)).toBe(sha256Hex(a.bytes!));
    const out = new VectorGrid((await readGeoJson(a.bytes!)) as VectorDataset);
    expect(out.ids).toEqual(ref.index_order);
    expect(Array.from(out.column('state'))).toEqual(ref.after_step_state_in_index_order[String(P.steps)]);
    const series = a.result!.series;
    expect(series.steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let k = 1; k <= P.steps; k++) {
      const c = countsOf(ref.after_step_state_in_index_order[String(k)]);
      expect([series.values.forest[k - 1], series.values.burning[k - 1], series.values.burned[k - 1]]).toEqual([
        c.forest,
        c.burning,
        c.burned,
      ]);
    }
    const b = await runFire(input, { ...refParams, initial_fire_density: 0.1 });
    expect(sha256Hex(b.bytes!)).toBe(sha256Hex(a.bytes!));
  });

  it("density 0 keeps the input's state (column_map supported); the stream starts at random.seed(seed)", async () => {
    // the reference's initial state, under another column name; the rule's draws then start right after seeding,
    // so the result equals running the kernel with a fresh PythonRandom(seed)
    const ds = new VectorGrid(grid10());
    ds.setColumn('fogo', ref.initial_state_in_index_order);
    const r = await runFire({ uri: 'g.geojson', bytes: writeGeoJson(ds.toDataset()) }, { ...refParams }, { column_map: { state: 'fogo' } });
    expect(r.outcome.error, String(r.outcome.error)).toBeUndefined();
    const grid = new VectorGrid(grid10());
    const py = new PythonRandom(P.seed);
    let s = Uint8Array.from(ref.initial_state_in_index_order);
    for (let k = 0; k < P.steps; k++) {
      const n = new Uint8Array(s.length);
      fireStepCsr(s, n, grid.neighborhood('queen'), { probCombustion: P.prob_combustion, probRegrowth: P.prob_regrowth }, () =>
        py.random(),
      );
      s = n;
    }
    const out = new VectorGrid((await readGeoJson(r.bytes!)) as VectorDataset);
    expect(Array.from(out.column('state'))).toEqual(Array.from(s));
    expect(out.hasColumn('fogo')).toBe(false);
  });

  it('rng fast: SeededRandom stream, reproducible, different from python', async () => {
    const input = { uri: 'grid.geojson', bytes: writeGeoJson(grid10({ state: 0 })) };
    const a = await runFire(input, { ...refParams, initial_fire_density: 0.1, rng: 'fast' });
    const b = await runFire(input, { ...refParams, initial_fire_density: 0.1, rng: 'fast' });
    expect(a.record.status).toBe('completed');
    expect(sha256Hex(b.bytes!)).toBe(sha256Hex(a.bytes!));
    const out = new VectorGrid((await readGeoJson(a.bytes!)) as VectorDataset);
    // replay with the documented recipe
    const rnd = fireRandom('fast', P.seed);
    let s = rnd.fill(100, 0.1);
    const grid = new VectorGrid(grid10());
    for (let k = 0; k < P.steps; k++) {
      const n = new Uint8Array(s.length);
      fireStepCsr(s, n, grid.neighborhood('queen'), { probCombustion: P.prob_combustion, probRegrowth: P.prob_regrowth }, rnd.random);
      s = n;
    }
    expect(Array.from(out.column('state'))).toEqual(Array.from(s));
    expect(Array.from(out.column('state'))).not.toEqual(ref.after_step_state_in_index_order['10']);
  });

  it('raster input: row-major Moore grid, GeoTIFF out (a .geojson output path becomes .tif), reproducible', async () => {
    const rows = 12;
    const cols = 15;
    const state = new Uint8Array(rows * cols);
    state[5 * cols + 7] = BURNING;
    state[0] = BURNED;
    const tif = writeGeoTiff({
      kind: 'raster',
      width: cols,
      height: rows,
      epsg: null,
      transform: { originX: 0, originY: rows, pixelWidth: 1, pixelHeight: 1 },
      bands: [{ name: 'state', dtype: 'uint8', data: state, nodata: null }],
    });
    for (const rng of ['python', 'fast'] as const) {
      const r = await runFire({ uri: 'f.tif', bytes: tif }, { seed: 5, rng, end_time: 6, prob_combustion: 0.01, prob_regrowth: 0.2 });
      expect(r.outcome.error, String(r.outcome.error)).toBeUndefined();
      expect(r.record.output_path).toBe('out/fire.tif');
      const out = await readGeoTiff(r.bytes!);
      const rnd = fireRandom(rng, 5);
      let s = state.slice();
      for (let k = 0; k < 6; k++) {
        const n = new Uint8Array(s.length);
        fireStepGrid(s, n, rows, cols, { probCombustion: 0.01, probRegrowth: 0.2 }, rnd.random);
        s = n;
      }
      expect(Array.from(out.bands[0].data)).toEqual(Array.from(s));
      expect(r.result!.series.values.burning.length).toBe(6);
    }
  });

  it('raster input: the state keeps the input band’s type and nodata; a random fill (no band read) writes uint8 without nodata; nodata cells are refused', async () => {
    const input = (data: Int16Array, nodata: number | null) =>
      writeGeoTiff({
        kind: 'raster',
        width: 4,
        height: 3,
        epsg: 31983,
        transform: { originX: 0, originY: 3, pixelWidth: 1, pixelHeight: 1 },
        bands: [{ name: 'state', dtype: 'int16', data, nodata }],
      });
    const state = new Int16Array(12);
    state[5] = BURNING;
    const kept = await runFire({ uri: 'f.tif', bytes: input(state, 9) }, { seed: 1, end_time: 2 });
    expect(kept.outcome.error, String(kept.outcome.error)).toBeUndefined();
    const out = await readGeoTiff(kept.bytes!);
    expect(out.bands.map((b) => [b.dtype, b.nodata])).toEqual([['int16', 9]]);
    expect(out.epsg).toBe(31983);
    const filled = await runFire({ uri: 'f.tif', bytes: input(state, 9) }, { seed: 1, end_time: 2, initial_fire_density: 0.5 });
    expect((await readGeoTiff(filled.bytes!)).bands.map((b) => [b.dtype, b.nodata])).toEqual([['uint8', null]]);
    const hole = state.slice();
    hole[6] = 9;
    const refused = await runFire({ uri: 'f.tif', bytes: input(hole, 9) }, { seed: 1, end_time: 2 });
    expect(String(refused.outcome.error)).toMatch(/Band 'state' is nodata \(9\) at row 1, column 2: The forest fire has no rule/);
  });

  it('refuses a state outside 0/1/2 naming the cell, and bad parameters naming the range', async () => {
    const ds = new VectorGrid(grid10());
    const s = new Float64Array(100);
    s[13] = 3;
    ds.setColumn('state', s);
    const r = await runFire({ uri: 'g.geojson', bytes: writeGeoJson(ds.toDataset()) }, { seed: 1 });
    expect(r.record.status).toBe('failed');
    expect(r.record.logs.at(-1)).toMatch(/found 3 in cell '3-1' \(feature 13\)/);
    const p = await runFire({ uri: 'g.geojson', bytes: writeGeoJson(ds.toDataset()) }, { seed: 1, prob_regrowth: 2 });
    expect(p.outcome.failedPhase).toBe('validate');
    expect(p.record.logs.at(-1)).toMatch(/prob_regrowth.*out of range \[0, 1\]/);
    const q = await runFire({ uri: 'g.geojson', bytes: writeGeoJson(ds.toDataset()) }, { seed: 1, rng: 'numpy' });
    expect(q.record.logs.at(-1)).toMatch(/rng.*python, fast/);
  });
});
