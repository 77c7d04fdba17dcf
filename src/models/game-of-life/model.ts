/**
 * The Game of Life as scheduler Models, double-buffered (no allocation per
 * step): on a raster with the bit-parallel kernel, on a vector layer with the
 * neighbour-list rule.
 */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells, type BitGrid } from '../../sim/bitgrid.ts';
import type { Neighborhood } from '../../sim/vector.ts';
import type { BandTeam } from '../../sim/bands.ts';
import { bitLifeStep } from './bit-kernel.ts';
import { lifeRuleGraph } from './rule.ts';

/**
 * A rows × cols grid, 32 cells per word; `state` unpacks to one reused byte array on demand. With a
 * band team (src/sim/bands.ts, kernel `game_of_life`) the planes are the team's shared ones and each
 * step runs on all its threads, band by band: the same planes and population as in one thread.
 */
export class GameOfLifeRaster extends Model {
  private cur: BitGrid;
  private spare: BitGrid;
  private from: 0 | 1 = 0;
  private readonly cells: Uint8Array;
  private unpacked = false;
  population: number;

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    options: ModelOptions = {},
    private readonly team: BandTeam | null = null,
  ) {
    super(env, options);
    if (team && (team.sets[0][0].rows !== rows || team.sets[0][0].cols !== cols))
      throw new RangeError('the band team does not match the grid');
    this.cur = team ? team.sets[0][0] : createBitGrid(rows, cols);
    this.spare = team ? team.sets[1][0] : createBitGrid(rows, cols);
    packCells(initial, this.cur);
    this.cells = new Uint8Array(rows * cols);
    this.population = bitPopulation(this.cur);
  }

  /** The current state as 0/1 bytes, row-major (a view reused between calls: copy to keep). */
  get state(): Uint8Array {
    if (!this.unpacked) {
      unpackCells(this.cur, this.cells);
      this.unpacked = true;
    }
    return this.cells;
  }

  override execute(): void {
    if (this.team) {
      this.population = this.team.step(this.from);
      this.from = this.from === 0 ? 1 : 0;
    } else this.population = bitLifeStep(this.cur, this.spare);
    [this.cur, this.spare] = [this.spare, this.cur];
    this.unpacked = false;
  }
}

/** Cells with neighbour lists (a vector layer's Queen neighbourhood). */
export class GameOfLifeVector extends Model {
  state: Uint8Array;
  private spare: Uint8Array;
  population = 0;

  constructor(
    env: Environment,
    readonly neighborhood: Pick<Neighborhood, 'offsets' | 'neighbors'>,
    initial: Uint8Array,
    options: ModelOptions = {},
  ) {
    super(env, options);
    if (neighborhood.offsets.length !== initial.length + 1) {
      throw new RangeError(`${initial.length} cells but ${neighborhood.offsets.length - 1} neighbour lists.`);
    }
    this.state = initial.slice();
    this.spare = new Uint8Array(initial.length);
    for (const v of this.state) this.population += v;
  }

  override execute(): void {
    this.population = lifeRuleGraph(this.state, this.spare, this.neighborhood);
    [this.state, this.spare] = [this.spare, this.state];
  }
}
