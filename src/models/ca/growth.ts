/**
 * `growth`: stochastic growth from a seed cell (dissmodel-ca Growth, an Eden
 * cluster). States EMPTY = 0, ALIVE = 1; Queen neighbourhood. Per tick,
 * synchronously: ALIVE stays; EMPTY becomes ALIVE if it has an ALIVE
 * neighbour and random() < probability; else EMPTY.
 *
 * initialize(): all EMPTY except the cell "dim//2-dim//2" (row = col = dim // 2,
 * whatever the grid's shape; dim is DisSModel's constructor argument, here a
 * parameter whose default 0 means the grid's number of rows).
 *
 * Randomness: DisSModel draws from Python's global `random`, unseeded — one
 * random() per EMPTY cell that has an ALIVE neighbour (Python's `and` skips the
 * draw otherwise), in cell order. Here the draws are CPython's
 * `random.Random(seed)`, so seed S reproduces a DisSModel run preceded by
 * `random.seed(S)` (tests/reference/ca_growth.json).
 */
import { InputError } from '../../executor/errors.ts';
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
import { DIM, INITIALIZE, stateField } from './spec.ts';

export const EMPTY = 0;
export const ALIVE = 1;
const STATES = { [EMPTY]: 'empty', [ALIVE]: 'alive' };

export class Growth extends CellularAutomaton {
  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly probability: number,
    /** One uniform draw in [0, 1). */
    readonly random: () => number,
  ) {
    super(env, space, initial, 'queen');
  }

  /** DisSModel's initialize(): all EMPTY, the cell at row = col = dim // 2 ALIVE. */
  static initialize(space: CellSpace, dim: number): Uint8Array {
    const state = new Uint8Array(space.size);
    const centre = Math.floor(dim / 2);
    const i = space.at(centre, centre);
    if (i < 0)
      throw new InputError(
        `Growth seeds the cell '${centre}-${centre}' (row = col = dim // 2 with dim ${dim}), which the grid does not have.`,
        'dim',
      );
    state[i] = ALIVE;
    return state;
  }

  protected override rule(i: number): number {
    if (this.old[i] === ALIVE) return ALIVE;
    if (this.count(i, ALIVE) > 0 && this.random() < this.probability) return ALIVE;
    return EMPTY;
  }
}

const spec = defineSpec({
  name: 'growth',
  title: 'Growth',
  description:
    'Stochastic growth of a cluster from one seed cell (dissmodel-ca Growth): each tick an empty cell with a living ' +
    "Queen neighbour comes alive with the given probability. The draws are CPython's random.Random(seed) (unseeded in DisSModel).",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    probability: {
      type: 'float',
      default: 0.15,
      min: 0,
      max: 1,
      step: 0.01,
      description: 'Chance per tick that an empty cell with a living neighbour comes alive (random() < probability).',
    },
    dim: DIM('the seed cell is row = col = dim // 2'),
    initialize: INITIALIZE('all empty but the seed cell (row = col = dim // 2)'),
    seed: { type: 'seed', description: "Seed of CPython's random.Random(seed) for the rule's draws; drawn and recorded when not given." },
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class GrowthExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Growth> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Queen neighbourhood',
      build: (env, space, initial) => {
        const rng = new PythonRandom(p.seed);
        return new Growth(env, space, initial ?? Growth.initialize(space, p.dim || space.rows), p.probability, () => rng.random());
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
