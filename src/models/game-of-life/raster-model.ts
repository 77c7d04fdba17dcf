/** The raster Game of Life as a scheduler Model: double-buffered, no per-step allocation. */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { lifeStep, population } from './kernel.ts';

export class GameOfLifeRaster extends Model {
  state: Uint8Array;
  private spare: Uint8Array;
  private readonly colsum: Uint8Array;
  population: number;

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    options: ModelOptions = {},
  ) {
    super(env, options);
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    this.colsum = new Uint8Array(cols + 2);
    this.population = population(this.state);
  }

  override execute(): void {
    this.population = lifeStep(this.state, this.spare, this.rows, this.cols, this.colsum);
    const t = this.state;
    this.state = this.spare;
    this.spare = t;
  }
}
