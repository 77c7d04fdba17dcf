/**
 * DisSLUCC-Continuous on the LuccME Lab1 benchmark (Acre, 6,574 cells), from the real
 * csAC.zip, demand CSV and TerraME's 2014 result (tests/fixtures/lucc, provenance in
 * its README): the raster run over t = 1…6 compared with TerraME's d_out gives
 * DisSModel's published figures to the last printed digit (DISSMODEL-SPEC §9.3).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryIO } from '../../executor/memory-io.ts';
import { type ExperimentRecord, type JsonValue } from '../../executor/record.ts';
import { newRunRecord } from '../../executor/run-record.ts';
import { runExperiment } from '../../executor/run-experiment.ts';
import { readGeoJson } from '../../io/geojson.ts';
import { readGeoPackage } from '../../io/geopackage-read.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { readShapefileZip } from '../../io/shapefile.ts';
import { sha256Hex } from '../../io/sha256.ts';
import { parse as parseToml } from 'smol-toml';
import type { RasterDataset } from '../../sim/dataset.ts';
import '../index.ts';
import { LuccRasterExecutor, LuccVectorExecutor } from './executor.ts';
import { LuccValidationExecutor } from './validation.ts';
import { continuousMetrics } from './metrics.ts';
import type { ExecutorClass } from '../../executor/executor.ts';

const FIX = new URL('../../../tests/fixtures/lucc/', import.meta.url);
const file = (name: string) => new Uint8Array(readFileSync(new URL(name, FIX)));
const CS = 'fixtures/csAC.zip';
const DEMAND = 'fixtures/examples_demand_lab1.csv';
const TERRAME = 'fixtures/LUCCME_Lab1_2014.zip';

function io(): MemoryIO {
  const m = new MemoryIO();
  m.inputs.set(CS, file('csAC.zip'));
  m.inputs.set(DEMAND, file('examples_demand_lab1.csv'));
  m.inputs.set(TERRAME, file('LUCCME_Lab1_2014.zip'));
  return m;
}

async function run(
  cls: ExecutorClass,
  parameters: Record<string, JsonValue>,
  opts: { input?: string; output: string; spec?: Record<string, JsonValue>; io?: MemoryIO },
) {
  const host = opts.io ?? io();
  const record = newRunRecord({
    model_name: cls.spec.name,
    model_commit: 'test',
    code_version: 'dev',
    source: { uri: opts.input ?? CS },
    parameters,
    resolved_spec: opts.spec ? { model: opts.spec } : {},
  });
  const r = await runExperiment(cls, record, { io: host, output: opts.output });
  if (r.error) throw r.error;
  host.inputs.set(r.record.output_path!, host.written.get(r.record.output_path!)!); // the next run (a validation) reads it
  return { record: r.record, bytes: host.written.get(r.record.output_path!)!, io: host };
}

const LAB1 = { demand_csv: DEMAND, start_time: 1, n_steps: 6 };
const validate = async (simulated: { record: ExperimentRecord; io: MemoryIO }) => {
  const v = await run(
    LuccValidationExecutor,
    { terrame_reference: TERRAME },
    { input: simulated.record.output_path!, output: 'out/validation.geojson', io: simulated.io },
  );
  return v.record.metrics;
};

/** The Lab1 raster run, shared by the tests that read it. */
const lab1Raster = run(LuccRasterExecutor, LAB1, { output: 'out/lab1.tif' });

describe('lucc_raster on Lab1 (csAC.zip, t = 1…6) against TerraME’s d_out', async () => {
  const raster = await lab1Raster;
  const out: RasterDataset = await readGeoTiff(raster.bytes);
  const band = (name: string) => out.bands.find((b) => b.name === name)!.data;
  const mask = band('mask');
  const cellSum = (name: string) => {
    const a = band(name);
    let s = 0;
    for (let k = 0; k < a.length; k++) if (mask[k] !== 0) s += a[k];
    return s;
  };

  it('reproduces the published Raster_vs_TerraME figures to the last digit (tolerance 0.01)', async () => {
    const m = await validate(raster);
    expect(m.match_pct).toBe(87.37450562823244);
    expect(m.mae).toBe(0.0035832335223444727);
    expect(m.rmse).toBe(0.006188163534159373);
    expect(m.max_err).toBe(0.027355464344323344);
    expect(m.n_cells).toBe(6574);
  });

  it('ends with the areas and cell sums of §9.3, every cell summing to 1 within 0.005', () => {
    expect((cellSum('d') * 25).toFixed(5)).toBe('23136.41606');
    expect((cellSum('f') * 25).toFixed(5)).toBe('134724.37152');
    expect(cellSum('f').toFixed(4)).toBe('5388.9749');
    expect(cellSum('d').toFixed(4)).toBe('925.4566');
    expect(cellSum('outros').toFixed(4)).toBe('259.5685');
    const f = band('f');
    const d = band('d');
    const o = band('outros');
    for (let k = 0; k < mask.length; k++) if (mask[k] !== 0) expect(Math.abs(f[k] + d[k] + o[k] - 1)).toBeLessThanOrEqual(0.005);
  });

  it('has the five largest changes of d that §9.3 lists', () => {
    const d0 = readShapefileZip(file('csAC.zip'));
    const initial = new Map(d0.features.map((ft) => [`${ft.properties.row},${ft.properties.col}`, ft.properties.d as number]));
    const d = band('d');
    const changes = [...initial].map(([key, before]) => {
      const [r, c] = key.split(',').map(Number);
      const k = r * out.width + c;
      return { r, c, before, after: d[k], f: band('f')[k], o: band('outros')[k], delta: d[k] - Math.fround(before) };
    });
    changes.sort((a, b) => b.delta - a.delta);
    const fmt = (x: number) => Number(x.toFixed(6)); // as §9.3 prints them
    expect(changes.slice(0, 5).map((x) => [x.r, x.c, fmt(x.before), fmt(x.after), fmt(x.f), fmt(x.o)])).toEqual([
      [50, 132, 0.009398, 0.184413, 0.815587, 0],
      [83, 127, 0.08302, 0.241038, 0.758962, 0],
      [49, 132, 0.013078, 0.16677, 0.831636, 0.001595],
      [70, 134, 0.048246, 0.194965, 0.805035, 0],
      [69, 134, 0.027751, 0.1741, 0.8259, 0],
    ]);
  });

  it('writes DisSModel’s 18 float32 bands in its backend order, the grid of the cells’ row/col, and logs the iterations', () => {
    expect(out.width).toBe(165);
    expect(out.height).toBe(89);
    expect(out.bands.map((b) => b.name)).toEqual([
      'mask',
      'f',
      'd',
      'outros',
      'assentamen',
      'uc_us',
      'uc_pi',
      'ti',
      'dist_riobr',
      'fertilidad',
      'rodovias',
      'region',
      'f_pot',
      'd_pot',
      'outros_pot',
      'f_past',
      'd_past',
      'outros_past',
    ]);
    expect(new Set(out.bands.map((b) => b.dtype))).toEqual(new Set(['float32']));
    expect(raster.record.logs.join('\n')).toContain('iterations per step 0, 0, 14, 17, 16, 16');
  });

  it('lucc_vector beside it: the same match %, and within DisSModel’s Vector_vs_Raster figures (MAE 8.26e-9, max 1.12e-7)', async () => {
    const vector = await run(LuccVectorExecutor, LAB1, { output: 'out/lab1.geojson' });
    const m = await validate(vector);
    // float64 columns: agrees with the raster to ~1e-8 (published Vector_vs_TerraME: MAE 0.003583, RMSE 0.006188, max 0.027355)
    expect(m).toMatchObject({
      match_pct: 87.37450562823244,
      mae: 0.0035832315039763117,
      rmse: 0.006188164136224939,
      max_err: 0.027355465233104365,
      n_cells: 6574,
    });
    const vd = readGeoJson(vector.bytes).features.map((f) => f.properties.d as number);
    const rows = readShapefileZip(file('csAC.zip')).features.map((f) => [f.properties.row as number, f.properties.col as number]);
    const rd = rows.map(([r, c]) => band('d')[r * out.width + c]);
    const vr = continuousMetrics(vd, rd, 0.01);
    expect(vr.mae.toPrecision(3)).toBe('8.26e-9');
    expect(vr.rmse.toPrecision(3)).toBe('1.39e-8');
    expect(vr.max_err.toPrecision(3)).toBe('1.12e-7');
  });
});

describe('scheduling (§9.3): what lucc_raster does by default, and one step less', () => {
  it('t = 0…6 (start_time 0, n_steps 7, DisSModel’s lucc_raster): 87.3745 %, MAE 0.0035832335619', async () => {
    const r = await run(LuccRasterExecutor, { demand_csv: DEMAND }, { output: 'out/t0.tif' });
    const m = await validate(r);
    expect((m.match_pct as number).toFixed(4)).toBe('87.3745');
    expect((m.mae as number).toPrecision(11)).toBe('0.0035832335619');
    expect((m.rmse as number).toPrecision(8)).toBe('0.0061881636');
    expect((m.max_err as number).toPrecision(9)).toBe('0.0273554643');
  });

  it('t = 1…5: 97.0946 %, MAE 0.0022765, Σd·25 22850.87793', async () => {
    const r = await run(LuccRasterExecutor, { demand_csv: DEMAND, start_time: 1, n_steps: 5 }, { output: 'out/t5.tif' });
    const m = await validate(r);
    expect((m.match_pct as number).toFixed(4)).toBe('97.0946');
    expect((m.mae as number).toPrecision(5)).toBe('0.0022765');
    expect((m.rmse as number).toPrecision(5)).toBe('0.0038818');
    expect((m.max_err as number).toPrecision(6)).toBe('0.0156036');
    const out: RasterDataset = await readGeoTiff(r.bytes);
    const d = out.bands.find((b) => b.name === 'd')!.data;
    const mask = out.bands[0].data;
    let s = 0;
    for (let k = 0; k < d.length; k++) if (mask[k] !== 0) s += d[k];
    expect((s * 25).toFixed(5)).toBe('22850.87793');
  });
});

describe('the spec: DisSModel’s model.toml, demand errors, convergence', () => {
  const toml = parseToml(new TextDecoder().decode(file('model.toml'))) as { model: Record<string, JsonValue> };

  it('DisSModel’s examples/model.toml gives the same run as the built-in Lab1 calibration', async () => {
    const a = await lab1Raster;
    const b = await run(LuccRasterExecutor, LAB1, { output: 'out/b.tif', spec: toml.model });
    expect(b.record.logs.join('\n')).not.toContain('Lab1 (Acre) calibration');
    expect(b.bytes).toEqual(a.bytes);
  });

  it('records the demand CSV’s URI in parameters and its SHA-256 as artifacts.input_demand_csv', async () => {
    const r = await run(LuccVectorExecutor, LAB1, { output: 'out/v.geojson' });
    expect(r.record.parameters.demand_csv).toBe(DEMAND);
    expect(r.record.artifacts.input_demand_csv).toBe('6dba13276497d203af75eda49382c5e00127ff38e8a62c8156a3cc88307e79c4');
  });

  it('a run without the demand is refused before loading, naming the parameter', async () => {
    await expect(run(LuccRasterExecutor, {}, { output: 'out/x.tif' })).rejects.toThrow(/needs the demand CSV .*'demand_csv'/);
  });

  it('missing demand rows for a step is a clear error naming the steps', async () => {
    await expect(run(LuccRasterExecutor, { demand_csv: DEMAND, n_steps: 9 }, { output: 'out/x.tif' })).rejects.toThrow(
      /has 7 rows \(steps 0…6\), but the run executes steps 0…8: no demand for step 7…8/,
    );
  });

  it('a demand without a land use’s column names it', async () => {
    const host = io();
    host.inputs.set('bad.csv', new TextEncoder().encode('f,d\n1,2\n'));
    await expect(run(LuccRasterExecutor, { demand_csv: 'bad.csv' }, { output: 'out/x.tif', io: host })).rejects.toThrow(
      /Columns missing from the demand CSV 'bad.csv': 'outros'\. Available columns: 'f', 'd'/,
    );
  });

  it('non-convergence raises DisSModel’s error naming the step', async () => {
    const host = io();
    // step 1 asks for twice the forest there is: no elasticity can allocate it
    host.inputs.set(
      'far.csv',
      new TextEncoder().encode('f,d,outros\n137878.1691,19982.62882,6489.202049\n275000,19982.62882,6489.202049\n'),
    );
    await expect(
      run(
        LuccVectorExecutor,
        { demand_csv: 'far.csv', start_time: 1, n_steps: 1, max_iteration: 20 },
        { output: 'out/x.geojson', io: host },
      ),
    ).rejects.toThrow(/^Allocation did not converge at step 1 \(error=\d+\.\d\)/);
  });

  it('potential rows out of land_use_types order are refused', async () => {
    const spec = JSON.parse(JSON.stringify(toml.model)) as { potential: JsonValue[] };
    spec.potential.reverse();
    await expect(
      run(LuccRasterExecutor, LAB1, { output: 'out/x.tif', spec: spec as unknown as Record<string, JsonValue> }),
    ).rejects.toThrow(/\[\[model.potential\]\] row 1 is for 'outros', but land_use_types puts 'f' there/);
  });
});

describe('outputs', () => {
  it('lucc_vector named .gpkg writes DisSModel’s GeoPackage layer “result” with the GeoJSON’s values', async () => {
    const a = await run(LuccVectorExecutor, { ...LAB1, n_steps: 1 }, { output: 'out/r.gpkg' });
    const j = await run(LuccVectorExecutor, { ...LAB1, n_steps: 1 }, { output: 'out/r.geojson' });
    expect(a.record.output_path).toMatch(/^out\/r_[0-9a-f]{8}\.gpkg$/);
    expect(a.record.artifacts.output).toBe(sha256Hex(a.bytes));
    const gpkg = await readGeoPackage(a.bytes, { layer: 'result' });
    const geojson = readGeoJson(j.bytes);
    expect(gpkg.features.length).toBe(6574);
    expect(gpkg.features.map((f) => f.properties.d)).toEqual(geojson.features.map((f) => f.properties.d));
    expect(gpkg.features.map((f) => f.properties.f_pot)).toEqual(geojson.features.map((f) => f.properties.f_pot));
  });
});
