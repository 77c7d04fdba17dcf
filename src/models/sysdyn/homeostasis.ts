/**
 * `homeostasis`: a stock with a constant gain and a proportional drain
 * (dissmodel_sysdyn.models.Homeostasis). Per tick:
 *   stock ← stock + (gain + rate · stock)
 * With −2 < rate < 0 the stock settles at −gain / rate (5 with the defaults).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'homeostasis',
  title: 'Homeostasis',
  description:
    'A stock regulated towards an equilibrium (dissmodel-sysdyn Homeostasis): stock ← stock + gain + rate · stock per tick; ' +
    'for −2 < rate < 0 it settles at −gain / rate.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    stock: real(0, 'Initial stock.'),
    gain: real(2, 'Constant inflow per tick.', { unit: 'per tick' }),
    rate: real(-0.4, 'Proportional change per tick (negative: a drain that pulls the stock back).', { min: -10, max: 10, step: 0.01 }),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'stock',
});
type Params = ParamsOf<typeof spec.params>;

export class Homeostasis extends Model implements SystemDynamicsModel {
  readonly variables = ['stock'] as const;
  stock: number;
  readonly gain: number;
  readonly rate: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.stock = p.stock;
    this.gain = p.gain;
    this.rate = p.rate;
  }

  override execute(): void {
    this.stock += this.gain + this.rate * this.stock;
  }

  state(): number[] {
    return [this.stock];
  }
}

export class HomeostasisExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new Homeostasis(env, p));
  }
}
