import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, ParameterError } from '../../executor/errors.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { runContractTests } from '../../executor/harness.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import { gridOrderToRaster, rasterToGridOrder, vectorGrid } from '../../sim/vector.ts';
import { CoastalRaster, type CoastalMetrics } from '../coastal/raster-kernel.ts';
import { featureToRaster, plain, rasterFromGrids, rasterIndexFromGeometry } from '../test-grids.ts';
import '../index.ts';
import { BrMangueExecutor, rasterGrid, vectorStepper } from './executor.ts';

const REF = new URL('../../../tests/reference/', import.meta.url);
const ref = JSON.parse(readFileSync(new URL('brmangue_flood_mangrove.json', REF), 'utf8'));
const cliRecord = JSON.parse(readFileSync(new URL('dissmodel_cli_record.json', REF), 'utf8'));
const coastTif = new Uint8Array(readFileSync(new URL('inputs/coast_10x14.tif', REF)));
const coastGeoJson = new Uint8Array(readFileSync(new URL('inputs/coast_10x14.geojson', REF)));
const ilhaCropGeoJson = new Uint8Array(readFileSync(new URL('inputs/ilha_crop_r151_c52_30x45.geojson', REF)));
const ilhaTif = new Uint8Array(readFileSync(new URL('../../../public/samples/ilha_maranhao_epsg31983.tif', import.meta.url)));

interface Case {
  case: string;
  taxa_elevacao: number;
  altura_mare: number;
  acrecao_ativa: boolean;
  rows: number;
  cols: number;
  steps: number;
  initial: Record<'uso' | 'alt' | 'solo', number[][]>;
  after_step: Record<string, Record<'uso' | 'alt' | 'solo', number[][]>>;
  metrics_after_step: Record<string, CoastalMetrics>;
}
const cases = ref.cases as Case[];
const caseNamed = (name: string) => cases.find((c) => c.case === name)!;

const optionsOf = (c: Case) => ({
  rate: c.taxa_elevacao,
  padLower: false,
  mangrove: true,
  tide: c.altura_mare,
  accretion: c.acrecao_ativa,
});
const flat = (g: number[][]) => g.flat();

function initialRaster(c: Case, opts: { unnamed?: boolean } = {}): RasterDataset {
  return rasterFromGrids(c.initial, { uso: 'int16', alt: 'float32', solo: 'int16' }, opts);
}

async function runExecutor(
  uri: string,
  bytes: Uint8Array,
  parameters: Record<string, number | boolean>,
  init: Partial<ExperimentRecord> = {},
) {
  const io = new MemoryIO();
  io.inputs.set(uri, bytes);
  const record = createRecord({ model_name: 'brmangue', source: { type: 'local', uri }, parameters, ...init });
  const outcome = await executeLifecycle(new BrMangueExecutor(), record, { io });
  const written = record.output_path ? io.written.get(record.output_path) : undefined;
  return { outcome, record, written };
}

describe('brmangue: FloodModel + MangroveModel against brmangue_flood_mangrove.json', () => {
  for (const c of cases) {
    it(`raster ${c.case}: uso, solo, alt and metrics exact after every step`, () => {
      const grid = rasterGrid(initialRaster(c), {}, optionsOf(c));
      for (let t = 1; t <= c.steps; t++) {
        const m = grid.step(t);
        const want = c.after_step[String(t)];
        expect(plain(grid.uso), `uso after step ${t}`).toEqual(flat(want.uso));
        expect(plain(grid.solo!), `solo after step ${t}`).toEqual(flat(want.solo));
        // bit-identical: same float64 operations in numpy's order (see coastal/raster-kernel.ts)
        expect(plain(grid.alt), `alt after step ${t}`).toEqual(flat(want.alt));
        expect({ ...m }, `metrics after step ${t}`).toEqual(c.metrics_after_step[String(t)]);
      }
    });

    it(`raster ${c.case} with unnamed bands (positions 1, 2, 3 = uso, alt, solo) gives the same`, () => {
      const grid = rasterGrid(initialRaster(c, { unnamed: true }), {}, optionsOf(c));
      for (let t = 1; t <= c.steps; t++) grid.step(t);
      expect(plain(grid.uso)).toEqual(flat(c.after_step[String(c.steps)].uso));
      expect(plain(grid.alt)).toEqual(flat(c.after_step[String(c.steps)].alt));
    });

    it(`vector ${c.case} from coast_10x14.geojson (Queen from geometry), summed in DIRS_MOORE order, equals the raster reference`, () => {
      const ds = readGeoJson(coastGeoJson);
      const where = rasterIndexFromGeometry(ds, c.rows, c.cols); // the file's rows are matched by geometry
      // 'moore' is the raster model's summation; DisSModel's vector model's ('python') is tested in brmangue-ilha-crop.test.ts
      const { stepper } = vectorStepper(ds, {}, optionsOf(c), 'moore');
      for (let t = 1; t <= c.steps; t++) {
        const m = stepper.step(t);
        const want = c.after_step[String(t)];
        expect(plain(featureToRaster(stepper.uso, where)), `uso after step ${t}`).toEqual(flat(want.uso));
        expect(plain(featureToRaster(stepper.solo!, where)), `solo after step ${t}`).toEqual(flat(want.solo));
        expect(plain(featureToRaster(stepper.alt, where)), `alt after step ${t}`).toEqual(flat(want.alt));
        expect({ ...m }, `metrics after step ${t}`).toEqual(c.metrics_after_step[String(t)]);
      }
    });
  }

  it('vector on a vector_grid (column-major, row 0 at the bottom) with a column_map, DIRS_MOORE summation, gives the same', () => {
    const c = caseNamed('taxa0.5_nomask');
    const ds = vectorGrid({ cols: c.cols, rows: c.rows, resolution: 100, originX: 500000, originY: 9700000, epsg: 31984 });
    const put = (name: string, g: number[][]) => {
      const v = rasterToGridOrder(g.flat(), c.rows, c.cols);
      ds.features.forEach((f, k) => (f.properties[name] = v[k]));
      ds.columns.push(name);
    };
    put('land_use', c.initial.uso);
    put('alt', c.initial.alt);
    put('solo', c.initial.solo);
    const { stepper } = vectorStepper(ds, { uso: 'land_use' }, optionsOf(c), 'moore');
    for (let t = 1; t <= c.steps; t++) stepper.step(t);
    const want = c.after_step[String(c.steps)];
    expect(plain(stepper.uso)).toEqual(plain(rasterToGridOrder(flat(want.uso), c.rows, c.cols)));
    expect(plain(stepper.alt)).toEqual(plain(rasterToGridOrder(flat(want.alt), c.rows, c.cols)));
    expect(plain(stepper.solo!)).toEqual(plain(rasterToGridOrder(flat(want.solo), c.rows, c.cols)));
  });

  it('a mask keeps masked-out cells unchanged and hides them from their neighbours', () => {
    const c = caseNamed('taxa0.5_nomask');
    const mask = c.initial.uso.map((row, r) => row.map((_, col) => (r < 5 || col < 1 ? 1 : 0)));
    const ds = rasterFromGrids({ ...c.initial, mask }, { uso: 'int16', alt: 'float32', solo: 'int16', mask: 'uint8' });
    const grid = rasterGrid(ds, {}, optionsOf(c));
    const before = { uso: plain(grid.uso), alt: plain(grid.alt), solo: plain(grid.solo!) };
    for (let t = 1; t <= c.steps; t++) grid.step(t);
    const m = mask.flat();
    let changed = 0;
    for (let i = 0; i < m.length; i++) {
      if (m[i] === 0) {
        expect(grid.uso[i]).toBe(before.uso[i]);
        expect(grid.alt[i]).toBe(before.alt[i]);
        expect(grid.solo![i]).toBe(before.solo[i]);
      } else if (grid.uso[i] !== before.uso[i]) changed++;
    }
    expect(changed).toBeGreaterThan(0);
    // the vector path with a mask column, summed in DIRS_MOORE order, agrees with the raster path
    const layer = readGeoJson(coastGeoJson);
    const where = rasterIndexFromGeometry(layer, c.rows, c.cols);
    layer.features.forEach((f, k) => (f.properties.mask = m[where[k]]));
    layer.columns.push('mask');
    const { stepper } = vectorStepper(layer, {}, optionsOf(c), 'moore');
    for (let t = 1; t <= c.steps; t++) stepper.step(t);
    expect(plain(featureToRaster(stepper.uso, where))).toEqual(plain(grid.uso));
    expect(plain(featureToRaster(stepper.alt, where))).toEqual(plain(grid.alt));
    expect(plain(featureToRaster(stepper.solo!, where))).toEqual(plain(grid.solo!));
  });
});

describe('the vector stepper (Queen, DIRS_MOORE summation) equals the raster kernel', () => {
  it('on a random 12×9 vector_grid with a mask and accretion, 15 steps, bit for bit', () => {
    const rows = 12;
    const cols = 9;
    const n = rows * cols;
    let x = 12345;
    const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
    const grid = {
      uso: Array.from({ length: n }, () => [1, 2, 2, 3, 3, 4, 5, 8][Math.floor(rnd() * 8)]),
      alt: Array.from({ length: n }, () => Math.floor(rnd() * 5) * 0.05 - 0.05),
      solo: Array.from({ length: n }, () => [0, 3, 4, 4, 9][Math.floor(rnd() * 5)]),
      mask: Array.from({ length: n }, () => (rnd() < 0.85 ? 1 : 0)),
    };
    const o = { rate: 0.03, padLower: false, mangrove: true, tide: 0.1, accretion: true };
    const raster = new CoastalRaster(
      {
        rows,
        cols,
        uso: Int16Array.from(grid.uso),
        alt: Float64Array.from(grid.alt),
        solo: Int16Array.from(grid.solo),
        mask: Uint8Array.from(grid.mask),
        altFloat32: false,
      },
      o,
    );
    const layer = vectorGrid({ cols, rows, resolution: 30, originX: 1000, originY: 2000 });
    for (const name of ['uso', 'alt', 'solo', 'mask'] as const) {
      const v = rasterToGridOrder(grid[name], rows, cols);
      layer.features.forEach((f, k) => (f.properties[name] = v[k]));
      layer.columns.push(name);
    }
    const { stepper } = vectorStepper(layer, {}, o, 'moore');
    for (let t = 1; t <= 15; t++) {
      const mr = { ...raster.step(t) };
      const mv = { ...stepper.step(t) };
      expect(mv, `metrics t=${t}`).toEqual(mr);
      expect(plain(gridOrderToRaster(stepper.alt, rows, cols)), `alt t=${t}`).toEqual(plain(raster.alt));
      expect(plain(gridOrderToRaster(stepper.uso, rows, cols)), `uso t=${t}`).toEqual(plain(raster.uso));
      expect(plain(gridOrderToRaster(stepper.solo!, rows, cols)), `solo t=${t}`).toEqual(plain(raster.solo!));
    }
  });
});

describe('brmangue executor end to end (executeLifecycle + MemoryIO)', () => {
  it('is registered and passes the contract checks', () => {
    expect(ExecutorRegistry.get('brmangue')).toBe(BrMangueExecutor);
    const report = runContractTests(BrMangueExecutor);
    expect(report.checks.filter((k) => !k.ok)).toEqual([]);
  });

  it("reproduces DisSModel's CLI run on coast_10x14.tif (end_time 8, taxa 0.5) = case taxa0.5_nomask after step 8", async () => {
    const c = caseNamed('taxa0.5_nomask');
    const { outcome, record, written } = await runExecutor(cliRecord.source.uri, coastTif, cliRecord.parameters, {
      output_path: 'tif/brmangue_out.tif',
    });
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.source.checksum).toBe(cliRecord.source.checksum); // same input bytes as the Python run
    expect(written).toBeDefined();
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = await readGeoTiff(written!);
    const input = await readGeoTiff(coastTif);
    expect(out.bands.map((b) => [b.name, b.dtype])).toEqual([
      ['uso', 'float32'],
      ['alt', 'float32'],
      ['solo', 'float32'],
    ]);
    expect(out.transform).toEqual(input.transform);
    expect(out.epsg).toBe(31984);
    const want = c.after_step['8'];
    expect(plain(out.bands[0].data)).toEqual(flat(want.uso));
    expect(plain(out.bands[1].data)).toEqual(flat(want.alt).map(Math.fround)); // alt written as float32
    expect(plain(out.bands[2].data)).toEqual(flat(want.solo));
    const m = c.metrics_after_step['8'];
    expect(record.metrics).toMatchObject(m);
    // DisSModel's extra CLI parameters are kept (and reported as unused)
    expect(record.parameters).toMatchObject({ end_time: 8, taxa_elevacao: 0.5, crs: 'EPSG:31984' });
    expect(record.logs.some((l) => l.includes('Ignored parameters'))).toBe(true);
    // per-step series
    const series = (outcome.result as { series: { steps: number[]; values: Record<string, number[]> } }).series;
    expect(series.steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(series.values.flooded_cells).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((t) => c.metrics_after_step[String(t)].flooded_cells));
    // reproducible bytes
    const again = await runExecutor(cliRecord.source.uri, coastTif, cliRecord.parameters, { output_path: 'tif/brmangue_out.tif' });
    expect(again.written).toEqual(written);
    expect(getOutputSha256(again.record)).toBe(getOutputSha256(record));
  });

  it('runs case taxa0.011 (12 steps) with the default taxa_elevacao', async () => {
    const c = caseNamed('taxa0.011_nomask');
    const { record, written } = await runExecutor('coast.tif', coastTif, { end_time: 12 });
    expect(record.status).toBe('completed');
    expect(record.parameters).toMatchObject({ start_time: 1, end_time: 12, taxa_elevacao: 0.011, altura_mare: 6, acrecao_ativa: false });
    const out = await readGeoTiff(written!);
    expect(plain(out.bands[0].data)).toEqual(flat(c.after_step['12'].uso));
    expect(plain(out.bands[1].data)).toEqual(flat(c.after_step['12'].alt).map(Math.fround));
    expect(plain(out.bands[2].data)).toEqual(flat(c.after_step['12'].solo));
    expect(record.metrics).toMatchObject(c.metrics_after_step['12']);
  });

  it("vector input (GeoJSON) writes a GeoJSON with DisSModel's vector-model values, reproducibly", async () => {
    const ref = JSON.parse(readFileSync(new URL('brmangue_vector_ilha_crop_taxa0.5.json', REF), 'utf8'));
    const params = { end_time: 10, taxa_elevacao: 0.5 };
    const { outcome, record, written } = await runExecutor('crop.geojson', ilhaCropGeoJson, params, {
      output_path: 'out/brmangue.tif', // a host may name it after spec.output; the extension follows the output
    });
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.output_path).toBe('out/brmangue.geojson');
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = readGeoJson(written!);
    const col = (name: string) => out.features.map((f) => f.properties[name] as number);
    const want = ref.checkpoints['10'];
    expect(col('uso')).toEqual(want.uso);
    expect(col('solo')).toEqual(want.solo);
    expect(col('alt')).toEqual(want.alt); // float64 in GeoJSON: exact
    expect(out.columns).toEqual(['id', 'row', 'col', 'uso', 'alt', 'solo']);
    expect(record.metrics).toMatchObject(ref.steps[9].metrics);
    const again = await runExecutor('crop.geojson', ilhaCropGeoJson, params);
    expect(again.written).toEqual(written);
    expect(writeGeoJson(out)).toEqual(written); // canonical
  });

  it('refuses a raster without solo, naming the bands it has', async () => {
    const c = caseNamed('taxa0.5_nomask');
    const ds = rasterFromGrids({ uso: c.initial.uso, alt: c.initial.alt }, { uso: 'int16', alt: 'float32' });
    const { outcome, record } = await runExecutor('two_bands.tif', writeGeoTiff(ds), {});
    expect(record.status).toBe('failed');
    expect(outcome.failedPhase).toBe('run');
    expect(outcome.error).toBeInstanceOf(InputError);
    const msg = (outcome.error as Error).message;
    expect(msg).toContain("no band 'solo'");
    expect(msg).toContain('1:uso, 2:alt');
  });

  it('refuses a layer without a column, listing the columns', async () => {
    const layer = readGeoJson(coastGeoJson);
    for (const f of layer.features) delete f.properties.alt;
    layer.columns = layer.columns.filter((c) => c !== 'alt');
    const { outcome } = await runExecutor('no_alt.geojson', writeGeoJson(layer), {});
    expect(outcome.error).toBeInstanceOf(InputError);
    expect((outcome.error as Error).message).toMatch(/no column 'alt'.*Columns: row, col, uso, solo, state/);
  });

  it('refuses implausible elevations and unknown land-use codes, naming value and cell', async () => {
    const c = caseNamed('taxa0.5_nomask');
    const alt = c.initial.alt.map((r) => r.slice());
    alt[2][3] = 9500;
    let r = await runExecutor('bad_alt.tif', writeGeoTiff(rasterFromGrids({ ...c.initial, alt }, { alt: 'float32' })), {});
    expect(r.outcome.error).toBeInstanceOf(InputError);
    expect((r.outcome.error as Error).message).toMatch(/'alt'.*\[-500, 9000\].*9500 at row 2, column 3/);
    const uso = c.initial.uso.map((row) => row.slice());
    uso[4][0] = 11;
    r = await runExecutor('bad_uso.tif', writeGeoTiff(rasterFromGrids({ ...c.initial, uso }, { alt: 'float32' })), {});
    expect(r.outcome.error).toBeInstanceOf(InputError);
    expect((r.outcome.error as Error).message).toMatch(/'uso'.*\[0, 10\].*11 at row 4, column 0/);
  });

  it('refuses out-of-range parameters before loading anything', async () => {
    let r = await runExecutor('coast.tif', coastTif, { taxa_elevacao: -0.1 });
    expect(r.record.status).toBe('failed');
    expect(r.outcome.failedPhase).toBe('validate');
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
    expect((r.outcome.error as Error).message).toMatch(/taxa_elevacao.*out of range/);
    r = await runExecutor('coast.tif', coastTif, { start_time: 5, end_time: 4 });
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
    expect((r.outcome.error as Error).message).toMatch(/end_time \(4\) must not be before start_time \(5\)/);
    r = await runExecutor('coast.tif', coastTif, { acrecao_ativa: 1 });
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
  });
});

describe('brmangue on the Ilha do Maranhão sample (405 × 418, int16 uso/alt/solo, EPSG:31983)', () => {
  it('runs 20 steps end to end', async () => {
    const { outcome, record, written } = await runExecutor('sample:ilha_maranhao_epsg31983.tif', ilhaTif, {});
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.parameters).toMatchObject({ start_time: 1, end_time: 20 });
    const out = await readGeoTiff(written!);
    const input = await readGeoTiff(ilhaTif);
    expect([out.width, out.height]).toEqual([input.width, input.height]);
    expect(out.bands.map((b) => [b.name, b.dtype])).toEqual([
      ['uso', 'float32'],
      ['alt', 'float32'],
      ['solo', 'float32'],
    ]);
    expect(out.transform).toEqual(input.transform);
    expect(out.epsg).toBe(31983);
    const series = (outcome.result as { series: { values: Record<string, number[]> } }).series.values;
    expect(series.flooded_cells).toHaveLength(20);
    for (let k = 1; k < 20; k++) expect(series.flooded_cells[k]).toBeGreaterThanOrEqual(series.flooded_cells[k - 1]);
    expect(series.current_sea_level[19]).toBe(0.22);
    expect(record.metrics.flooded_cells).toBe(series.flooded_cells[19]);
    expect(series.soil_migrated[19]).toBeGreaterThan(0);
  });

  it('soil 9 never reverts, the flooded count never falls, masked cells never change', async () => {
    const ilha = await readGeoTiff(ilhaTif);
    const n = ilha.width * ilha.height;
    const usoIn = ilha.bands[0].data;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = usoIn[i] !== 0 && i % ilha.width < ilha.width / 2 ? 1 : 0; // the island's west half
    const withMask: RasterDataset = { ...ilha, bands: [...ilha.bands, { name: 'mask', dtype: 'uint8', data: mask, nodata: null }] };
    for (const ds of [ilha, withMask]) {
      const grid = rasterGrid(ds, {}, { rate: 0.011, padLower: false, mangrove: true, tide: 6, accretion: false });
      const hasMask = ds === withMask;
      const uso0 = grid.uso.slice();
      const alt0 = grid.alt.slice();
      const solo0 = grid.solo!.slice();
      let prevSolo = grid.solo!.slice();
      let prevFlooded = 0;
      for (let t = 1; t <= 20; t++) {
        const m = grid.step(t);
        const solo = grid.solo!;
        let reverted = 0;
        for (let i = 0; i < n; i++) if (prevSolo[i] === 9 && solo[i] !== 9) reverted++;
        expect(reverted, `soil 9 reverted at step ${t}`).toBe(0);
        expect(m.flooded_cells).toBeGreaterThanOrEqual(prevFlooded);
        prevFlooded = m.flooded_cells;
        prevSolo = solo.slice();
      }
      let changedOutside = 0;
      let changedInside = 0;
      for (let i = 0; i < n; i++) {
        const changed = grid.uso[i] !== uso0[i] || grid.alt[i] !== alt0[i] || grid.solo![i] !== solo0[i];
        if (hasMask && mask[i] === 0) changedOutside += +changed;
        else changedInside += +changed;
      }
      expect(changedOutside).toBe(0);
      expect(changedInside).toBeGreaterThan(0);
    }
  });
});
