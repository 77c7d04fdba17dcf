import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../models/index.ts';
import { createRecord } from '../../executor/record.ts';
import { parseDataset } from '../../io/dataset.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { WorkbenchRuntime } from '../../worker/runtime.ts';
import { DIFF_NODATA, MAX_CLASSES, diffCategorical, diffContinuous, diffRasters, gridMismatch } from './diff.ts';
import { diffOutputs, type RunOutputFile } from './diff-outputs.ts';
import { diffVectors, layerMismatch } from './diff-vector.ts';

const SAMPLES = join(__dirname, '..', '..', '..', 'public', 'samples');
const sample = (f: string) => new Uint8Array(readFileSync(join(SAMPLES, f)));
const raster = async (f: string) => (await parseDataset(f, sample(f))) as RasterDataset;

/** Run a model on a bundled sample in the page's runtime; its output file as the page keeps it. */
async function runOutput(model: string, file: string, parameters: Record<string, number>): Promise<RunOutputFile> {
  const rt = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });
  const record = createRecord({ model_name: model, source: { type: 'sample', uri: `sample:${file}` }, parameters });
  const { response } = await rt.run({ record, inputs: [{ uri: `sample:${file}`, bytes: sample(file) }], keepFrames: false });
  expect(response.status).toBe('completed');
  const out = response.output!;
  return { model, name: out.name, sha256: out.sha256, bytes: out.bytes };
}

/** The readable rule: cells whose values differ, nodata in neither. */
function countDiffering(a: RasterDataset, b: RasterDataset, band: string): number {
  const x = a.bands.find((t) => t.name === band)!;
  const y = b.bands.find((t) => t.name === band)!;
  let n = 0;
  for (let i = 0; i < x.data.length; i++) if (x.data[i] !== y.data[i]) n++;
  return n;
}

describe('gridMismatch: never compare misaligned grids', () => {
  it('accepts a grid and itself, refuses another shape, CRS or transform with both sides named', async () => {
    const coast = await raster('coast_10x14.tif');
    expect(gridMismatch(coast, coast)).toBeNull();
    expect(gridMismatch(coast, await raster('flood_8x10.tif'))).toMatch(/shape differs \(A: 14 × 10 cells; B: 10 × 8 cells\)/);
    expect(gridMismatch(coast, { ...coast, epsg: 31983 })).toMatch(/CRS differs \(A: EPSG:31984; B: EPSG:31983\)/);
    const t = coast.transform!;
    expect(gridMismatch(coast, { ...coast, transform: { ...t, originX: t.originX + t.pixelWidth } })).toMatch(
      /transform differs \(A: origin \(\d+(\.\d+)?, \d+(\.\d+)?\), cell .*; B: origin/,
    );
    expect(gridMismatch(coast, { ...coast, transform: null })).toMatch(/B: no georeferencing/);
  });
});

describe('diffCategorical', () => {
  it('marks changed / unchanged cells and counts every from → to pair; nodata (or NaN) in either run is not compared', () => {
    const a = [0, 0, 1, 1, 2, 9, 0];
    const b = [0, 1, 1, 2, 2, 0, Number.NaN];
    const d = diffCategorical(a, b, 9, null);
    expect(Array.from(d.cells)).toEqual([0, 1, 0, 1, 0, DIFF_NODATA, DIFF_NODATA]);
    expect({ changed: d.changed, unchanged: d.unchanged, nodata: d.nodata }).toEqual({ changed: 2, unchanged: 3, nodata: 2 });
    expect(d.transitions).toEqual([
      { from: 0, to: 0, count: 1 },
      { from: 0, to: 1, count: 1 },
      { from: 1, to: 1, count: 1 },
      { from: 1, to: 2, count: 1 },
      { from: 2, to: 2, count: 1 },
    ]);
  });

  it(`gives no table beyond ${MAX_CLASSES} distinct values, the counts stay exact`, () => {
    const a = Array.from({ length: 200 }, (_, i) => i);
    const b = a.map((v) => (v % 2 ? v : v + 1));
    const d = diffCategorical(a, b, null, null);
    expect(d.transitions).toBeNull();
    expect(d.changed).toBe(100);
    expect(d.unchanged).toBe(100);
  });
});

describe('diffContinuous', () => {
  it('is b − a per cell with its range; equal cells are unchanged, nodata and NaN are not compared', () => {
    const d = diffContinuous(new Float64Array([1, 2.5, 3, -9999, 4]), new Float64Array([1, 2, 3.75, 5, Number.NaN]), -9999, null);
    expect(Array.from(d.cells)).toEqual([0, -0.5, 0.75, Number.NaN, Number.NaN]);
    expect({ changed: d.changed, unchanged: d.unchanged, nodata: d.nodata, min: d.min, max: d.max }).toEqual({
      changed: 2,
      unchanged: 1,
      nodata: 2,
      min: -0.5,
      max: 0.75,
    });
  });

  it('has no range when no cell is compared', () => {
    const d = diffContinuous([Number.NaN], [1], null, null);
    expect([d.min, d.max, d.nodata]).toEqual([null, null, 1]);
  });
});

describe('diffOutputs on real runs', () => {
  it('game_of_life after 12 and after 20 steps: the changed cells are those whose state differs in the two files', async () => {
    const a = await runOutput('game_of_life', 'gol_glider_64x64.tif', { end_time: 12 });
    const b = await runOutput('game_of_life', 'gol_glider_64x64.tif', { end_time: 20 });
    const r = await diffOutputs(a, b, { band: null, categoricalBands: ['state'] });
    if (!r.ok) throw new Error(r.message);
    const [da, db] = [(await parseDataset(a.name, a.bytes)) as RasterDataset, (await parseDataset(b.name, b.bytes)) as RasterDataset];
    const expected = countDiffering(da, db, 'state');
    expect(expected).toBeGreaterThan(0);
    expect(r.band).toBe('state');
    expect(r.diff.kind).toBe('categorical');
    expect(r.diff.changed).toBe(expected);
    expect(r.diff.changed + r.diff.unchanged).toBe(64 * 64);
    // The table's off-diagonal pairs are the changed cells; the layer sits on A's grid.
    const t = r.diff.kind === 'categorical' ? r.diff.transitions! : [];
    expect(t.filter((p) => p.from !== p.to).reduce((s, p) => s + p.count, 0)).toBe(expected);
    expect(r.layer.kind === 'raster' && gridMismatch(r.layer, da)).toBeNull();
  });

  it('flood_benchmark with two rise rates: alt as b − a, the range as computed by hand', async () => {
    const a = await runOutput('flood_benchmark', 'flood_8x10.tif', { taxa: 0.5, end_time: 4 });
    const b = await runOutput('flood_benchmark', 'flood_8x10.tif', { taxa: 1.5, end_time: 4 });
    const r = await diffOutputs(a, b, { band: 'alt', categoricalBands: ['uso'] });
    if (!r.ok) throw new Error(r.message);
    expect(r.bands).toEqual(['uso', 'alt']);
    const [xa, xb] = [(await parseDataset(a.name, a.bytes)) as RasterDataset, (await parseDataset(b.name, b.bytes)) as RasterDataset].map(
      (ds) => ds.bands.find((t) => t.name === 'alt')!.data,
    );
    const d = Array.from(xa, (v, i) => xb[i] - v);
    expect(r.diff.kind).toBe('continuous');
    if (r.diff.kind !== 'continuous') return;
    expect(r.diff.min).toBe(Math.min(...d));
    expect(r.diff.max).toBe(Math.max(...d));
    expect(r.diff.changed).toBe(d.filter((v) => v !== 0).length);
    expect(r.diff.changed).toBeGreaterThan(0);
    // uso, a category: compared as classes.
    const u = await diffOutputs(a, b, { band: 'uso', categoricalBands: ['uso'] });
    expect(u.ok && u.diff.kind).toBe('categorical');
  });

  it('refuses runs on different grids or features, of different models, or of different kinds, saying why', async () => {
    const small = await runOutput('game_of_life', 'gol_glider_64x64.tif', { end_time: 2 });
    const big = await runOutput('game_of_life', 'gol_random_512x512.tif', { end_time: 2 });
    const grid = await diffOutputs(small, big, { band: null, categoricalBands: ['state'] });
    expect(grid).toEqual({
      ok: false,
      message: expect.stringMatching(/not on the same grid: the shape differs \(A: 64 × 64 cells; B: 512 × 512/),
    });
    const models = await diffOutputs(small, { ...big, model: 'forest_fire' }, { band: null, categoricalBands: [] });
    expect(models.ok || models.message).toMatch(/Run A is game_of_life and run B is forest_fire/);
    const vec = await runOutput('game_of_life', 'gol_random_20x20.geojson', { end_time: 2 });
    const kinds = await diffOutputs(small, vec, { band: null, categoricalBands: [] });
    expect(kinds.ok || kinds.message).toMatch(/Run A wrote a raster output and run B a vector one/);
    const fire = await runOutput('forest_fire', 'coast_10x14.geojson', { end_time: 2 });
    const layers = await diffOutputs({ ...fire, model: 'game_of_life' }, vec, { band: null, categoricalBands: [] });
    expect(layers.ok || layers.message).toMatch(/not on the same features: the feature count differs \(A: 140 features; B: 400 features\)/);
  });

  it('game_of_life on a vector grid after 2 and 7 steps: feature by feature, drawn on the polygons of run A', async () => {
    const a = await runOutput('game_of_life', 'gol_random_20x20.geojson', { end_time: 2 });
    const b = await runOutput('game_of_life', 'gol_random_20x20.geojson', { end_time: 7 });
    const r = await diffOutputs(a, b, { band: null, display: 'state', categoricalBands: ['state'] });
    if (!r.ok) throw new Error(r.message);
    const [va, vb] = [(await parseDataset(a.name, a.bytes)) as VectorDataset, (await parseDataset(b.name, b.bytes)) as VectorDataset];
    const expected = va.features.filter((f, i) => f.properties.state !== vb.features[i].properties.state).length;
    expect(expected).toBeGreaterThan(0);
    expect([r.band, r.diff.kind, r.diff.changed, r.diff.changed + r.diff.unchanged]).toEqual(['state', 'categorical', expected, 400]);
    expect(r.layer.kind === 'vector' && r.layer.features.length).toBe(400);
  });

  it('a text column is compared as categories, its labels kept; another geometry is refused', () => {
    const square = (x: number) => ({
      type: 'Polygon' as const,
      coordinates: [
        [
          [x, 0],
          [x + 1, 0],
          [x + 1, 1],
          [x, 0],
        ],
      ],
    });
    const layer = (uses: string[], shift = 0): VectorDataset => ({
      kind: 'vector',
      columns: ['uso'],
      epsg: null,
      features: uses.map((uso, i) => ({ id: i, geometry: square(i + (i === 1 ? shift : 0)), properties: { uso } })),
    });
    const d = diffVectors(layer(['forest', 'urban', 'forest']), layer(['urban', 'urban', 'forest']), 'uso', 'categorical');
    expect(d.labels).toEqual({ 0: 'forest', 1: 'urban' });
    expect(d.diff.changed).toBe(1);
    expect(d.diff.kind === 'categorical' && d.diff.transitions).toContainEqual({ from: 0, to: 1, count: 1 });
    expect(layerMismatch(layer(['a', 'b']), layer(['a', 'b'], 0.5))).toMatch(
      /a geometry differs \(A: feature 1 \(id 1\); B: feature 1 \(id 1\) has another shape or place\)/,
    );
  });

  it('refuses a band the outputs do not share', async () => {
    const a = await raster('coast_10x14.tif');
    expect(() => diffRasters(a, a, 'nope', 'continuous')).toThrow(/Band nope is not in both outputs \(they share uso, alt, solo\)/);
  });
});
