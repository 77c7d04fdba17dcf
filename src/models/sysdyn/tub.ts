/**
 * `tub`: a bathtub draining at a constant rate and refilled periodically
 * (dissmodel_sysdyn.models.Tub). Per execution:
 *   counter ← counter + 1
 *   water   ← max(0, water − out_flow)
 *   if counter % in_period == 0: water ← water + in_flow
 *
 * Quirk, reproduced deliberately: DisSModel's Tub keeps its counter in
 * `self._step`, the attribute the scheduler reads as the model's period
 * (DISSMODEL-SPEC §1.2). `setup` sets it to 0 and each execution adds 1 before
 * the scheduler computes the next time as now + _step, so Tub runs at
 * t = 0, 1, 3, 6, 10, 15, 21, 28, … (triangular numbers from start_time), not
 * every tick. Here the counter is likewise the model's `step` (the scheduler's
 * period), so the table has one row per execution, at those times, exactly as
 * DisSModel runs it; set in_period to count executions, not ticks. (DisSModel's
 * @track_plot series also records the intermediate assignments of a clamped or
 * refilled execution; the table holds the state after each execution.)
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { BIG, real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'tub',
  title: 'Tub',
  description:
    'A bathtub that drains out_flow per execution (never below 0) and gains in_flow every in_period executions ' +
    "(dissmodel-sysdyn Tub). As in DisSModel, the model's execution counter is also its scheduling period, so it runs at " +
    't = 0, 1, 3, 6, 10, 15, … (triangular numbers): one table row per execution.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    water: real(40, 'Initial volume of water.', { min: 0, max: BIG, unit: 'volume' }),
    out_flow: real(5, 'Volume drained per execution.', { min: 0, max: BIG, unit: 'volume' }),
    in_flow: real(0, 'Volume added every in_period executions.', { min: 0, max: BIG, unit: 'volume' }),
    in_period: { type: 'int', default: 10, min: 1, max: 1_000_000, unit: 'executions', description: 'Executions between inflows.' },
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'water',
});
type Params = ParamsOf<typeof spec.params>;

export class Tub extends Model implements SystemDynamicsModel {
  readonly variables = ['water'] as const;
  water: number;
  readonly outFlow: number;
  readonly inFlow: number;
  readonly inPeriod: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.water = p.water;
    this.outFlow = p.out_flow;
    this.inFlow = p.in_flow;
    this.inPeriod = p.in_period;
    this.step = 0; // DisSModel's `self._step = 0`: the counter is the scheduling period (see the header)
  }

  override execute(): void {
    this.step += 1;
    this.water -= this.outFlow;
    if (this.water < 0) this.water = 0;
    if (this.step % this.inPeriod === 0) this.water += this.inFlow;
  }

  state(): number[] {
    return [this.water];
  }
}

export class TubExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new Tub(env, p));
  }
}
