import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, ParameterError } from '../../executor/errors.ts';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import type { HostIO } from '../../executor/context.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import { MOORE, VON_NEUMANN } from '../../sim/raster.ts';
import { Environment } from '../../sim/scheduler.ts';
import { gridOrderToRaster, rasterToGridOrder, vectorGrid, VectorGrid } from '../../sim/vector.ts';
import { featureToRaster, plain, rasterFromGrids, rasterIndexFromGeometry, toGrid } from '../test-grids.ts';
import '../index.ts';
import { ForestFireExecutor } from './executor.ts';
import { createBitGrid, packCells } from '../../sim/bitgrid.ts';
import { bitFireRows, type FirePlanes } from './bit-kernel.ts';
import { FireGraph, FireRaster } from './model.ts';
import { fireRule, fireRuleGraph } from './rule.ts';

const coastGeoJson = new Uint8Array(readFileSync(new URL('../../../tests/reference/inputs/coast_10x14.geojson', import.meta.url)));

/** A deterministic pseudo-random grid of states (xorshift), mostly forest. */
function randomStates(n: number, seed: number, pBurning = 0.05, pBurned = 0.1): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const u = x / 4294967296;
    out[i] = u < pBurning ? 1 : u < pBurning + pBurned ? 2 : 0;
  }
  return out;
}

const centreFire = (n: number): number[][] =>
  Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === (n - 1) / 2 && c === (n - 1) / 2 ? 1 : 0)));

async function runModel(initial: Uint8Array, rows: number, cols: number, nbh: 'moore' | 'von_neumann', steps: number): Promise<Uint8Array> {
  const env = new Environment({ startTime: 1, endTime: steps });
  const m = new FireRaster(env, rows, cols, initial, nbh);
  await env.run();
  return m.state;
}

async function runExecutor(uri: string, bytes: Uint8Array, parameters: Record<string, unknown>, init: Partial<ExperimentRecord> = {}) {
  const io = new MemoryIO();
  io.inputs.set(uri, bytes);
  const record = createRecord({
    model_name: 'forest_fire',
    source: { type: 'local', uri },
    parameters: parameters as ExperimentRecord['parameters'],
    ...init,
  });
  const outcome = await executeLifecycle(new ForestFireExecutor(), record, { io });
  const written = record.output_path ? io.written.get(record.output_path) : undefined;
  return { outcome, record, written };
}

describe('forest fire kernels', () => {
  it('7×7 forest with a centre fire, 2 steps, Moore: the §9.2 result of DisSModel’s raster FireModel', async () => {
    const env = new Environment({ startTime: 1, endTime: 2 });
    const m = new FireRaster(env, 7, 7, Uint8Array.from(centreFire(7).flat()), 'moore');
    await env.run();
    expect(toGrid(m.state, 7).map((r) => r.join(''))).toEqual([
      '0000000',
      '0111110',
      '0122210',
      '0122210',
      '0122210',
      '0111110',
      '0000000',
    ]);
    expect([m.burning, m.burned]).toEqual([16, 9]);
  });

  it('the readable rule gives the same §9.2 square (Moore) and diamond (von Neumann)', () => {
    const twice = (dirs: typeof MOORE) => {
      const once = fireRule(Uint8Array.from(centreFire(7).flat()), 7, 7, dirs);
      return toGrid(fireRule(once, 7, 7, dirs), 7).map((r) => r.join(''));
    };
    expect(twice(MOORE)).toEqual(['0000000', '0111110', '0122210', '0122210', '0122210', '0111110', '0000000']);
    expect(twice(VON_NEUMANN)).toEqual(['0000000', '0001000', '0012100', '0122210', '0012100', '0001000', '0000000']);
  });

  it('7×7 centre fire, 2 steps, von Neumann: a diamond', async () => {
    const env = new Environment({ startTime: 1, endTime: 2 });
    const m = new FireRaster(env, 7, 7, Uint8Array.from(centreFire(7).flat()), 'von_neumann');
    await env.run();
    expect(toGrid(m.state, 7).map((r) => r.join(''))).toEqual([
      '0000000',
      '0001000',
      '0012100',
      '0122210',
      '0012100',
      '0001000',
      '0000000',
    ]);
    expect([m.burning, m.burned]).toEqual([8, 5]);
  });

  it('the bit-parallel kernel equals the readable rule (focal counts, fixed edges) on random grids, both neighbourhoods (bit-parallel kernel, several words per row)', () => {
    for (const [rows, cols] of [
      [1, 1],
      [1, 9],
      [9, 1],
      [2, 3],
      [1, 8],
      [3, 4],
      [5, 12],
      [24, 24],
      [37, 53],
      [16, 40],
      [9, 65],
    ]) {
      for (const [nbh, dirs] of [
        ['moore', MOORE],
        ['von_neumann', VON_NEUMANN],
      ] as const) {
        let s = randomStates(rows * cols, rows * 131 + cols);
        const model = new FireRaster(new Environment({ startTime: 1, endTime: 8 }), rows, cols, s, nbh);
        for (let t = 0; t < 8; t++) {
          const want = fireRule(s, rows, cols, dirs);
          model.execute();
          expect(plain(model.state), `${rows}×${cols} ${nbh} step ${t}`).toEqual(plain(want));
          expect(model.burning).toBe(want.filter((v) => v === 1).length);
          expect(model.burned).toBe(want.filter((v) => v === 2).length);
          s = model.state.slice();
        }
      }
    }
  });

  it('the row-range step: bands covering the grid in any order give the whole-grid planes and burning count, both neighbourhoods', () => {
    const [rows, cols] = [29, 45];
    const planes = (): FirePlanes => ({ burning: createBitGrid(rows, cols), burned: createBitGrid(rows, cols) });
    const s = randomStates(rows * cols, 99, 0.05, 0.2);
    const cur = planes();
    packCells(s, cur.burning, 1);
    packCells(s, cur.burned, 2);
    for (const moore of [true, false]) {
      const whole = planes();
      const burning = bitFireRows(cur, whole, moore, 0, rows);
      expect(burning).toBeGreaterThan(0);
      const banded = planes();
      let sum = 0;
      for (const [r0, r1] of [
        [20, 29],
        [0, 1],
        [1, 20],
      ])
        sum += bitFireRows(cur, banded, moore, r0, r1);
      expect(banded.burning.words).toEqual(whole.burning.words);
      expect(banded.burned.words).toEqual(whole.burned.words);
      expect(sum).toBe(burning);
    }
  });

  it('on a vector_grid, Rook = von Neumann and Queen = Moore, cell for cell (24×24, 10 steps)', async () => {
    const rows = 24;
    const cols = 24;
    const raster = randomStates(rows * cols, 2024, 0.02, 0);
    const cells = new VectorGrid(vectorGrid({ cols, rows, resolution: 1 }));
    for (const [nbh, kind] of [
      ['von_neumann', 'rook'],
      ['moore', 'queen'],
    ] as const) {
      const nb = cells.neighborhood(kind);
      const env = new Environment({ startTime: 1, endTime: 10 });
      const g = new FireGraph(env, rasterToGridOrder(raster, rows, cols, new Uint8Array(rows * cols)), nb.offsets, nb.neighbors);
      await env.run();
      expect(plain(gridOrderToRaster(g.state, rows, cols)), nbh).toEqual(plain(await runModel(raster, rows, cols, nbh, 10)));
    }
    // and the two neighbourhoods really differ (DisSModel's raster/vector mismatch)
    expect(plain(await runModel(raster, rows, cols, 'moore', 1))).not.toEqual(plain(await runModel(raster, rows, cols, 'von_neumann', 1)));
  });

  it('graph step: burning → burned, forest next to fire → burning, others unchanged', () => {
    // path 0 - 1 - 2 - 3, cell 1 burning
    const offsets = Int32Array.from([0, 1, 3, 5, 6]);
    const neighbors = Int32Array.from([1, 0, 2, 1, 3, 2]);
    const next = new Uint8Array(4);
    const counts = new Int32Array(2);
    fireRuleGraph(Uint8Array.from([0, 1, 0, 2]), next, offsets, neighbors, counts);
    expect(plain(next)).toEqual([1, 2, 1, 2]);
    expect(plain(counts)).toEqual([2, 2]);
  });
});

describe('forest_fire executor end to end', () => {
  it('is registered and passes the contract checks', () => {
    expect(ExecutorRegistry.get('forest_fire')).toBe(ForestFireExecutor);
    expect(runContractTests(ForestFireExecutor).checks.filter((k) => !k.ok)).toEqual([]);
  });

  it('GeoTIFF in → uint8 GeoTIFF out (Moore: the 5×5 square), reproducibly, with burning/burned per step', async () => {
    const input = writeGeoTiff(
      rasterFromGrids(
        { state: centreFire(7) },
        { state: 'uint8' },
        { transform: { originX: 0, originY: 7, pixelWidth: 1, pixelHeight: 1 }, epsg: 3857 },
      ),
    );
    const { outcome, record, written } = await runExecutor('fire.tif', input, { neighborhood: 'moore', end_time: 2 });
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = await readGeoTiff(written!);
    expect(out.bands.map((b) => [b.name, b.dtype])).toEqual([['state', 'uint8']]);
    expect(out.transform).toEqual({ originX: 0, originY: 7, pixelWidth: 1, pixelHeight: 1 });
    expect(out.epsg).toBe(3857);
    expect(toGrid(out.bands[0].data, 7).map((r) => r.join(''))).toEqual([
      '0000000',
      '0111110',
      '0122210',
      '0122210',
      '0122210',
      '0111110',
      '0000000',
    ]);
    const series = (outcome.result as { series: { steps: number[]; values: Record<string, number[]> } }).series;
    expect(series.steps).toEqual([1, 2]);
    expect(series.values).toEqual({ burning: [8, 16], burned: [1, 9] });
    const again = await runExecutor('fire.tif', input, { neighborhood: 'moore', end_time: 2 });
    expect(again.written).toEqual(written);
    // the default neighbourhood is von Neumann
    const vn = await runExecutor('fire.tif', input, { end_time: 2 });
    expect(vn.record.parameters).toEqual({ neighborhood: 'von_neumann', start_time: 1, end_time: 2 });
    const outVn = await readGeoTiff(vn.written!);
    expect(toGrid(outVn.bands[0].data, 7)[3].join('')).toBe('0122210');
    expect(toGrid(outVn.bands[0].data, 7)[1].join('')).toBe('0001000');
  });

  it('on a host with fresh reads (HostIO.freshReads): the same output bytes, the state unpacked into the bytes read', async () => {
    const ds = rasterFromGrids(
      { state: toGrid(randomStates(37 * 41, 7), 41) },
      { state: 'uint8' },
      { transform: { originX: 0, originY: 37, pixelWidth: 1, pixelHeight: 1 }, epsg: 3857 },
    );
    const bytes = writeGeoTiff(ds, { compression: 'none' });
    const want = await runExecutor('fire.tif', bytes, { neighborhood: 'moore', end_time: 9 });
    const read: Uint8Array[] = [];
    const io: HostIO = { freshReads: true, read: async () => (read.push(bytes.slice()), read[0]), write: async (path) => path };
    const record = createRecord({
      model_name: 'forest_fire',
      source: { uri: 'fire.tif' },
      parameters: { neighborhood: 'moore', end_time: 9 },
    });
    const outcome = await executeLifecycle(new ForestFireExecutor(), record, { io });
    expect(record.status).toBe('completed');
    expect(getOutputSha256(record)).toBe(getOutputSha256(want.record));
    const out = outcome.result;
    // the uncompressed band was a view of the bytes read: the output state is written there, not in a fresh array
    expect(out?.kind === 'raster' && out.dataset.bands[0].data.buffer).toBe(read[0].buffer);
  });

  it('GeoJSON in → GeoJSON out; vector (Rook/Queen) equals raster (von Neumann/Moore)', async () => {
    const layer = readGeoJson(coastGeoJson); // 10 × 14 polygons with a `state` column, 20 burning
    const rows = 10;
    const cols = 14;
    const where = rasterIndexFromGeometry(layer, rows, cols);
    const stateGrid = toGrid(
      featureToRaster(
        layer.features.map((f) => f.properties.state as number),
        where,
      ),
      cols,
    );
    const tif = writeGeoTiff(rasterFromGrids({ state: stateGrid }, { state: 'uint8' }));
    for (const neighborhood of ['von_neumann', 'moore']) {
      const params = { neighborhood, end_time: 6 };
      const v = await runExecutor('coast.geojson', coastGeoJson, params, { output_path: 'fire.tif' });
      expect(v.record.status).toBe('completed');
      expect(v.record.output_path).toBe('fire.geojson');
      expect(getOutputSha256(v.record)).toBe(sha256Hex(v.written!));
      const out = readGeoJson(v.written!);
      expect(out.columns).toEqual(layer.columns); // the layer comes back with its columns, state updated
      const vecState = plain(
        featureToRaster(
          out.features.map((f) => f.properties.state as number),
          where,
        ),
      );
      const r = await runExecutor('coast_state.tif', tif, params);
      const rasterState = plain((await readGeoTiff(r.written!)).bands[0].data);
      expect(vecState, neighborhood).toEqual(rasterState);
      expect(writeGeoJson(out)).toEqual(v.written);
      const again = await runExecutor('coast.geojson', coastGeoJson, params, { output_path: 'fire.tif' });
      expect(again.written).toEqual(v.written);
    }
  });

  it('refuses a raster without a state band (listing its bands), bad states and bad parameters', async () => {
    const twoBands = writeGeoTiff(rasterFromGrids({ fuel: centreFire(5), moisture: centreFire(5) }, { fuel: 'uint8', moisture: 'uint8' }));
    let r = await runExecutor('fuel.tif', twoBands, {});
    expect(r.record.status).toBe('failed');
    expect(r.outcome.error).toBeInstanceOf(InputError);
    expect((r.outcome.error as Error).message).toMatch(/no band 'state'.*Bands: 1:fuel, 2:moisture/);
    r = await runExecutor('fuel.tif', twoBands, {}, { band_map: { state: 'fuel' } });
    expect(r.record.status).toBe('completed');

    const bad = centreFire(5);
    bad[1][2] = 3;
    r = await runExecutor('bad.tif', writeGeoTiff(rasterFromGrids({ state: bad }, { state: 'uint8' })), {});
    expect(r.outcome.error).toBeInstanceOf(InputError);
    expect((r.outcome.error as Error).message).toMatch(/found 3 at row 1, column 2/);

    const fire = writeGeoTiff(rasterFromGrids({ state: centreFire(5) }, { state: 'uint8' }));
    r = await runExecutor('fire.tif', fire, { neighborhood: 'hexagonal' });
    expect(r.outcome.failedPhase).toBe('validate');
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
    expect((r.outcome.error as Error).message).toMatch(/neighborhood.*von_neumann, moore/);
    r = await runExecutor('fire.tif', fire, { end_time: -1 });
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
    expect((r.outcome.error as Error).message).toMatch(/end_time.*out of range/);
    r = await runExecutor('fire.tif', fire, { start_time: 3, end_time: 2 });
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
  });
});
