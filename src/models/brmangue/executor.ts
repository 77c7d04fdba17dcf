/**
 * `brmangue`: the BR-MANGUE coastal model of DisSModel (brmangue-dissmodel):
 * FloodModel then MangroveModel each tick, on a raster (GeoTIFF with bands
 * uso, alt, solo and an optional mask) or a vector polygon layer (GeoJSON with
 * those columns; Queen neighbourhood from the geometry).
 *
 * Rules: src/models/coastal/rule.ts (readable), raster-kernel.ts (fused, and its
 * snapshot semantics and bit-level fidelity), vector-kernel.ts.
 * Like DisSModel's `brmangue_raster` executor the raster path loads uso/solo as
 * int16 codes and alt as float32 (so the thresholds are compared in float32 in
 * the first step), and writes a GeoTIFF with bands uso, alt, solo, all float32
 * (DisSModel 0.6.1 promotes int16 + float32 → float32), keeping the input's
 * georeferencing. The vector path keeps alt in float64 (a GeoJSON number), as
 * DisSModel's vector models do, and writes the layer back with updated columns.
 * Its FloodModel adds each source's flux straight onto alt, source by source in
 * Python `set` order of the feature index (vectorStepper); that order changes the
 * last bits of alt and, through `<=` ties, later floods, so the vector result is
 * DisSModel's vector model's, not the raster model's.
 *
 * Input checks (InputError): the three bands/columns exist (the message lists
 * what the file has); alt within [-500, 9000] m (DisSModel's plausibility
 * check) and uso codes in 0..10, naming the offending value and cell. With a
 * mask only valid cells are checked (DisSModel checks every cell, so a nodata
 * value outside the study area would be refused there).
 *
 * Nodata (GDAL_NODATA): a cell where uso, alt, solo or mask holds the nodata value
 * is outside the study area, as if mask were 0 — unchanged, never a source, not
 * counted as a neighbour, not checked for plausibility — and keeps its nodata value
 * in the output, which carries the same nodata tag (so −9999 elevations stay masked
 * for GDAL). Any other implausible alt is still refused, as DisSModel does.
 *
 * DisSModel's `passo` tag: a raster saved by DisSModel mid-run carries the step it was
 * saved at; DisSModel's raster executor continues from passo + 1, and so does this one
 * (from_passo, default true; start_time then is not used, which the record's log says).
 * A record DisSModel wrote leaves out parameters its executor defaulted: `reproduce` fills
 * them with DisSModel's values (spec.dissmodelDefaults: end_time 88, taxa_elevacao 0.5,
 * altura_mare 6.0, acrecao_ativa false), not this spec's.
 *
 * Metrics per step (series) and after the last step (record.metrics):
 * flooded_cells, newly_flooded, current_sea_level (rounded to 4 decimals),
 * mangrove_migrated, soil_migrated.
 */
import { InputError } from '../../executor/errors.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { SOLO_LABELS, USO_COLORS, USO_LABELS } from '../coastal/codes.ts';
import { coastalLayer, coastalRaster, type CoastalReading } from '../coastal/input.ts';
import { CoastalRaster, type CoastalMetrics, type CoastalOptions } from '../coastal/raster-kernel.ts';
import { coastalSchedule, pick } from '../coastal/schedule.ts';
import { CoastalVector } from '../coastal/vector-kernel.ts';
import {
  defineSpec,
  endTime,
  RASTER_OUTPUT,
  rasterOutput,
  SimulationExecutor,
  startTime,
  vectorOutput,
  type CanonicalField,
  type ParamsOf,
  type Sim,
} from '../kit/index.ts';

/** DisSModel's plausibility range for elevations (m). */
export const ALT_RANGE = [-500, 9000] as const;
export const USO_MAX = 10;

const FIELDS: readonly CanonicalField[] = [
  { name: 'uso', description: 'land use code 1–10', position: 1, categories: USO_LABELS, colors: USO_COLORS },
  { name: 'alt', description: 'elevation in metres', position: 2, unit: 'm' },
  {
    name: 'solo',
    description: 'soil code (0 river channel, 3 mangrove, 4 other, 9 migrated mangrove…)',
    position: 3,
    categories: SOLO_LABELS,
  },
  { name: 'mask', description: 'study area, non-zero = valid cell (optional)', required: false },
];

export const METRIC_KEYS: readonly (keyof CoastalMetrics)[] = [
  'flooded_cells',
  'newly_flooded',
  'current_sea_level',
  'mangrove_migrated',
  'soil_migrated',
];

const spec = defineSpec({
  name: 'brmangue',
  title: 'BR-MANGUE coastal flood and mangrove migration',
  description:
    'Sea-level rise floods low coastal cells next to the sea or flooded cells, and mangrove migrates inland onto vegetation or bare soil within the tidal reach (DisSModel brmangue-dissmodel: FloodModel then MangroveModel, synchronous, Moore/Queen neighbourhood).',
  family: 'Coastal dynamics',
  inputs: ['raster', 'vector'],
  bands: FIELDS,
  columns: FIELDS,
  params: {
    start_time: startTime(1, 'First tick (inclusive); DisSModel starts at the input’s passo + 1.'),
    end_time: endTime(20),
    taxa_elevacao: {
      type: 'float',
      default: 0.011,
      min: 0,
      max: 100,
      step: 0.001,
      unit: 'm/step',
      description: 'Sea-level rise per step (IPCC RCP8.5 ≈ 0.011 m/year); the sea level at tick t is t × taxa_elevacao.',
    },
    altura_mare: {
      type: 'float',
      default: 6.0,
      min: 0,
      max: 100,
      step: 0.5,
      unit: 'm',
      description: 'Tide height: mangrove migrates onto cells with alt ≤ altura_mare + sea level.',
    },
    acrecao_ativa: {
      type: 'bool',
      default: false,
      description: 'Sediment accretion on mangrove soils (Alongi 2008): alt += 1.693 mm + 0.939 × sea level per step.',
    },
    from_passo: {
      type: 'bool',
      default: true,
      description:
        'Raster input with a DisSModel `passo` tag (the step it was saved at): continue from step passo + 1, as DisSModel’s raster executor does, instead of start_time.',
    },
  },
  // brmangue_raster / brmangue_vector (DisSModel/brmangue-dissmodel): params.get('end_time', 88), rate 0.5, tide 6.0, accretion off
  dissmodelDefaults: { end_time: 88, taxa_elevacao: 0.5, altura_mare: 6.0, acrecao_ativa: false },
  output: RASTER_OUTPUT,
  sample: 'sample:ilha_maranhao_epsg31983.tif',
  displayLayer: 'uso',
});
type Params = ParamsOf<typeof spec.params>;

const options = (p: Params): CoastalOptions => ({
  rate: p.taxa_elevacao,
  padLower: false,
  mangrove: true,
  tide: p.altura_mare,
  accretion: p.acrecao_ativa,
});

export class BrMangueExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const layers = coastalRaster(ds, sim.record.band_map, READING, 'always', sim.reuseInput(ds)); // alt may take the bands' bytes
    const grid = new CoastalRaster({ ...layers, adopt: true }, options(p)); // the arrays were read for it: no second copy
    const start = startAfterPasso(ds, p, sim);
    const run = await sim.simulate(coastalSchedule({ ...p, start_time: start }, grid, METRIC_KEYS));
    sim.metrics(pick(grid.metrics, METRIC_KEYS));
    // DisSModel 0.6.1 writes int16 + float32 bands as float32; nodata cells get their nodata value back.
    // The codes stay the model's int16 arrays (no copy: the writer promotes int16 + float32 to float32, strip by
    // strip, the same values) unless nodata is written back, which float32 holds and int16 may not.
    const codes = layers.input.outside === null ? 'int16' : 'float32';
    return rasterOutput(
      layers.input,
      {
        uso: { data: grid.uso, dtype: codes },
        alt: { data: grid.narrowAltToFloat32(), dtype: 'float32' }, // in alt's own bytes: the grid is done
        solo: { data: grid.solo!, dtype: codes },
      },
      run,
    );
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const { stepper, cells } = vectorStepper(ds, sim.record.column_map, options(p));
    const run = await sim.simulate(coastalSchedule(p, stepper, METRIC_KEYS));
    sim.metrics(pick(stepper.metrics, METRIC_KEYS));
    return vectorOutput(cells, { uso: stepper.uso, alt: stepper.alt, solo: stepper.solo! }, run);
  }
}

/**
 * The first tick of a raster run: DisSModel's raster executor starts at `int(tags['passo']) + 1`
 * (a GeoTIFF it saved mid-run carries the step in a dataset-level GDAL metadata item `passo`);
 * with from_passo (the default) so does this one, and start_time is not used. No tag: start_time.
 */
export function startAfterPasso(ds: RasterDataset, p: Params, sim: Sim): number {
  const text = ds.tags?.passo;
  if (!p.from_passo || text === undefined) return p.start_time;
  const passo = Number(text.trim());
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(passo)) {
    throw new InputError(
      `The input's passo tag is '${text}', not a step number (a whole number ≥ 0). Fix the tag, or run with from_passo=false.`,
    );
  }
  if (passo + 1 > p.end_time) {
    throw new InputError(
      `The input's passo tag says step ${passo} is done, so the run would start at ${passo + 1}, after end_time ${p.end_time}: nothing to run. ` +
        `Give a later end_time, or run from start_time with from_passo=false.`,
    );
  }
  sim.log(`Continuing from step ${passo + 1}: the input's passo tag is ${passo} (from_passo; start_time ${p.start_time} not used)`);
  return passo + 1;
}

const READING: CoastalReading = { fields: FIELDS, uso: { min: 0, max: USO_MAX }, altRange: ALT_RANGE, nodata: 'outside' };

/** The raster stepper: uso, alt (as float32, as DisSModel loads it), solo and the optional mask, checked. */
export function rasterGrid(ds: RasterDataset, bandMap: Readonly<Record<string, string>>, options: CoastalOptions): CoastalRaster {
  return new CoastalRaster({ ...coastalRaster(ds, bandMap, READING, 'always'), adopt: true }, options);
}

/**
 * The vector stepper: the same columns after column_map, checked; Queen neighbours in DIRS_MOORE order.
 * Fluxes are summed as DisSModel's vector FloodModel does ('python', the default: each source's flux
 * added straight onto alt, sources in Python set order of the feature index), so a layer in the
 * GeoDataFrame's feature order reproduces DisSModel's vector run bit for bit
 * (tests/reference/brmangue_vector_ilha_crop*.json). 'moore' sums per receiving cell in DIRS_MOORE
 * order, which equals the raster model on a regular grid (not DisSModel's vector model).
 */
export function vectorStepper(
  ds: VectorDataset,
  columnMap: Readonly<Record<string, string>>,
  options: CoastalOptions,
  order: 'python' | 'moore' = 'python',
) {
  const { cells, ...layers } = coastalLayer(ds, columnMap, READING);
  return { stepper: new CoastalVector({ ...layers, order }, options), cells };
}
