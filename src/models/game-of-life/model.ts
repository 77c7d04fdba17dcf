/**
 * The Game of Life as scheduler Models, double-buffered (no allocation per
 * step): on a raster with the bit-parallel kernel, on a vector layer with the
 * neighbour-list rule.
 */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { createBitGrid, type BitGrid } from '../../sim/bitgrid.ts';
import type { Neighborhood } from '../../sim/vector.ts';
import { resolveEngine, type KernelEngine } from '../../sim/wasm/runtime.ts';
import { packStates, unpackStates, WasmPlanePacker } from '../../sim/wasm/plane-pack.ts';
import { samplePlanes } from '../../sim/plane-sample.ts';
import type { LayerPreview } from '../../executor/context.ts';
import type { BandTeam } from '../../sim/bands.ts';
import { bitLifeStep } from './bit-kernel.ts';
import { WasmLifeKernel } from './bit-kernel-wasm.ts';
import { lifeRuleGraph } from './rule.ts';

/**
 * A rows × cols grid, 32 cells per word; `state` unpacks to one reused byte array on demand (allocated on
 * the first call: a run that never looks at the cells before its output holds only the two planes; with a
 * band team, the bytes in the team's memory, unpacked on all its threads). The
 * step runs the WebAssembly kernel when the host allows it (`engine: 'auto'`), else the JavaScript one:
 * the same bits either way. With a band team (src/sim/bands.ts, kernel `game_of_life`) the planes are
 * the team's shared ones and each step runs the team's kernel (WebAssembly over its shared memory, else
 * JavaScript) on all its threads, band by band: the
 * same planes and population as in one thread.
 *
 * `initial` must hold 0/1. With `check` (the executor's checker, which throws its InputError naming the
 * first bad cell) the model makes sure of it: the WebAssembly packer keeps the largest byte as it packs
 * (no pass of its own), else `check` runs before the JavaScript pack. Without it a byte other than 0/1
 * found while packing is a RangeError.
 *
 * `out` (rows × cols bytes) is the array `state` unpacks into instead of a fresh one (without a team, which
 * unpacks into its shared memory): the input's own bytes
 * when the run may overwrite them (Sim.reuseInput), read only by the pack, so the output touches no new
 * memory (at 4000², 16 MB of fresh pages, ≈ 13 ms of page faults on this machine).
 */
export class GameOfLifeRaster extends Model {
  private cur: BitGrid;
  private spare: BitGrid;
  private cells: Uint8Array | null = null;
  private from: 0 | 1 = 0;
  private unpacked = false;
  private readonly stepGrid: (cur: BitGrid, next: BitGrid) => number;
  private readonly packer: WasmPlanePacker | null = null;
  /** The kernel this model steps with. */
  readonly engine: 'wasm' | 'js';
  population: number;

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    options: ModelOptions & { engine?: KernelEngine; check?: () => void; out?: Uint8Array } = {},
    private readonly team: BandTeam | null = null,
  ) {
    super(env, options);
    if (options.out && options.out.length !== rows * cols)
      throw new RangeError(`${options.out.length} bytes to unpack ${rows} × ${cols} cells into`);
    if (team && (team.sets[0][0].rows !== rows || team.sets[0][0].cols !== cols))
      throw new RangeError('the band team does not match the grid');
    this.engine = team ? team.engine : resolveEngine(options.engine ?? 'auto');
    if (team) {
      [this.cur, this.spare] = [team.sets[0][0], team.sets[1][0]];
      this.packer = team.planes ? WasmPlanePacker.of(team.planes, 1) : null;
      this.stepGrid = () => {
        const population = team.step(this.from);
        this.from = this.from === 0 ? 1 : 0;
        return population;
      };
    } else if (this.engine === 'wasm') {
      const { kernel, cur, next, packer } = WasmLifeKernel.withPlanes(rows, cols);
      [this.cur, this.spare] = [cur, next];
      this.packer = packer;
      this.stepGrid = (a, b) => kernel.step(a, b);
    } else {
      this.cur = createBitGrid(rows, cols);
      this.spare = createBitGrid(rows, cols);
      this.stepGrid = bitLifeStep;
    }
    // The live cells are the ones equal to 1, counted as packed.
    const count = new Int32Array(1);
    packStates(this.packer, initial, [this.cur], [1], count, options.check);
    this.population = count[0];
    this.cells = options.out ?? null; // written only after the pack has read `initial`
  }

  /** The current state as 0/1 bytes, row-major (a view reused between calls: copy to keep). */
  get state(): Uint8Array {
    if (!this.unpacked) {
      // A team unpacks in bands on all its threads, into its memory; else this thread, into cells of its own.
      this.cells =
        this.team?.unpack(this.from, [1]) ??
        unpackStates(this.packer, [this.cur], [1], this.cells ?? new Uint8Array(this.rows * this.cols));
      this.unpacked = true;
    }
    return this.cells!;
  }

  /** The state read every `stride`-th row and column from the planes (a live map's frame; no full unpack). */
  preview(): LayerPreview {
    return { width: this.cols, height: this.rows, sample: (stride) => samplePlanes([this.cur], [1], stride) };
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
