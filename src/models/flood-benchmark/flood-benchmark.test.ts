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
import type { VectorDataset } from '../../sim/dataset.ts';
import { gridOrderToRaster, rasterToGridOrder, vectorGrid, VectorGrid } from '../../sim/vector.ts';
import { CoastalRaster, type CoastalOptions } from '../coastal/raster-kernel.ts';
import { CoastalVector, orderNeighborsLikeMoore, pythonSetOrder } from '../coastal/vector-kernel.ts';
import { plain, rasterFromGrids } from '../test-grids.ts';
import '../index.ts';
import { FloodBenchmarkExecutor, floodRaster, floodVector } from './executor.ts';

const ref = JSON.parse(readFileSync(new URL('../../../tests/reference/flood_benchmark_inline.json', import.meta.url), 'utf8'));
const rows: number = ref.rows;
const cols: number = ref.cols;
const steps: number = ref.steps;
const options: CoastalOptions = { rate: ref.taxa, padLower: true, mangrove: false, tide: 0, accretion: false };
const flat = (g: number[][]) => g.flat();
const initialRaster = () => rasterFromGrids({ uso: ref.initial.uso, alt: ref.initial.alt }, { uso: 'int16', alt: 'float32' });

/**
 * The reference's vector input as the benchmark's _make_gdf builds it: 100 m boxes,
 * features row-major with row 0 at the TOP (gdf index k = r * cols + c).
 */
function referenceLayer(): VectorDataset {
  const ds: VectorDataset = { kind: 'vector', columns: ['uso', 'alt'], epsg: 31984, features: [] };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [x0, y0] = [c * 100, (rows - 1 - r) * 100];
      const [x1, y1] = [x0 + 100, y0 + 100];
      ds.features.push({
        id: null,
        properties: { uso: ref.initial.uso[r][c], alt: ref.initial.alt[r][c] },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x1, y0],
              [x1, y1],
              [x0, y1],
              [x0, y0],
              [x1, y0],
            ],
          ],
        },
      });
    }
  }
  return ds;
}

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

  it('vector (Queen from geometry), layer in the reference GeoDataFrame order: uso and alt exact after every step', () => {
    const { stepper } = floodVector(referenceLayer(), {}, options);
    for (let t = 1; t <= steps; t++) {
      stepper.step(t);
      const want = ref.vector_after_step[String(t)];
      expect(plain(stepper.uso), `uso after step ${t}`).toEqual(flat(want.uso));
      expect(plain(stepper.alt), `alt after step ${t}`).toEqual(flat(want.alt));
    }
  });

  it('vector on a vector_grid (column-major, row 0 at the bottom): uso exact, alt within 1e-12 relative', () => {
    // Same cells in another feature order: the Python-set order of the sources changes, so
    // the float64 sums may differ in the last bits (as DisSModel's would).
    const { stepper } = floodVector(initialLayer(), {}, options);
    let worst = 0;
    for (let t = 1; t <= steps; t++) {
      stepper.step(t);
      const want = ref.vector_after_step[String(t)]; // laid out like the raster: row 0 at the top
      expect(plain(gridOrderToRaster(stepper.uso, rows, cols)), `uso after step ${t}`).toEqual(flat(want.uso));
      worst = Math.max(worst, maxRelDiff(gridOrderToRaster(stepper.alt, rows, cols), flat(want.alt)));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('raster and vector agree on uso and differ on alt exactly as the reference says', () => {
    const grid = floodRaster(initialRaster(), {}, options);
    const { stepper } = floodVector(referenceLayer(), {}, options);
    for (let t = 1; t <= steps; t++) {
      grid.step(t);
      stepper.step(t);
      expect(plain(stepper.uso), `uso at step ${t}`).toEqual(plain(grid.uso));
      let maxAbs = 0;
      for (let i = 0; i < grid.alt.length; i++) maxAbs = Math.max(maxAbs, Math.abs(stepper.alt[i] - grid.alt[i]));
      expect(maxAbs, `alt at step ${t}`).toBe(ref.raster_vs_vector[String(t)].alt_max_abs_diff);
      expect(ref.raster_vs_vector[String(t)].uso_identical).toBe(true);
    }
  });

  it('without the padding quirk the raster equals the vector summed in DIRS_MOORE order, bit for bit', () => {
    const grid = new CoastalRaster(
      { rows, cols, uso: Int16Array.from(flat(ref.initial.uso)), alt: Float64Array.from(flat(ref.initial.alt)), altFloat32: false },
      { ...options, padLower: false },
    );
    const layer = initialLayer();
    const cells = new VectorGrid(layer);
    const nb = orderNeighborsLikeMoore(
      cells.neighborhood('queen'),
      layer.features.map((f) => f.geometry),
    );
    const vec = new CoastalVector(
      {
        uso: Int16Array.from(cells.column('uso')),
        alt: cells.column('alt').slice(),
        offsets: nb.offsets,
        neighbors: nb.neighbors,
        order: 'moore',
      },
      options,
    );
    for (let t = 1; t <= steps; t++) {
      grid.step(t);
      vec.step(t);
      expect(plain(gridOrderToRaster(vec.alt, rows, cols)), `alt at step ${t}`).toEqual(plain(grid.alt));
      expect(plain(gridOrderToRaster(vec.uso, rows, cols)), `uso at step ${t}`).toEqual(plain(grid.uso));
    }
  });

  it('emulates the iteration order of a Python set of ints', () => {
    // list(set([...])) in CPython 3.11 (also checked there on 300 random sorted key lists)
    expect(Array.from(pythonSetOrder([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(pythonSetOrder([3, 40, 64, 65]))).toEqual([40, 64, 3, 65]);
    expect(Array.from(pythonSetOrder([8, 16, 24, 32]))).toEqual([8, 16, 32, 24]);
    const keys = [
      9, 11, 12, 14, 15, 16, 17, 18, 22, 23, 24, 26, 30, 31, 34, 36, 38, 46, 48, 52, 54, 56, 57, 61, 74, 78, 82, 93, 95, 101, 107, 108, 111,
      127, 129, 136, 137, 138, 140, 141, 142, 143, 144, 146, 147, 148, 149, 156, 160, 161, 166, 170, 171, 176, 177, 183, 190, 192, 195, 197,
    ];
    expect(Array.from(pythonSetOrder(keys))).toEqual([
      129, 136, 9, 137, 11, 12, 138, 14, 15, 16, 17, 18, 140, 141, 142, 22, 23, 24, 144, 26, 146, 147, 148, 30, 31, 156, 160, 34, 161, 36,
      38, 166, 170, 171, 46, 48, 176, 177, 52, 54, 183, 56, 57, 61, 190, 192, 195, 197, 74, 78, 143, 82, 93, 95, 101, 107, 108, 149, 111,
      127,
    ]);
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
    const input = writeGeoJson(referenceLayer());
    const { outcome, record, written } = await runExecutor('flood.geojson', input, { end_time: 12 });
    expect(outcome.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.output_path!.endsWith('.geojson')).toBe(true);
    expect(getOutputSha256(record)).toBe(sha256Hex(written!));
    const out = readGeoJson(written!);
    expect(out.features.map((f) => f.properties.uso)).toEqual(flat(ref.vector_after_step['12'].uso));
    expect(out.features.map((f) => f.properties.alt)).toEqual(flat(ref.vector_after_step['12'].alt));
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
