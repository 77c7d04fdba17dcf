/**
 * `interspecific_competition`: five grass species invading each other's
 * cells (dissmodel-ca InterspecificCompetition @a21d59c; Thórhallsdóttir's
 * field data as used by TerraME). Species LOLIUM 0, AGROSTIS 1, HOLCUS 2,
 * POA 3, CYNOSURUS 4; Rook neighbourhood. Per tick, synchronously, for a cell
 * of species `cur` with n neighbours:
 *   for each species s among the neighbours, in order of first appearance in the
 *   neighbour list: probs[s] = (count_s / n) · INVASION[s][cur]
 *   probs[cur] += 1 − Σ probs           (appended last if cur is not among them)
 *   r = rng.random(); the first s, in that order, with r ≤ the running sum; else cur
 * One random() per cell per tick, in cell order, from one random.Random(seed).
 *
 * initialize(): `displacement` ModelA/B/C lays the species in bands by
 * thresholds 7, 15, 23, 31, 39 (cells beyond the last take the last band);
 * Random draws rng.choice of the five species per cell, from the same Random.
 * The two stored versions of DisSModel's file differ here: `version` a21d59c
 * bands along the column (its `_, y = parse_idx(idx)` is the column since
 * DisSModel 0.2.1), bb2df1d along the row with the band list reversed.
 *
 * Quirk — neighbour order: the order of the neighbour list decides the order
 * of `probs` and so the outcome. DisSModel's is libpysal's, which for
 * vector_grid's string ids changes from one Python process to the next (string
 * hash randomisation inside libpysal): DisSModel's seeded runs of this model
 * are not reproducible across processes. Here the order is fixed — ascending
 * cell index, i.e. GeoDataFrame order, on both substrates — so runs are
 * reproducible; with the lists DisSModel used (recorded in
 * tests/reference/ca_interspecific_competition.json) the model reproduces its runs exactly.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { PythonRandom } from '../../sim/random.ts';
import type { Environment } from '../../sim/scheduler.ts';
import {
  defineSpec,
  endTime,
  RULE_RUNS,
  SimulationExecutor,
  startTime,
  VECTOR_OUTPUT,
  type ParamsOf,
  type RasterDataset,
  type Sim,
  type VectorDataset,
} from '../kit/index.ts';
import { CellularAutomaton } from './automaton.ts';
import { runOnRaster, runOnVector, type CaSetup } from './run.ts';
import type { CellSpace } from './space.ts';
import { INITIALIZE, stateField } from './spec.ts';

export const LOLIUM = 0;
export const AGROSTIS = 1;
export const HOLCUS = 2;
export const POA = 3;
export const CYNOSURUS = 4;
const SPECIES = [LOLIUM, AGROSTIS, HOLCUS, POA, CYNOSURUS];
const STATES = { [LOLIUM]: 'Lolium', [AGROSTIS]: 'Agrostis', [HOLCUS]: 'Holcus', [POA]: 'Poa', [CYNOSURUS]: 'Cynosurus' };

/** INVASION[invader][defender]: the chance that the invader takes a defender's cell, per neighbour share. */
export const INVASION: readonly (readonly number[])[] = [
  /* LOLIUM    */ [0.0, 0.02, 0.06, 0.05, 0.03],
  /* AGROSTIS  */ [0.23, 0.0, 0.09, 0.32, 0.37],
  /* HOLCUS    */ [0.06, 0.08, 0.0, 0.16, 0.09],
  /* POA       */ [0.44, 0.06, 0.06, 0.0, 0.11],
  /* CYNOSURUS */ [0.03, 0.02, 0.03, 0.05, 0.0],
];

const THRESHOLDS = [7, 15, 23, 31, 39];
export const BANDS = {
  ModelA: [AGROSTIS, HOLCUS, LOLIUM, CYNOSURUS, POA],
  ModelB: [AGROSTIS, LOLIUM, CYNOSURUS, HOLCUS, POA],
  ModelC: [AGROSTIS, HOLCUS, POA, CYNOSURUS, LOLIUM],
} as const;

export type Displacement = keyof typeof BANDS | 'Random';
export type Version = 'a21d59c' | 'bb2df1d';

export class InterspecificCompetition extends CellularAutomaton {
  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly rng: PythonRandom,
  ) {
    super(env, space, initial, 'rook');
  }

  /** DisSModel's initialize(): bands of species by column (a21d59c) or by row, reversed (bb2df1d); or Random. */
  static initialize(space: CellSpace, displacement: Displacement, version: Version, rng: PythonRandom): Uint8Array {
    if (displacement === 'Random') return Uint8Array.from({ length: space.size }, () => rng.choice(SPECIES));
    const { row, col } = space.positions('InterspecificCompetition');
    const band = version === 'a21d59c' ? BANDS[displacement] : [...BANDS[displacement]].reverse();
    const along = version === 'a21d59c' ? col : row;
    return Uint8Array.from(along, (y) => {
      const k = THRESHOLDS.findIndex((threshold) => y <= threshold);
      return band[k < 0 ? band.length - 1 : k];
    });
  }

  protected override rule(i: number): number {
    const cur = this.old[i];
    const nb = this.nb!;
    const n = nb.offsets[i + 1] - nb.offsets[i];
    const counts = new Map<number, number>(); // insertion order = first appearance among the neighbours
    for (let k = nb.offsets[i]; k < nb.offsets[i + 1]; k++) {
      const s = this.old[nb.neighbors[k]];
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const probs = new Map<number, number>();
    let totalInvasion = 0;
    for (const [s, count] of counts) {
      const p = (count / n) * INVASION[s][cur];
      probs.set(s, (probs.get(s) ?? 0) + p);
      totalInvasion += p;
    }
    probs.set(cur, (probs.get(cur) ?? 0) + (1 - totalInvasion));
    const r = this.rng.random();
    let cumsum = 0;
    for (const [s, p] of probs) {
      cumsum += p;
      if (r <= cumsum) return s;
    }
    return cur;
  }
}

const spec = defineSpec({
  name: 'interspecific_competition',
  title: 'Interspecific competition',
  description:
    'Five grass species invade each other (dissmodel-ca InterspecificCompetition): each tick a cell is taken by a ' +
    'species among its Rook neighbours with a chance given by their share and a measured invasion table. Start: bands ' +
    "of species (ModelA/B/C) or Random, from random.Random(seed). Neighbour order is fixed here (DisSModel's depends on the Python process).",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    displacement: {
      type: 'enum',
      default: 'ModelA',
      options: ['ModelA', 'ModelB', 'ModelC', 'Random'],
      description: 'Initial layout: ModelA/B/C = bands of species (thresholds 7, 15, 23, 31, 39), Random = a random species per cell.',
    },
    version: {
      type: 'enum',
      default: 'a21d59c',
      options: ['a21d59c', 'bb2df1d'],
      description:
        'Which stored DisSModel version lays the bands: a21d59c along the column, bb2df1d along the row with the band list reversed.',
    },
    initialize: INITIALIZE('the displacement layout'),
    seed: {
      type: 'seed',
      description: "DisSModel's seed (default 42 there): one CPython random.Random(seed) for the layout and the rule.",
    },
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class InterspecificCompetitionExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<InterspecificCompetition> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Rook neighbourhood, lists in cell order',
      build: (env, space, initial) => {
        const rng = new PythonRandom(p.seed);
        const start = initial ?? InterspecificCompetition.initialize(space, p.displacement, p.version, rng);
        return new InterspecificCompetition(env, space, start, rng);
      },
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
