/**
 * The block writer of zlib-deflate.ts (fflate's wblk with hTree, ln, lc, hMap, clen and wfblk) as
 * WebAssembly, and the stream around it (`deflate`: the search, its blocks, the last block, the zlib
 * header and trailer), for ZlibEncoder. Same algorithm, same bytes: each function below is the
 * JavaScript one of the same name, step for step (fflate's names, so that they read side by side).
 * Why: a command-line run deflates one file, and the JavaScript block writer spent it mostly before the
 * engine had optimised it; the module is compiled before it runs, and the stream never leaves its memory.
 *
 * Differences that give the same bytes:
 * - fflate ORs bits into a zeroed buffer; here they gather in a 64-bit accumulator written out 32 at a
 *   time, so the output needs no clearing (no value is wider than the bits it is written in).
 * - fflate's code length arrays end at their last symbol; here they have a fixed size and are zero past
 *   it, which every reader of them treats alike (lc trims trailing zeros, clen and hMap skip zeros).
 * - Array.prototype.sort is stable, and fflate's arrays start in symbol order: sorting by (key, symbol)
 *   gives its order.
 * - hTree's tree is arrays of node numbers, and ln's depths are assigned parent first (a parent is made
 *   after its children) instead of by recursion.
 */
import { block_, br, br_if, call, i32, i64, if_, loop_, return_, type Code, type FunctionDef, type Vars } from '../sim/wasm/encoder.ts';
import * as M from './zlib-wasm-layout.ts';

const c = i32.const;
const inc = (v: Vars, name: string, by = 1): Code => v.set(name, i32.add(v.get(name), c(by)));
const dec = (v: Vars, name: string, by = 1): Code => v.set(name, i32.sub(v.get(name), c(by)));
/** `while (!exit) body`. */
const loopUntil = (exit: Code, body: Code[]): Code => block_([loop_([br_if(exit, 1), ...body, br(0)])]);
const ld32 = (base: number, index: Code): Code => i32.load(i32.shl(index, c(2)), base);
const st32 = (base: number, index: Code, value: Code): Code => i32.store(i32.shl(index, c(2)), value, base);
const ld16 = (base: Code, index: Code): Code => i32.load16_u(i32.add(base, i32.shl(index, c(1))));
const st16 = (base: Code, index: Code, value: Code): Code => i32.store16(i32.add(base, i32.shl(index, c(1))), value);
const ld8 = (base: Code, index: Code): Code => i32.load8_u(i32.add(base, index));
const st8 = (base: Code, index: Code, value: Code): Code => i32.store8(i32.add(base, index), value);

/**
 * Insertion sort of the pairs (KEY[k], vals[k]), k < n, by key (unsigned); keys are unique, so the
 * order is that of any sort. Uses the locals a, j, k, x.
 */
function sortByKey(v: Vars, vals: number, n: Code): Code {
  const { get, set } = v;
  return block_([
    set('a', c(1)),
    loopUntil(i32.ge_u(get('a'), n), [
      set('k', ld32(M.KEY, get('a'))),
      set('x', ld32(vals, get('a'))),
      set('j', get('a')),
      block_([
        loop_([
          br_if(i32.eqz(get('j')), 1),
          br_if(i32.le_u(ld32(M.KEY, i32.sub(get('j'), c(1))), get('k')), 1),
          st32(M.KEY, get('j'), ld32(M.KEY, i32.sub(get('j'), c(1)))),
          st32(vals, get('j'), ld32(vals, i32.sub(get('j'), c(1)))),
          dec(v, 'j'),
          br(0),
        ]),
      ]),
      st32(M.KEY, get('j'), get('k')),
      st32(vals, get('j'), get('x')),
      inc(v, 'a'),
    ]),
  ]);
}

/** fn hTree(fp: u16 frequencies, n, mb, tp: u8 code lengths out) -> the longest code (fflate's hTree with ln). */
function hTreeFunction(): FunctionDef {
  return {
    name: 'hTree',
    params: { fp: 'i32', n: 'i32', mb: 'i32', tp: 'i32' },
    locals: {
      s: 'i32',
      i: 'i32',
      a: 'i32',
      j: 'i32',
      k: 'i32',
      x: 'i32',
      l: 'i32',
      r: 'i32',
      i0: 'i32',
      i1: 'i32',
      i2: 'i32',
      nn: 'i32',
      mbt: 'i32',
      lft: 'i32',
      cst: 'i32',
      dt: 'i32',
      sym: 'i32',
    },
    result: 'i32',
    body: (v) => {
      const { get, set } = v;
      const nf = (node: Code): Code => ld32(M.NF, node);
      const tr = (sym: Code): Code => ld8(get('tp'), sym);
      const setTr = (sym: Code, value: Code): Code => st8(get('tp'), sym, value);
      // t[i0].f < t[i2].f
      const i0First = i32.lt_u(nf(ld32(M.TN, get('i0'))), nf(ld32(M.TN, get('i2'))));
      const take = (into: string, cond: Code): Code =>
        if_(cond, [set(into, ld32(M.TN, get('i0'))), inc(v, 'i0')], [set(into, ld32(M.TN, get('i2'))), inc(v, 'i2')]);
      const merge: Code[] = [
        st32(M.NF, get('nn'), i32.add(nf(get('l')), nf(get('r')))),
        st32(M.NL, get('nn'), get('l')),
        st32(M.NR, get('nn'), get('r')),
      ];
      const leafSym = (k: Code): Code => ld32(M.NS, ld32(M.T2, k));
      return [
        // the lengths start at zero; the leaves are the symbols with a frequency, in symbol order (t2)
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('n')), [setTr(get('i'), c(0)), inc(v, 'i')]),
        set('s', c(0)),
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('n')), [
          set('x', ld16(get('fp'), get('i'))),
          if_(get('x'), [st32(M.NS, get('s'), get('i')), st32(M.NF, get('s'), get('x')), inc(v, 's')]),
          inc(v, 'i'),
        ]),
        if_(i32.eqz(get('s')), [return_(c(0))]),
        if_(i32.eq(get('s'), c(1)), [setTr(ld32(M.NS, c(0)), c(1)), return_(c(1))]),
        // t sorted by frequency (stable: then by symbol), then the sentinel
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('s')), [
          st32(M.TN, get('i'), get('i')),
          st32(M.KEY, get('i'), i32.or(i32.shl(nf(get('i')), c(9)), get('i'))),
          inc(v, 'i'),
        ]),
        sortByKey(v, M.TN, get('s')),
        st32(M.NF, get('s'), c(25001)),
        st32(M.TN, get('s'), get('s')),
        // the inner nodes, numbered from s + 1 on, overwrite t from its start
        set('nn', i32.add(get('s'), c(1))),
        set('l', ld32(M.TN, c(0))),
        set('r', ld32(M.TN, c(1))),
        ...merge,
        st32(M.TN, c(0), get('nn')),
        inc(v, 'nn'),
        set('i0', c(0)),
        set('i1', c(1)),
        set('i2', c(2)),
        loopUntil(i32.eq(get('i1'), i32.sub(get('s'), c(1))), [
          take('l', i0First),
          take('r', i32.and(i32.ne(get('i0'), get('i1')), i0First)),
          ...merge,
          st32(M.TN, get('i1'), get('nn')),
          inc(v, 'i1'),
          inc(v, 'nn'),
        ]),
        // ln: the root (the last node made) has depth 0; each inner node gives its children its depth + 1
        st32(M.ND, i32.sub(get('nn'), c(1)), c(0)),
        set('mbt', c(0)),
        set('k', get('nn')),
        loopUntil(i32.le_u(get('k'), i32.add(get('s'), c(1))), [
          dec(v, 'k'),
          set('x', i32.add(ld32(M.ND, get('k')), c(1))),
          ...['NL', 'NR'].map((side) =>
            block_([
              set('a', ld32(side === 'NL' ? M.NL : M.NR, get('k'))),
              if_(
                i32.lt_u(get('a'), get('s')),
                [setTr(ld32(M.NS, get('a')), get('x')), if_(i32.gt_u(get('x'), get('mbt')), [set('mbt', get('x'))])],
                [st32(M.ND, get('a'), get('x'))],
              ),
            ]),
          ),
        ]),
        if_(i32.gt_u(get('mbt'), get('mb')), [
          set('lft', i32.sub(get('mbt'), get('mb'))),
          set('cst', i32.shl(c(1), get('lft'))),
          set('dt', c(0)),
          // t2 sorted by length (longest first), then frequency, then symbol
          set('i', c(0)),
          loopUntil(i32.ge_u(get('i'), get('s')), [
            st32(M.T2, get('i'), get('i')),
            st32(
              M.KEY,
              get('i'),
              i32.or(i32.or(i32.shl(i32.sub(c(63), tr(ld32(M.NS, get('i')))), c(25)), i32.shl(nf(get('i')), c(9))), get('i')),
            ),
            inc(v, 'i'),
          ]),
          sortByKey(v, M.T2, get('s')),
          set('i', c(0)),
          loopUntil(i32.ge_u(get('i'), get('s')), [
            set('sym', leafSym(get('i'))),
            set('x', tr(get('sym'))),
            br_if(i32.le_u(get('x'), get('mb')), 1),
            set('dt', i32.add(get('dt'), i32.sub(get('cst'), i32.shl(c(1), i32.sub(get('mbt'), get('x')))))),
            setTr(get('sym'), get('mb')),
            inc(v, 'i'),
          ]),
          set('dt', i32.shr_s(get('dt'), get('lft'))),
          loopUntil(i32.eqz(i32.gt_s(get('dt'), c(0))), [
            set('sym', leafSym(get('i'))),
            set('x', tr(get('sym'))),
            if_(
              i32.lt_u(get('x'), get('mb')),
              [
                set('dt', i32.sub(get('dt'), i32.shl(c(1), i32.sub(i32.sub(get('mb'), get('x')), c(1))))),
                setTr(get('sym'), i32.add(get('x'), c(1))),
              ],
              [inc(v, 'i')],
            ),
          ]),
          loopUntil(i32.or(i32.lt_s(get('i'), c(0)), i32.eqz(get('dt'))), [
            set('sym', leafSym(get('i'))),
            if_(i32.eq(tr(get('sym')), get('mb')), [setTr(get('sym'), i32.sub(get('mb'), c(1))), inc(v, 'dt')]),
            dec(v, 'i'),
          ]),
          set('mbt', get('mb')),
        ]),
        get('mbt'),
      ];
    },
  };
}

/** fn lc(cp: u8 code lengths, n, op: u16 codes out) -> (s << 16) | count (fflate's lc: its c's length and n). */
function lcFunction(): FunctionDef {
  return {
    name: 'lc',
    params: { cp: 'i32', n: 'i32', op: 'i32' },
    locals: { s: 'i32', cli: 'i32', cln: 'i32', cls: 'i32', i: 'i32', x: 'i32' },
    result: 'i32',
    body: (v) => {
      const { get, set } = v;
      const w = (value: Code): Code[] => [st16(get('op'), get('cli'), value), inc(v, 'cli')];
      return [
        // while (s && !c[--s]); ++s
        set('s', get('n')),
        loopUntil(i32.eqz(get('s')), [dec(v, 's'), br_if(ld8(get('cp'), get('s')), 1)]),
        inc(v, 's'),
        set('cli', c(0)),
        set('cln', ld8(get('cp'), c(0))),
        set('cls', c(1)),
        set('i', c(1)),
        loopUntil(i32.gt_u(get('i'), get('s')), [
          set('x', ld8(get('cp'), get('i'))),
          if_(
            i32.and(i32.eq(get('x'), get('cln')), i32.ne(get('i'), get('s'))),
            [inc(v, 'cls')],
            [
              if_(
                i32.and(i32.eqz(get('cln')), i32.gt_s(get('cls'), c(2))),
                [
                  loopUntil(i32.le_s(get('cls'), c(138)), [...w(c(32754)), dec(v, 'cls', 138)]),
                  if_(i32.gt_s(get('cls'), c(2)), [
                    if_(
                      i32.gt_s(get('cls'), c(10)),
                      w(i32.or(i32.shl(i32.sub(get('cls'), c(11)), c(5)), c(28690))),
                      w(i32.or(i32.shl(i32.sub(get('cls'), c(3)), c(5)), c(12305))),
                    ),
                    set('cls', c(0)),
                  ]),
                ],
                [
                  if_(i32.gt_s(get('cls'), c(3)), [
                    ...w(get('cln')),
                    dec(v, 'cls'),
                    loopUntil(i32.le_s(get('cls'), c(6)), [...w(c(8304)), dec(v, 'cls', 6)]),
                    if_(i32.gt_s(get('cls'), c(2)), [...w(i32.or(i32.shl(i32.sub(get('cls'), c(3)), c(5)), c(8208))), set('cls', c(0))]),
                  ]),
                ],
              ),
              loopUntil(i32.eqz(get('cls')), [...w(get('cln')), dec(v, 'cls')]),
              set('cls', c(1)),
              set('cln', get('x')),
            ],
          ),
          inc(v, 'i'),
        ]),
        i32.or(i32.shl(get('s'), c(16)), get('cli')),
      ];
    },
  };
}

/** fn hMap(cp: u8 code lengths, n, mb, op: u16 codes out) (fflate's hMap: the bit-reversed canonical codes). */
function hMapFunction(): FunctionDef {
  return {
    name: 'hMap',
    params: { cp: 'i32', n: 'i32', mb: 'i32', op: 'i32' },
    locals: { i: 'i32', x: 'i32', e: 'i32' },
    body: (v) => {
      const { get, set } = v;
      const hl = c(M.HL);
      const hle = c(M.HLE);
      return [
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), c(16)), [st16(hl, get('i'), c(0)), st16(hle, get('i'), c(0)), inc(v, 'i')]),
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('n')), [
          set('x', ld8(get('cp'), get('i'))),
          if_(get('x'), [set('x', i32.sub(get('x'), c(1))), st16(hl, get('x'), i32.add(ld16(hl, get('x')), c(1)))]),
          inc(v, 'i'),
        ]),
        set('i', c(1)),
        loopUntil(i32.ge_u(get('i'), get('mb')), [
          st16(hle, get('i'), i32.shl(i32.add(ld16(hle, i32.sub(get('i'), c(1))), ld16(hl, i32.sub(get('i'), c(1)))), c(1))),
          inc(v, 'i'),
        ]),
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('n')), [
          set('x', ld8(get('cp'), get('i'))),
          if_(
            get('x'),
            [
              // rev[le[x - 1]++] >> (15 - x); le is u16, and rev past its end is undefined (0)
              set('e', ld16(hle, i32.sub(get('x'), c(1)))),
              st16(hle, i32.sub(get('x'), c(1)), i32.add(get('e'), c(1))),
              st16(
                get('op'),
                get('i'),
                if_value(i32.lt_u(get('e'), c(32768)), i32.shr_u(ld16(c(M.REV), get('e')), i32.sub(c(15), get('x'))), c(0)),
              ),
            ],
            [st16(get('op'), get('i'), c(0))],
          ),
          inc(v, 'i'),
        ]),
      ];
    },
  };
}

/** `cond ? a : b` with both evaluated (a and b pure). */
function if_value(cond: Code, a: Code, b: Code): Code {
  return [...a, ...b, ...cond, 0x1b];
}

/** fn clen(fp: u16 frequencies, cp: u8 code lengths, n) -> the bits of the symbols at these lengths. */
function clenFunction(): FunctionDef {
  return {
    name: 'clen',
    params: { fp: 'i32', cp: 'i32', n: 'i32' },
    locals: { i: 'i32', l: 'i32' },
    result: 'i32',
    body: (v) => {
      const { get, set } = v;
      return [
        set('l', c(0)),
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('n')), [
          set('l', i32.add(get('l'), i32.mul(ld16(get('fp'), get('i')), ld8(get('cp'), get('i'))))),
          inc(v, 'i'),
        ]),
        get('l'),
      ];
    },
  };
}

/**
 * fn block(final, end): writes the block of the input's bytes from the state's block start to `end`,
 * of the state's symbols (fflate's wblk, with wfblk), then starts the next block there.
 */
function blockFunction(): FunctionDef {
  return {
    name: 'block',
    params: { final: 'i32', end: 'i32' },
    locals: {
      bs: 'i32',
      bl: 'i32',
      li: 'i32',
      eb: 'i32',
      op: 'i32',
      acc: 'i64',
      nb: 'i32',
      mlb: 'i32',
      mdb: 'i32',
      mlcb: 'i32',
      nlc: 'i32',
      ndc: 'i32',
      nclt: 'i32',
      ncdt: 'i32',
      nlcc: 'i32',
      flen: 'i32',
      ftlen: 'i32',
      dtlen: 'i32',
      dyn: 'i32',
      lmP: 'i32',
      llP: 'i32',
      dmP: 'i32',
      dlP: 'i32',
      i: 'i32',
      x: 'i32',
      sym: 'i32',
      len: 'i32',
      dst: 'i32',
    },
    body: (v) => {
      const { get, set } = v;
      const state = (slot: number): Code => i32.load(c(M.STATE + 4 * slot));
      const save = (slot: number, value: Code): Code => i32.store(c(M.STATE + 4 * slot), value);
      /** wbits/wbits16: `value` (no wider than `bits`) at the bit position, which moves on by `bits`. */
      const put = (value: Code, bits: Code): Code[] => [
        set('acc', i64.or(get('acc'), i64.shl(i64.extend_i32_u(value), i64.extend_i32_u(get('nb'))))),
        set('nb', i32.add(get('nb'), bits)),
        if_(i32.ge_u(get('nb'), c(32)), [
          i32.store(get('op'), i32.wrap_i64(get('acc'))),
          inc(v, 'op', 4),
          set('acc', i64.shr_u(get('acc'), i64.const(32n))),
          dec(v, 'nb', 32),
        ]),
      ];
      const u8c = (base: number | string, index: Code): Code => ld8(typeof base === 'number' ? c(base) : get(base), index);
      const u16c = (base: number | string, index: Code): Code => ld16(typeof base === 'number' ? c(base) : get(base), index);
      /** The run-length coded code lengths at `base`, `count` of them, with the code length code. */
      const writeLengths = (base: number, count: string): Code =>
        block_([
          set('i', c(0)),
          loopUntil(i32.ge_u(get('i'), get(count)), [
            set('sym', u16c(base, get('i'))),
            set('len', i32.and(get('sym'), c(31))),
            ...put(u16c(M.LLM, get('len')), u8c(M.LCT, get('len'))),
            if_(i32.gt_u(get('len'), c(15)), put(i32.and(i32.shr_u(get('sym'), c(5)), c(127)), i32.shr_u(get('sym'), c(12)))),
            inc(v, 'i'),
          ]),
        ]);
      const countLengths = (base: number, count: string): Code =>
        block_([
          set('i', c(0)),
          loopUntil(i32.ge_u(get('i'), get(count)), [
            set('x', i32.and(u16c(base, get('i')), c(31))),
            st16(c(M.LCFREQ), get('x'), i32.add(u16c(M.LCFREQ, get('x')), c(1))),
            inc(v, 'i'),
          ]),
        ]);
      const stored: Code[] = [
        // wfblk: the two type bits, then byte-aligned LEN, NLEN and the bytes
        ...put(c(0), c(2)),
        set('nb', i32.and(i32.add(get('nb'), c(7)), c(~7))),
        loopUntil(i32.eqz(get('nb')), [
          i32.store8(get('op'), i32.wrap_i64(get('acc'))),
          inc(v, 'op'),
          set('acc', i64.shr_u(get('acc'), i64.const(8n))),
          dec(v, 'nb', 8),
        ]),
        set('x', i32.and(get('bl'), c(255))),
        set('len', i32.and(i32.shr_u(get('bl'), c(8)), c(255))),
        i32.store8(get('op'), get('x')),
        i32.store8(get('op'), get('len'), 1),
        i32.store8(get('op'), i32.xor(get('x'), c(255)), 2),
        i32.store8(get('op'), i32.xor(get('len'), c(255)), 3),
        inc(v, 'op', 4),
        set('i', c(0)),
        loopUntil(i32.gt_u(i32.add(get('i'), c(8)), get('bl')), [
          i64.store(i32.add(get('op'), get('i')), i64.load(i32.add(get('bs'), get('i')), M.DAT)),
          inc(v, 'i', 8),
        ]),
        loopUntil(i32.ge_u(get('i'), get('bl')), [
          i32.store8(i32.add(get('op'), get('i')), i32.load8_u(i32.add(get('bs'), get('i')), M.DAT)),
          inc(v, 'i'),
        ]),
        set('op', i32.add(get('op'), get('bl'))),
      ];
      const symbols: Code = block_([
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), get('li')), [
          set('sym', i32.load(i32.shl(get('i'), c(2)), M.SYMS)),
          if_(
            i32.gt_u(get('sym'), c(255)),
            [
              set('len', i32.and(i32.shr_u(get('sym'), c(18)), c(31))),
              ...put(u16c('lmP', i32.add(get('len'), c(257))), u8c('llP', i32.add(get('len'), c(257)))),
              if_(i32.gt_u(get('len'), c(7)), put(i32.and(i32.shr_u(get('sym'), c(23)), c(31)), u8c(M.FLEB, get('len')))),
              set('dst', i32.and(get('sym'), c(31))),
              ...put(u16c('dmP', get('dst')), u8c('dlP', get('dst'))),
              if_(i32.gt_u(get('dst'), c(3)), put(i32.and(i32.shr_u(get('sym'), c(5)), c(8191)), u8c(M.FDEB, get('dst')))),
            ],
            put(u16c('lmP', get('sym')), u8c('llP', get('sym'))),
          ),
          inc(v, 'i'),
        ]),
      ]);
      const huffman: Code[] = [
        ...put(i32.add(c(1), get('dyn')), c(2)),
        if_(
          get('dyn'),
          [
            call(M.FN_HMAP, c(M.DLT), c(288), get('mlb'), c(M.LM)),
            call(M.FN_HMAP, c(M.DDT), c(32), get('mdb'), c(M.DM)),
            call(M.FN_HMAP, c(M.LCT), c(19), get('mlcb'), c(M.LLM)),
            set('lmP', c(M.LM)),
            set('llP', c(M.DLT)),
            set('dmP', c(M.DM)),
            set('dlP', c(M.DDT)),
            ...put(i32.sub(get('nlc'), c(257)), c(5)),
            ...put(i32.sub(get('ndc'), c(1)), c(5)),
            ...put(i32.sub(get('nlcc'), c(4)), c(4)),
            set('i', c(0)),
            loopUntil(i32.ge_u(get('i'), get('nlcc')), [...put(u8c(M.LCT, u8c(M.CLIM, get('i'))), c(3)), inc(v, 'i')]),
            writeLengths(M.LCLT, 'nclt'),
            writeLengths(M.LCDT, 'ncdt'),
          ],
          [set('lmP', c(M.FLM)), set('llP', c(M.FLT)), set('dmP', c(M.FDM)), set('dlP', c(M.FDT))],
        ),
        symbols,
        ...put(u16c('lmP', c(256)), u8c('llP', c(256))),
      ];
      return [
        set('bs', state(M.ST_BS)),
        set('bl', i32.sub(get('end'), get('bs'))),
        set('li', state(M.ST_LI)),
        set('eb', state(M.ST_EB)),
        set('op', state(M.ST_OP)),
        set('acc', i64.extend_i32_u(state(M.ST_ACC))),
        set('nb', state(M.ST_NB)),
        ...put(get('final'), c(1)),
        st16(c(M.LF), c(256), i32.add(u16c(M.LF, c(256)), c(1))),
        set('mlb', call(M.FN_HTREE, c(M.LF), c(288), c(15), c(M.DLT))),
        set('mdb', call(M.FN_HTREE, c(M.DF), c(32), c(15), c(M.DDT))),
        set('x', call(M.FN_LC, c(M.DLT), c(288), c(M.LCLT))),
        set('nlc', i32.shr_u(get('x'), c(16))),
        set('nclt', i32.and(get('x'), c(65535))),
        set('x', call(M.FN_LC, c(M.DDT), c(32), c(M.LCDT))),
        set('ndc', i32.shr_u(get('x'), c(16))),
        set('ncdt', i32.and(get('x'), c(65535))),
        set('i', c(0)),
        loopUntil(i32.ge_u(get('i'), c(19)), [st16(c(M.LCFREQ), get('i'), c(0)), inc(v, 'i')]),
        countLengths(M.LCLT, 'nclt'),
        countLengths(M.LCDT, 'ncdt'),
        set('mlcb', call(M.FN_HTREE, c(M.LCFREQ), c(19), c(7), c(M.LCT))),
        set('nlcc', c(19)),
        loopUntil(i32.or(i32.le_u(get('nlcc'), c(4)), u8c(M.LCT, u8c(M.CLIM, i32.sub(get('nlcc'), c(1))))), [dec(v, 'nlcc')]),
        set('flen', i32.shl(i32.add(get('bl'), c(5)), c(3))),
        set('ftlen', i32.add(i32.add(call(M.FN_CLEN, c(M.LF), c(M.FLT), c(288)), call(M.FN_CLEN, c(M.DF), c(M.FDT), c(32))), get('eb'))),
        set(
          'dtlen',
          i32.add(
            i32.add(
              i32.add(i32.add(call(M.FN_CLEN, c(M.LF), c(M.DLT), c(288)), call(M.FN_CLEN, c(M.DF), c(M.DDT), c(32))), get('eb')),
              i32.add(c(14), i32.mul(c(3), get('nlcc'))),
            ),
            i32.add(
              call(M.FN_CLEN, c(M.LCFREQ), c(M.LCT), c(19)),
              i32.add(
                i32.add(i32.mul(c(2), u16c(M.LCFREQ, c(16))), i32.mul(c(3), u16c(M.LCFREQ, c(17)))),
                i32.mul(c(7), u16c(M.LCFREQ, c(18))),
              ),
            ),
          ),
        ),
        if_(i32.and(i32.le_u(get('flen'), get('ftlen')), i32.le_u(get('flen'), get('dtlen'))), stored, [
          set('dyn', i32.lt_u(get('dtlen'), get('ftlen'))),
          ...huffman,
        ]),
        // the next block starts at `end`, with no symbols, matches, extra bits or frequencies
        save(M.ST_OP, get('op')),
        save(M.ST_ACC, i32.wrap_i64(get('acc'))),
        save(M.ST_NB, get('nb')),
        save(M.ST_BS, get('end')),
        save(M.ST_LI, c(0)),
        save(M.ST_LC, c(0)),
        save(M.ST_EB, c(0)),
        set('i', c(M.LF)),
        loopUntil(i32.ge_u(get('i'), c(M.DF + 64)), [i64.store(get('i'), i64.const(0n)), inc(v, 'i', 8)]),
      ];
    },
  };
}

/**
 * fn deflate(s, msk, bs1, bs2, out) -> the length of the zlib stream of the s input bytes, written at `out`
 * (ZlibEncoder.encode's stream: the search, the blocks it asks for, the last literals and block, the
 * header and the Adler-32). The hash heads are cleared; the chains need not be (the search reads only
 * links it wrote in this stream).
 */
function deflateFunction(): FunctionDef {
  return {
    name: 'deflate',
    params: { s: 'i32', msk: 'i32', bs1: 'i32', bs2: 'i32', out: 'i32' },
    locals: { i: 'i32', li: 'i32', x: 'i32', e: 'i32', op: 'i32', acc: 'i64', nb: 'i32', resume: 'i32' },
    result: 'i32',
    body: (v) => {
      const { get, set } = v;
      const state = (slot: number): Code => i32.load(c(M.STATE + 4 * slot));
      const save = (slot: number, value: Code): Code => i32.store(c(M.STATE + 4 * slot), value);
      return [
        set('i', c(M.STATE)),
        loopUntil(i32.ge_u(get('i'), c(M.STATE + 4 * (M.ST_NB + 1))), [i32.store(get('i'), c(0)), inc(v, 'i', 4)]),
        set('i', c(M.LF)),
        loopUntil(i32.ge_u(get('i'), c(M.DF + 64)), [i64.store(get('i'), i64.const(0n)), inc(v, 'i', 8)]),
        // msk + 1 is a power of two of at least 256 heads: whole 8-byte words
        set('i', c(M.HEAD)),
        set('e', i32.add(c(M.HEAD), i32.shl(i32.add(get('msk'), c(1)), c(1)))),
        loopUntil(i32.ge_u(get('i'), get('e')), [i64.store(get('i'), i64.const(0n)), inc(v, 'i', 8)]),
        // zlib header: deflate, 32 KiB window, level 6 (FLEVEL 2), no dictionary
        i32.store8(get('out'), c(120)),
        i32.store8(get('out'), c(156), 1),
        save(M.ST_OP, i32.add(get('out'), c(2))),
        block_([
          loop_([
            br_if(i32.eqz(call(M.FN_SCAN, get('s'), get('msk'), get('bs1'), get('bs2'), get('resume'))), 1),
            call(M.FN_BLOCK, c(0), state(M.ST_I)),
            set('resume', c(1)),
            br(0),
          ]),
        ]),
        // the bytes the search left (the last two, or those a match covered past the end of the loop)
        set('i', state(M.ST_I)),
        if_(i32.gt_u(state(M.ST_WI), get('i')), [set('i', state(M.ST_WI))]),
        set('li', state(M.ST_LI)),
        loopUntil(i32.ge_u(get('i'), get('s')), [
          set('x', i32.load8_u(get('i'), M.DAT)),
          i32.store(i32.shl(get('li'), c(2)), get('x'), M.SYMS),
          inc(v, 'li'),
          st16(c(M.LF), get('x'), i32.add(ld16(c(M.LF), get('x')), c(1))),
          inc(v, 'i'),
        ]),
        save(M.ST_LI, get('li')),
        call(M.FN_BLOCK, c(1), get('i')),
        // the last bits, then the Adler-32 (big-endian: adler returns it byte-swapped)
        set('op', state(M.ST_OP)),
        set('acc', i64.extend_i32_u(state(M.ST_ACC))),
        set('nb', state(M.ST_NB)),
        loopUntil(i32.eqz(i32.gt_s(get('nb'), c(0))), [
          i32.store8(get('op'), i32.wrap_i64(get('acc'))),
          inc(v, 'op'),
          set('acc', i64.shr_u(get('acc'), i64.const(8n))),
          dec(v, 'nb', 8),
        ]),
        i32.store(get('op'), call(M.FN_ADLER, get('s'))),
        i32.sub(i32.add(get('op'), c(4)), get('out')),
      ];
    },
  };
}

/** The block writer's and the stream's functions, in the module's order after scan and adler. */
export function blockFunctions(): FunctionDef[] {
  return [hTreeFunction(), lcFunction(), hMapFunction(), clenFunction(), blockFunction(), deflateFunction()];
}
