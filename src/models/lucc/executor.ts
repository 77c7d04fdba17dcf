/**
 * `lucc_raster` and `lucc_vector`: DisSLUCC-Continuous's CLUE-like executors
 * (DISSMODEL-SPEC §6.4). The same model on two substrates: the raster one
 * rasterises a vector cellular space by its integer `row`/`col` (DisSModel's
 * mock raster, −1 outside the cells, a float32 `mask`) or takes a raster with
 * the bands, and computes in float32; the vector one works on the layer's
 * float64 columns. The demand CSV is an extra input (`demand_csv`).
 *
 * Scheduling: steps `start_time` … `start_time + n_steps − 1`. DisSModel's
 * `lucc_raster` runs `Environment(end_time=n_steps-1)` (start_time 0, the
 * default here); its Lab1 benchmark runs t = 1…6 (start_time 1, n_steps 6),
 * which is what reproduces the published figures (§9.3).
 */
import { InputError } from '../../executor/errors.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import { rasterizeRowCol } from '../../io/convert.ts';
import type { RasterBand } from '../../sim/dataset.ts';
import {
  defineSpec,
  ExecutorRegistry,
  rasterOutput,
  SimulationExecutor,
  vectorOutput,
  type ParamsOf,
  type RasterDataset,
  type Sim,
  type VectorDataset,
} from '../kit/index.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import type { RunContext } from '../../executor/context.ts';
import { ParameterError } from '../../executor/errors.ts';
import { AllocationClueLike, PotentialLinear, type Space } from './clue.ts';
import { LAB1_MODEL, luccConfig, type LuccConfig } from './config.ts';
import { checkDemandCovers, Demand, parseDemandCsv } from './demand.ts';
import { rasterSpace, vectorSpace } from './space.ts';

export const DEMAND_INPUT = {
  name: 'demand',
  param: 'demand_csv',
  title: 'the demand CSV',
  description: 'area of each land use per step: a header naming the land uses, row t = step t, row 0 = the initial year',
  extensions: ['csv'],
  sample: 'sample:examples_demand_lab1.csv',
} as const;

const params = {
  n_steps: { type: 'int', default: 7, min: 1, max: 10_000, description: 'Steps to execute (DisSModel n_steps).' },
  start_time: {
    type: 'int',
    default: 0,
    min: 0,
    max: 10_000,
    description: 'First step: 0 as DisSModel’s lucc_raster (t = 0…n_steps−1); 1 as its Lab1 benchmark (t = 1…n_steps).',
  },
  demand_csv: {
    type: 'string',
    default: '',
    maxLength: 4096,
    description: 'The demand CSV (file or URI): one row per step, a column per land use.',
  },
  max_difference: {
    type: 'float',
    default: 1643,
    min: 0,
    description: 'Largest allowed |allocated − demanded| area per land use (doubled after half of max_iteration).',
  },
  max_iteration: {
    type: 'int',
    default: 1000,
    min: 1,
    max: 1_000_000,
    description: 'Iterations of the allocation loop before it gives up.',
  },
  initial_elasticity: { type: 'float', default: 0.1, min: 0, description: 'Elasticity each step starts from.' },
  min_elasticity: { type: 'float', default: 0.001, min: 0, description: 'Lower bound of the elasticity.' },
  max_elasticity: { type: 'float', default: 1.5, min: 0, description: 'Upper bound of the elasticity.' },
  resolution: {
    type: 'float',
    default: 5000.0,
    min: 0,
    description: 'Cell size (DisSModel parameter; the grid comes from the cells’ row/col).',
  },
} as const;
type Params = ParamsOf<typeof params>;

/** Keys of [model.parameters] that are the model's specification, not unknown parameters. */
const SPEC_KEYS = ['land_use_types', 'land_use_no_data', 'complementar_lu', 'cell_area', 'crs', 'interactive'];

const DESCRIPTION =
  'DisSLUCC-Continuous (LuccME CLUE-like): demand per step, potential by linear regression, allocation with elasticities, cell correction and a complementary land use. ' +
  'Land uses, drivers and coefficients come from the TOML ([model.parameters], [model.static], [[model.potential]], [[model.allocation]]); without them, the Lab1 (Acre) calibration.';

abstract class LuccExecutor extends SimulationExecutor<typeof params> {
  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    const columnMap = record.column_map;
    record.column_map = {};
    try {
      super.validate(record, ctx, drawSeed);
    } finally {
      record.column_map = columnMap;
    }
    const cfg = luccConfig(record);
    record.logs = record.logs.filter((l) => !l.startsWith(`Ignored parameters not used by ${this.spec.name}:`));
    const unknown = Object.keys(record.parameters).filter((k) => !(k in params) && !SPEC_KEYS.includes(k));
    if (unknown.length) record.logs.push(`Ignored parameters not used by ${this.spec.name}: ${unknown.join(', ')}`);
    const canonical = [...cfg.landUseTypes, ...cfg.drivers, 'row', 'col'];
    for (const key of Object.keys(columnMap)) {
      if (!canonical.includes(key)) {
        throw new ParameterError(
          `column_map names '${key}', which is not a land use or driver of this model. Canonical names: ${canonical.join(', ')}.`,
          'column_map',
        );
      }
    }
    if (cfg.lab1Defaults) record.logs.push('No [[model.potential]] in the spec: using DisSModel’s Lab1 (Acre) calibration.');
  }

  protected schedule(p: Params, sim: Sim, cfg: LuccConfig, space: Space, layerName: string) {
    const bytes = sim.input('demand');
    if (!bytes) throw new InputError('No demand CSV was loaded.', 'demand_csv');
    const table = parseDemandCsv(new TextDecoder().decode(bytes), cfg.landUseTypes, `the demand CSV '${sim.inputUri('demand')}'`);
    const start = p.start_time;
    const end = p.start_time + p.n_steps - 1;
    checkDemandCovers(table, start, end, `the demand CSV '${sim.inputUri('demand')}'`);
    const opts = {
      maxDifference: p.max_difference,
      maxIteration: p.max_iteration,
      initialElasticity: p.initial_elasticity,
      minElasticity: p.min_elasticity,
      maxElasticity: p.max_elasticity,
    };
    const area = (lu: string): number => {
      const a = space.arrays.get(lu)!;
      let s = 0;
      for (const k of space.valid) s += a[k];
      return s * cfg.cellArea;
    };
    return sim.simulate({
      start,
      end,
      note: `${space.valid.length} cells, land uses ${cfg.landUseTypes.join(', ')}`,
      build: (env) => {
        const demand = new Demand(env, table);
        const potential = new PotentialLinear(env, space, cfg, demand);
        return new AllocationClueLike(env, space, cfg, demand, potential, opts);
      },
      layer: () => space.arrays.get(layerName)!.slice(),
      summary: () => Object.fromEntries(cfg.landUseTypes.map((lu) => [`area_${lu}`, area(lu)])),
      done: (m) => `iterations per step ${m.iterations.join(', ')}; areas ${cfg.landUseTypes.map((lu) => `${lu} ${area(lu)}`).join(', ')}`,
    });
  }
}

/** The land use the map shows: the first that is not the complementary one. */
const shown = (cfg: LuccConfig): string => cfg.landUseTypes.find((lu) => lu !== cfg.complementarLu) ?? cfg.landUseTypes[0];

/** The bands DisSModel's backend holds after a run, in its insertion order. */
function outputNames(cfg: LuccConfig, mask: boolean): string[] {
  return [
    ...(mask ? ['mask'] : []),
    ...cfg.landUseTypes,
    ...cfg.drivers,
    'region',
    ...cfg.landUseTypes.map((lu) => lu + '_pot'),
    ...cfg.landUseTypes.map((lu) => lu + '_past'),
  ];
}

const rasterSpec = defineSpec({
  name: 'lucc_raster',
  title: 'LUCC CLUE-like (raster)',
  description: DESCRIPTION + ' Raster substrate, float32.',
  family: 'Land-use change',
  inputs: ['vector', 'raster'],
  params,
  output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' },
  extraInputs: [DEMAND_INPUT],
  defaultModel: LAB1_MODEL,
  sample: 'sample:csAC.zip',
  displayLayer: 'd',
});

export class LuccRasterExecutor extends LuccExecutor {
  static readonly spec = rasterSpec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const cfg = luccConfig(sim.record);
    const mapped = Object.keys(sim.record.column_map).length ? applyColumnMap(ds, sim.record.column_map) : ds;
    const grid = rasterizeRowCol(mapped, { attrs: [...cfg.landUseTypes, ...cfg.drivers], nodataValue: -1 });
    sim.log(
      `Rasterized by row/col: shape=(${grid.height}, ${grid.width}) valid=${ds.features.length} cells; ` +
        'the output grid has no CRS or transform, as DisSModel’s lucc_raster writes it (row/col define it, the layer’s .prj is not carried).',
    );
    return this.runGrid({ ...grid, epsg: null, crsWkt: null }, grid.bands, p, sim, cfg);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const cfg = luccConfig(sim.record);
    const byName = (name: string): RasterBand | undefined => ds.bands.find((b) => b.name === (sim.record.band_map[name] ?? name));
    const needed = [...cfg.landUseTypes, ...cfg.drivers];
    const missing = needed.filter((n) => !byName(n));
    if (missing.length) {
      throw new InputError(
        `The raster has no band${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} (land uses and drivers of the spec). Bands: ${ds.bands.map((b) => b.name).join(', ')}.`,
        missing[0],
      );
    }
    const mask = byName('mask');
    const bands = [...(mask ? [{ ...mask, name: 'mask' }] : []), ...needed.map((n) => ({ ...byName(n)!, name: n }))];
    return this.runGrid(ds, bands, p, sim, cfg);
  }

  private async runGrid(like: RasterDataset, bands: readonly RasterBand[], p: Params, sim: Sim, cfg: LuccConfig) {
    const space = rasterSpace(bands, like.width * like.height);
    const run = await this.schedule(p, sim, cfg, space, shown(cfg));
    const out = Object.fromEntries(
      outputNames(cfg, space.arrays.has('mask')).map((n) => [n, { data: space.arrays.get(n)!, dtype: 'float32' as const }]),
    );
    const result = rasterOutput({ ...like, bands: [] }, out, run, shown(cfg));
    // Outside the cells the land uses, drivers and pasts hold −1 (DisSModel's nodata_value): the map leaves them out of the
    // colour ramp. The GeoTIFF carries no nodata tag (its bands differ: mask 0, region 1), as DisSModel's file.
    const outside = new Set([...cfg.landUseTypes, ...cfg.drivers, ...cfg.landUseTypes.map((lu) => lu + '_past')]);
    if (result.kind === 'raster' && space.arrays.has('mask')) for (const b of result.dataset.bands) if (outside.has(b.name)) b.nodata = -1;
    return result;
  }
}

const vectorSpec = defineSpec({
  name: 'lucc_vector',
  title: 'LUCC CLUE-like (vector)',
  description: DESCRIPTION + ' Vector substrate, float64.',
  family: 'Land-use change',
  inputs: ['vector'],
  params,
  output: { kind: 'vector', extension: 'geojson', mediaType: 'application/geo+json' },
  extraInputs: [DEMAND_INPUT],
  defaultModel: LAB1_MODEL,
  sample: 'sample:csAC.zip',
  displayLayer: 'd',
});

export class LuccVectorExecutor extends LuccExecutor {
  static readonly spec = vectorSpec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const cfg = luccConfig(sim.record);
    const names = [...cfg.landUseTypes, ...cfg.drivers];
    const cells = sim.cells(
      ds,
      names.map((name) => ({ name, description: cfg.landUseTypes.includes(name) ? 'land-use fraction' : 'driver' })),
    );
    const space = vectorSpace(new Map(names.map((n) => [n, cells.column(n)])), cells.size);
    const run = await this.schedule(p, sim, cfg, space, shown(cfg));
    const out = Object.fromEntries(
      outputNames(cfg, false)
        .filter((n) => !cfg.drivers.includes(n))
        .map((n) => [n, space.arrays.get(n)!]),
    );
    return vectorOutput(cells, out, run, shown(cfg));
  }
}
