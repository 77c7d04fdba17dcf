import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import type { HostIO } from '../../executor/context.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type JsonValue } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import type { VectorDataset } from '../../sim/dataset.ts';
import { PythonRandom } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { gridOrderToRaster, rasterToGridOrder, VectorGrid, vectorGrid } from '../../sim/vector.ts';
import type { SimOutput } from '../../sim/output.ts';
import { GameOfLifeExecutor } from './executor.ts';
import { GameOfLifeRaster, GameOfLifeVector } from './model.ts';
import { lifeRule } from './rule.ts';

interface GolCase {
  case: string;
  rows: number;
  cols: number;
  steps: number;
  initial_live: [number, number][];
  population_by_step: number[];
  checkpoints_after_step: Record<string, { live: [number, number][]; sha256_int8: string }>;
  vector_cross_check: { vector_backend_steps_compared: number; identical_to_raster_every_step: boolean };
}

const refDir = new URL('../../../tests/reference/', import.meta.url);
const gol = JSON.parse(readFileSync(new URL('gol.json', refDir), 'utf8')) as { cases: GolCase[] };

function initialGrid(c: GolCase): Uint8Array {
  const g = new Uint8Array(c.rows * c.cols);
  for (const [r, col] of c.initial_live) g[r * c.cols + col] = 1;
  return g;
}

function liveCells(state: Uint8Array, cols: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < state.length; i++) if (state[i]) out.push([Math.floor(i / cols), i % cols]);
  return out;
}

/** Runs the raster model t = 1..steps, calling back with the state after each step (0 = initial). */
async function runRaster(c: GolCase, steps: number, each: (k: number, state: Uint8Array, pop: number) => void) {
  const env = new Environment({ startTime: 1, endTime: steps });
  const model = new GameOfLifeRaster(env, c.rows, c.cols, initialGrid(c));
  each(0, model.state, model.population);
  let k = 0;
  await env.run(undefined, { afterTick: () => each(++k, model.state, model.population) });
  return model;
}

describe('Game of Life raster kernel vs gol.json (DisSModel 0.6.1)', () => {
  for (const c of gol.cases) {
    it(`${c.case}: population every step, live cells and sha256(int8) at checkpoints`, async () => {
      const pops: number[] = [];
      let checked = 0;
      await runRaster(c, c.steps, (k, state, pop) => {
        pops.push(pop);
        const cp = c.checkpoints_after_step[String(k)];
        if (cp) {
          expect(liveCells(state, c.cols), `live after step ${k}`).toEqual(cp.live);
          expect(sha256Hex(new Uint8Array(Int8Array.from(state).buffer)), `sha256 after step ${k}`).toBe(cp.sha256_int8);
          checked++;
        }
      });
      expect(pops).toEqual(c.population_by_step);
      expect(checked).toBe(Object.keys(c.checkpoints_after_step).length);
    });
  }
});

describe('the readable rule (focal count, whole-array) vs gol.json', () => {
  for (const c of gol.cases) {
    it(`${c.case}: population every step and live cells at checkpoints`, () => {
      let state = initialGrid(c);
      const pops = [liveCells(state, c.cols).length];
      for (let k = 1; k <= c.steps; k++) {
        state = lifeRule(state, c.rows, c.cols);
        pops.push(liveCells(state, c.cols).length);
        const cp = c.checkpoints_after_step[String(k)];
        if (cp) expect(liveCells(state, c.cols), `live after step ${k}`).toEqual(cp.live);
      }
      expect(pops).toEqual(c.population_by_step);
    });
  }
});

// ---------------------------------------------------------------------------
// Vector backend: vector_grid + Queen neighbourhood from the geometry.

const golVec = JSON.parse(readFileSync(new URL('gol_vector_initialize_seed42.json', refDir), 'utf8')) as {
  index_order: string[];
  initial_state_in_index_order: number[];
  after_step_state_in_index_order: Record<string, number[]>;
};

function toRaster(state: Uint8Array, rows: number, cols: number): Uint8Array {
  return gridOrderToRaster(state, rows, cols, new Uint8Array(rows * cols));
}

describe('Game of Life vector backend (Queen from geometry) vs the raster kernel', () => {
  for (const c of gol.cases) {
    it(`${c.case}: identical to the raster every step (${c.steps} steps)`, async () => {
      const grid = new VectorGrid(vectorGrid({ cols: c.cols, rows: c.rows, resolution: 1, attrs: { state: 0 } }));
      const initial = rasterToGridOrder(initialGrid(c), c.rows, c.cols, new Uint8Array(c.rows * c.cols));
      const env = new Environment({ startTime: 1, endTime: c.steps });
      const raster = new GameOfLifeRaster(env, c.rows, c.cols, initialGrid(c));
      const vector = new GameOfLifeVector(env, grid.neighborhood('queen'), initial);
      expect(toRaster(vector.state, c.rows, c.cols)).toEqual(raster.state);
      let k = 0;
      let mismatches = 0;
      await env.run(undefined, {
        afterTick: () => {
          k++;
          if (vector.population !== c.population_by_step[k]) mismatches++;
          const v = toRaster(vector.state, c.rows, c.cols);
          for (let i = 0; i < v.length; i++) if (v[i] !== raster.state[i]) mismatches++;
        },
      });
      expect(k).toBe(c.steps);
      expect(mismatches).toBe(0);
    });
  }

  it('gol_vector_initialize_seed42: PythonRandom(42).choices([1,0],[0.6,0.4],64) in vector_grid order, then 5 steps', async () => {
    const ds = vectorGrid({ cols: 8, rows: 8, resolution: 1, attrs: { state: 0 } });
    const grid = new VectorGrid(ds);
    expect(grid.ids).toEqual(golVec.index_order);
    const rng = new PythonRandom(42);
    const initial = Uint8Array.from(rng.choices([1, 0], [0.6, 0.4], grid.size));
    expect(Array.from(initial)).toEqual(golVec.initial_state_in_index_order);
    const steps = Object.keys(golVec.after_step_state_in_index_order).length;
    const env = new Environment({ startTime: 1, endTime: steps });
    const model = new GameOfLifeVector(env, grid.neighborhood('queen'), initial);
    const seen: Record<string, number[]> = {};
    let k = 0;
    await env.run(undefined, { afterTick: () => void (seen[String(++k)] = Array.from(model.state)) });
    expect(seen).toEqual(golVec.after_step_state_in_index_order);
  });
});

// ---------------------------------------------------------------------------
// The executor end to end: executeLifecycle + MemoryIO, GeoTIFF and GeoJSON.

const big = gol.cases[0]; // glider + R-pentomino, 64×64

function tiffOf(grid: Uint8Array, rows: number, cols: number): Uint8Array {
  return writeGeoTiff({
    kind: 'raster',
    width: cols,
    height: rows,
    transform: { originX: 500000, originY: 9700000, pixelWidth: 100, pixelHeight: 100 },
    epsg: 31984,
    bands: [{ name: 'state', dtype: 'uint8', data: grid, nodata: null }],
  });
}

function geojsonOf(grid: Uint8Array, rows: number, cols: number, column = 'state'): Uint8Array {
  const ds = vectorGrid({ cols, rows, resolution: 1 });
  const vg = new VectorGrid(ds);
  vg.setColumn(column, rasterToGridOrder(grid, rows, cols));
  return writeGeoJson(vg.toDataset());
}

async function rasterAfter(c: GolCase, steps: number): Promise<Uint8Array> {
  const model = await runRaster(c, steps, () => {});
  return model.state;
}

async function runGol(
  input: { uri: string; bytes: Uint8Array },
  parameters: Record<string, JsonValue>,
  extra: { column_map?: Record<string, string>; output_path?: string } = {},
) {
  const io = new MemoryIO();
  io.inputs.set(input.uri, input.bytes);
  const record = createRecord({
    model_name: 'game_of_life',
    source: { uri: input.uri },
    parameters,
    output_path: extra.output_path ?? 'out/gol.tif',
    ...(extra.column_map ? { column_map: extra.column_map } : {}),
  });
  const outcome = await executeLifecycle(new GameOfLifeExecutor(), record, { io });
  const bytes = record.output_path ? io.written.get(record.output_path) : undefined;
  return { record, outcome, bytes, io, result: outcome.result as SimOutput | undefined };
}

describe('game_of_life executor (lifecycle + MemoryIO)', () => {
  it('is registered, accepts raster and vector input, passes the contract checks', () => {
    expect(ExecutorRegistry.get('game_of_life')).toBe(GameOfLifeExecutor);
    expect(GameOfLifeExecutor.spec.inputs).toEqual(['raster', 'vector']);
    expect(runContractTests(GameOfLifeExecutor).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('GeoTIFF in: end_time=200 output band hashes like the reference int8 grid after step 200', async () => {
    const { record, bytes } = await runGol({ uri: 'in.tif', bytes: tiffOf(initialGrid(big), big.rows, big.cols) }, { end_time: 200 });
    expect(record.status).toBe('completed');
    const out = await readGeoTiff(bytes!);
    expect(out.bands[0].name).toBe('state');
    expect(sha256Hex(out.bands[0].data as Uint8Array)).toBe(big.checkpoints_after_step['200'].sha256_int8);
    expect(out.transform).toEqual({ originX: 500000, originY: 9700000, pixelWidth: 100, pixelHeight: 100 });
    expect(out.epsg).toBe(31984);
  });

  it('GeoTIFF in: end_time=300 equals the raster kernel; population series; identical bytes on two runs', async () => {
    const input = { uri: 'in.tif', bytes: tiffOf(initialGrid(big), big.rows, big.cols) };
    const a = await runGol(input, { end_time: 300 });
    const b = await runGol(input, { end_time: 300 });
    expect(a.record.status).toBe('completed');
    expect(a.record.source.checksum).toBe(sha256Hex(input.bytes));
    expect(getOutputSha256(a.record)).toBe(sha256Hex(a.bytes!));
    const out = await readGeoTiff(a.bytes!);
    const expected = await rasterAfter(big, 300);
    expect(Array.from(out.bands[0].data)).toEqual(Array.from(expected));
    expect(a.result!.series.steps.length).toBe(300);
    expect(a.result!.series.values.population.slice(0, 200)).toEqual(big.population_by_step.slice(1));
    expect(sha256Hex(b.bytes!)).toBe(sha256Hex(a.bytes!));
  });

  it('on a host with fresh reads (HostIO.freshReads): the same output bytes, the state unpacked into the bytes read', async () => {
    const grid = { kind: 'raster', width: big.cols, height: big.rows, transform: null, epsg: null } as const;
    const bytes = writeGeoTiff(
      { ...grid, bands: [{ name: 'state', dtype: 'uint8', data: initialGrid(big), nodata: null }] },
      { compression: 'none' },
    );
    const want = await runGol({ uri: 'in.tif', bytes }, { end_time: 60 });
    const read: Uint8Array[] = [];
    const io: HostIO = { freshReads: true, read: async () => (read.push(bytes.slice()), read[0]), write: async (path) => path };
    const record = createRecord({
      model_name: 'game_of_life',
      source: { uri: 'in.tif' },
      parameters: { end_time: 60 },
      output_path: 'out/gol.tif',
    });
    const outcome = await executeLifecycle(new GameOfLifeExecutor(), record, { io });
    expect(record.status).toBe('completed');
    expect(getOutputSha256(record)).toBe(getOutputSha256(want.record));
    const out = outcome.result as SimOutput;
    // the uncompressed band was a view of the bytes read: the output state is written there, not in a fresh array
    expect(out.kind === 'raster' && out.dataset.bands[0].data.buffer).toBe(read[0].buffer);
  });

  it('GeoJSON vector grid in: end_time=300 equals the raster kernel; GeoJSON out; identical bytes on two runs', async () => {
    const input = { uri: 'grid.geojson', bytes: geojsonOf(initialGrid(big), big.rows, big.cols) };
    const a = await runGol(input, { end_time: 300 }, { output_path: 'out/gol.geojson' });
    expect(a.outcome.error, String(a.outcome.error)).toBeUndefined();
    expect(a.record.status).toBe('completed');
    expect(a.record.output_path).toBe('out/gol.geojson');
    const out = (await readGeoJson(a.bytes!)) as VectorDataset;
    expect(out.features.length).toBe(big.rows * big.cols);
    const vg = new VectorGrid(out);
    expect(vg.ids[1]).toBe('1-0');
    const state = toRaster(Uint8Array.from(vg.column('state')), big.rows, big.cols);
    expect(Array.from(state)).toEqual(Array.from(await rasterAfter(big, 300)));
    expect(a.result!.kind).toBe('vector');
    expect(a.result!.series.values.population.slice(0, 200)).toEqual(big.population_by_step.slice(1));
    const b = await runGol(input, { end_time: 300 }, { output_path: 'out/gol.geojson' });
    expect(sha256Hex(b.bytes!)).toBe(sha256Hex(a.bytes!));
  });

  it('GeoJSON in: column_map renames a column to state (as DisSModel), the output has the canonical name; a .tif output path becomes .geojson', async () => {
    const c = gol.cases[1];
    const input = { uri: 'grid.geojson', bytes: geojsonOf(initialGrid(c), c.rows, c.cols, 'vivo') };
    const r = await runGol(input, { end_time: c.steps }, { column_map: { state: 'vivo' }, output_path: 'out/g.tif' });
    expect(r.outcome.error, String(r.outcome.error)).toBeUndefined();
    expect(r.record.output_path).toBe('out/g.geojson');
    expect(r.io.written.has('out/g.tif')).toBe(false);
    const out = new VectorGrid((await readGeoJson(r.bytes!)) as VectorDataset);
    expect(out.columnNames).toEqual(['state']);
    const last = c.checkpoints_after_step[String(c.steps)].live;
    expect(liveCells(toRaster(Uint8Array.from(out.column('state')), c.rows, c.cols), c.cols)).toEqual(last);
  });

  it('refuses a state other than 0/1, naming the cell (raster and vector)', async () => {
    const g = initialGrid(big);
    g[3 * big.cols + 5] = 2;
    const r = await runGol({ uri: 'bad.tif', bytes: tiffOf(g, big.rows, big.cols) }, {});
    expect(r.record.status).toBe('failed');
    expect(r.outcome.failedPhase).toBe('run');
    expect(r.record.logs.at(-1)).toMatch(/found 2 at row 3, column 5/);

    const v = await runGol({ uri: 'bad.geojson', bytes: geojsonOf(g, big.rows, big.cols) }, {});
    expect(v.record.status).toBe('failed');
    // raster (3, 5) is vector_grid cell "60-5" (row 0 at the bottom)
    expect(v.record.logs.at(-1)).toMatch(/found 2 in cell '60-5' \(feature 380\)/);

    const m = await runGol({ uri: 'nostate.geojson', bytes: geojsonOf(initialGrid(big), big.rows, big.cols, 'alive') }, {});
    expect(m.record.status).toBe('failed');
    expect(m.record.logs.at(-1)).toMatch(/no column 'state'\. Columns: alive\. Map one with column_map, e.g\. state=alive/);
  });
});
