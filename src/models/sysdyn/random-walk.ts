/**
 * `random_walk`: a one-dimensional random walk (dissmodel_sysdyn.models.RandomWalk).
 * Per tick one draw u = rng.random(): value + 1 if u <= prob, else value − 1.
 *
 * Randomness: DisSModel creates `random.Random(seed)` with a default seed of
 * None, i.e. seeded from OS entropy, so its default run is not reproducible.
 * Here the seed is always set (drawn and recorded when not given) and the
 * stream is CPython's `random.Random(seed)` bit for bit (PythonRandom), so a
 * run with DisSModel's seed reproduces DisSModel's walk exactly.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { PythonRandom } from '../../sim/random.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'random_walk',
  title: 'Random walk',
  description:
    'A one-dimensional random walk (dissmodel-sysdyn RandomWalk): each tick the value steps +1 with probability prob ' +
    "(a draw u <= prob), else −1. The draws are CPython's random.Random(seed); DisSModel's default seed is None " +
    '(OS entropy, not reproducible), here the seed is always recorded.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    value: real(0, 'Initial value of the walk.'),
    prob: real(0.5, 'Probability of a step up (+1) each tick.', { min: 0, max: 1, step: 0.01 }),
    seed: { type: 'seed', description: "Seed of CPython's random.Random(seed); drawn and recorded when not given." },
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  stochastic: true,
  displayLayer: 'value',
});
type Params = ParamsOf<typeof spec.params>;

export class RandomWalk extends Model implements SystemDynamicsModel {
  readonly variables = ['value'] as const;
  value: number;
  readonly prob: number;
  private readonly rng: PythonRandom;

  constructor(env: Environment, p: Params) {
    super(env);
    this.value = p.value;
    this.prob = p.prob;
    this.rng = new PythonRandom(p.seed);
  }

  override execute(): void {
    if (this.rng.random() <= this.prob) this.value += 1;
    else this.value -= 1;
  }

  state(): number[] {
    return [this.value];
  }
}

export class RandomWalkExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new RandomWalk(env, p));
  }
}
