/**
 * `flood_benchmark`: the minimal inline flood model of DisSModel's benchmark
 * (dissmodel benchmarks/benchmark_flood_model.py, _FloodRaster / _FloodVector),
 * on a raster (bands uso, alt) or a vector polygon layer (columns uso, alt;
 * Queen neighbourhood from the geometry).
 *
 * Per tick t: sea level = t × taxa; sources = uso ∈ {3,6,7,9,10} with alt ≥ 0;
 * each source spreads taxa / (1 + #Moore neighbours not higher than it) to
 * itself and to each such neighbour; a dry use (1, 8 → 9; 2 → 10; 4 → 7; 5 → 6)
 * next to a source floods when its alt ≤ sea level. Unlike BR-MANGUE there is
 * no mask, and — the reference's quirk, reproduced on purpose — the RASTER
 * version counts the zero padding outside the grid as lower neighbours (alt 0
 * ≤ the source's alt), diluting the flux of border sources; the vector version
 * has no cells outside the layer. So raster and vector agree on uso but not on
 * alt near the borders (flood_benchmark_inline.json, raster_vs_vector). The
 * vector version also sums the fluxes in _FloodVector's order (each source's
 * flux added straight onto alt, sources in Python set order of the feature
 * index), because equal elevations make later `<=` ties sensitive to the last
 * bit: the result depends on the feature order, as in DisSModel.
 *
 * dtypes as in numpy: uso stays int16; alt (float32 in the benchmark) becomes
 * float64 after the first step — a float32 alt band is widened exactly and the
 * first step compares it with the sea level in float32, as numpy does. The
 * output GeoTIFF holds uso (int16) and alt (float64), so the file is float64,
 * with the input's georeferencing and nodata tag. The rule has no mask, so a
 * cell holding the nodata value in uso or alt is refused (BR-MANGUE treats such
 * cells as outside the study area instead).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { USO_COLORS, USO_LABELS } from '../coastal/codes.ts';
import { coastalLayer, coastalRaster, type CoastalReading } from '../coastal/input.ts';
import { CoastalRaster, type CoastalMetrics, type CoastalOptions, type CoastalRasterInit } from '../coastal/raster-kernel.ts';
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

const FIELDS: readonly CanonicalField[] = [
  {
    name: 'uso',
    description: 'land use code (3 sea; 6, 7, 9, 10 flooded; 1, 2, 4, 5, 8 dry)',
    position: 1,
    categories: USO_LABELS,
    colors: USO_COLORS,
  },
  { name: 'alt', description: 'elevation in metres', position: 2, unit: 'm' },
];

export const FLOOD_KEYS: readonly (keyof CoastalMetrics)[] = ['flooded_cells', 'newly_flooded', 'current_sea_level'];

const spec = defineSpec({
  name: 'flood_benchmark',
  title: 'Flood (DisSModel benchmark)',
  description:
    "The inline flood model of DisSModel's raster-vs-vector benchmark: sea-level rise spreads from the sea and flooded cells to lower neighbours and floods dry land at or below the sea level (Moore / Queen). The raster version counts the grid's zero padding as lower neighbours, as the reference does.",
  family: 'Coastal dynamics',
  inputs: ['raster', 'vector'],
  bands: FIELDS,
  columns: FIELDS,
  params: {
    taxa: {
      type: 'float',
      default: 0.011,
      min: 0,
      max: 100,
      step: 0.001,
      unit: 'm/step',
      description: 'Sea-level rise per step; the sea level at tick t is t × taxa.',
    },
    start_time: startTime(),
    end_time: endTime(12),
  },
  output: RASTER_OUTPUT,
  sample: 'sample:coast_10x14.tif',
  displayLayer: 'uso',
});
type Params = ParamsOf<typeof spec.params>;

const options = (p: Params): CoastalOptions => ({ rate: p.taxa, padLower: true, mangrove: false, tide: 0, accretion: false });

export class FloodBenchmarkExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const layers = coastalRaster(ds, sim.record.band_map, READING, 'band', sim.reuseInput(ds)); // alt may take the bands' bytes
    const run = await sim.simulate(coastalSchedule(p, floodStepper(layers, options(p)), FLOOD_KEYS));
    sim.metrics(pick(run.model.metrics, FLOOD_KEYS));
    // the stepper's arrays, already int16 and float64 and no longer stepped: the output bands as they are (no copy)
    return rasterOutput(
      layers.input,
      { uso: { data: run.model.uso, dtype: 'int16' }, alt: { data: run.model.alt, dtype: 'float64' } },
      run,
    );
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const { stepper, cells } = floodVector(ds, sim.record.column_map, options(p));
    const run = await sim.simulate(coastalSchedule(p, stepper, FLOOD_KEYS));
    sim.metrics(pick(stepper.metrics, FLOOD_KEYS));
    return vectorOutput(cells, { uso: stepper.uso, alt: stepper.alt }, run);
  }
}

const READING: CoastalReading = { fields: FIELDS, uso: { min: -32768, max: 32767 }, nodata: { refuse: 'The benchmark flood' } };

/** The raster stepper (zero-padding quirk on). A float32 alt band keeps numpy's float32 comparisons in step 1. */
export function floodRaster(ds: RasterDataset, bandMap: Readonly<Record<string, string>>, options: CoastalOptions): CoastalRaster {
  return floodStepper(coastalRaster(ds, bandMap, READING, 'band'), options);
}

const floodStepper = (layers: CoastalRasterInit, options: CoastalOptions) =>
  new CoastalRaster({ ...layers, adopt: true }, { ...options, padLower: true, mangrove: false }); // arrays read for it: no second copy

/**
 * The vector stepper: Queen neighbours from the geometry; fluxes summed as
 * DisSModel's _FloodVector does (onto alt, sources in Python set order of the
 * feature index), so a layer in the GeoDataFrame's feature order reproduces
 * the Python vector run bit for bit.
 */
export function floodVector(ds: VectorDataset, columnMap: Readonly<Record<string, string>>, options: CoastalOptions) {
  const { cells, ...layers } = coastalLayer(ds, columnMap, READING);
  return { stepper: new CoastalVector({ ...layers, order: 'python' }, { ...options, mangrove: false }), cells };
}
