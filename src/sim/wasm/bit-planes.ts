/**
 * Bit grids (src/sim/bitgrid.ts, same shape: 32 cells per Uint32 word, stride = ceil(cols / 32))
 * placed in a WebAssembly memory, where the WebAssembly kernels can step them. Each plane has a
 * zero guard of at least one row + 8 bytes above and below it, so a kernel reads the rows above the
 * first and below the last as dead cells without a branch, and may read a row's last 64-bit word
 * past its end. The guards are zeroed by the memory and nothing writes them.
 *
 * `shared: true` makes the memory a SharedArrayBuffer (it needs cross-origin isolation in a page):
 * the layout can then be posted with the memory to other workers, which rebuild the same grids
 * with `viewBitPlanes` and step row bands of them.
 */
import type { BitGrid } from '../bitgrid.ts';
import { hostWasm, type WasmMemory } from './host.ts';

/** Where the planes lie in the memory: enough to rebuild the grids in another worker. */
export interface PlaneLayout {
  rows: number;
  cols: number;
  stride: number;
  /** Byte offset of each plane's first row. */
  offsets: number[];
  /** Zero bytes kept before and after each plane. */
  guard: number;
}

export interface BitPlanes {
  memory: WasmMemory;
  shared: boolean;
  layout: PlaneLayout;
  grids: BitGrid[];
  /** Bytes after the planes for the byte ⇄ bit packer (plane-pack.ts), when asked for. */
  scratch?: { offset: number; bytes: number };
}

const PAGE = 65536;
const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;

export function planeLayout(rows: number, cols: number, count: number): PlaneLayout {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1)
    throw new RangeError(`bit planes need at least 1 × 1 cells, got ${rows} × ${cols}`);
  const stride = Math.ceil(cols / 32);
  const guard = roundUp(stride * 4 + 8, 16);
  const span = roundUp(rows * stride * 4, 16) + guard;
  const offsets = Array.from({ length: count }, (_, p) => guard + p * span);
  return { rows, cols, stride, offsets, guard };
}

/** Bytes a memory needs for the layout. */
export const layoutBytes = (l: PlaneLayout): number => (l.offsets.at(-1) ?? 0) + roundUp(l.rows * l.stride * 4, 16) + l.guard;

/**
 * `count` zeroed rows × cols bit grids in a fresh memory (shared if asked); `scratch` bytes after them
 * (rounded up to 16) for the packer of plane-pack.ts.
 */
export function allocateBitPlanes(rows: number, cols: number, count: number, opts: { shared?: boolean; scratch?: number } = {}): BitPlanes {
  const layout = planeLayout(rows, cols, count);
  const scratchOffset = roundUp(layoutBytes(layout), 16);
  const scratchBytes = opts.scratch ? roundUp(opts.scratch, 16) : 0;
  const pages = Math.ceil((scratchOffset + scratchBytes) / PAGE);
  if (pages > 65536) throw new RangeError(`${count} bit planes of ${rows} × ${cols} cells exceed WebAssembly's 4 GiB memory`);
  const shared = opts.shared ?? false;
  const wasm = hostWasm();
  if (!wasm) throw new Error('bit planes in a WebAssembly memory need WebAssembly, which this host lacks');
  const memory = new wasm.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  const planes: BitPlanes = { memory, shared, layout, grids: viewBitPlanes(memory, layout) };
  if (scratchBytes) planes.scratch = { offset: scratchOffset, bytes: scratchBytes };
  return planes;
}

/** The layout's grids as views of `memory` (the memory must not grow afterwards, which would detach them). */
export function viewBitPlanes(memory: WasmMemory, layout: PlaneLayout): BitGrid[] {
  if (memory.buffer.byteLength < layoutBytes(layout))
    throw new RangeError(`the memory holds ${memory.buffer.byteLength} bytes, the planes need ${layoutBytes(layout)}`);
  const { rows, cols, stride } = layout;
  return layout.offsets.map((o) => ({ rows, cols, stride, words: new Uint32Array(memory.buffer, o, rows * stride) }));
}

/** Throws unless `grid` is a plane of `memory` laid out with its guards (as viewBitPlanes makes them). */
export function checkPlane(memory: WasmMemory, grid: BitGrid): void {
  const { words, rows, stride } = grid;
  const guard = roundUp(stride * 4 + 8, 16);
  if (words.buffer !== memory.buffer)
    throw new Error('the WebAssembly kernel steps grids that live in its memory: allocate them with allocateBitPlanes');
  if (words.length !== rows * stride || words.byteOffset < guard || words.byteOffset + words.byteLength + guard > memory.buffer.byteLength)
    throw new RangeError('the grid lacks the zero guard rows the WebAssembly kernel reads: allocate it with allocateBitPlanes');
}
