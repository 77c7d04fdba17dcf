/**
 * `room_temperature`: a thermostat heating a room that loses heat to a
 * changing outside (dissmodel_sysdyn.models.RoomTemperature). Per tick t:
 *   outside ← climate(t) = 15 − 0.1 · (t − 12)²     (first: the outflow sees this tick's outside)
 *   inflow  = thermal_inertia · (temp_set − inside)
 *   outflow = loss_to_outside · (inside − outside)
 *   inside  ← inside + (inflow − outflow)
 * DisSModel's climate is a constructor argument (any Python callable); here it
 * is its default, the only one a parameter form can carry. DisSModel also
 * tracks `temp_set` but never assigns it during a run, so its series is empty;
 * it is a constant parameter here and not a column. The `outside` parameter
 * is overwritten at the first tick, before anything reads it (kept for
 * DisSModel's signature).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'room_temperature',
  title: 'Room temperature',
  description:
    'A heated room losing heat to the outside (dissmodel-sysdyn RoomTemperature). Per tick t: outside = 15 − 0.1·(t − 12)², ' +
    'inside += thermal_inertia·(temp_set − inside) − loss_to_outside·(inside − outside).',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    temp_set: real(20, 'Thermostat set point.', { min: -100, max: 100, unit: '°C' }),
    inside: real(15, 'Initial inside temperature.', { min: -100, max: 100, unit: '°C' }),
    outside: real(1, 'Initial outside temperature; replaced by the climate curve at the first tick, before it is used.', {
      min: -100,
      max: 100,
      unit: '°C',
    }),
    thermal_inertia: real(0.33, 'Fraction of the gap to the set point the heating closes per tick.', { min: 0, max: 1, step: 0.01 }),
    loss_to_outside: real(0.3, 'Fraction of the inside–outside difference lost per tick.', { min: 0, max: 1, step: 0.01 }),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'inside',
});
type Params = ParamsOf<typeof spec.params>;

/** DisSModel's default climate: 15 − 0.1 · (t − 12)² (Python's `** 2` is one rounded product, as `d * d`). */
export const climate = (t: number): number => {
  const d = t - 12;
  return 15 - 0.1 * (d * d);
};

export class RoomTemperature extends Model implements SystemDynamicsModel {
  readonly variables = ['inside', 'outside'] as const;
  inside: number;
  outside: number;
  readonly tempSet: number;
  readonly thermalInertia: number;
  readonly lossToOutside: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.tempSet = p.temp_set;
    this.inside = p.inside;
    this.outside = p.outside;
    this.thermalInertia = p.thermal_inertia;
    this.lossToOutside = p.loss_to_outside;
  }

  override execute(): void {
    this.outside = climate(this.env.now());
    const inflow = this.thermalInertia * (this.tempSet - this.inside);
    const outflow = this.lossToOutside * (this.inside - this.outside);
    this.inside += inflow - outflow;
  }

  state(): number[] {
    return [this.inside, this.outside];
  }
}

export class RoomTemperatureExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new RoomTemperature(env, p));
  }
}
