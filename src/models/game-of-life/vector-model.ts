/** The vector Game of Life as a scheduler Model: double-buffered over CSR neighbours. */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { population } from './kernel.ts';
import { vectorLifeStep, type CsrNeighbors } from './vector-kernel.ts';

export class GameOfLifeVector extends Model {
  state: Uint8Array;
  private spare: Uint8Array;
  population: number;

  constructor(
    env: Environment,
    readonly neighborhood: CsrNeighbors,
    initial: Uint8Array,
    options: ModelOptions = {},
  ) {
    super(env, options);
    if (neighborhood.offsets.length !== initial.length + 1) {
      throw new Error(`GameOfLifeVector: ${initial.length} cells but ${neighborhood.offsets.length - 1} neighbour lists.`);
    }
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    this.population = population(this.state);
  }

  override execute(): void {
    this.population = vectorLifeStep(this.state, this.spare, this.neighborhood);
    const t = this.state;
    this.state = this.spare;
    this.spare = t;
  }
}
