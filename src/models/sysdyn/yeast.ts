/**
 * `yeast`: logistic growth of a yeast culture, clamped at the capacity
 * (dissmodel_sysdyn.models.Yeast). Per tick:
 *   cells ← cells + (cells · rate) · (1 − cells / capacity)
 *   if cells > capacity: cells ← capacity
 * A rate above 1 overshoots the capacity in one tick; the clamp then holds it there.
 * DisSModel's @track_plot series records every assignment, so a clamped tick adds
 * two values to it (the overshoot, then the capacity); the table has one row
 * per tick, the state after it (tests/reference/sysdyn_yeast.json's `steps`).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { BIG, pop, real, timeParams, timeSeries } from './series.ts';

const spec = defineSpec({
  name: 'yeast',
  title: 'Yeast growth',
  description:
    'A yeast culture growing logistically towards a capacity (dissmodel-sysdyn Yeast): ' +
    'cells ← cells + cells · rate · (1 − cells / capacity) per tick, then clamped to the capacity.',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    cells: pop(9.6, 'Initial number of cells.'),
    capacity: real(665, 'Carrying capacity of the culture.', { min: 1e-9, max: BIG, unit: 'cells' }),
    rate: real(1.1, 'Per-capita growth rate per tick.', { min: 0, step: 0.01, unit: '1/tick' }),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'cells',
});
type Params = ParamsOf<typeof spec.params>;

export class Yeast extends Model implements SystemDynamicsModel {
  readonly variables = ['cells'] as const;
  cells: number;
  readonly capacity: number;
  readonly rate: number;

  constructor(env: Environment, p: Params) {
    super(env);
    this.cells = p.cells;
    this.capacity = p.capacity;
    this.rate = p.rate;
  }

  override execute(): void {
    this.cells += this.cells * this.rate * (1 - this.cells / this.capacity);
    if (this.cells > this.capacity) this.cells = this.capacity;
  }

  state(): number[] {
    return [this.cells];
  }
}

export class YeastExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new Yeast(env, p));
  }
}
