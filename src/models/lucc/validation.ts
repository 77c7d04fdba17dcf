/**
 * `lucc_validation`: a simulated land-use map against a reference map (DisSModel's
 * `lucc_validation` executors: DisSLUCC-Continuous' Lab1 benchmark against TerraME's
 * `d_out`, DisSLUCC-Discrete's Lab6/Lab15). The input is the simulated map — a
 * vector layer (lucc_vector's output, or any layer with the column) or a raster
 * (lucc_raster's output, whose grid position is the cells' row/col); the reference is
 * an extra input (`terrame_reference`, as DisSModel names it), a vector layer with
 * the same key columns (or a raster of the same grid).
 *
 * Cells are paired by the key columns (`row`, `col` by default; `col`, `lin` for the
 * discrete Moju data), in the simulated layer's order (the reference's order for a
 * raster simulation), as DisSModel's pandas join does. The output is the error map:
 * the reference layer (or grid) with `simulated`, `reference`, `error` (simulated −
 * reference) and `abs_error`; the figures go to `record.metrics`.
 */
import { InputError, ParameterError } from '../../executor/errors.ts';
import { parseDataset } from '../../io/dataset.ts';
import type { Dataset, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { emptySeries } from '../../sim/output.ts';
import { VectorGrid } from '../../sim/vector.ts';
import { defineSpec, ExecutorRegistry, rasterOutput, SimulationExecutor, vectorOutput, type ParamsOf, type Sim } from '../kit/index.ts';
import { continuousMetrics, discreteMetrics } from './metrics.ts';

const params = {
  mode: {
    type: 'enum',
    default: 'continuous',
    options: ['continuous', 'discrete'],
    description: 'Fractions (match/MAE/RMSE/max) or classes (accuracy, Pontius, F1).',
  },
  tolerance: { type: 'float', default: 0.01, min: 0, description: 'A cell matches when |simulated − reference| ≤ tolerance (continuous).' },
  column: { type: 'string', default: 'd', maxLength: 64, description: 'Simulated column or band compared (DisSModel: d).' },
  reference_column: { type: 'string', default: 'd_out', maxLength: 64, description: 'Reference column or band (TerraME: d_out).' },
  keys: {
    type: 'string',
    default: 'row,col',
    maxLength: 64,
    description: 'Key columns pairing the cells (row,col; col,lin for the discrete data).',
  },
  threshold: { type: 'float', default: 0.5, description: 'Discrete mode: a cell is of the class when its value exceeds this.' },
  terrame_reference: {
    type: 'string',
    default: '',
    maxLength: 4096,
    description: 'The reference map (file or URI): TerraME/LuccME’s result.',
  },
} as const;
type Params = ParamsOf<typeof params>;

const spec = defineSpec({
  name: 'lucc_validation',
  title: 'LUCC validation',
  description:
    'Compares a simulated land-use map with a reference map (e.g. TerraME’s d_out): match % within a tolerance, MAE, RMSE, max error; or, for classes, accuracy, Pontius quantity/allocation disagreement, precision/recall/F1. Writes the error map.',
  family: 'Land-use change',
  inputs: ['vector', 'raster'],
  params,
  output: { kind: 'vector', extension: 'geojson', mediaType: 'application/geo+json' },
  extraInputs: [
    {
      name: 'reference',
      param: 'terrame_reference',
      title: 'the reference map',
      description: 'the map to compare with, e.g. LuccME’s Lab1 2014 result with its d_out column',
      extensions: ['zip', 'gpkg', 'geojson', 'json', 'fgb', 'tif', 'tiff'],
      sample: 'sample:LUCCME_Lab1_2014.zip',
    },
  ],
  sample: 'sample:csAC.zip',
  displayLayer: 'abs_error',
});

interface Paired {
  sim: Float64Array;
  ref: Float64Array;
}

export class LuccValidationExecutor extends SimulationExecutor<typeof params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private async reference(sim: Sim): Promise<Dataset> {
    const bytes = sim.input('reference');
    if (!bytes) throw new InputError('No reference map was loaded.', 'terrame_reference');
    return parseDataset(sim.inputUri('reference'), bytes);
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const ref = await this.reference(sim);
    if (ref.kind !== 'vector')
      throw new InputError('A vector simulation is compared with a vector reference; the reference is a raster.', 'terrame_reference');
    const keys = keyList(p.keys);
    const simCells = sim.cells(
      ds,
      [...keys, p.column].map((name) => ({ name, description: 'simulated map column' })),
    );
    const refCells = new VectorGrid(ref);
    need(refCells, [...keys, p.reference_column], 'the reference map');
    const refAt = new Map<string, number>();
    const refKey = keys.map((k) => refCells.column(k));
    for (let i = 0; i < refCells.size; i++) refAt.set(refKey.map((c) => c[i]).join('|'), i);
    const simKey = keys.map((k) => simCells.column(k));
    const sv = simCells.column(p.column);
    const rv = refCells.column(p.reference_column);
    const pairs: { s: number; r: number; i: number }[] = [];
    for (let i = 0; i < simCells.size; i++) {
      const j = refAt.get(simKey.map((c) => c[i]).join('|'));
      if (j !== undefined) pairs.push({ s: sv[i], r: rv[j], i: j });
    }
    if (pairs.length === 0)
      throw new InputError(`No cell of the simulated map has a (${keys.join(', ')}) found in the reference map.`, 'keys');
    sim.log(`Paired ${pairs.length} cells by (${keys.join(', ')}): ${simCells.size} simulated, ${refCells.size} in the reference.`);
    const paired = { sim: Float64Array.from(pairs, (x) => x.s), ref: Float64Array.from(pairs, (x) => x.r) };
    this.figures(paired, p, sim);
    return errorLayer(
      refCells,
      pairs.map((x) => x.i),
      paired,
    );
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const ref = await this.reference(sim);
    const band = ds.bands.find((b) => b.name === p.column);
    if (!band)
      throw new InputError(`The simulated raster has no band '${p.column}'. Bands: ${ds.bands.map((b) => b.name).join(', ')}.`, 'column');
    if (ref.kind === 'raster') {
      const rb = ref.bands.find((b) => b.name === p.reference_column);
      if (!rb)
        throw new InputError(
          `The reference raster has no band '${p.reference_column}'. Bands: ${ref.bands.map((b) => b.name).join(', ')}.`,
          'reference_column',
        );
      if (ref.width !== ds.width || ref.height !== ds.height) {
        throw new InputError(
          `The reference grid is ${ref.height} × ${ref.width}; the simulated one is ${ds.height} × ${ds.width}.`,
          'terrame_reference',
        );
      }
      const mask = ds.bands.find((b) => b.name === 'mask');
      const at: number[] = [];
      for (let k = 0; k < band.data.length; k++) if (!mask || mask.data[k] !== 0) at.push(k);
      const paired = { sim: Float64Array.from(at, (k) => band.data[k]), ref: Float64Array.from(at, (k) => rb.data[k]) };
      this.figures(paired, p, sim);
      const error = new Float32Array(band.data.length).fill(NaN);
      const abs = new Float32Array(band.data.length).fill(NaN);
      at.forEach((k, j) => {
        error[k] = paired.sim[j] - paired.ref[j];
        abs[k] = Math.abs(error[k]);
      });
      return rasterOutput(
        ds,
        { abs_error: { data: abs, dtype: 'float32' }, error: { data: error, dtype: 'float32' } },
        { series: emptySeries(), frames: [] },
      );
    }
    // A raster simulation of a row/col cellular space (lucc_raster's output) against the vector reference.
    const keys = keyList(p.keys);
    if (keys.length !== 2)
      throw new ParameterError(
        'A raster simulation is paired with a vector reference by two keys: the row and column indices (keys = "row,col").',
        'keys',
      );
    const refCells = new VectorGrid(ref);
    need(refCells, [...keys, p.reference_column], 'the reference map');
    const rows = refCells.column(keys[0]);
    const cols = refCells.column(keys[1]);
    const rv = refCells.column(p.reference_column);
    const idx: number[] = [];
    const s: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < refCells.size; i++) {
      const row = rows[i];
      const col = cols[i];
      if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0 || row >= ds.height || col >= ds.width) {
        throw new InputError(
          `Reference cell ${i} has ${keys[0]} ${row}, ${keys[1]} ${col}, outside the simulated grid of ${ds.height} × ${ds.width}.`,
          'keys',
        );
      }
      idx.push(i);
      s.push(band.data[row * ds.width + col]);
      r.push(rv[i]);
    }
    sim.log(`Paired ${idx.length} reference cells with the simulated grid by (${keys.join(', ')}) = (raster row, column).`);
    const paired = { sim: Float64Array.from(s), ref: Float64Array.from(r) };
    this.figures(paired, p, sim);
    return errorLayer(refCells, idx, paired);
  }

  private figures(paired: Paired, p: Params, sim: Sim): void {
    if (p.mode === 'continuous') {
      const m = continuousMetrics(paired.sim, paired.ref, p.tolerance);
      sim.metrics({ ...m });
      sim.log(
        `${p.column} vs ${p.reference_column} (tolerance ${p.tolerance}): match ${m.match_pct} %, MAE ${m.mae}, RMSE ${m.rmse}, max error ${m.max_err}, ${m.n_cells} cells`,
      );
    } else {
      const m = discreteMetrics(
        Array.from(paired.sim, (v) => v > p.threshold),
        Array.from(paired.ref, (v) => v > p.threshold),
      );
      sim.metrics({ ...m });
      sim.log(
        `${p.column} vs ${p.reference_column} (class: value > ${p.threshold}): accuracy ${m.accuracy}, quantity disagreement ${m.quantity_disagreement}, allocation disagreement ${m.allocation_disagreement}, ` +
          `precision ${m.precision}, recall ${m.recall}, F1 ${m.f1} (TP ${m.tp}, TN ${m.tn}, FP ${m.fp}, FN ${m.fn})`,
      );
    }
  }
}

function keyList(keys: string): string[] {
  const list = keys
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ParameterError('keys must name the key columns, e.g. "row,col".', 'keys');
  return list;
}

function need(grid: VectorGrid, names: readonly string[], what: string): void {
  const missing = names.filter((n) => !grid.hasColumn(n));
  if (missing.length) {
    throw new InputError(
      `${what} has no numeric column ${missing.map((m) => `'${m}'`).join(', ')}. Columns: ${grid.columnNames.join(', ')}.`,
      missing[0],
    );
  }
}

/** The reference layer with the paired cells' simulated and reference values and errors (NaN where a cell has no pair). */
function errorLayer(ref: VectorGrid, at: readonly number[], paired: Paired) {
  const n = ref.size;
  const cols = {
    abs_error: new Float64Array(n).fill(NaN),
    error: new Float64Array(n).fill(NaN),
    simulated: new Float64Array(n).fill(NaN),
    reference: new Float64Array(n).fill(NaN),
  };
  at.forEach((i, j) => {
    cols.simulated[i] = paired.sim[j];
    cols.reference[i] = paired.ref[j];
    cols.error[i] = paired.sim[j] - paired.ref[j];
    cols.abs_error[i] = Math.abs(cols.error[i]);
  });
  return vectorOutput(ref, cols, { series: emptySeries(), frames: [] });
}
