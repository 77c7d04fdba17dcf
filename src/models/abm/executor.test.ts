/** The abm executors end to end (spec → lifecycle → GeoJSON / GeoTIFF bytes), on the reference cases. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type JsonValue } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { ExecutorClass } from '../../executor/executor.ts';
import { parseDataset } from '../../io/dataset.ts';
import { writeGeoJson } from '../../io/geojson.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import { CellGrid } from '../../sim/agent-grid.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import type { SimOutput } from '../../sim/output.ts';
import { vectorGrid } from '../../sim/vector.ts';
import { PeripherisationExecutor, PredatorPreyAgentsExecutor, RandomWalkExecutor, SchellingExecutor } from './executor.ts';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../../../tests/reference/${name}`, import.meta.url), 'utf8'));
const WALK = ref('abm_random_walk.json');
const PREY = ref('abm_predator_prey.json');
const SCHELLING = ref('abm_schelling.json');

async function run(cls: ExecutorClass, parameters: Record<string, JsonValue>, input?: { uri: string; bytes: Uint8Array }) {
  const io = new MemoryIO();
  if (input) io.inputs.set(input.uri, input.bytes);
  const out = `out/${cls.spec.name}.${cls.spec.output.extension}`;
  const record = createRecord({
    model_name: cls.spec.name,
    parameters,
    output_path: out,
    ...(input ? { source: { uri: input.uri } } : {}),
  });
  const outcome = await executeLifecycle(new cls(), record, { io, keepFrames: true });
  expect(outcome.error, String(outcome.error)).toBeUndefined();
  const bytes = io.written.get(record.output_path!)!;
  expect(getOutputSha256(record)).toBe(sha256Hex(bytes));
  return { record, bytes, result: outcome.result as SimOutput, parsed: await parseDataset(record.output_path!, bytes) };
}

/** Agent rows [id, x, y, ...] of a Points layer. */
const rowsOf = (ds: VectorDataset, columns: string[]) =>
  ds.features.map((f) => [
    f.properties.id,
    ...(f.geometry as { coordinates: number[] }).coordinates,
    ...columns.map((c) => f.properties[c]),
  ]);

/** A Points layer from reference rows [id, x, y, kind?, energy?]. */
function pointsLayer(rows: (number | string)[][], columns: string[]): Uint8Array {
  const ds: VectorDataset = {
    kind: 'vector',
    epsg: null,
    columns,
    features: rows.map(([, x, y, ...rest]) => ({
      id: null,
      geometry: { type: 'Point', coordinates: [x as number, y as number] },
      properties: Object.fromEntries(columns.map((c, i) => [c, rest[i]])),
    })),
  };
  return writeGeoJson(ds);
}

describe('abm executors', () => {
  it('are registered and pass the contract checks', () => {
    for (const cls of [RandomWalkExecutor, PredatorPreyAgentsExecutor, SchellingExecutor, PeripherisationExecutor]) {
      expect(ExecutorRegistry.get(cls.spec.name)).toBe(cls);
      expect(runContractTests(cls).checks.filter((c) => !c.ok)).toEqual([]);
    }
  });

  it('abm_random_walk without input places agents as the script does and ends where DisSModel ends (case 1)', async () => {
    const c = WALK.cases[0];
    const { parsed, result } = await run(RandomWalkExecutor, { n_agents: 12, placement_seed: 2024, seed: 5, end_time: 20 });
    expect(rowsOf(parsed as VectorDataset, [])).toEqual(c.steps.at(-1).agents);
    // one frame before the first tick, then one per tick, each the packed agents [id, x, y]
    expect(result.kind === 'vector' && result.agents).toEqual({ columns: [], labels: {} });
    expect(result.kind !== 'table' && result.frames.map((f) => f.step)).toEqual([-1, ...c.steps.map((s: { t: number }) => s.t)]);
    const f1 = result.kind !== 'table' ? Array.from(result.frames[1].data) : [];
    expect(f1).toEqual(c.steps[0].agents.flat());
  });

  it('abm_random_walk on a Points layer (case 2: step 5, bounds 20 × 10)', async () => {
    const c = WALK.cases[1];
    const { parsed } = await run(
      RandomWalkExecutor,
      { step_size: 5, min_x: 0, min_y: 0, max_x: 20, max_y: 10, seed: 9, placement_seed: 0, end_time: 15 },
      { uri: 'walkers.geojson', bytes: pointsLayer(c.initial, []) },
    );
    expect(rowsOf(parsed as VectorDataset, [])).toEqual(c.steps.at(-1).agents);
  });

  it('abm_predator_prey: without input and on the same agents as a layer, the final agents and the series of DisSModel (case 2)', async () => {
    const c = PREY.cases[1];
    const params = {
      max_x: 8,
      max_y: 8,
      eat_radius: 1.5,
      graze_gain: 1,
      energy_gain: 6,
      reproduce_threshold: 12,
      n_sheep: 20,
      n_wolves: 6,
      seed: 4,
      end_time: 20,
    };
    const placed = await run(PredatorPreyAgentsExecutor, { ...params, placement_seed: 0 });
    const fromLayer = await run(
      PredatorPreyAgentsExecutor,
      { ...params, placement_seed: 7 },
      {
        uri: 'flock.geojson',
        bytes: pointsLayer(c.initial, ['kind', 'energy']),
      },
    );
    for (const r of [placed, fromLayer]) {
      expect(rowsOf(r.parsed as VectorDataset, ['kind', 'energy'])).toEqual(c.steps.at(-1).agents);
      expect(r.result.series.values).toEqual({ sheep: c.series.Sheep, wolves: c.series.Wolves });
      expect(r.record.metrics).toMatchObject({ sheep: 0, wolves: 6 });
    }
    expect(placed.bytes).toEqual(fromLayer.bytes);
  });

  it('abm_predator_prey refuses a layer that is not Points or names an unknown kind', async () => {
    const bad = writeGeoJson({
      kind: 'vector',
      epsg: null,
      columns: ['kind'],
      features: [{ id: null, geometry: { type: 'Point', coordinates: [1, 1] }, properties: { kind: 'goat' } }],
    });
    const io = new MemoryIO();
    io.inputs.set('g.geojson', bad);
    const record = createRecord({
      model_name: 'abm_predator_prey',
      parameters: { seed: 1, placement_seed: 1 },
      source: { uri: 'g.geojson' },
      output_path: 'o.geojson',
    });
    const outcome = await executeLifecycle(new PredatorPreyAgentsExecutor(), record, { io });
    expect(String(outcome.error)).toMatch(/'kind' is "goat"; it must be one of 'sheep', 'wolf'/);
    expect(io.written.size).toBe(0);
  });

  it('abm_schelling: the final grid and the satisfaction series of DisSModel (case 1), as an int8 GeoTIFF', async () => {
    const c = SCHELLING.cases[0];
    const { parsed, result } = await run(SchellingExecutor, { n_cols: 12, n_rows: 10, seed: 42, move_seed: 1000, end_time: 10 });
    const band = (parsed as RasterDataset).bands[0];
    expect([band.name, band.dtype]).toEqual(['agent_type', 'int8']);
    expect(Array.from(band.data)).toEqual(Array.from(new CellGrid(12, 10).toRaster(c.steps.at(-1).agent_type)));
    expect(result.series.values.satisfaction).toEqual(c.series.Satisfaction);
  });

  it('abm_peripherisation: agents are conserved (settled + pending = agents + seeds) and a seed gives the same bytes', async () => {
    const params = { n_cols: 15, n_rows: 11, steps: 3, n_agents: 90, agents_per_step: 6, seed_cells: '2-3, 7-9', seed: 11, end_time: 25 };
    const a = await run(PeripherisationExecutor, params);
    const b = await run(PeripherisationExecutor, params);
    expect(a.bytes).toEqual(b.bytes);
    const v = a.result.series.values;
    v.red.forEach((red, k) => expect(red + v.yellow[k] + v.blue[k] + v.pending[k]).toBe(92));
    expect(v.pending.at(-1)).toBeLessThan(90);
    const band = (a.parsed as RasterDataset).bands[0];
    expect(band.name).toBe('group');
    expect(new Set(band.data)).toEqual(new Set([-1, 0, 1, 2]));
  });

  it('abm_peripherisation refuses proportions that do not sum to 1 and seed cells outside the grid', async () => {
    for (const [parameters, msg] of [
      [{ p_red: 0.5, seed: 1 }, /must be 1/],
      [{ seed_cells: '40-2', seed: 1 }, /No cell '40-2'/],
    ] as const) {
      const record = createRecord({ model_name: 'abm_peripherisation', parameters: { ...parameters }, output_path: 'o.tif' });
      const outcome = await executeLifecycle(new PeripherisationExecutor(), record, { io: new MemoryIO() });
      expect(String(outcome.error)).toMatch(msg);
    }
  });

  it('abm_schelling on a raster and on a polygon layer: the same grid, the same run, georeferencing or layer kept', async () => {
    const c = SCHELLING.cases[0];
    const params = { seed: 42, move_seed: 1000, end_time: 10 };
    const tif = writeGeoTiff({
      kind: 'raster',
      width: 12,
      height: 10,
      epsg: 31983,
      transform: { originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 },
      bands: [{ name: 'land', dtype: 'uint8', data: new Uint8Array(120), nodata: null }],
    });
    const onRaster = await run(SchellingExecutor, params, { uri: 'grid.tif', bytes: tif });
    const r = onRaster.parsed as RasterDataset;
    expect([r.epsg, r.transform, r.bands.map((b) => b.name)]).toEqual([
      31983,
      { originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 },
      ['agent_type'],
    ]);
    expect(Array.from(r.bands[0].data)).toEqual(Array.from(new CellGrid(12, 10).toRaster(c.steps.at(-1).agent_type)));
    expect(onRaster.record.logs.join('\n')).toMatch(/the raster's 12 × 10 cells/);

    // vector_grid(dimension=(12, 10), resolution=1) as a GeoJSON layer: cells in its order, Queen from the polygons
    const layer = writeGeoJson(vectorGrid({ cols: 12, rows: 10, resolution: 1 }));
    const onLayer = await run(SchellingExecutor, params, { uri: 'grid.geojson', bytes: layer });
    const v = onLayer.parsed as VectorDataset;
    expect(v.features.map((f) => f.properties.agent_type)).toEqual(c.steps.at(-1).agent_type);
    expect(onLayer.result.series.values.satisfaction).toEqual(c.series.Satisfaction);
  });

  it('abm_peripherisation on a raster of unit cells is the run on the generated grid; on a polygon layer it conserves agents', async () => {
    const params = { steps: 3, n_agents: 60, agents_per_step: 8, seed: 3, end_time: 15 };
    const generated = await run(PeripherisationExecutor, { ...params, n_cols: 11, n_rows: 9 });
    const tif = writeGeoTiff({
      kind: 'raster',
      width: 11,
      height: 9,
      epsg: null,
      transform: { originX: 0, originY: 9, pixelWidth: 1, pixelHeight: 1 },
      bands: [{ name: 'band_1', dtype: 'uint8', data: new Uint8Array(99), nodata: null }],
    });
    const onRaster = await run(PeripherisationExecutor, params, { uri: 'g.tif', bytes: tif });
    expect(Array.from((onRaster.parsed as RasterDataset).bands[0].data)).toEqual(
      Array.from((generated.parsed as RasterDataset).bands[0].data),
    );
    expect(onRaster.result.series).toEqual(generated.result.series);

    const layer = writeGeoJson(vectorGrid({ cols: 11, rows: 9, resolution: 1 }));
    const onLayer = await run(PeripherisationExecutor, { ...params, seed_cells: '4-5' }, { uri: 'g.geojson', bytes: layer });
    const s = onLayer.result.series.values;
    s.red.forEach((red, k) => expect(red + s.yellow[k] + s.blue[k] + s.pending[k]).toBe(61));
    expect((onLayer.parsed as VectorDataset).features.map((f) => f.properties.group).filter((g) => g !== -1).length).toBe(
      61 - s.pending.at(-1)!,
    );
  });
});
