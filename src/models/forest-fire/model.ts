/** The forest fire as scheduler Models: double-buffered, no per-step allocation. */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import { createBitGrid } from '../../sim/bitgrid.ts';
import type { BandTeam } from '../../sim/bands.ts';
import { resolveEngine, type KernelEngine } from '../../sim/wasm/runtime.ts';
import { packStates, unpackStates, WasmPlanePacker } from '../../sim/wasm/plane-pack.ts';
import { samplePlanes } from '../../sim/plane-sample.ts';
import type { LayerPreview } from '../../executor/context.ts';
import { advanceFireCounts, bitFireStep, type FirePlanes } from './bit-kernel.ts';
import { WasmFireKernel } from './bit-kernel-wasm.ts';
import { countFire, fireRuleGraph } from './rule.ts';

export type FireNeighborhood = 'von_neumann' | 'moore';

interface FireState {
  readonly state: Uint8Array;
  readonly burning: number;
  readonly burned: number;
}

/**
 * Raster fire on a rows × cols grid (fixed boundary), Moore or von Neumann. The step runs the
 * WebAssembly kernel when the host allows it (`engine: 'auto'`), else the JavaScript one: the same bits.
 * With a band team (src/sim/bands.ts, kernel `forest_fire`) the planes are the team's shared ones and
 * each step runs the team's kernel (WebAssembly over its shared memory, else JavaScript) on all its threads, band by band: the same planes and counts as
 * in one thread.
 *
 * `initial` must hold 0/1/2. With `check` (the executor's checker, which throws its InputError naming
 * the first bad cell) the model makes sure of it: the WebAssembly packer keeps the largest byte as it
 * packs (no pass of its own), else `check` runs before the JavaScript pack. Without it a byte above 2
 * found while packing is a RangeError.
 *
 * `out` (rows × cols bytes) is the array `state` unpacks into instead of a fresh one (without a team, which
 * unpacks into its shared memory): the input's own bytes
 * when the run may overwrite them (Sim.reuseInput), read only by the pack, so the output touches no new
 * memory (at 4000², 16 MB of fresh pages, ≈ 13 ms of page faults on this machine).
 */
export class FireRaster extends Model implements FireState {
  private cur: FirePlanes;
  private spare: FirePlanes;
  private cells: Uint8Array | null = null; // allocated by the first `state`
  private from: 0 | 1 = 0;
  private unpacked = false;
  private readonly counts = new Int32Array(2);
  private readonly packer: WasmPlanePacker | null = null;
  private readonly stepPlanes: (cur: FirePlanes, next: FirePlanes, moore: boolean, counts: Int32Array) => void;
  /** The kernel this model steps with. */
  readonly engine: 'wasm' | 'js';

  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    initial: Uint8Array,
    readonly neighborhood: FireNeighborhood,
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
      this.cur = { burning: team.sets[0][0], burned: team.sets[0][1] };
      this.spare = { burning: team.sets[1][0], burned: team.sets[1][1] };
      this.packer = team.planes ? WasmPlanePacker.of(team.planes, 2) : null;
      this.stepPlanes = (_a, _b, moore, counts) => {
        advanceFireCounts(counts, team.step(this.from, moore ? 1 : 0));
        this.from = this.from === 0 ? 1 : 0;
      };
    } else if (this.engine === 'wasm') {
      const { kernel, cur, next, packer } = WasmFireKernel.withPlanes(rows, cols, { moore: neighborhood === 'moore' });
      [this.cur, this.spare] = [cur, next];
      this.packer = packer;
      this.stepPlanes = (a, b, moore, counts) => kernel.step(a, b, moore, counts);
    } else {
      const planes = (): FirePlanes => ({ burning: createBitGrid(rows, cols), burned: createBitGrid(rows, cols) });
      this.cur = planes();
      this.spare = planes();
      this.stepPlanes = bitFireStep;
    }
    // One pass: the cells equal to 1 and to 2, and their numbers (countFire's counts).
    packStates(this.packer, initial, [this.cur.burning, this.cur.burned], [1, 2], this.counts, options.check);
    this.cells = options.out ?? null; // written only after the pack has read `initial`
  }

  /** The current state as bytes 0/1/2, row-major (a view reused between calls: copy to keep). */
  get state(): Uint8Array {
    if (!this.unpacked) {
      // A team unpacks in bands on all its threads, into its memory; else this thread, into cells of its own.
      this.cells =
        this.team?.unpack(this.from, [1, 2]) ??
        unpackStates(this.packer, [this.cur.burning, this.cur.burned], [1, 2], this.cells ?? new Uint8Array(this.rows * this.cols));
      this.unpacked = true;
    }
    return this.cells!;
  }

  get burning(): number {
    return this.counts[0];
  }

  get burned(): number {
    return this.counts[1];
  }

  /** The state read every `stride`-th row and column from the planes (a live map's frame; no full unpack). */
  preview(): LayerPreview {
    return { width: this.cols, height: this.rows, sample: (stride) => samplePlanes([this.cur.burning, this.cur.burned], [1, 2], stride) };
  }

  override execute(): void {
    this.stepPlanes(this.cur, this.spare, this.neighborhood === 'moore', this.counts);
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
