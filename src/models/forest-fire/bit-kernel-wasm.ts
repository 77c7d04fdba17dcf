/**
 * The bit-parallel forest fire of bit-kernel.ts as WebAssembly functions, 64 cells per i64 word,
 * over the row sweep of src/sim/wasm/row-sweep.ts (one function per neighbourhood, so the inner loop
 * has no branch). Encoded at run time from this file, compiled once; forest-fire.test.ts holds it
 * equal to the JavaScript kernel and to the readable rule.
 *
 *   near     = OR of the burning plane over the neighbourhood
 *   burning' = forest & near = near & ~(burning | burned)      burned' = burning | burned
 *
 *   fireMooreRows / fireVonNeumannRows(B, D, nB, nD, stride, cols, r0, r1) -> burning cells of rows [r0, r1) of nB
 *
 * `WasmFireKernel` binds them to the memory of some bit planes and steps FirePlanes of that memory,
 * as bitFireStep / bitFireRows do with any planes.
 */
import type { BitGrid } from '../../sim/bitgrid.ts';
import { allocateBitPlanes, checkPlane, type BitPlanes } from '../../sim/wasm/bit-planes.ts';
import { i64, type Code, type FunctionDef } from '../../sim/wasm/encoder.ts';
import { packScratchBytes, WasmPlanePacker } from '../../sim/wasm/plane-pack.ts';
import { rowSweep } from '../../sim/wasm/row-sweep.ts';
import { instantiateKernel } from '../../sim/wasm/runtime.ts';
import type { FirePlanes } from './bit-kernel.ts';

function fireRows(name: string, moore: boolean): FunctionDef {
  return rowSweep({
    name,
    planes: ['B', 'D', 'nB', 'nD'],
    windowed: ['B'],
    locals: { near: 'i64', done: 'i64', b: 'i64' },
    cell: ({ get, set }, { last, addr, storeLast }) => {
      const { and, or, xor, shl, shr_u } = i64;
      const one = i64.const(1n);
      const top = i64.const(63n);
      const w = (row: string, k: string): Code => get(`B${row}${k}`);
      const left = (row: string) => or(shl(w(row, 'Cur'), one), shr_u(w(row, 'Prev'), top));
      const right = (row: string) => or(shr_u(w(row, 'Cur'), one), shl(w(row, 'Next'), top));
      let near = or(or(w('up', 'Cur'), w('dn', 'Cur')), or(left('mid'), right('mid')));
      if (moore) near = or(near, or(or(left('up'), right('up')), or(left('dn'), right('dn'))));
      const b = and(get('near'), xor(get('done'), i64.const(-1n)));
      const store = (plane: string, value: Code) => (last ? storeLast(plane, value) : i64.store(addr(plane), value));
      return [
        set('near', near),
        set('done', or(w('mid', 'Cur'), i64.load(addr('D')))),
        set('b', last ? and(b, get('lastMask')) : b),
        store('nB', get('b')),
        store('nD', get('done')),
        set('count', i64.add(get('count'), i64.popcnt(get('b')))),
      ];
    },
  });
}

/** The rows function of one neighbourhood: a module of its own, so a run encodes only the one it steps with. */
const fireName = (moore: boolean): string => (moore ? 'fireMooreRows' : 'fireVonNeumannRows');
export const fireFunctions = (moore: boolean): FunctionDef[] => [fireRows(fireName(moore), moore)];

type RowsFn = (B: number, D: number, nB: number, nD: number, stride: number, cols: number, r0: number, r1: number) => number;

export class WasmFireKernel {
  /** The von Neumann and Moore functions, instantiated when first needed. */
  private readonly fns: [RowsFn | null, RowsFn | null] = [null, null];

  /**
   * Over `planes`' memory (e.g. `allocateBitPlanes(rows, cols, 4)`, or the same layout rebuilt in another worker).
   * `only.moore` names the neighbourhood the caller steps with: only its function is encoded and compiled now
   * (encoding is most of a short run's set-up); without it both are, and either way the other is compiled if
   * it is ever stepped with.
   */
  constructor(
    readonly planes: Pick<BitPlanes, 'memory' | 'shared'>,
    only?: { moore: boolean },
  ) {
    for (const moore of only ? [only.moore] : [false, true]) this.rowsFn(moore);
  }

  private rowsFn(moore: boolean): RowsFn {
    const k = moore ? 1 : 0;
    const { memory, shared } = this.planes;
    const key = `forest-fire-${moore ? 'moore' : 'von-neumann'}`;
    return (this.fns[k] ??= instantiateKernel<Record<string, RowsFn>>(key, () => fireFunctions(moore), memory, shared)[fireName(moore)]!);
  }

  /**
   * Two FirePlanes (four bit planes) for a rows × cols grid in a fresh memory, the kernel over it (`moore`: the
   * neighbourhood it will step with, see the constructor), and a packer of bytes into them (null without SIMD).
   */
  static withPlanes(
    rows: number,
    cols: number,
    opts: { shared?: boolean; moore?: boolean } = {},
  ): { kernel: WasmFireKernel; cur: FirePlanes; next: FirePlanes; packer: WasmPlanePacker | null } {
    const planes = allocateBitPlanes(rows, cols, 4, { shared: opts.shared, scratch: packScratchBytes(cols) });
    const [b0, d0, b1, d1] = planes.grids as [BitGrid, BitGrid, BitGrid, BitGrid];
    return {
      kernel: new WasmFireKernel(planes, opts.moore === undefined ? undefined : { moore: opts.moore }),
      cur: { burning: b0, burned: d0 },
      next: { burning: b1, burned: d1 },
      packer: WasmPlanePacker.of(planes, 2),
    };
  }

  /** bitFireStep: one step; `counts` = [burning, burned] of `cur` on entry, of `next` on return. */
  step(cur: FirePlanes, next: FirePlanes, moore: boolean, counts: Int32Array): void {
    const burning = this.stepRows(cur, next, moore, 0, cur.burning.rows);
    counts[1] += counts[0];
    counts[0] = burning;
  }

  /** bitFireRows: rows [r0, r1) of `next` from the whole of `cur`; the cells burning in them. */
  stepRows(cur: FirePlanes, next: FirePlanes, moore: boolean, r0: number, r1: number): number {
    const grids = [cur.burning, cur.burned, next.burning, next.burned];
    for (const g of grids) {
      checkPlane(this.planes.memory, g);
      if (g.rows !== cur.burning.rows || g.cols !== cur.burning.cols) throw new RangeError('the fire planes differ in shape');
    }
    const lo = Math.max(0, r0);
    const hi = Math.min(cur.burning.rows, r1);
    if (hi <= lo) return 0;
    const rows = this.rowsFn(moore);
    const [B, D, nB, nD] = grids.map((g) => g.words.byteOffset) as [number, number, number, number];
    return rows(B, D, nB, nD, cur.burning.stride, cur.burning.cols, lo, hi);
  }
}
