/**
 * `snow`: falling snow (dissmodel-ca Snow @9485430). States EMPTY = 0, SNOW = 1;
 * no neighbourhood, the rule looks straight up and down. Per tick t,
 * synchronously, for the cell at row y (0 at the bottom), column x:
 *   top row (y = dim − 1): SNOW if it is EMPTY and t < model_end_time − dim and random() < probability, else EMPTY
 *   a SNOW cell: stays on the ground (y = 0); else falls (EMPTY) if the cell below is EMPTY, else stays
 *   an EMPTY cell: SNOW if the cell above (y + 1 < dim) is SNOW, else EMPTY
 * A column of flakes falls as a block (the rule reads the start-of-tick state),
 * and a flake in the top row always moves on (the top-row branch ignores it).
 *
 * Quirks kept: the snowfall stops by the *model's* end_time (DisSModel's
 * constructor argument, default ∞ — here `model_end_time`, 0 = ∞), not the
 * environment's; like any DisSModel Model, the model also stops executing
 * after its end_time (the run then ends early, fewer rows than end_time says). DisSModel draws from Python's global `random`, unseeded — one
 * random() per EMPTY top-row cell while t < model_end_time − dim, in cell
 * order; here CPython's random.Random(seed), so seed S reproduces a DisSModel
 * run preceded by random.seed(S) (tests/reference/ca_snow.json). Snow has no
 * initialize(): it starts from the input's state.
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
import { DIM, stateField } from './spec.ts';

export const EMPTY = 0;
export const SNOW = 1;
const STATES = { [EMPTY]: 'empty', [SNOW]: 'snow' };

export class Snow extends CellularAutomaton {
  private readonly row: Int32Array;
  private readonly col: Int32Array;

  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly dim: number,
    readonly probability: number,
    /** The model's own end_time (∞ by default): snow falls while t < snowEnd − dim. */
    readonly snowEnd: number,
    readonly random: () => number,
  ) {
    super(env, space, initial, null);
    this.endTime = snowEnd; // DisSModel's Model(end_time=…): the model also stops executing after it
    ({ row: this.row, col: this.col } = space.positions('Snow'));
  }

  protected override rule(i: number): number {
    const y = this.row[i];
    const x = this.col[i];
    const t = this.env.now();
    const s = this.old[i];
    if (y === this.dim - 1) {
      return s === EMPTY && t < this.snowEnd - this.dim && this.random() < this.probability ? SNOW : EMPTY;
    }
    if (s === SNOW) {
      if (y === 0) return SNOW;
      const below = this.space.at(y - 1, x);
      return below >= 0 && this.old[below] === EMPTY ? EMPTY : SNOW;
    }
    const above = y + 1 < this.dim ? this.space.at(y + 1, x) : -1;
    return above >= 0 && this.old[above] === SNOW ? SNOW : EMPTY;
  }
}

const spec = defineSpec({
  name: 'snow',
  title: 'Snow',
  description:
    'Falling snow (dissmodel-ca Snow): flakes appear at random in the top row (row dim − 1) and fall one row per tick ' +
    "until they land on the ground or on other snow. Snowfall stops at t = model_end_time − dim (0 = never, DisSModel's default). " +
    "The draws are CPython's random.Random(seed) (unseeded in DisSModel). Starts from the input's state.",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    probability: {
      type: 'float',
      default: 0.02,
      min: 0,
      max: 1,
      step: 0.01,
      description: 'Chance per tick that an empty top-row cell gets a new flake (random() < probability).',
    },
    dim: DIM('the top row, where snow appears, is dim − 1'),
    model_end_time: {
      type: 'int',
      default: 0,
      min: 0,
      max: 1_000_000,
      description:
        "The Snow model's own end_time (DisSModel's constructor argument): snow falls while t < model_end_time − dim, and the model stops after it. 0 = ∞ (DisSModel's default: it never stops).",
    },
    seed: { type: 'seed', description: "Seed of CPython's random.Random(seed) for the snowfall; drawn and recorded when not given." },
    start_time: startTime(0),
    end_time: endTime(60, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class SnowExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Snow> {
    return {
      states: STATES,
      readState: true,
      start: p.start_time,
      end: p.end_time,
      build: (env, space, initial) => {
        const rng = new PythonRandom(p.seed);
        const snowEnd = p.model_end_time === 0 ? Infinity : p.model_end_time;
        return new Snow(env, space, initial!, p.dim || space.rows, p.probability, snowEnd, () => rng.random());
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
