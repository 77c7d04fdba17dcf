/**
 * `limited_growth`: logistic growth in difference form
 * (dissmodel_sysdyn.models.LimitedGrowth). Per tick:
 *   pop ← pop + (pop · rate) · (1 − pop / capacity)
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { BIG, pop, real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'limited_growth',
  title: 'Limited (logistic) growth',
  description:
    'Logistic growth towards a carrying capacity (dissmodel-sysdyn LimitedGrowth): ' +
    'pop ← pop + pop · rate · (1 − pop / capacity) per tick.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    pop: pop(300, 'Initial population.'),
    rate: real(0.105, 'Growth rate per tick while the population is far below the capacity.', { min: 0, step: 0.001, unit: '1/tick' }),
    capacity: real(20000, 'Carrying capacity: the population the growth levels off at.', { min: 1e-9, max: BIG, unit: 'individuals' }),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'pop',
});
type Params = ParamsOf<typeof spec.params>;

export class LimitedGrowth extends Model implements SystemDynamicsModel {
  readonly variables = ['pop'] as const;
  pop: number;
  readonly rate: number;
  readonly capacity: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.pop = p.pop;
    this.rate = p.rate;
    this.capacity = p.capacity;
  }

  override execute(): void {
    this.pop += this.pop * this.rate * (1 - this.pop / this.capacity);
  }

  state(): number[] {
    return [this.pop];
  }
}

export class LimitedGrowthExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new LimitedGrowth(env, p));
  }
}
