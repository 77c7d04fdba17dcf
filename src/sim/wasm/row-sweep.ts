/**
 * The loop every bit-plane kernel shares, as WebAssembly code: rows r0 … r1-1 of whole-grid planes
 * (BitGrid layout, see bit-planes.ts), each row swept in 64-bit words with a sliding window of
 * (previous, current, next) words of the row above, the row itself and the row below — the
 * JavaScript kernels' window, 64 cells wide. Rows outside the grid are the zero guards.
 *
 * A row has n64 = ceil(cols / 64) words. When the stride (in 32-bit words) is odd the last 64-bit
 * word runs 4 bytes past the row: it is read masked to the row's columns and written as 32 bits,
 * so a kernel never touches a byte of another row's output (row bands may run concurrently).
 *
 * The kernel supplies, per plane it reads with a window, a name; and a `cell` emitter that, given the
 * window's locals (`<plane>Prev`, `<plane>Cur`, `<plane>Next` for up/mid/dn), computes and stores
 * one output word at byte offset `o` of the row (`last` = the row's last word, to be masked and
 * stored with `storeLast`).
 */
import { i32, i64, if_, while_, select, type Code, type FunctionDef, type ValType, type Vars } from './encoder.ts';

export const WINDOW_ROWS = ['up', 'mid', 'dn'] as const;
export const windowLocals = (plane: string): Record<string, ValType> =>
  Object.fromEntries(WINDOW_ROWS.flatMap((r) => ['Prev', 'Cur', 'Next'].map((k) => [`${plane}${r}${k}`, 'i64' as ValType])));

export interface RowSweep {
  name: string;
  /** Pointer parameters (byte offsets of whole-grid planes), in order. */
  planes: string[];
  /** The planes read through a 3 × 3 window of words (a subset of `planes`). */
  windowed: string[];
  /** Locals of the cell computation. */
  locals: Record<string, ValType>;
  /** One output word; returns code that also adds its count (if any) to the i64 local `count`. */
  cell: (v: Vars, at: { last: boolean; addr: (plane: string) => Code; storeLast: (plane: string, value: Code) => Code }) => Code[];
}

/**
 * fn name(<planes…>, stride, cols, r0, r1) -> i32: steps rows [r0, r1), returns the sum of `count`.
 */
export function rowSweep(k: RowSweep): FunctionDef {
  const params: Record<string, ValType> = Object.fromEntries(k.planes.map((p) => [p, 'i32' as ValType]));
  Object.assign(params, { stride: 'i32', cols: 'i32', r0: 'i32', r1: 'i32' });
  const locals: Record<string, ValType> = {
    r: 'i32',
    rowBytes: 'i32',
    row: 'i32',
    o: 'i32',
    bytes64: 'i32',
    tail32: 'i32',
    lastMask: 'i64',
    firstMask: 'i64',
    count: 'i64',
    ...Object.assign({}, ...k.windowed.map(windowLocals)),
    ...k.locals,
  };
  return {
    name: k.name,
    params,
    locals,
    result: 'i32',
    body: (v) => {
      const { get, set } = v;
      const c = i32.const;
      // Address of a plane's word at the current row + o, or of the row above / below it.
      const at = (plane: string, dRow: -1 | 0 | 1): Code => {
        const base = i32.add(get(plane), get('row'));
        const rowed = dRow === 0 ? base : dRow < 0 ? i32.sub(base, get('rowBytes')) : i32.add(base, get('rowBytes'));
        return i32.add(rowed, get('o'));
      };
      const rowOf = (r: (typeof WINDOW_ROWS)[number]): -1 | 0 | 1 => (r === 'up' ? -1 : r === 'mid' ? 0 : 1);
      const each = (f: (plane: string, r: (typeof WINDOW_ROWS)[number]) => Code): Code[] =>
        k.windowed.flatMap((p) => WINDOW_ROWS.map((r) => f(p, r)));
      const loadNext = (mask: Code | null): Code[] =>
        each((p, r) => {
          const word = i64.load(at(p, rowOf(r)), 8);
          return set(`${p}${r}Next`, mask ? i64.and(word, mask) : word);
        });
      const slide = (): Code[] => each((p, r) => [...set(`${p}${r}Prev`, get(`${p}${r}Cur`)), ...set(`${p}${r}Cur`, get(`${p}${r}Next`))]);
      const storeLast = (plane: string, value: Code): Code =>
        if_(get('tail32'), [i32.store(at(plane, 0), i32.wrap_i64(value))], [i64.store(at(plane, 0), value)]);
      const cell = (last: boolean): Code[] => k.cell(v, { last, addr: (p) => at(p, 0), storeLast });
      return [
        set('rowBytes', i32.shl(get('stride'), c(2))),
        set('bytes64', i32.shl(i32.shr_u(i32.add(get('cols'), c(63)), c(6)), c(3))),
        // The last word holds cols mod 64 columns (all 64 when cols is a multiple of 64).
        set(
          'lastMask',
          select(
            i64.const(-1n),
            i64.sub(i64.shl(i64.const(1n), i64.extend_i32_u(i32.and(get('cols'), c(63)))), i64.const(1n)),
            i32.eqz(i32.and(get('cols'), c(63))),
          ),
        ),
        set('firstMask', select(get('lastMask'), i64.const(-1n), i32.eq(get('bytes64'), c(8)))),
        // 64-bit words reach past the row (odd stride): the last one is stored as 32 bits.
        set('tail32', i32.gt_u(i32.shr_u(get('bytes64'), c(2)), get('stride'))),
        set('count', i64.const(0n)),
        set('r', get('r0')),
        while_(i32.ge_u(get('r'), get('r1')), [
          set('row', i32.mul(get('r'), get('rowBytes'))),
          set('o', c(0)),
          ...each((p, r) => [
            ...set(`${p}${r}Prev`, i64.const(0n)),
            ...set(`${p}${r}Cur`, i64.and(i64.load(at(p, rowOf(r))), get('firstMask'))),
          ]),
          // Words 0 … n64-3: the next word is a whole one.
          while_(i32.ge_u(i32.add(get('o'), c(16)), get('bytes64')), [
            ...loadNext(null),
            ...cell(false),
            ...slide(),
            set('o', i32.add(get('o'), c(8))),
          ]),
          // Word n64-2 (when there are two or more): the next word is the last, masked.
          if_(i32.ge_u(get('bytes64'), c(16)), [
            ...loadNext(get('lastMask')),
            ...cell(false),
            ...slide(),
            set('o', i32.add(get('o'), c(8))),
          ]),
          // Word n64-1: nothing beyond it.
          ...each((p, r) => set(`${p}${r}Next`, i64.const(0n))),
          ...cell(true),
          set('r', i32.add(get('r'), c(1))),
        ]),
        i32.wrap_i64(get('count')),
      ];
    },
  };
}
