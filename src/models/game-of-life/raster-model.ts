/**
 * The raster Game of Life as a scheduler Model: a bit-packed double buffer
 * (see bit-kernel.ts), no per-step allocation. `state` unpacks to one reused
 * byte array on demand (frames, output).
 */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells, type BitGrid } from '../../sim/bitgrid.ts';
import { bitLifeStep } from './bit-kernel.ts';

export class GameOfLifeRaster extends Model {
  private cur: BitGrid;
  private spare: BitGrid;
  private readonly cells: Uint8Array;
  private unpacked = false;
  population: number;

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    options: ModelOptions = {},
  ) {
    super(env, options);
    this.cur = createBitGrid(rows, cols);
    this.spare = createBitGrid(rows, cols);
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
    this.population = bitLifeStep(this.cur, this.spare);
    const t = this.cur;
    this.cur = this.spare;
    this.spare = t;
    this.unpacked = false;
  }
}
