/**
 * `population_growth`: exponential growth with a changing rate
 * (dissmodel_sysdyn.models.PopulationGrowth). Per tick:
 *   population ← population · (1 + growth)
 *   growth     ← growth · growth_change
 * so the rate used at the k-th tick is growth · growth_change^(k−1).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { pop, real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'population_growth',
  title: 'Population growth',
  description:
    'Exponential growth with a rate that changes geometrically (dissmodel-sysdyn PopulationGrowth). Per tick: ' +
    'population ← population · (1 + growth), then growth ← growth · growth_change.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    population: pop(60, 'Initial population.'),
    growth: real(0.5, 'Growth rate per tick at the first tick (0.5 = +50 % per tick).', { min: -1, step: 0.01, unit: '1/tick' }),
    growth_change: real(1, 'Factor the growth rate is multiplied by after every tick (1 = constant rate).', { min: 0, step: 0.01 }),
    ...timeParams(20),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'population',
});
type Params = ParamsOf<typeof spec.params>;

export class PopulationGrowth extends Model implements SystemDynamicsModel {
  readonly variables = ['population', 'growth'] as const;
  population: number;
  growth: number;
  readonly growthChange: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.population = p.population;
    this.growth = p.growth;
    this.growthChange = p.growth_change;
  }

  override execute(): void {
    this.population *= 1 + this.growth;
    this.growth *= this.growthChange;
  }

  state(): number[] {
    return [this.population, this.growth];
  }
}

export class PopulationGrowthExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new PopulationGrowth(env, p));
  }
}
