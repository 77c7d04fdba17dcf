/** The probabilistic forest fire as a scheduler Model (double-buffered, any random source). */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { countStates, fireStepCsr, fireStepGrid, type CsrNeighbors, type FireCounts, type FireProbabilities } from './kernel.ts';

/** Where the cells' neighbours come from: CSR lists (vector layers) or a row-major grid (Moore). */
export type FireTopology = { kind: 'csr'; csr: CsrNeighbors } | { kind: 'grid'; rows: number; cols: number };

export class ForestFireProb extends Model {
  state: Uint8Array;
  private spare: Uint8Array;
  counts: FireCounts;

  constructor(
    env: Environment,
    readonly topology: FireTopology,
    initial: Uint8Array,
    readonly probabilities: FireProbabilities,
    /** Uniform floats in [0, 1), consumed one per FOREST cell without a burning neighbour and per BURNED cell. */
    readonly random: () => number,
    options: ModelOptions = {},
  ) {
    super(env, options);
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    this.counts = countStates(this.state);
  }

  override execute(): void {
    const t = this.topology;
    if (t.kind === 'csr') fireStepCsr(this.state, this.spare, t.csr, this.probabilities, this.random);
    else fireStepGrid(this.state, this.spare, t.rows, t.cols, this.probabilities, this.random);
    [this.state, this.spare] = [this.spare, this.state];
    this.counts = countStates(this.state);
  }
}
