/**
 * `propagation`: stochastic propagation (dissmodel-ca Propagation). States
 * OFF = 0, ON = 1; the 4 nearest neighbours by centroid (libpysal KNN, k = 4).
 * Per tick, synchronously: ON stays; OFF becomes ON if some neighbour is ON
 * and a draw u < prob; else OFF.
 *
 * initialize(): DisSModel's fill(RANDOM_SAMPLE, {OFF: 1 − d, ON: d}, seed=42):
 * Python's global `random` re-seeded with 42 (fixed in DisSModel; here
 * `init_seed`, default 42), then random.choices([OFF, ON], [1 − d, d], k = n) in
 * cell order.
 *
 * Randomness of the rule: DisSModel draws np.random.rand() from numpy's legacy
 * global generator, unseeded — one draw per OFF cell with an ON neighbour
 * (Python's `and` skips the others), in cell order. Here the draws are numpy's
 * legacy RandomState seeded with `seed` (NumpyRandomState: MT19937 through
 * init_genrand), so seed S reproduces a DisSModel run preceded by np.random.seed(S).
 *
 * Neighbours: KNN k = 4 from the cell centroids. Inside a regular grid these
 * are the 4 orthogonal cells; at the border several cells tie for the 4th
 * place, and libpysal's KD-tree breaks the tie its own way (corner "0-0" →
 * 0-1, 1-0, 1-1, 0-2, where 2-0 is as near as 0-2). Here ties go to the lower
 * cell index, a documented order that differs from libpysal's on border cells
 * only; tests/reference/ca_propagation.json records libpysal's lists, and with
 * those lists the model reproduces DisSModel's run exactly.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { NumpyRandomState, PythonRandom } from '../../sim/random.ts';
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

export const OFF = 0;
export const ON = 1;
const STATES = { [OFF]: 'off', [ON]: 'on' };

export class Propagation extends CellularAutomaton {
  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly prob: number,
    /** One uniform draw in [0, 1) (numpy's np.random.rand()). */
    readonly random: () => number,
  ) {
    super(env, space, initial, 'knn4');
  }

  /** DisSModel's initialize(): random.seed(initSeed), then random.choices([OFF, ON], [1 − d, d], k = n). */
  static initialize(space: CellSpace, density: number, initSeed: number): Uint8Array {
    return Uint8Array.from(new PythonRandom(initSeed).choices([OFF, ON], [1 - density, density], space.size));
  }

  protected override rule(i: number): number {
    if (this.old[i] === ON) return ON;
    if (this.any(i, (n) => n === ON) && this.random() < this.prob) return ON;
    return OFF;
  }
}

const probability = (def: number, description: string) =>
  ({ type: 'float', default: def, min: 0, max: 1, step: 0.01, description }) as const;

const spec = defineSpec({
  name: 'propagation',
  title: 'Propagation',
  description:
    'Stochastic propagation (dissmodel-ca Propagation): an off cell with an active cell among its 4 nearest neighbours ' +
    "(KNN, k = 4) switches on with probability prob, and stays on. The rule's draws are numpy's legacy np.random seeded " +
    "with seed (unseeded in DisSModel); the random start is DisSModel's fill with Python's random seeded 42.",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    prob: probability(0.1, 'Chance per tick that an off cell with an active neighbour switches on (np.random.rand() < prob).'),
    initial_density: probability(0.4, 'Fraction of cells on at the start (the weight of ON in the random fill).'),
    initialize: INITIALIZE('each cell on with weight initial_density (random.choices after random.seed(init_seed))'),
    init_seed: {
      type: 'int',
      default: 42,
      min: 0,
      max: 4294967295,
      description: "Seed of Python's random for the random start; DisSModel fixes it at 42.",
    },
    seed: {
      type: 'seed',
      description: "Seed of numpy's legacy np.random for the rule's draws (np.random.seed(seed)); drawn and recorded when not given.",
    },
    start_time: startTime(0),
    end_time: endTime(20, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class PropagationExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Propagation> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'KNN k=4 neighbourhood',
      build: (env, space, initial) => {
        const rng = new NumpyRandomState(p.seed);
        const start = initial ?? Propagation.initialize(space, p.initial_density, p.init_seed);
        return new Propagation(env, space, start, p.prob, () => rng.randomSample());
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
