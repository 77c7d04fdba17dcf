/**
 * `clue_s_vector`: DisSLUCC-Discrete's CLUE-S executor (DISSMODEL-SPEC §6.5) on a
 * vector cellular space with one 0/1 column per land use. Its specification is the
 * TOML `[model]` table as DisSModel's `moju_model.toml` gives it: `land_use_types`,
 * `[[model.potential]]` (const, elasticity, betas; one per land use, in order),
 * `[model.allocation]` (max_difference, max_iteration, factor_iteration),
 * `[model.transition_matrix] data` ([region][from][to], 0/1), `region_attr`,
 * `cell_area`, and the demand as a CSV (`demand_csv`, cell counts × cell_area) or
 * `annual_demand` in the spec. Without `[[model.potential]]`, DisSModel's Moju
 * calibration is used (and logged). Steps start_time … start_time + n_steps − 1
 * (DisSModel: `Environment(end_time=n_steps-1)`).
 */
import type { RunContext } from '../../executor/context.ts';
import { InputError, ParameterError } from '../../executor/errors.ts';
import type { ExperimentRecord, JsonValue } from '../../executor/record.ts';
import {
  defineSpec,
  ExecutorRegistry,
  SimulationExecutor,
  vectorOutput,
  type ParamsOf,
  type Sim,
  type VectorDataset,
} from '../kit/index.ts';
import { AllocationClueS, PotentialLogistic, type ClueSConfig, type Columns } from './clue-s.ts';
import { modelTable, specValue } from './config.ts';
import { checkDemandCovers, Demand, parseDemandCsv, type DemandTable } from './demand.ts';

type Table = Record<string, JsonValue>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** DisSModel's examples/moju_model.toml (Lab6/Lab15). */
export const MOJU_MODEL: Table = {
  land_use_types: ['f', 'd', 'o'],
  region_attr: 'region',
  cell_area: 1.0,
  potential: [
    {
      const: -2.34187976925989,
      elasticity: 0.0,
      betas: {
        media_decl: -0.0272710076327129,
        dist_area_: 4.30977432375496,
        dist_br: 3.10319957497883,
        dist_curua: 0.445414024051873,
        dist_rios_: 47.3556329553235,
        dist_estra: 38.4966894254506,
      },
    },
    {
      const: -0.100351497277102,
      elasticity: 0.6,
      betas: {
        media_decl: 0.0581358851690861,
        dist_area_: -0.974998890251365,
        dist_br: -2.51650696123426,
        dist_curua: -1.26742746441679,
        dist_rios_: -40.3646901047482,
        dist_estra: -23.0841140199094,
      },
    },
    { const: 0.01, elasticity: 0.5, betas: {} },
  ],
  allocation: { max_difference: 10.0, max_iteration: 1000, factor_iteration: 0.0001 },
  transition_matrix: {
    data: [
      [
        [1, 1, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    ],
  },
};

const params = {
  n_steps: { type: 'int', default: 6, min: 1, max: 10_000, description: 'Steps to execute (DisSModel n_steps).' },
  start_time: { type: 'int', default: 0, min: 0, max: 10_000, description: 'First step (DisSModel: 0).' },
  demand_csv: {
    type: 'string',
    default: '',
    maxLength: 4096,
    description: 'The demand CSV (cell counts × cell_area per land use and step); else annual_demand in the spec.',
  },
} as const;
type Params = ParamsOf<typeof params>;
const SPEC_KEYS = ['land_use_types', 'cell_area', 'region_attr', 'max_difference', 'max_iteration', 'factor_iteration', 'interactive'];

function num(v: JsonValue | undefined, where: string, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError(`${where} must be a number; got ${JSON.stringify(v)}.`, where);
  return v;
}

/** The CLUE-S configuration of a run; ParameterError naming the key at fault. */
export function clueSConfig(
  record: ExperimentRecord,
): ClueSConfig & { regionAttr: string; annualDemand: DemandTable | null; moju: boolean } {
  const own = modelTable(record);
  const moju = own.potential === undefined;
  const model: Table = moju ? { ...MOJU_MODEL, ...own } : own;
  const get = (key: string) => specValue(record, key) ?? model[key];
  const lu = get('land_use_types');
  if (!Array.isArray(lu) || lu.length < 2 || !lu.every((x) => typeof x === 'string')) {
    throw new ParameterError(
      `land_use_types must list the land-use columns (at least two), e.g. ["f", "d", "o"]; got ${JSON.stringify(lu ?? null)}.`,
      'land_use_types',
    );
  }
  const landUseTypes = lu as string[];
  const L = landUseTypes.length;
  const pot = model.potential;
  if (!Array.isArray(pot) || pot.length !== L || !pot.every(isTable)) {
    throw new ParameterError(
      `[[model.potential]] needs one table per land use, in land_use_types order (${landUseTypes.join(', ')}).`,
      'potential',
    );
  }
  const potential = (pot as Table[]).map((p, i) => {
    const betas = p.betas ?? {};
    if (!isTable(betas)) throw new ParameterError(`[[model.potential]] row ${i + 1}: betas must be a table.`, 'potential');
    return {
      const: num(p.const, `[[model.potential]] row ${i + 1} const`, NaN),
      elasticity: num(p.elasticity, `[[model.potential]] row ${i + 1} elasticity`, 0),
      betas: Object.entries(betas).map(([k, b]) => [k, num(b, `[[model.potential]] row ${i + 1} betas.${k}`, NaN)] as [string, number]),
    };
  });
  potential.forEach((p, i) => {
    if (!Number.isFinite(p.const)) throw new ParameterError(`[[model.potential]] row ${i + 1} needs a const.`, 'potential');
  });
  const tmRaw = model.transition_matrix;
  const tm = isTable(tmRaw) ? tmRaw.data : tmRaw;
  const okRegion = (r: unknown) =>
    Array.isArray(r) && r.length === L && r.every((row) => Array.isArray(row) && row.length === L && row.every((v) => v === 0 || v === 1));
  if (!Array.isArray(tm) || tm.length === 0 || !tm.every(okRegion)) {
    throw new ParameterError(
      `[model.transition_matrix] data must be [region][from][to] of 0/1, ${L} × ${L} per region; got ${JSON.stringify(tm ?? null).slice(0, 120)}.`,
      'transition_matrix',
    );
  }
  const alloc = isTable(model.allocation) ? model.allocation : {};
  const aget = (key: string) => (Object.prototype.hasOwnProperty.call(record.parameters, key) ? record.parameters[key] : alloc[key]);
  const ad = model.annual_demand;
  const annualDemand =
    Array.isArray(ad) && ad.every((r) => Array.isArray(r) && r.length === L && r.every((v) => typeof v === 'number'))
      ? (ad as number[][])
      : null;
  if (ad !== undefined && annualDemand === null)
    throw new ParameterError(`annual_demand must be rows of ${L} numbers (${landUseTypes.join(', ')}).`, 'annual_demand');
  return {
    landUseTypes,
    potential,
    transitionMatrix: tm as number[][][],
    cellArea: num(get('cell_area'), 'cell_area', 1.0),
    maxDifference: num(aget('max_difference'), 'max_difference', 10),
    maxIteration: num(aget('max_iteration'), 'max_iteration', 2000),
    factorIteration: num(aget('factor_iteration'), 'factor_iteration', 0.0001),
    regionAttr: String(get('region_attr') ?? 'region'),
    annualDemand,
    moju,
  };
}

const spec = defineSpec({
  name: 'clue_s_vector',
  title: 'LUCC CLUE-S (vector)',
  description:
    'DisSLUCC-Discrete (CLUE-S): logistic-regression potential with elasticities, allocation by iteration under a transition matrix until the cell counts meet the demand. One 0/1 column per land use.',
  family: 'Land-use change',
  inputs: ['vector'],
  params,
  output: { kind: 'vector', extension: 'geojson', mediaType: 'application/geo+json' },
  extraInputs: [
    {
      name: 'demand',
      param: 'demand_csv',
      title: 'the demand CSV',
      description: 'cells (× cell_area) of each land use per step; else annual_demand in the spec',
      extensions: ['csv'],
      required: false,
      sample: 'sample:clue_s_demand_12x10.csv',
    },
  ],
  defaultModel: MOJU_MODEL,
  sample: 'sample:clue_s_12x10.geojson',
  displayLayer: 'd',
});

export class ClueSVectorExecutor extends SimulationExecutor<typeof params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const cfg = clueSConfig(record);
    record.logs = record.logs.filter((l) => !l.startsWith(`Ignored parameters not used by ${spec.name}:`));
    const unknown = Object.keys(record.parameters).filter((k) => !(k in params) && !SPEC_KEYS.includes(k));
    if (unknown.length) record.logs.push(`Ignored parameters not used by ${spec.name}: ${unknown.join(', ')}`);
    if (!record.parameters.demand_csv && !cfg.annualDemand) {
      throw new ParameterError(
        'clue_s_vector needs a demand: the parameter demand_csv (a CSV file or URI) or annual_demand in the spec.',
        'demand_csv',
      );
    }
    if (cfg.moju) record.logs.push('No [[model.potential]] in the spec: using DisSModel’s Moju (Lab6/Lab15) calibration.');
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const cfg = clueSConfig(sim.record);
    const drivers = [...new Set(cfg.potential.flatMap((s) => s.betas.map(([k]) => k)))];
    const names = [...cfg.landUseTypes, ...drivers];
    const grid = sim.cells(
      ds,
      names.map((name) => ({ name, description: cfg.landUseTypes.includes(name) ? 'land use (0/1)' : 'driver' })),
    );
    const cells: Columns = new Map(names.map((n) => [n, Float64Array.from(grid.column(n))]));
    const region = grid.hasColumn(cfg.regionAttr) ? Float64Array.from(grid.column(cfg.regionAttr)) : new Float64Array(grid.size).fill(1);
    cells.set('region', region);
    for (const lu of cfg.landUseTypes) if (grid.hasColumn('tau_' + lu)) cells.set('tau_' + lu, Float64Array.from(grid.column('tau_' + lu)));
    for (const lu of cfg.landUseTypes) {
      const v = cells.get(lu)!;
      for (let k = 0; k < v.length; k++) {
        if (v[k] !== 0 && v[k] !== 1)
          throw new InputError(`Column '${lu}' must hold 0 or 1 (one land use per cell); found ${v[k]} in cell ${k}.`, lu);
      }
    }
    const bytes = sim.input('demand');
    const table = bytes
      ? parseDemandCsv(new TextDecoder().decode(bytes), cfg.landUseTypes, `the demand CSV '${sim.inputUri('demand')}'`)
      : cfg.annualDemand!;
    const start = p.start_time;
    const end = p.start_time + p.n_steps - 1;
    checkDemandCovers(table, start, end, bytes ? `the demand CSV '${sim.inputUri('demand')}'` : 'annual_demand');
    const count = (lu: string) => cells.get(lu)!.reduce((a, v) => a + v, 0);
    const run = await sim.simulate({
      start,
      end,
      note: `${grid.size} cells, land uses ${cfg.landUseTypes.join(', ')}`,
      build: (env) => {
        const demand = new Demand(env, table);
        new PotentialLogistic(env, cells, grid.size, cfg);
        return new AllocationClueS(env, cells, grid.size, cfg, demand);
      },
      layer: () => Float64Array.from(cells.get(cfg.landUseTypes[1])!),
      summary: () => Object.fromEntries(cfg.landUseTypes.map((lu) => [`cells_${lu}`, count(lu)])),
      done: (m) => `iterations per step ${m.iterations.join(', ')}; cells ${cfg.landUseTypes.map((lu) => `${lu} ${count(lu)}`).join(', ')}`,
    });
    const out: Record<string, Float64Array> = {};
    for (const lu of cfg.landUseTypes) out[lu] = cells.get(lu)!;
    for (const lu of cfg.landUseTypes) out[lu + '_reg'] = cells.get(lu + '_reg')!;
    for (const lu of cfg.landUseTypes) out[lu + '_pot'] = cells.get(lu + '_pot')!;
    return vectorOutput(grid, out, run, cfg.landUseTypes[1]);
  }
}
