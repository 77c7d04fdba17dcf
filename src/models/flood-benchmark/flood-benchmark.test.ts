import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, ParameterError } from '../../executor/errors.ts';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256Hex } from '../../io/sha256.ts';
import type { VectorDataset } from '../../io/types.ts';
import { gridOrderToRaster, rasterIndexOfIds, rasterToGridOrder, vectorGrid } from '../../sim/vector.ts';
import type { CoastalOptions } from '../common/coastal-raster.ts';
import { plain, rasterFromGrids } from '../common/test-grids.ts';
import '../index.ts';
import { FloodBenchmarkExecutor, floodRaster, floodVector } from './executor.ts';

const ref = JSON.parse(readFileSync(new URL('../../../../shared/reference/flood_benchmark_inline.json', import.meta.url), 'utf8'));
const rows: number = ref.rows;
const cols: number = ref.cols;
const steps: number = ref.steps;
const options: CoastalOptions = { rate: ref.taxa, padLower: true, mangrove: false, tide: 0, accretion: false };
const flat = (g: number[][]) => g.flat();
const initialRaster = () => rasterFromGrids({ uso: ref.initial.uso, alt: ref.initial.alt }, { uso: 'int16', alt: 'float32' });

/** The reference's initial values on DisSModel's vector_grid (column-major, row 0 at the bottom). */
function initialLayer(): VectorDataset {
  const ds = vectorGrid({ cols, rows, resolution: 100, epsg: 31984 });
  const uso = rasterToGridOrder(flat(ref.initial.uso), rows, cols);
  const alt = rasterToGridOrder(flat(ref.initial.alt), rows, cols);
  ds.features.forEach((f, k) => {
    f.properties.uso = uso[k];
    f.properties.alt = alt[k];
  });
  ds.columns.push('uso', 'alt');
  return ds;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) m = Math.max(m, d / Math.max(Math.abs(a[i]), Math.abs(b[i])));
  }
  return m;
}

async function runExecutor(uri: string, bytes: Uint8Array, parameters: Record<string, number>, init: Partial<ExperimentRecord> = {}) {
  const io = new MemoryIO();
  io.inputs.set(uri, bytes);
  const record = createRecord({ model_name: 'flood_benchmark', source: { type: 'local', uri }, parameters, ...init });
  const outcome = await executeLifecycle(new FloodBenchmarkExecutor(), record, { io });
  const written = record.output_path ? io.written.get(record.output_path) : undefined;
  return { outcome, record, written };
}

describe('flood_benchmark against flood_benchmark_inline.json (8 × 10, 12 steps)', () => {
  it('raster: uso and alt exact after every step (zero-padding quirk, float32 → float64 alt)', () => {
    const grid = floodRaster(initialRaster(), {}, options);
    expect(grid.altFloat32).toBe(true);
    for (let t = 1; t <= steps; t++) {
      grid.step(t);
      const want = ref.raster_after_step[String(t)];
      expect(plain(grid.uso), `uso after step ${t}`).toEqual(flat(want.uso));
      expect(plain(grid.alt), `alt after step ${t}`).toEqual(flat(want.alt));
    }
  });

  it('vector (vector_grid + Queen from geometry): uso exact, alt within 1e-15 relative of the reference', () => {
    const { stepper } = floodVector(initialLayer(), {}, options);
    let worst = 0;
    for (let t = 1; t <= steps; t++) {
      stepper.step(t);
      const want = ref.vector_after_step[String(t)];
      // vector_after_step is laid out like the raster (row 0 at the top); our layer is vector_grid order
      expect(plain(gridOrderToRaster(stepper.uso, rows, cols)), `uso after step ${t}`).toEqual(flat(want.uso));
      const rel = maxRelDiff(gridOrderToRaster(stepper.alt, rows, cols), flat(want.alt));
      worst = Math.max(worst, rel);
    }
    // DisSModel's vector model adds each source's flux straight onto alt (set order); we add the
    // summed flux once, in DIRS_MOORE order like the raster — last-bit differences only.
    expect(worst).toBeLessThan(1e-15);
  });

  it('raster and vector agree on uso and differ on alt exactly as the reference says', () => {
    const grid = floodRaster(initialRaster(), {}, options);
    const { stepper } = floodVector(initialLayer(), {}, options);
    for (let t = 1; t <= steps; t++) {
      grid.step(t);
      stepper.step(t);
      const vUso = gridOrderToRaster(stepper.uso, rows, cols);
      const vAlt = gridOrderToRaster(stepper.alt, rows, cols);
      expect(plain(vUso), `uso at step ${t}`).toEqual(plain(grid.uso));
      let maxAbs = 0;
      for (let i = 0; i < vAlt.length; i++) maxAbs = Math.max(maxAbs, Math.abs(vAlt[i] - grid.alt[i]));
      expect(maxAbs).toBeCloseTo(ref.raster_vs_vector[String(t)].alt_max_abs_diff, 14);
    }
  });

  it('without the padding quirk (no off-grid neighbours) the raster equals the vector bit for bit', async () => {
    const { CoastalRaster } = await import('../common/coastal-raster.ts');
    const grid = new CoastalRaster(
      { rows, cols, uso: Int16Array.from(flat(ref.initial.uso)), alt: Float64Array.from(flat(ref.initial.alt)), altFloat32: false },
      { ...options, padLower: false },
    );
    const { stepper } = floodVector(initialLayer(), {}, options);
    for (let t = 1; t <= steps; t++) {
      grid.step(t);
      stepper.step(t);
    }
    expect(plain(gridOrderToRaster(stepper.alt, rows, cols))).toEqual(plain(grid.alt));
  });
});

describe('flood_benchmark executor end to end', () => {
  it('is registered and passes the contract checks', () => {
    expect(ExecutorRegistry.get('flood_benchmark')).toBe(FloodBenchmarkExecutor);
    expect(runContractTests(FloodBenchmarkExecutor).checks.filter((k) => !k.ok)).toEqual([]);
  });

  it('GeoTIFF in → GeoTIFF out with the reference values after 12 steps, reproducibly', async () => {
    const input = writeGeoTiff({
      ...initialRaster(),
      transform: { originX: 0, originY: 800, pixelWidth: 100, pixelHeight: 100 },
      epsg: 31984,
    });
    const { outcome, record, written } = await runExecutor('flood.tif', input, {});
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.parameters).toEqual({ taxa: 0.011, start_time: 1, end_time: 12 });
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = await readGeoTiff(written!);
    expect(out.bands.map((b) => b.name)).toEqual(['uso', 'alt']);
    expect(out.bands[1].dtype).toBe('float64'); // int16 uso + float64 alt → one float64 file
    expect(out.transform).toEqual({ originX: 0, originY: 800, pixelWidth: 100, pixelHeight: 100 });
    expect(out.epsg).toBe(31984);
    expect(plain(out.bands[0].data)).toEqual(flat(ref.raster_after_step['12'].uso));
    expect(plain(out.bands[1].data)).toEqual(flat(ref.raster_after_step['12'].alt));
    const series = (outcome.result as { series: { steps: number[]; values: Record<string, number[]> } }).series;
    expect(series.steps).toHaveLength(12);
    expect(series.values.current_sea_level[11]).toBe(0.132);
    expect(record.metrics.flooded_cells).toBe(series.values.flooded_cells[11]);
    const again = await runExecutor('flood.tif', input, {});
    expect(again.written).toEqual(written);
  });

  it('GeoJSON in → GeoJSON out with the reference vector values, reproducibly', async () => {
    const input = writeGeoJson(initialLayer());
    const { outcome, record, written } = await runExecutor('flood.geojson', input, { end_time: 12 });
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.output_path!.endsWith('.geojson')).toBe(true);
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = readGeoJson(written!);
    const where = rasterIndexOfIds(out.features.map((f) => String(f.id)), rows, cols);
    const uso = new Float64Array(rows * cols);
    const alt = new Float64Array(rows * cols);
    out.features.forEach((f, k) => {
      uso[where[k]] = f.properties.uso as number;
      alt[where[k]] = f.properties.alt as number;
    });
    expect(plain(uso)).toEqual(flat(ref.vector_after_step['12'].uso));
    expect(maxRelDiff(alt, flat(ref.vector_after_step['12'].alt))).toBeLessThan(1e-15);
    const again = await runExecutor('flood.geojson', input, { end_time: 12 });
    expect(again.written).toEqual(written);
  });

  it('a column_map renames the input columns', async () => {
    const layer = initialLayer();
    for (const f of layer.features) {
      f.properties.elev = f.properties.alt;
      delete f.properties.alt;
    }
    layer.columns = ['uso', 'elev'];
    const { record } = await runExecutor('renamed.geojson', writeGeoJson(layer), { end_time: 3 }, { column_map: { alt: 'elev' } });
    expect(record.status).toBe('completed');
  });

  it('refuses a raster without alt (listing its bands) and out-of-range parameters', async () => {
    const noAlt = writeGeoTiff(rasterFromGrids({ uso: ref.initial.uso, dem: ref.initial.alt }, { uso: 'int16', dem: 'float32' }));
    let r = await runExecutor('no_alt.tif', noAlt, {});
    expect(r.record.status).toBe('failed');
    expect(r.outcome.error).toBeInstanceOf(InputError);
    expect((r.outcome.error as Error).message).toMatch(/no band 'alt'.*Bands: 1:uso, 2:dem/);
    r = await runExecutor('no_alt.tif', noAlt, {}, { band_map: { alt: 'dem' } });
    expect(r.record.status).toBe('completed');
    r = await runExecutor('flood.tif', noAlt, { taxa: -1 });
    expect(r.outcome.failedPhase).toBe('validate');
    expect(r.outcome.error).toBeInstanceOf(ParameterError);
    expect((r.outcome.error as Error).message).toMatch(/taxa.*out of range \[0, 100\]/);
  });
});
