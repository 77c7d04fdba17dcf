/** The forest fire as scheduler Models: double-buffered, no per-step allocation. */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { countStates, fireStepGraph, fireStepMoore, fireStepVonNeumann } from './kernel.ts';

export type FireNeighborhood = 'von_neumann' | 'moore';

interface FireState {
  readonly state: Uint8Array;
  readonly burning: number;
  readonly burned: number;
}

/** Raster fire on a rows × cols grid (fixed boundary), Moore or von Neumann. */
export class FireRaster extends Model implements FireState {
  state: Uint8Array;
  private spare: Uint8Array;
  private readonly colOr: Uint8Array;
  private readonly counts = new Int32Array(2);

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    readonly neighborhood: FireNeighborhood,
    options: ModelOptions = {},
  ) {
    super(env, options);
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    this.colOr = new Uint8Array(cols + 2);
    countStates(this.state, this.counts);
  }

  get burning(): number {
    return this.counts[0];
  }

  get burned(): number {
    return this.counts[1];
  }

  override execute(): void {
    if (this.neighborhood === 'moore') fireStepMoore(this.state, this.spare, this.rows, this.cols, this.colOr, this.counts);
    else fireStepVonNeumann(this.state, this.spare, this.rows, this.cols, this.counts);
    const t = this.state;
    this.state = this.spare;
    this.spare = t;
  }
}

/** Fire over a CSR neighbourhood (a vector layer's Rook or Queen). */
export class FireGraph extends Model implements FireState {
  state: Uint8Array;
  private spare: Uint8Array;
  private readonly counts = new Int32Array(2);

  constructor(
    env: Environment,
    initial: Uint8Array,
    readonly offsets: Int32Array,
    readonly neighbors: Int32Array,
    options: ModelOptions = {},
  ) {
    super(env, options);
    if (offsets.length !== initial.length + 1) throw new RangeError('the neighbourhood does not match the cells');
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    countStates(this.state, this.counts);
  }

  get burning(): number {
    return this.counts[0];
  }

  get burned(): number {
    return this.counts[1];
  }

  override execute(): void {
    fireStepGraph(this.state, this.spare, this.offsets, this.neighbors, this.counts);
    const t = this.state;
    this.state = this.spare;
    this.spare = t;
  }
}
