/**
 * Bytes ⇄ bit planes (packPlanes / unpackPlanes of src/sim/bit-planes.ts) as WebAssembly SIMD
 * functions over the memory the WebAssembly kernels step, 16 cells per instruction: a byte grid is
 * copied into a scratch region of that memory a chunk of rows at a time (a chunk stays in cache),
 * packed from there into the planes, and the planes are unpacked into it and copied out the same way.
 *
 * The pack checks the states as it packs: it keeps the largest byte it read, so a model that packs
 * its initial state needs no separate pass to validate it (the caller names the bad cell, with the
 * checker's own message, only when the largest byte is out of range).
 *
 *   pack1 / pack2(src, a, b, stride, cols, rows, va, vb, acc)   a's bit = (byte == va), b's = (byte == vb)
 *   unpack1 / unpack2(a, b, dst, stride, cols, rows, wa, wb)    byte = wa × a's bit + wb × b's bit
 *
 * `acc` points to 32 bytes: the counts of set bits of a and b (i32, added to) and the running
 * maximum byte (16 lanes, max'd with). The same bits and bytes as the JavaScript functions;
 * src/sim/bit-planes.test.ts holds them equal on awkward shapes.
 */
import type { BitGrid } from '../bitgrid.ts';
import { packPlanes, unpackPlanes } from '../bit-planes.ts';
import type { BitPlanes } from './bit-planes.ts';
import { i32, v128, while_, select, type Code, type FunctionDef } from './encoder.ts';
import { instantiateKernel } from './runtime.ts';

/** Bytes of the scratch region before the rows (the accumulator) and after them (reads and writes run up to 31 bytes past a row). */
const HEAD = 32;
const TAIL = 64;
/** Scratch bytes for a grid `cols` wide: about 256 KiB of rows (held in cache while a chunk is packed), at least one row. */
export const packScratchBytes = (cols: number): number => Math.max(1 << 18, rowScratchBytes(cols));
/** The least scratch a packer takes: one row (enough for {@link WasmPlanePacker.unpackRowsInto}, whose scratch holds one row). */
export const rowScratchBytes = (cols: number): number => HEAD + TAIL + cols;

const BITS = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];
const lanes = (lo: number, hi: number): number[] => [...Array<number>(8).fill(lo), ...Array<number>(8).fill(hi)];

function packFn(two: boolean): FunctionDef {
  return {
    name: two ? 'pack2' : 'pack1',
    params: { src: 'i32', a: 'i32', b: 'i32', stride: 'i32', cols: 'i32', rows: 'i32', va: 'i32', vb: 'i32', acc: 'i32' },
    locals: {
      r: 'i32',
      w: 'i32',
      p: 'i32',
      q: 'i32',
      rowBytes: 'i32',
      lastMask: 'i32',
      m: 'i32',
      ma: 'i32',
      mb: 'i32',
      na: 'i32',
      nb: 'i32',
      lo: 'v128',
      hi: 'v128',
      vA: 'v128',
      vB: 'v128',
      vmax: 'v128',
    },
    body: ({ get, set }) => {
      const c = i32.const;
      const word = (splat: string): Code =>
        i32.or(
          v128.i8x16_bitmask(v128.i8x16_eq(get('lo'), get(splat))),
          i32.shl(v128.i8x16_bitmask(v128.i8x16_eq(get('hi'), get(splat))), c(16)),
        );
      const plane = (mask: string, n: string, splat: string, base: string): Code[] => [
        set(mask, i32.and(word(splat), get('m'))),
        i32.store(i32.add(get(base), get('q')), get(mask)),
        set(n, i32.add(get(n), i32.popcnt(get(mask)))),
      ];
      return [
        set('rowBytes', i32.shl(get('stride'), c(2))),
        set('lastMask', select(c(-1), i32.sub(i32.shl(c(1), i32.and(get('cols'), c(31))), c(1)), i32.eqz(i32.and(get('cols'), c(31))))),
        set('vA', v128.i8x16_splat(get('va'))),
        set('vB', v128.i8x16_splat(get('vb'))),
        set('vmax', v128.load(get('acc'), 16)),
        set('r', c(0)),
        while_(i32.ge_u(get('r'), get('rows')), [
          set('p', i32.add(get('src'), i32.mul(get('r'), get('cols')))),
          set('q', i32.mul(get('r'), get('rowBytes'))),
          set('w', c(0)),
          while_(i32.ge_u(get('w'), get('stride')), [
            set('lo', v128.load(get('p'))),
            set('hi', v128.load(get('p'), 16)),
            set('vmax', v128.i8x16_max_u(v128.i8x16_max_u(get('vmax'), get('lo')), get('hi'))),
            // The row's last word: its bits past `cols` (the next row's bytes, or the zeroed tail) stay 0.
            set('m', select(get('lastMask'), c(-1), i32.eq(get('w'), i32.sub(get('stride'), c(1))))),
            ...plane('ma', 'na', 'vA', 'a'),
            ...(two ? plane('mb', 'nb', 'vB', 'b') : []),
            set('p', i32.add(get('p'), c(32))),
            set('q', i32.add(get('q'), c(4))),
            set('w', i32.add(get('w'), c(1))),
          ]),
          set('r', i32.add(get('r'), c(1))),
        ]),
        i32.store(get('acc'), i32.add(i32.load(get('acc')), get('na'))),
        i32.store(get('acc'), i32.add(i32.load(get('acc'), 4), get('nb')), 4),
        v128.store(get('acc'), get('vmax'), 16),
      ];
    },
  };
}

function unpackFn(two: boolean): FunctionDef {
  return {
    name: two ? 'unpack2' : 'unpack1',
    params: { a: 'i32', b: 'i32', dst: 'i32', stride: 'i32', cols: 'i32', rows: 'i32', wa: 'i32', wb: 'i32' },
    locals: { r: 'i32', w: 'i32', p: 'i32', q: 'i32', rowBytes: 'i32', xa: 'v128', xb: 'v128', wA: 'v128', wB: 'v128' },
    body: ({ get, set }) => {
      const c = i32.const;
      // 16 cells of a word (its bytes `lo` and `hi`) as bytes: each lane gets its byte, keeps its own bit, × weight.
      const half = (x: string, weight: string, lo: number): Code =>
        v128.and(
          v128.i8x16_eq(v128.and(v128.i8x16_swizzle(get(x), v128.const(lanes(lo, lo + 1))), v128.const(BITS)), v128.const(BITS)),
          get(weight),
        );
      const cells = (lo: number): Code => (two ? v128.i8x16_add(half('xa', 'wA', lo), half('xb', 'wB', lo)) : half('xa', 'wA', lo));
      return [
        set('rowBytes', i32.shl(get('stride'), c(2))),
        set('wA', v128.i8x16_splat(get('wa'))),
        set('wB', v128.i8x16_splat(get('wb'))),
        set('r', c(0)),
        while_(i32.ge_u(get('r'), get('rows')), [
          set('p', i32.add(get('dst'), i32.mul(get('r'), get('cols')))),
          set('q', i32.mul(get('r'), get('rowBytes'))),
          set('w', c(0)),
          // The row's last word writes up to 31 bytes past the row: into the next row (written after it) or the tail.
          while_(i32.ge_u(get('w'), get('stride')), [
            set('xa', v128.i32x4_splat(i32.load(i32.add(get('a'), get('q'))))),
            ...(two ? [set('xb', v128.i32x4_splat(i32.load(i32.add(get('b'), get('q')))))] : []),
            v128.store(get('p'), cells(0)),
            v128.store(get('p'), cells(2), 16),
            set('p', i32.add(get('p'), c(32))),
            set('q', i32.add(get('q'), c(4))),
            set('w', i32.add(get('w'), c(1))),
          ]),
          set('r', i32.add(get('r'), c(1))),
        ]),
      ];
    },
  };
}

/** The pack and unpack of one arity (one plane per state, or two): a module of its own, so a run encodes only the pair it calls. */
const packFunctions = (two: boolean): FunctionDef[] => [packFn(two), unpackFn(two)];

type PackFn = (src: number, a: number, b: number, stride: number, cols: number, rows: number, va: number, vb: number, acc: number) => void;
type UnpackFn = (a: number, b: number, dst: number, stride: number, cols: number, rows: number, wa: number, wb: number) => void;
interface PackPair {
  pack: PackFn;
  unpack: UnpackFn;
}

let simdRefused = false;

/** The packer over some bit planes' memory and scratch region. */
export class WasmPlanePacker {
  /** The functions for one plane and for two, instantiated when first needed. */
  private readonly pairs: [PackPair | null, PackPair | null] = [null, null];

  private constructor(private readonly planes: BitPlanes & { scratch: { offset: number; bytes: number } }) {}

  /**
   * A packer for `planes` (allocated with a scratch region), or null where the host refuses WebAssembly SIMD.
   * `arity` (planes per state: 1 or 2) is the one the caller packs with: only its functions are encoded and
   * compiled now (encoding a module is most of a short run's set-up); without it both are, and either way
   * the other is compiled if it is ever called.
   */
  static of(planes: BitPlanes, arity?: 1 | 2): WasmPlanePacker | null {
    const { scratch } = planes;
    if (!scratch || simdRefused) return null;
    if (scratch.bytes < HEAD + TAIL + planes.layout.cols) throw new RangeError('the scratch region is smaller than a row');
    const packer = new WasmPlanePacker({ ...planes, scratch });
    try {
      for (const two of arity === undefined ? [false, true] : [arity === 2]) packer.pair(two);
    } catch {
      simdRefused = true; // a host without SIMD (or refusing it): the JavaScript passes do the same
      return null;
    }
    return packer;
  }

  private pair(two: boolean): PackPair {
    const k = two ? 1 : 0;
    const { memory, shared } = this.planes;
    return (this.pairs[k] ??= (() => {
      const fn = instantiateKernel<Record<string, PackFn & UnpackFn>>(`plane-pack-${k + 1}`, () => packFunctions(two), memory, shared);
      return two ? { pack: fn.pack2, unpack: fn.unpack2 } : { pack: fn.pack1, unpack: fn.unpack1 };
    })());
  }

  private chunkRows(): number {
    return Math.floor((this.planes.scratch.bytes - HEAD - TAIL) / this.planes.layout.cols);
  }

  /**
   * packPlanes: plane p gets the cells equal to values[p] (one or two planes of this memory), counts[p]
   * their number. Returns the largest byte of `cells`, so that the caller can refuse bytes out of range.
   */
  pack(cells: Uint8Array, grids: readonly BitGrid[], values: readonly number[], counts: Int32Array): number {
    const { rows, cols, stride } = this.planes.layout;
    const two = this.check(grids, values.length, cells.length);
    const { offset } = this.planes.scratch;
    const u8 = new Uint8Array(this.planes.memory.buffer);
    const acc = new Int32Array(this.planes.memory.buffer, offset, 8);
    acc.fill(0);
    const data = offset + HEAD;
    const fn = this.pair(two).pack;
    const [a, b] = [grids[0].words.byteOffset, (two ? grids[1] : grids[0]).words.byteOffset];
    const step = this.chunkRows();
    for (let r0 = 0; r0 < rows; r0 += step) {
      const n = Math.min(step, rows - r0);
      u8.set(cells.subarray(r0 * cols, (r0 + n) * cols), data);
      u8.fill(0, data + n * cols, data + n * cols + TAIL);
      fn(data, a + r0 * stride * 4, b + r0 * stride * 4, stride, cols, n, values[0], two ? values[1] : 0, offset);
    }
    counts[0] = acc[0];
    if (two) counts[1] = acc[1];
    let max = 0;
    for (let k = 16; k < 32; k++) max = Math.max(max, u8[offset + k]);
    return max;
  }

  /** unpackPlanes: out[i] = Σ weights[p] × bit i of plane p (one or two planes, byte sums ≤ 255); returns out. */
  unpack(grids: readonly BitGrid[], weights: readonly number[], out: Uint8Array): Uint8Array {
    const { rows, cols, stride } = this.planes.layout;
    const two = this.check(grids, weights.length, out.length);
    if (weights.some((w) => !Number.isInteger(w) || w < 0) || weights.reduce((s, w) => s + w, 0) > 255)
      throw new RangeError('unpack weights must be whole numbers summing to at most 255');
    const u8 = new Uint8Array(this.planes.memory.buffer);
    const data = this.planes.scratch.offset + HEAD;
    const fn = this.pair(two).unpack;
    const [a, b] = [grids[0].words.byteOffset, (two ? grids[1] : grids[0]).words.byteOffset];
    const step = this.chunkRows();
    for (let r0 = 0; r0 < rows; r0 += step) {
      const n = Math.min(step, rows - r0);
      fn(a + r0 * stride * 4, b + r0 * stride * 4, data, stride, cols, n, weights[0], two ? weights[1] : 0);
      out.set(u8.subarray(data, data + n * cols), r0 * cols);
    }
    return out;
  }

  /**
   * unpack of rows [r0, r1) into this memory at byte offset `dst` (row r at dst + r × cols), writing no
   * byte outside those rows: the function writes up to 31 bytes past a row (zeros, where the next row
   * may already be written), so the band's last row goes through the scratch. Bands of one grid may so
   * be unpacked by several threads at once, each with a packer of its own scratch.
   */
  unpackRowsInto(grids: readonly BitGrid[], weights: readonly number[], dst: number, r0: number, r1: number): void {
    const { rows, cols, stride } = this.planes.layout;
    const two = this.check(grids, weights.length, rows * cols);
    if (!(Number.isInteger(r0) && Number.isInteger(r1) && 0 <= r0 && r0 < r1 && r1 <= rows))
      throw new RangeError(`rows ${r0} … ${r1} of ${rows}`);
    const fn = this.pair(two).unpack;
    const [a, b] = [grids[0].words.byteOffset, (two ? grids[1] : grids[0]).words.byteOffset];
    const [wa, wb] = [weights[0], two ? weights[1] : 0];
    const at = (r: number): number => r * stride * 4;
    if (r1 - r0 > 1) fn(a + at(r0), b + at(r0), dst + r0 * cols, stride, cols, r1 - 1 - r0, wa, wb);
    const data = this.planes.scratch.offset + HEAD;
    fn(a + at(r1 - 1), b + at(r1 - 1), data, stride, cols, 1, wa, wb);
    new Uint8Array(this.planes.memory.buffer).copyWithin(dst + (r1 - 1) * cols, data, data + cols);
  }

  /** Whether two planes are given; throws unless they are planes of this memory's layout and `cells` fits them. */
  private check(grids: readonly BitGrid[], n: number, cells: number): boolean {
    const { rows, cols, stride } = this.planes.layout;
    if ((grids.length !== 1 && grids.length !== 2) || grids.length !== n)
      throw new RangeError(`${grids.length} planes for ${n} values or weights.`);
    for (const g of grids) {
      if (g.words.buffer !== this.planes.memory.buffer || g.rows !== rows || g.cols !== cols || g.stride !== stride)
        throw new RangeError('the packer packs planes of its own memory and layout');
    }
    if (cells !== rows * cols) throw new RangeError(`${cells} cells for a ${rows} × ${cols} grid.`);
    return grids.length === 2;
  }
}

/**
 * A model's initial states into its planes (plane p gets the cells equal to values[p], counts[p] their
 * number), checked: with a packer the check is its largest byte (no pass of its own), and `check` — the
 * executor's checker, which throws naming the first bad cell — runs only when a byte is out of range;
 * without a packer `check` runs before packPlanes. A byte out of range that `check` does not throw for
 * (or with no `check`) is a RangeError naming the states allowed: 0 and the values.
 */
export function packStates(
  packer: WasmPlanePacker | null,
  cells: Uint8Array,
  grids: readonly BitGrid[],
  values: readonly number[],
  counts: Int32Array,
  check?: () => void,
): void {
  if (!packer) {
    check?.();
    packPlanes(cells, grids, values, counts);
    return;
  }
  if (packer.pack(cells, grids, values, counts) > Math.max(...values)) {
    check?.();
    const states = [0, ...values];
    throw new RangeError(`the initial state holds a value other than ${states.slice(0, -1).join(', ')} and ${states.at(-1)}`);
  }
}

/** unpackPlanes, with the packer when there is one. */
export const unpackStates = (
  packer: WasmPlanePacker | null,
  grids: readonly BitGrid[],
  weights: readonly number[],
  out: Uint8Array,
): Uint8Array => (packer ? packer.unpack(grids, weights, out) : unpackPlanes(grids, weights, out));
