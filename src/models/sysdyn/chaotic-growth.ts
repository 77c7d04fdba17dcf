/**
 * `chaotic_growth`: the logistic map (dissmodel_sysdyn.models.ChaoticGrowth).
 * Per tick: pop ← rate · pop · (1 − pop), evaluated as (rate · pop) · (1 − pop)
 * as in Python; the map is chaotic for rate near 4, so any other grouping
 * diverges from DisSModel within tens of ticks.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'chaotic_growth',
  title: 'Chaotic growth (logistic map)',
  description:
    'The logistic map (dissmodel-sysdyn ChaoticGrowth): pop ← rate · pop · (1 − pop) per tick, pop as a fraction of the ' +
    'carrying capacity. Periodic for rate < 3.57, chaotic towards rate = 4.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    pop: real(0.1, 'Initial population as a fraction of the carrying capacity (0–1 keeps it in 0–1 for rate ≤ 4).', {
      min: 0,
      max: 1,
      step: 0.01,
    }),
    rate: real(4, 'Growth rate r of the map.', { min: 0, max: 4, step: 0.01 }),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'pop',
});
type Params = ParamsOf<typeof spec.params>;

export class ChaoticGrowth extends Model implements SystemDynamicsModel {
  readonly variables = ['pop'] as const;
  pop: number;
  readonly rate: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.pop = p.pop;
    this.rate = p.rate;
  }

  override execute(): void {
    this.pop = this.rate * this.pop * (1 - this.pop);
  }

  state(): number[] {
    return [this.pop];
  }
}

export class ChaoticGrowthExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new ChaoticGrowth(env, p));
  }
}
