/**
 * The bit-parallel Game of Life of bit-kernel.ts as a WebAssembly function, 64 cells per i64 word:
 * the same adder network, line for line, over the row sweep of src/sim/wasm/row-sweep.ts. The module
 * is encoded at run time from this file (no build step, no binary in the repository) and compiled
 * once. bit-kernel.test.ts holds it equal to the JavaScript kernel and to the readable rule.
 *
 *   lifeRows(src, dst, stride, cols, r0, r1) -> population of rows [r0, r1) of dst
 *
 * `WasmLifeKernel` binds it to the memory of some bit planes (allocateBitPlanes, shared or not) and
 * steps BitGrids of that memory, as bitLifeStep / bitLifeRows do with any BitGrid.
 */
import type { BitGrid } from '../../sim/bitgrid.ts';
import { allocateBitPlanes, checkPlane, type BitPlanes } from '../../sim/wasm/bit-planes.ts';
import { i64, type Code, type FunctionDef } from '../../sim/wasm/encoder.ts';
import { packScratchBytes, WasmPlanePacker } from '../../sim/wasm/plane-pack.ts';
import { rowSweep } from '../../sim/wasm/row-sweep.ts';
import { instantiateKernel } from '../../sim/wasm/runtime.ts';

const NAMES = [
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  'g',
  'h',
  'ab',
  'u0',
  'u1',
  'm0',
  'm1',
  'fg',
  'd0',
  'd1',
  'um',
  'ones',
  'k0',
  'pq',
  'rs',
  'odd',
  'any2',
  'v',
];

export function lifeFunctions(): FunctionDef[] {
  return [
    rowSweep({
      name: 'lifeRows',
      planes: ['src', 'dst'],
      windowed: ['src'],
      locals: Object.fromEntries(NAMES.map((n) => [n, 'i64' as const])),
      cell: ({ get, set }, { last, addr, storeLast }) => {
        const { and, or, xor, shl, shr_u } = i64;
        const one = i64.const(1n);
        const top = i64.const(63n);
        const w = (row: string, k: string): Code => get(`src${row}${k}`);
        // Neighbour to the left of column c is c-1: shift the row up by one bit (carry from the previous word).
        const left = (row: string) => or(shl(w(row, 'Cur'), one), shr_u(w(row, 'Prev'), top));
        const right = (row: string) => or(shr_u(w(row, 'Cur'), one), shl(w(row, 'Next'), top));
        const v = last ? and(get('v'), get('lastMask')) : get('v');
        return [
          set('a', left('up')),
          set('b', w('up', 'Cur')),
          set('c', right('up')),
          set('d', left('mid')),
          set('e', right('mid')),
          set('f', left('dn')),
          set('g', w('dn', 'Cur')),
          set('h', right('dn')),
          set('ab', xor(get('a'), get('b'))),
          set('u0', xor(get('ab'), get('c'))),
          set('u1', or(and(get('a'), get('b')), and(get('c'), get('ab')))),
          set('m0', xor(get('d'), get('e'))),
          set('m1', and(get('d'), get('e'))),
          set('fg', xor(get('f'), get('g'))),
          set('d0', xor(get('fg'), get('h'))),
          set('d1', or(and(get('f'), get('g')), and(get('h'), get('fg')))),
          set('um', xor(get('u0'), get('m0'))),
          set('ones', xor(get('um'), get('d0'))),
          set('k0', or(and(get('u0'), get('m0')), and(get('d0'), get('um')))),
          set('pq', xor(get('u1'), get('m1'))),
          set('rs', xor(get('d1'), get('k0'))),
          set('odd', xor(get('pq'), get('rs'))),
          set('any2', or(or(and(get('u1'), get('m1')), and(get('d1'), get('k0'))), and(get('pq'), get('rs')))),
          // next = exactly one of the weight-2 bits & (ones | alive); ~any2 as any2 ^ -1.
          set('v', and(and(get('odd'), xor(get('any2'), i64.const(-1n))), or(get('ones'), w('mid', 'Cur')))),
          set('v', v),
          last ? storeLast('dst', get('v')) : i64.store(addr('dst'), get('v')),
          set('count', i64.add(get('count'), i64.popcnt(get('v')))),
        ];
      },
    }),
  ];
}

interface LifeExports {
  lifeRows(src: number, dst: number, stride: number, cols: number, r0: number, r1: number): number;
}

export class WasmLifeKernel {
  private readonly fn: LifeExports;

  /** Over `planes`' memory (e.g. `allocateBitPlanes(rows, cols, 2)`, or the same layout rebuilt in another worker). */
  constructor(readonly planes: Pick<BitPlanes, 'memory' | 'shared'>) {
    this.fn = instantiateKernel<LifeExports>('game-of-life', lifeFunctions, planes.memory, planes.shared);
  }

  /** Two planes for a rows × cols grid in a fresh memory, the kernel over it, and a packer of bytes into them (null without SIMD). */
  static withPlanes(
    rows: number,
    cols: number,
    opts: { shared?: boolean } = {},
  ): { kernel: WasmLifeKernel; cur: BitGrid; next: BitGrid; packer: WasmPlanePacker | null } {
    const planes = allocateBitPlanes(rows, cols, 2, { ...opts, scratch: packScratchBytes(cols) });
    const [cur, next] = planes.grids as [BitGrid, BitGrid];
    return { kernel: new WasmLifeKernel(planes), cur, next, packer: WasmPlanePacker.of(planes, 1) };
  }

  /** bitLifeStep: one step from `cur` into `next`, the new population. */
  step(cur: BitGrid, next: BitGrid): number {
    return this.stepRows(cur, next, 0, cur.rows);
  }

  /** bitLifeRows: rows [r0, r1) of `next` from the whole of `cur`; their population. */
  stepRows(cur: BitGrid, next: BitGrid, r0: number, r1: number): number {
    const { memory } = this.planes;
    checkPlane(memory, cur);
    checkPlane(memory, next);
    if (cur.rows !== next.rows || cur.cols !== next.cols) throw new RangeError('the two grids differ in shape');
    const lo = Math.max(0, r0);
    const hi = Math.min(cur.rows, r1);
    if (hi <= lo) return 0;
    return this.fn.lifeRows(cur.words.byteOffset, next.words.byteOffset, cur.stride, cur.cols, lo, hi);
  }
}
