/**
 * The Game of Life as scheduler Models, double-buffered (no allocation per
 * step): on a raster with the bit-parallel kernel, on a vector layer with the
 * neighbour-list rule.
 */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { bitPopulation, createBitGrid, packCells, unpackCells, type BitGrid } from '../../sim/bitgrid.ts';
import type { Neighborhood } from '../../sim/vector.ts';
import { resolveEngine, type KernelEngine } from '../../sim/wasm/runtime.ts';
import { bitLifeStep } from './bit-kernel.ts';
import { WasmLifeKernel } from './bit-kernel-wasm.ts';
import { lifeRuleGraph } from './rule.ts';

/**
 * A rows × cols grid, 32 cells per word; `state` unpacks to one reused byte array on demand. The step
 * runs the WebAssembly kernel when the host allows it (`engine: 'auto'`), else the JavaScript one:
 * the same bits either way.
 */
export class GameOfLifeRaster extends Model {
  private cur: BitGrid;
  private spare: BitGrid;
  private readonly cells: Uint8Array;
  private unpacked = false;
  private readonly stepGrid: (cur: BitGrid, next: BitGrid) => number;
  /** The kernel this model steps with. */
  readonly engine: 'wasm' | 'js';
  population: number;

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    options: ModelOptions & { engine?: KernelEngine } = {},
  ) {
    super(env, options);
    this.engine = resolveEngine(options.engine ?? 'auto');
    if (this.engine === 'wasm') {
      const { kernel, cur, next } = WasmLifeKernel.withPlanes(rows, cols);
      [this.cur, this.spare] = [cur, next];
      this.stepGrid = (a, b) => kernel.step(a, b);
    } else {
      this.cur = createBitGrid(rows, cols);
      this.spare = createBitGrid(rows, cols);
      this.stepGrid = bitLifeStep;
    }
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
    this.population = this.stepGrid(this.cur, this.spare);
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
