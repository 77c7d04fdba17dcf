/** The forest fire as scheduler Models: double-buffered, no per-step allocation. */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells } from '../../sim/bitgrid.ts';
import type { BandTeam } from '../../sim/bands.ts';
import { advanceFireCounts, bitFireStep, type FirePlanes } from './bit-kernel.ts';
import { countFire, fireRuleGraph } from './rule.ts';

export type FireNeighborhood = 'von_neumann' | 'moore';

interface FireState {
  readonly state: Uint8Array;
  readonly burning: number;
  readonly burned: number;
}

/**
 * Raster fire on a rows × cols grid (fixed boundary), Moore or von Neumann. With a band team
 * (src/sim/bands.ts, kernel `forest_fire`) the planes are the team's shared ones and each step runs on
 * all its threads, band by band: the same planes and counts as in one thread.
 */
export class FireRaster extends Model implements FireState {
  private cur: FirePlanes;
  private spare: FirePlanes;
  private from: 0 | 1 = 0;
  private readonly cells: Uint8Array;
  private unpacked = false;
  private readonly counts = new Int32Array(2);

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    readonly neighborhood: FireNeighborhood,
    options: ModelOptions = {},
    private readonly team: BandTeam | null = null,
  ) {
    super(env, options);
    if (team && (team.sets[0][0].rows !== rows || team.sets[0][0].cols !== cols))
      throw new RangeError('the band team does not match the grid');
    const planes = (k: 0 | 1): FirePlanes =>
      team
        ? { burning: team.sets[k][0], burned: team.sets[k][1] }
        : { burning: createBitGrid(rows, cols), burned: createBitGrid(rows, cols) };
    this.cur = planes(0);
    this.spare = planes(1);
    packCells(initial, this.cur.burning, 1);
    packCells(initial, this.cur.burned, 2);
    this.cells = new Uint8Array(rows * cols);
    // The cells equal to 1 and to 2 (countFire's counts) are the populations of the two planes.
    this.counts[0] = bitPopulation(this.cur.burning);
    this.counts[1] = bitPopulation(this.cur.burned);
  }

  /** The current state as bytes 0/1/2, row-major (a view reused between calls: copy to keep). */
  get state(): Uint8Array {
    if (!this.unpacked) {
      unpackCells(this.cur.burning, this.cells);
      unpackCells(this.cur.burned, this.cells, 2, true);
      this.unpacked = true;
    }
    return this.cells;
  }

  get burning(): number {
    return this.counts[0];
  }

  get burned(): number {
    return this.counts[1];
  }

  override execute(): void {
    const moore = this.neighborhood === 'moore';
    if (this.team) {
      advanceFireCounts(this.counts, this.team.step(this.from, moore ? 1 : 0));
      this.from = this.from === 0 ? 1 : 0;
    } else bitFireStep(this.cur, this.spare, moore, this.counts);
    [this.cur, this.spare] = [this.spare, this.cur];
    this.unpacked = false;
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
    countFire(this.state, this.counts);
  }

  get burning(): number {
    return this.counts[0];
  }

  get burned(): number {
    return this.counts[1];
  }

  override execute(): void {
    fireRuleGraph(this.state, this.spare, this.offsets, this.neighbors, this.counts);
    [this.state, this.spare] = [this.spare, this.state];
  }
}
