/**
 * Banded steps: one large bit-packed grid stepped on several threads at once (issue #17).
 *
 * The grid's planes live in SharedArrayBuffers, two sets of them (the current state and the next, as
 * the single-thread double buffer). The rows are cut into contiguous bands, several per thread (16 per
 * thread, at least 4 rows each); each step, every thread takes the next band not yet taken (an atomic
 * counter), runs the row-range kernel on it — reading rows r0 − 1 … r1 of the current set (the halo
 * rows are read in place, from the whole shared plane), writing rows r0 … r1 − 1 of the next set — and
 * adds its count (population, burning cells), until none is left. Taking bands as they come keeps both
 * cores busy when one thread is slowed (a loaded machine) where a fixed half each would wait for the
 * slower. The caller's thread takes part and then waits (Atomics) until every band of the step is done
 * — not for every worker: one still asleep when the others have taken all the bands takes none — so a
 * step stays synchronous for the scheduler. Each word of the next state is computed by the
 * same kernel code from the same words as in one thread, whichever thread runs its band, and the
 * counts are integer sums, so the planes and the counts are exactly the single-thread ones for any
 * number of threads: the output bytes do not depend on it. In a shared WebAssembly memory the team also
 * unpacks the state into bytes in bands on every thread ({@link BandTeam.unpack}), the same bytes as the
 * one-thread unpack.
 *
 * The core starts no thread: a host (the CLI's worker_threads, the page's Web Workers) hands its way
 * of starting one to {@link configureBands}, and its worker script calls {@link serveBands} with the
 * kernels (src/models/band-kernels.ts). Without a host, with one thread, on a grid smaller than the
 * host's `minCells` or while another banded run holds the workers, {@link openBands} returns null and
 * the model steps in its own thread, as before.
 */
import type { BitGrid } from './bitgrid.ts';
import { allocateBitPlanes, viewBitPlanes, type BitPlanes, type PlaneLayout } from './wasm/bit-planes.ts';
import { hostWasm, type WasmMemory } from './wasm/host.ts';
import { packScratchBytes, rowScratchBytes, WasmPlanePacker } from './wasm/plane-pack.ts';
import { wasmUnavailable } from './wasm/runtime.ts';

/** A row-range step: reads `cur`'s planes, writes rows [r0, r1) of `next`'s, returns the band's count (summed over bands). */
export type BandKernel = (cur: readonly BitGrid[], next: readonly BitGrid[], r0: number, r1: number, option: number) => number;

/**
 * A model's row-range step two ways: the JavaScript kernel, over planes anywhere, and (optionally) the
 * WebAssembly kernel bound to the shared memory that holds the planes (the same words out).
 */
export interface BandKernelPair {
  js: BandKernel;
  /** `option`, when given, is the one the run steps with: a kernel may compile only its code up front (and the rest if it is ever stepped with). */
  wasm?: (planes: Pick<BitPlanes, 'memory' | 'shared'>, option?: number) => BandKernel;
}

/** The kernels a worker can run, by name, each loaded on first use: a warm (startBandWorkers) loads them all, an attach the one it steps. */
export type BandKernels = Readonly<Record<string, () => Promise<BandKernelPair>>>;

/**
 * Where a team's planes are: SharedArrayBuffers, one per plane (set 0's, then set 1's), or one shared WebAssembly
 * memory; there, when `bytes` is given, the memory also holds the state as bytes (`cells`: rows × cols) and a
 * row of scratch per thread (`rowScratch` + thread × `rowBytes`), where every thread unpacks its bands.
 */
export type BandPlanes =
  | { kind: 'buffers'; sets: [SharedArrayBuffer[], SharedArrayBuffer[]] }
  | { kind: 'memory'; memory: WasmMemory; layout: PlaneLayout; bytes?: BandBytes };

/** Where a team's memory holds the state as bytes and each thread's row of scratch (see BandPlanes). */
export interface BandBytes {
  cells: number;
  rowScratch: number;
  rowBytes: number;
}

/** What the pool posts to a worker to attach it to one run's grid. */
export interface BandAttach {
  type: 'attach';
  kernel: string;
  rows: number;
  cols: number;
  /** The planes of set 0 and of set 1, in the kernel's order (in a shared WebAssembly memory: the WebAssembly kernel steps them). */
  planes: BandPlanes;
  control: SharedArrayBuffer;
  /** This worker's slot for its count: 1 … workers − 1 (slot 0 is the caller's). */
  band: number;
}

/** Asks a worker to answer once it runs (the pool started ahead of a run, see {@link startBandWorkers}). */
export interface BandWarm {
  type: 'warm';
  band: number;
}

/** A worker's answer to an attach (or warm) message. */
export type BandReply = { type: 'attached'; band: number } | { type: 'error'; message: string };

/** One worker as the host started it. */
export interface BandChannel {
  post(message: BandAttach | BandWarm): void;
  /** Called once, right after spawn: every reply of the worker goes to `listener`. */
  listen(listener: (reply: BandReply) => void): void;
  terminate(): void;
}

/** A host's way of running bands on threads. */
export interface BandHost {
  /** Threads a banded run uses, the caller's own included (≥ 1; 1 = never banded). */
  threads: number;
  /** Grids with fewer cells step in one thread (the start of a step costs more than it saves). */
  minCells: number;
  /** Start one worker whose script calls serveBands. */
  spawn(): BandChannel;
}

// The control words of a team (Int32Array over a SharedArrayBuffer).
const GEN = 0; // step generation, bumped by the caller to start a step (or a detach)
const DONE = 1; // bands of this generation finished (by any thread)
const CMD = 2; // 0 while stepping, DETACH once the team is closed
const FROM = 3; // which set is the current state, 0 or 1
const OPTION = 4; // the kernel's option (e.g. Moore or von Neumann)
const FAILED = 5; // 1 once a thread's kernel (or unpack) threw
const BANDS = 6; // bands per step
const OP = 7; // what a step does: STEP (the kernel) or UNPACK (the planes of FROM into bytes, weights in OPTION)
// 64-bit words (BigInt64Array indices, after the eight above):
const CLAIM = 4; // the generation (high 32 bits) and the next band to take in it (low 32 bits)
const TOTAL = 5; // the sum of this generation's band counts
const CONTROL_BYTES = 48;
const STEP = 0;
const UNPACK = 1;
const DETACH = 1;
/** Spins on a control word before sleeping on it: a step's end is usually microseconds away. */
const SPINS = 2000;

function waitWhile(control: Int32Array, index: number, value: number): void {
  for (let k = 0; k < SPINS; k++) if (Atomics.load(control, index) !== value) return;
  while (Atomics.load(control, index) === value) Atomics.wait(control, index, value);
}

const gridOf = (buffer: SharedArrayBuffer, rows: number, cols: number): BitGrid => ({
  rows,
  cols,
  stride: Math.ceil(cols / 32),
  words: new Uint32Array(buffer),
});

/** Bands per step for `threads` threads on `rows` rows: 16 per thread, at least 4 rows each (and at least one per thread). */
export function bandCount(rows: number, threads: number): number {
  return Math.max(threads, Math.min(16 * threads, Math.floor(rows / 4)));
}

/**
 * Takes bands of generation `gen` until none is left, running `band` on each and adding its count to TOTAL
 * and 1 to DONE (a band that throws sets FAILED and still counts as done, so that the caller's wait ends).
 * A band is claimed only while the claim word still holds `gen`: a thread that wakes after its step is over
 * (its bands all taken, the next step begun) takes nothing of the next step with this step's parameters.
 * So the caller waits for the bands, not for the workers: one that wakes late (a futex's wake-up, or a
 * loaded machine's scheduler) finds the step done by the others instead of holding it up.
 * Returns the first error this thread's bands threw, if any (the caller rethrows its own).
 */
function takeBands(c: Int32Array, w: BigInt64Array, gen: number, rows: number, band: (r0: number, r1: number) => number): unknown {
  const bands = Atomics.load(c, BANDS);
  const tag = BigInt(gen >>> 0) << 32n;
  let failure: unknown;
  for (;;) {
    const claim = Atomics.load(w, CLAIM);
    if ((claim & ~0xffffffffn) !== tag) return failure;
    const k = Number(claim & 0xffffffffn);
    if (k >= bands) return failure;
    if (Atomics.compareExchange(w, CLAIM, claim, claim + 1n) !== claim) continue;
    const [r0, r1] = bandRows(rows, bands, k);
    let count = 0;
    try {
      count = band(r0, r1);
    } catch (e) {
      Atomics.store(c, FAILED, 1);
      failure ??= e;
    }
    Atomics.add(w, TOTAL, BigInt(count));
    if (Atomics.add(c, DONE, 1) === bands - 1) Atomics.notify(c, DONE);
  }
}

/** What one thread does with a band of the current operation (OP): a step of the kernel, or an unpack. */
function bandOp(
  c: Int32Array,
  kernel: BandKernel,
  sets: readonly [readonly BitGrid[], readonly BitGrid[]],
  unpack: { packer: WasmPlanePacker; cells: number } | null,
): (r0: number, r1: number) => number {
  const from = Atomics.load(c, FROM);
  const option = Atomics.load(c, OPTION);
  const [cur, next] = [sets[from]!, sets[1 - from]!];
  if (Atomics.load(c, OP) === STEP) return (r0, r1) => kernel(cur, next, r0, r1, option);
  if (!unpack) throw new Error('this thread has no packer');
  const weights = cur.length === 2 ? [option & 255, option >>> 8] : [option & 255];
  return (r0, r1) => {
    unpack.packer.unpackRowsInto(cur, weights, unpack.cells, r0, r1);
    return 0;
  };
}

/** A thread's packer over the team's memory, with its own row of scratch (null without `bytes` or SIMD). */
function bandPacker(planes: BandPlanes, grids: BitGrid[], perSet: number, band: number): { packer: WasmPlanePacker; cells: number } | null {
  if (planes.kind !== 'memory' || !planes.bytes) return null;
  const { memory, layout, bytes } = planes;
  const scratch = { offset: bytes.rowScratch + band * bytes.rowBytes, bytes: bytes.rowBytes };
  const packer = WasmPlanePacker.of({ memory, shared: true, layout, grids, scratch }, perSet === 2 ? 2 : 1);
  return packer ? { packer, cells: bytes.cells } : null;
}

/** Rows [r0, r1) of band k of n: contiguous, sizes differing by at most one row. */
export function bandRows(rows: number, n: number, k: number): [number, number] {
  return [Math.floor((k * rows) / n), Math.floor(((k + 1) * rows) / n)];
}

let host: BandHost | null = null;
/** A worker, and the answers awaited from it, oldest first (it replies to its messages in order). */
let channels: { channel: BandChannel; pending: ((reply: BandReply) => void)[] }[] = [];
let busy = false;

/** Set (or, with null, remove) the host's band workers; the workers of a previous host are ended. */
export function configureBands(next: BandHost | null): void {
  for (const c of channels) c.channel.terminate();
  channels = [];
  host = next;
}

/** The threads a banded run would use now (1 without a host). */
export function bandThreads(): number {
  return host ? Math.max(1, Math.floor(host.threads)) : 1;
}

function spawnChannels(h: BandHost, n: number): void {
  while (channels.length < n) {
    const entry: (typeof channels)[number] = { channel: h.spawn(), pending: [] };
    entry.channel.listen((reply) => entry.pending.shift()?.(reply));
    channels.push(entry);
  }
}

/** Resolves when entry answers `message` (rejects with the worker's error). */
function ask(entry: (typeof channels)[number], message: BandAttach | BandWarm): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    entry.pending.push((reply) => {
      if (reply.type === 'attached') resolve();
      else reject(new Error(`A band worker could not start: ${reply.message}`));
    });
    entry.channel.post(message);
  });
}

/**
 * Starts the host's workers now rather than on the first banded run, and resolves when each runs
 * (a benchmark keeps their start-up out of its timing; a host may overlap it with loading the input).
 */
export async function startBandWorkers(): Promise<void> {
  const threads = bandThreads();
  if (!host || threads < 2 || busy) return;
  spawnChannels(host, threads - 1);
  await Promise.all(channels.map((entry, i) => ask(entry, { type: 'warm', band: i + 1 })));
}

export interface BandRequest {
  /** The kernel's name in the workers' BandKernels, and the same kernels for the caller's band. */
  name: string;
  kernel: BandKernelPair;
  rows: number;
  cols: number;
  /** Planes per set (Game of Life 1, forest fire 2). */
  planes: number;
  /** The kernel's option the run steps with, when it is known up front (see BandKernelPair.wasm). */
  option?: number;
}

/**
 * Workers attached to a new pair of shared plane sets for a rows × cols grid, or null when the run
 * should step in one thread (no host, one thread, a small grid, the workers busy with another run).
 * Close the team when the run ends (it frees the workers for the next run).
 */
export async function openBands(req: BandRequest): Promise<BandTeam | null> {
  const threads = bandThreads();
  if (!host || threads < 2 || busy || req.rows * req.cols < host.minCells || req.rows < 2) return null;
  // With WebAssembly every thread steps the WebAssembly kernel over one shared memory; else (or when a
  // worker cannot bind it, e.g. a worker whose policy refuses WebAssembly) the JavaScript one over buffers.
  if (req.kernel.wasm && wasmUnavailable() === null) {
    // After the planes: the model's packer's scratch, the state as bytes, a row of scratch per thread.
    const up16 = (n: number) => Math.ceil(n / 16) * 16;
    const [packBytes, cellBytes, rowBytes] = [up16(packScratchBytes(req.cols)), up16(req.rows * req.cols), up16(rowScratchBytes(req.cols))];
    const memory = allocateBitPlanes(req.rows, req.cols, 2 * req.planes, {
      shared: true,
      scratch: packBytes + cellBytes + threads * rowBytes,
    });
    const { offset } = memory.scratch!;
    memory.scratch = { offset, bytes: packBytes };
    const bytes = { cells: offset + packBytes, rowScratch: offset + packBytes + cellBytes, rowBytes };
    const planes: BandPlanes = { kind: 'memory', memory: memory.memory, layout: memory.layout, bytes };
    const team = await attachTeam(req, threads, planes, memory).catch(() => null);
    if (team) return team;
  }
  const stride = Math.ceil(req.cols / 32);
  const set = () => Array.from({ length: req.planes }, () => new SharedArrayBuffer(req.rows * stride * 4));
  return attachTeam(req, threads, { kind: 'buffers', sets: [set(), set()] }, null);
}

/** The workers attached to `planes`; on a failure the ones attached are released, the others ended (the next run starts fresh ones). */
async function attachTeam(req: BandRequest, threads: number, planes: BandPlanes, memory: BitPlanes | null): Promise<BandTeam> {
  const h = host!;
  const n = Math.min(threads, req.rows);
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  busy = true;
  try {
    spawnChannels(h, n - 1);
    const attached = Promise.all(
      channels
        .slice(0, n - 1)
        .map((entry, i) => ask(entry, { type: 'attach', kernel: req.name, rows: req.rows, cols: req.cols, planes, control, band: i + 1 })),
    );
    // This thread's kernel is bound (its modules encoded and compiled) while the workers attach, not after.
    let kernel: BandKernel;
    try {
      kernel = memory ? req.kernel.wasm!(memory, req.option) : req.kernel.js;
    } finally {
      await attached;
    }
    return new BandTeam(req, n, planes, control, memory, kernel);
  } catch (e) {
    const c = new Int32Array(control);
    Atomics.store(c, CMD, DETACH);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    configureBands(h);
    busy = false;
    throw e;
  }
}

/** A team's two sets of grids over its planes. */
function setsOf(planes: BandPlanes, rows: number, cols: number, perSet: number): [BitGrid[], BitGrid[]] {
  if (planes.kind === 'buffers')
    return [planes.sets[0].map((b) => gridOf(b, rows, cols)), planes.sets[1].map((b) => gridOf(b, rows, cols))];
  const grids = viewBitPlanes(planes.memory, planes.layout);
  return [grids.slice(0, perSet), grids.slice(perSet, 2 * perSet)];
}

/** The workers of one run, attached to its shared planes. */
export class BandTeam {
  /** Threads stepping the grid, the caller's included. */
  readonly workers: number;
  /** The two sets of planes (shared): the state is in `sets[from]` before a step from `from`. */
  readonly sets: readonly [readonly BitGrid[], readonly BitGrid[]];
  /** The kernel every thread steps. */
  readonly engine: 'wasm' | 'js';
  /** The shared WebAssembly memory holding the sets (with a packer's scratch region), when the engine is 'wasm'. */
  readonly planes: BitPlanes | null;
  private readonly control: Int32Array;
  private readonly wide: BigInt64Array;
  private readonly kernel: BandKernel;
  private readonly rows: number;
  /** This thread's packer (its row of scratch) and the state as bytes in the memory, when the team can unpack in bands. */
  private readonly unpacker: { packer: WasmPlanePacker; cells: number } | null;
  private readonly cells: Uint8Array | null;
  private closed = false;

  constructor(
    req: BandRequest,
    workers: number,
    planes: BandPlanes,
    control: SharedArrayBuffer,
    memory: BitPlanes | null,
    kernel: BandKernel,
  ) {
    this.workers = workers;
    this.planes = memory;
    this.engine = memory ? 'wasm' : 'js';
    this.kernel = kernel;
    this.sets = setsOf(planes, req.rows, req.cols, req.planes);
    this.control = new Int32Array(control);
    this.rows = req.rows;
    this.unpacker = memory ? bandPacker(planes, memory.grids, req.planes, 0) : null;
    this.cells = this.unpacker ? new Uint8Array(memory!.memory.buffer, this.unpacker.cells, req.rows * req.cols) : null;
    this.wide = new BigInt64Array(control);
    Atomics.store(this.control, BANDS, bandCount(req.rows, workers));
  }

  /** One step from set `from` into the other on every band; returns the sum of the bands' counts. */
  step(from: 0 | 1, option = 0): number {
    return this.run(STEP, from, option);
  }

  /**
   * The state in set `from` as bytes (cell = Σ weights[p] × its bit of plane p, as unpackPlanes), unpacked in
   * bands on every thread into the team's memory: a view of it, overwritten by the next unpack (copy to keep).
   * Null when the team cannot (JavaScript planes, or no WebAssembly SIMD): unpack the planes in this thread.
   * A large grid's unpack at the end of a run was the one-thread part of it that cost most (4000²: ~ 15–40 ms).
   */
  unpack(from: 0 | 1, weights: readonly number[]): Uint8Array | null {
    if (!this.cells) return null;
    if (
      weights.length !== this.sets[0].length ||
      weights.some((w) => !Number.isInteger(w) || w < 0) ||
      weights.reduce((a, w) => a + w, 0) > 255
    )
      throw new RangeError('unpack weights must be whole numbers summing to at most 255, one per plane');
    this.run(UNPACK, from, weights[0]! | ((weights[1] ?? 0) << 8));
    return this.cells;
  }

  /** Runs `op` on every band, this thread taking part; returns the sum of the bands' counts. */
  private run(op: number, from: 0 | 1, option: number): number {
    if (this.closed) throw new Error('This band team is closed.');
    const c = this.control;
    const w = this.wide;
    // Every band of the previous generation is done: no thread reads these until GEN moves on.
    Atomics.store(c, OP, op);
    Atomics.store(c, FROM, from);
    Atomics.store(c, OPTION, option);
    Atomics.store(c, DONE, 0);
    Atomics.store(w, TOTAL, 0n);
    const gen = (Atomics.load(c, GEN) + 1) | 0;
    Atomics.store(w, CLAIM, BigInt(gen >>> 0) << 32n);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    const own = takeBands(c, w, gen, this.rows, bandOp(c, this.kernel, this.sets, this.unpacker));
    const bands = Atomics.load(c, BANDS);
    for (let d = Atomics.load(c, DONE); d < bands; d = Atomics.load(c, DONE)) waitWhile(c, DONE, d);
    if (own !== undefined) throw own; // this thread's own kernel's error, as one thread would throw it
    if (Atomics.load(c, FAILED) !== 0) throw new Error('A band worker failed during a step.');
    return Number(Atomics.load(w, TOTAL));
  }

  /** Release the workers (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const c = this.control;
    Atomics.store(c, CMD, DETACH);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    busy = false;
  }
}

/**
 * A band worker's side: returns the handler of the pool's messages. On an attach it replies, then
 * steps its band each time the caller starts a step, until the caller closes the team; then it
 * returns to its event loop for the next run's attach.
 */
export function serveBands(kernels: BandKernels, reply: (r: BandReply) => void): (message: BandAttach | BandWarm) => void {
  // One message at a time, in order: an attach posted while a warm is still loading waits for it, so the
  // replies come in the order of the messages (the pool matches them so).
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: BandAttach | BandWarm): Promise<void> => {
    if (m.type === 'warm') {
      await warmKernels(kernels);
      reply({ type: 'attached', band: m.band });
      return;
    }
    const load = Object.hasOwn(kernels, m.kernel) ? kernels[m.kernel] : undefined;
    if (!load) {
      reply({ type: 'error', message: `no band kernel named "${m.kernel}" (known: ${Object.keys(kernels).join(', ')})` });
      return;
    }
    let pair: BandKernelPair;
    try {
      pair = await load();
    } catch (e) {
      reply({ type: 'error', message: `the kernel "${m.kernel}" could not be loaded: ${String(e)}` });
      return;
    }
    let kernel: BandKernel;
    try {
      if (m.planes.kind === 'buffers') kernel = pair.js;
      else if (!pair.wasm) throw new Error('it has no WebAssembly version');
      else kernel = pair.wasm({ memory: m.planes.memory, shared: true });
    } catch (e) {
      reply({ type: 'error', message: `the kernel "${m.kernel}" could not be bound to the shared memory: ${String(e)}` });
      return;
    }
    stepBands(kernel, m, reply);
  };
  return (m) => {
    queue = queue.then(() => handle(m));
  };
}

/**
 * Loads every kernel and compiles its WebAssembly modules for a shared memory (kernelModule keeps them
 * per thread), by binding it to a one-page shared memory: an attach then only instantiates them on the
 * run's memory. Done on the attach, loading and compiling were a banded run's largest cost of its own
 * (4000² forest fire: tens of ms of its run phase, about as much as 63 of its steps). A kernel that
 * cannot be loaded or bound here is left for its attach to report.
 */
async function warmKernels(kernels: BandKernels): Promise<void> {
  const wasm = wasmUnavailable() === null ? hostWasm() : undefined;
  let probe: Pick<BitPlanes, 'memory' | 'shared'> | null = null;
  try {
    if (wasm) probe = { memory: new wasm.Memory({ initial: 1, maximum: 1, shared: true }), shared: true };
  } catch {
    probe = null; // no shared WebAssembly memory here: the teams step the JavaScript kernels
  }
  for (const name of Object.keys(kernels)) {
    try {
      const pair = await kernels[name]!();
      if (probe && pair.wasm) pair.wasm(probe);
    } catch {
      // reported by the attach that needs it
    }
  }
  try {
    // The packer's modules (both arities), for the team's banded unpack.
    if (probe) WasmPlanePacker.of(allocateBitPlanes(1, 1, 2, { shared: true, scratch: rowScratchBytes(1) }));
  } catch {
    // the attach's packer then is null, as here
  }
}

/** Attached to one run: replies, then steps bands until the caller closes the team. */
function stepBands(kernel: BandKernel, m: BandAttach, reply: (r: BandReply) => void): void {
  const c = new Int32Array(m.control);
  const perSet = m.planes.kind === 'buffers' ? m.planes.sets[0].length : m.planes.layout.offsets.length / 2;
  const sets = setsOf(m.planes, m.rows, m.cols, perSet);
  let unpacker: ReturnType<typeof bandPacker>;
  try {
    unpacker = bandPacker(m.planes, [...sets[0], ...sets[1]], perSet, m.band);
  } catch {
    unpacker = null; // this thread then takes no band of an unpack
  }
  const w = new BigInt64Array(m.control);
  let gen = Atomics.load(c, GEN);
  reply({ type: 'attached', band: m.band });
  for (;;) {
    waitWhile(c, GEN, gen);
    gen = Atomics.load(c, GEN);
    if (Atomics.load(c, CMD) === DETACH) return;
    let band: ((r0: number, r1: number) => number) | null;
    try {
      band = bandOp(c, kernel, sets, unpacker);
    } catch {
      band = null; // this thread cannot unpack (no packer): it leaves those bands to the others
    }
    if (band) takeBands(c, w, gen, m.rows, band);
  }
}
