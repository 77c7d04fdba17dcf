/**
 * The coastal raster kernel's two hot passes (raster-kernel.ts: pass 1 `scanPlain` / the masked scan of
 * `sources`, pass 2 `row`) as WebAssembly, over a memory that holds the whole state (alt, uso, solo,
 * mask), the rings, the row ranges and the lookup tables. CoastalRaster keeps the step's outline (the
 * ring bookkeeping, the clears, the metrics) in JavaScript and calls these once per row; each is the
 * JavaScript loop instruction for instruction: the same windows, the same comparisons, the flux sum in
 * the same order (own flux, then DIRS_MOORE), so the same IEEE doubles and the same bytes.
 * coastal.test.ts holds both engines equal, array for array, step by step.
 *
 * Why faster: no bounds or type checks on the typed-array loads, locals that are never boxed, and the
 * code compiled before its first turn (a CLI run steps 20 times and ends; the JavaScript spent part of
 * that unoptimised). Off-grid neighbours are loaded from guard bytes around each array and discarded
 * with `select` (the JavaScript's `hasUp ? A[j - cols] : off`), so the loops have no border branches.
 *
 * The functions are generated per case (mask or not, mangrove or not, accretion or not), and only the
 * case a kernel runs is compiled: the flags the JavaScript tests on every turn become which code exists.
 */
import {
  block_,
  br,
  f32,
  f64,
  i32,
  if_,
  return_,
  select,
  while_,
  type Code,
  type FunctionDef,
  type ValType,
} from '../../sim/wasm/encoder.ts';
import { hostWasm, type WasmApi, type WasmMemory } from '../../sim/wasm/host.ts';
import { instantiateKernel, wasmUnavailable } from '../../sim/wasm/runtime.ts';
import { FLOODED_LUT, INUND_LUT, WET_LUT } from './codes.ts';

// Fixed byte offsets in the memory (tables first, then the per-grid regions laid out by `layout`).
const FLUX_OF_LOW = 0; // f64 × 10: rate / low
const LO = 96; // i32 × 3 per ring slot: first and last column holding a flag (pass 1's result)
const HI = 108;
const WLO = 120; // i32 × 3: the columns of each slot written last time
const WHI = 132;
const DELTAS = 144; // i32 × 5: dFlooded, newly, dFinalFlooded, dMigrated, dSoil (pass 2 adds to them)
const CODES_BLOCK = 1 << 16; // cells per call of the reader's codes check (firstCodeOutside)
const COUNTS = 168; // i32 × 4: the reader's census (flooded, migrated, soil, whether a -0 was met; `widen` adds to them)
const BITS = 256; // u8 × 65536: USO_BITS (bit 0 sea/flooded, bit 1 mangrove)
const WET = BITS + 65536; // u8 × 65536 each: WET_LUT, FLOODED_LUT, INUND_LUT
const FLOODED = WET + 65536;
const INUND = FLOODED + 65536;
const TABLES_END = INUND + 65536;
const PAGE = 65536;
const MAX_PAGES = 65536;

export interface CoastalLayout {
  flags: number;
  flux: number;
  rowLo: number;
  rowHi: number;
  alt: number;
  uso: number;
  solo: number;
  mask: number;
  bytes: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Byte offsets of the regions for a rows × cols grid. Each state array has a guard of one row and a
 * cell (and more) on either side: the loops read the row above and below, and the cell past either
 * end, of every cell they visit, and discard what lies off the grid.
 */
export function coastalLayout(rows: number, cols: number, solo: boolean, mask: boolean): CoastalLayout {
  const n = rows * cols;
  const guard = align8((cols + 2) * 8 + 64);
  const flags = align8(TABLES_END);
  const flux = align8(flags + 3 * (cols + 2) * 4);
  const rowLo = flux + 3 * (cols + 2) * 8;
  const rowHi = align8(rowLo + rows * 4);
  const alt = align8(rowHi + rows * 4) + guard;
  const uso = align8(alt + n * 8 + guard);
  const soloAt = align8(uso + n * 2);
  const maskAt = align8(soloAt + (solo ? n * 2 : 0)) + guard;
  const bytes = maskAt + (mask ? n : 0) + guard;
  return { flags, flux, rowLo, rowHi, alt, uso, solo: soloAt, mask: maskAt, bytes };
}

const c = i32.const;
const params = (names: string[], type: ValType = 'i32') => Object.fromEntries(names.map((n) => [n, type])) as Record<string, ValType>;

/**
 * Pass 1 over columns scanLo..scanHi (scanLo ≤ scanHi) of row r into ring slot `ring` (raster-kernel.ts
 * `scanPlain`, and with a mask the masked loop of `sources`): packed flags and each source's flux;
 * the slot's first and last flagged column to LO/HI[ring]. Off the grid: alt `off` (0 or NaN) without
 * a mask; alt 0, counted `pad`, with one.
 */
function scanFunction(masked: boolean, mangrove: boolean): FunctionDef {
  const k = masked ? ['kUL', 'kL', 'kDL', 'kU', 'kC', 'kD', 'kUR', 'kR', 'kDR'] : [];
  return {
    name: `scan${+masked}${+mangrove}`,
    params: { ...params(['r', 'ring', 'scanLo', 'scanHi', 'rows', 'cols', 'pA', 'pU', 'pS', 'pM', 'pFlags', 'pFlux', 'pad']), off: 'f64' },
    locals: {
      ...params([
        'cc',
        'c8',
        'hasUp',
        'hasDn',
        'inR',
        'rowB',
        'bA',
        'bU',
        'bS',
        'bM',
        'bF',
        'bX',
        'first',
        'last',
        'f',
        'bits',
        's',
        'bDR',
        'bD',
        'bDL',
        'low',
      ]),
      ...params(k),
      ...params(['vUL', 'vL', 'vDL', 'vU', 'vC', 'vD', 'vUR', 'vR', 'vDR', 'a', 'fx', 'o'], 'f64'),
    },
    body: ({ get, set }) => {
      const g = get;
      const slot = i32.add(i32.mul(g('ring'), i32.add(g('cols'), c(2))), c(1));
      const base = i32.mul(g('r'), g('cols'));
      // alt at column `col` (an i32 expression) of the row above (-1), the row (0) or below (+1)
      const alt = (dRow: -1 | 0 | 1, col: Code, offset = 0): Code => {
        const row = dRow === 0 ? g('bA') : dRow < 0 ? i32.sub(g('bA'), g('rowB')) : i32.add(g('bA'), g('rowB'));
        return f64.load(i32.add(row, i32.shl(col, c(3))), offset);
      };
      const mk = (dRow: -1 | 0 | 1, col: Code, offset = 0): Code => {
        const row = dRow === 0 ? g('bM') : dRow < 0 ? i32.sub(g('bM'), g('cols')) : i32.add(g('bM'), g('cols'));
        return i32.load8_u(i32.add(row, col), offset);
      };
      const cm1 = i32.sub(g('cc'), c(1));
      const left = i32.gt_s(g('cc'), c(0));
      // counted and not higher than a: kX & (vX ≤ a) with a mask, (vX ≤ a) without
      const lower = (v: string, kk: string): Code => (masked ? i32.and(g(kk), f64.le(g(v), g('a'))) : f64.le(g(v), g('a')));
      const cell: Code[] = [
        set('bits', i32.load8_u(i32.load16_u(i32.add(g('bU'), i32.shl(g('cc'), c(1)))), BITS)),
        if_(i32.and(i32.and(g('bits'), c(1)), f64.ge(g('a'), f64.const(0))), [
          set('bDR', lower('vDR', 'kDR')),
          set('bD', lower('vD', 'kD')),
          set('bDL', lower('vDL', 'kDL')),
          set(
            'low',
            i32.add(
              i32.add(i32.add(i32.add(c(1), g('bDR')), g('bD')), g('bDL')),
              i32.add(
                i32.add(lower('vR', 'kR'), lower('vL', 'kL')),
                i32.add(i32.add(lower('vUR', 'kUR'), lower('vU', 'kU')), lower('vUL', 'kUL')),
              ),
            ),
          ),
          set('fx', f64.load(i32.shl(g('low'), c(3)), FLUX_OF_LOW)),
          set(
            'f',
            i32.or(
              i32.or(c(1) /* F_SOURCE */, i32.shl(g('bDL'), c(16))),
              i32.or(i32.shl(g('bD'), c(17)), i32.shl(g('bDR'), c(18))), // GIVE_DL, GIVE_D, GIVE_DR
            ),
          ),
        ]),
        ...(mangrove
          ? [
              set('s', i32.load16_s(i32.add(g('bS'), i32.shl(g('cc'), c(1))))),
              // F_SOIL for solo 3, 9 or 0; F_USE (256) for a mangrove use (bits' bit 1)
              set(
                'f',
                i32.or(
                  g('f'),
                  i32.or(
                    i32.shl(i32.or(i32.or(i32.eq(g('s'), c(3)), i32.eq(g('s'), c(9))), i32.eqz(g('s'))), c(4)),
                    i32.shl(i32.and(g('bits'), c(2)), c(7)),
                  ),
                ),
              ),
            ]
          : []),
        set('first', select(g('cc'), g('first'), i32.and(i32.ne(g('f'), c(0)), i32.eq(g('first'), g('cols'))))),
        set('last', select(g('cc'), g('last'), i32.ne(g('f'), c(0)))),
      ];
      return [
        set('hasUp', i32.gt_s(g('r'), c(0))),
        set('hasDn', i32.lt_s(i32.add(g('r'), c(1)), g('rows'))),
        set('rowB', i32.shl(g('cols'), c(3))),
        set('bA', i32.add(g('pA'), i32.shl(base, c(3)))),
        set('bU', i32.add(g('pU'), i32.shl(base, c(1)))),
        set('bS', i32.add(g('pS'), i32.shl(base, c(1)))),
        set('bM', i32.add(g('pM'), base)),
        set('bF', i32.add(g('pFlags'), i32.shl(slot, c(2)))),
        set('bX', i32.add(g('pFlux'), i32.shl(slot, c(3)))),
        set('o', masked ? f64.const(0) : g('off')),
        set('cc', g('scanLo')),
        // the window's left and centre columns
        set('vL', select(alt(0, cm1), g('o'), left)),
        set('vUL', select(alt(-1, cm1), g('o'), i32.and(left, g('hasUp')))),
        set('vDL', select(alt(1, cm1), g('o'), i32.and(left, g('hasDn')))),
        set('vU', select(alt(-1, g('cc')), g('o'), g('hasUp'))),
        set('vC', alt(0, g('cc'))),
        set('vD', select(alt(1, g('cc')), g('o'), g('hasDn'))),
        ...(masked
          ? [
              set('kL', select(mk(0, cm1), g('pad'), left)),
              set('kUL', select(mk(-1, cm1), g('pad'), i32.and(left, g('hasUp')))),
              set('kDL', select(mk(1, cm1), g('pad'), i32.and(left, g('hasDn')))),
              set('kU', select(mk(-1, g('cc')), g('pad'), g('hasUp'))),
              set('kC', mk(0, g('cc'))),
              set('kD', select(mk(1, g('cc')), g('pad'), g('hasDn'))),
            ]
          : []),
        set('first', g('cols')),
        set('last', c(-1)),
        while_(i32.gt_s(g('cc'), g('scanHi')), [
          // the right column (c+1)
          set('inR', i32.lt_s(i32.add(g('cc'), c(1)), g('cols'))),
          set('c8', i32.shl(g('cc'), c(3))),
          set('vR', select(f64.load(i32.add(g('bA'), g('c8')), 8), g('o'), g('inR'))),
          set('vUR', select(f64.load(i32.sub(i32.add(g('bA'), g('c8')), g('rowB')), 8), g('o'), i32.and(g('inR'), g('hasUp')))),
          set('vDR', select(f64.load(i32.add(i32.add(g('bA'), g('c8')), g('rowB')), 8), g('o'), i32.and(g('inR'), g('hasDn')))),
          ...(masked
            ? [
                set('kR', select(mk(0, g('cc'), 1), g('pad'), g('inR'))),
                set('kUR', select(mk(-1, g('cc'), 1), g('pad'), i32.and(g('inR'), g('hasUp')))),
                set('kDR', select(mk(1, g('cc'), 1), g('pad'), i32.and(g('inR'), g('hasDn')))),
              ]
            : []),
          set('a', g('vC')),
          set('f', c(0)),
          set('fx', f64.const(0)),
          ...(masked ? [if_(g('kC'), cell)] : cell),
          i32.store(i32.add(g('bF'), i32.shl(g('cc'), c(2))), g('f')),
          f64.store(i32.add(g('bX'), g('c8')), g('fx')),
          // slide
          set('vUL', g('vU')),
          set('vU', g('vUR')),
          set('vL', g('vC')),
          set('vC', g('vR')),
          set('vDL', g('vD')),
          set('vD', g('vDR')),
          ...(masked
            ? [set('kUL', g('kU')), set('kU', g('kUR')), set('kL', g('kC')), set('kC', g('kR')), set('kDL', g('kD')), set('kD', g('kDR'))]
            : []),
          set('cc', i32.add(g('cc'), c(1))),
        ]),
        i32.store(i32.shl(g('ring'), c(2)), g('first'), LO),
        i32.store(i32.shl(g('ring'), c(2)), g('last'), HI),
      ];
    },
  };
}

/**
 * Pass 2 for row r (raster-kernel.ts `row`): flood then mangrove per cell, written in place; the metric
 * deltas added to DELTAS.
 */
function rowFunction(masked: boolean, mangrove: boolean, accretion: boolean): FunctionDef {
  const i32s = ['c0', 'c1', 'cc', 'c8', 'c2', 'mid', 'below', 'inE', 'width', 'bA', 'bD', 'bU', 'bS', 'bM', 'bFP', 'bFC', 'bFN'];
  i32s.push('bXP', 'bXC', 'bXN', 'left', 'center', 'right', 'self', 'nbs', 'pfE', 'pfW', 'pfC', 'pfw', 'pfc', 'm', 'x');
  i32s.push('source', 'u', 'uu', 'uF', 'uNew', 'wet', 's', 'dFlooded', 'newly', 'dFinalFlooded', 'dMigrated', 'dSoil');
  const f64s = ['aC', 'aW', 'dC', 'dW', 'fW', 'fC', 'nW', 'nC', 'pW', 'pC', 'a', 'west', 'east', 'dw', 'dc', 'de'];
  f64s.push('fw', 'fc', 'fe', 'nw', 'nc', 'ne', 'pw', 'pc', 'pe', 'delta', 'aNew');
  return {
    name: `row${+masked}${+mangrove}${+accretion}`,
    params: {
      ...params(['r', 'rows', 'cols', 'pA', 'pU', 'pS', 'pM', 'pFlags', 'pFlux', 'pRowLo', 'pRowHi']),
      ...params(['nivelCmp', 'ziCmp', 'taxaAc'], 'f64'),
    },
    locals: { ...params(i32s), ...params(f64s, 'f64') },
    body: ({ get, set }) => {
      const g = get;
      const min = (a: Code, b: Code) => select(a, b, i32.lt_s(a, b));
      const max = (a: Code, b: Code) => select(a, b, i32.gt_s(a, b));
      // ring slot index of row r + d (d = -1, 0, 1): (r + 2) % 3, r % 3, (r + 1) % 3
      const slot = (d: number): Code => i32.add(i32.mul(i32.rem_u(i32.add(g('r'), c((d + 3) % 3)), c(3)), g('width')), c(1));
      const ring = (d: number): Code => i32.shl(i32.rem_u(i32.add(g('r'), c((d + 3) % 3)), c(3)), c(2));
      const at4 = (b: string, col: Code, offset = 0) => i32.load(i32.add(g(b), i32.shl(col, c(2))), offset);
      const at8 = (b: string, col: Code, offset = 0) => f64.load(i32.add(g(b), i32.shl(col, c(3))), offset);
      const c0m1 = i32.sub(g('c0'), c(1));
      const nz = (x: Code) => i32.ne(x, c(0));
      // delta += flux · [a ≤ alt] (flux · 0 = +0 leaves the sum as it is)
      const gather = (flux: string, than: string): Code =>
        set('delta', f64.add(g('delta'), f64.mul(g(flux), f64.convert_i32_u(f64.le(g('a'), g(than))))));
      const given = (flux: string, flags: string, bit: number): Code =>
        set('delta', f64.add(g('delta'), f64.mul(g(flux), f64.convert_i32_u(i32.and(i32.shr_u(g(flags), c(bit)), c(1))))));
      const rowRange: Code[] = accretion
        ? [set('c0', c(0)), set('c1', i32.sub(g('cols'), c(1)))]
        : [
            // only columns next to a flag can change
            set('c0', max(c(0), i32.sub(min(min(i32.load(ring(-1), LO), i32.load(ring(0), LO)), i32.load(ring(1), LO)), c(1)))),
            set(
              'c1',
              min(i32.sub(g('cols'), c(1)), i32.add(max(max(i32.load(ring(-1), HI), i32.load(ring(0), HI)), i32.load(ring(1), HI)), c(1))),
            ),
          ];
      const rowLoAt = i32.add(g('pRowLo'), i32.shl(g('r'), c(2)));
      const rowHiAt = i32.add(g('pRowHi'), i32.shl(g('r'), c(2)));
      // The cell's rules; br(0) leaves them (the next column). Inside if_ the block is one level further out.
      const rules: Code[] = [
        set('source', i32.and(g('self'), c(1))), // F_SOURCE
        // nothing around (and no flux of its own), or outside the study area: unchanged
        ...(() => {
          const skip: Code[] = [];
          if (!accretion) skip.push(i32.eqz(g('nbs')));
          if (masked) skip.push(i32.eqz(i32.load8_u(i32.add(g('bM'), g('cc')))));
          if (skip.length === 0) return [];
          const any = skip.length === 2 ? i32.or(skip[0]!, skip[1]!) : skip[0]!;
          return [if_(i32.and(i32.eqz(g('source')), any), [br(1)])];
        })(),
        set('delta', g('fc')),
        if_(nz(i32.and(g('nbs'), c(0xf))) /* M_SOURCE */, [
          // (r+1,c+1) (r+1,c) (r+1,c-1) (r,c+1) (r,c-1) (r-1,c+1) (r-1,c) (r-1,c-1)
          gather('ne', 'de'),
          gather('nc', 'dc'),
          gather('nw', 'dw'),
          gather('fe', 'east'),
          gather('fw', 'west'),
          given('pe', 'pfE', 16), // GIVE_DL of (r-1, c+1)
          given('pc', 'pfc', 17), // GIVE_D of (r-1, c)
          given('pw', 'pfw', 18), // GIVE_DR of (r-1, c-1)
        ]),
        if_(g('source'), [f64.store(i32.add(g('bA'), g('c8')), f64.add(g('a'), g('delta'))), br(1)]),
        set('u', i32.load16_s(i32.add(g('bU'), g('c2')))),
        set('uu', i32.and(g('u'), c(0xffff))),
        set('aNew', f64.add(g('a'), g('delta'))),
        set('uF', g('u')),
        set('wet', i32.load8_u(g('uu'), WET)),
        // FloodModel: a dry use next to a source and not above the sea level floods
        if_(i32.and(i32.and(nz(g('wet')), nz(i32.and(g('nbs'), c(0xf)))), f64.le(g('a'), g('nivelCmp'))), [
          set('uF', g('wet')),
          set('dFlooded', i32.add(g('dFlooded'), i32.sub(i32.load8_u(g('wet'), FLOODED), i32.load8_u(g('uu'), FLOODED)))),
          set('newly', i32.add(g('newly'), i32.eqz(i32.load8_u(g('uu'), INUND)))),
        ]),
        set('uNew', g('uF')),
        ...(mangrove
          ? [
              // MangroveModel: conditions on the snapshot, written over the post-flood state
              set('s', i32.load16_s(i32.add(g('bS'), g('c2')))),
              if_(i32.and(i32.or(i32.eq(g('u'), c(2)), i32.eq(g('u'), c(5))), f64.le(g('a'), g('ziCmp'))), [
                if_(i32.and(nz(i32.and(g('nbs'), c(0xf0))) /* M_SOIL */, i32.ne(g('s'), c(9))), [
                  i32.store16(i32.add(g('bS'), g('c2')), c(9)),
                  set('dSoil', i32.add(g('dSoil'), c(1))),
                ]),
                if_(i32.and(nz(i32.and(g('nbs'), c(0xf00))) /* M_USE */, i32.or(i32.eq(g('s'), c(3)), i32.eq(g('s'), c(9)))), [
                  set('uNew', c(8)),
                ]),
              ]),
              ...(accretion
                ? [
                    if_(i32.and(i32.or(i32.eq(g('s'), c(3)), i32.eq(g('s'), c(9))), i32.eqz(i32.load8_u(g('uu'), INUND))), [
                      set('aNew', f64.add(g('aNew'), g('taxaAc'))),
                    ]),
                  ]
                : []),
            ]
          : []),
        if_(i32.ne(g('uNew'), g('u')), [
          i32.store16(i32.add(g('bU'), g('c2')), g('uNew')),
          set(
            'dFinalFlooded',
            i32.add(g('dFinalFlooded'), i32.sub(i32.load8_u(i32.and(g('uNew'), c(0xffff)), FLOODED), i32.load8_u(g('uu'), FLOODED))),
          ),
          set('dMigrated', i32.add(g('dMigrated'), i32.sub(i32.eq(g('uNew'), c(8)), i32.eq(g('u'), c(8))))),
        ]),
        f64.store(i32.add(g('bA'), g('c8')), g('aNew')),
      ];
      const addDelta = (name: string, index: number): Code =>
        i32.store(c(0), i32.add(i32.load(c(0), DELTAS + 4 * index), g(name)), DELTAS + 4 * index);
      return [
        set('width', i32.add(g('cols'), c(2))),
        ...rowRange,
        block_([
          ...(accretion ? [] : [if_(i32.gt_s(g('c0'), g('c1')), [br(1)])]),
          // a cell that changes may gain a flag: keep the columns visited inside the row's next scan range
          if_(i32.lt_s(g('c0'), i32.load(rowLoAt)), [i32.store(rowLoAt, g('c0'))]),
          if_(i32.gt_s(g('c1'), i32.load(rowHiAt)), [i32.store(rowHiAt, g('c1'))]),
          set('mid', i32.mul(g('r'), g('cols'))),
          set('below', i32.lt_s(i32.add(g('r'), c(1)), g('rows'))),
          set('bA', i32.add(g('pA'), i32.shl(g('mid'), c(3)))),
          set('bD', i32.add(g('bA'), i32.shl(g('cols'), c(3)))),
          set('bU', i32.add(g('pU'), i32.shl(g('mid'), c(1)))),
          set('bS', i32.add(g('pS'), i32.shl(g('mid'), c(1)))),
          set('bM', i32.add(g('pM'), g('mid'))),
          set('bFP', i32.add(g('pFlags'), i32.shl(slot(-1), c(2)))),
          set('bFC', i32.add(g('pFlags'), i32.shl(slot(0), c(2)))),
          set('bFN', i32.add(g('pFlags'), i32.shl(slot(1), c(2)))),
          set('bXP', i32.add(g('pFlux'), i32.shl(slot(-1), c(3)))),
          set('bXC', i32.add(g('pFlux'), i32.shl(slot(0), c(3)))),
          set('bXN', i32.add(g('pFlux'), i32.shl(slot(1), c(3)))),
          set('left', i32.add(i32.add(at4('bFP', c0m1), at4('bFC', c0m1)), at4('bFN', c0m1))),
          set('center', i32.add(i32.add(at4('bFP', g('c0')), at4('bFC', g('c0'))), at4('bFN', g('c0')))),
          // start-of-step windows (see raster-kernel.ts row): off the grid any double, here the cell's own
          set('aC', at8('bA', g('c0'))),
          set('aW', select(at8('bA', c0m1), g('aC'), i32.gt_s(g('c0'), c(0)))),
          set('dC', select(at8('bD', g('c0')), g('aC'), g('below'))),
          set('dW', select(at8('bD', c0m1), g('aC'), i32.and(g('below'), i32.gt_s(g('c0'), c(0))))),
          set('fW', at8('bXC', c0m1)),
          set('fC', at8('bXC', g('c0'))),
          set('nW', at8('bXN', c0m1)),
          set('nC', at8('bXN', g('c0'))),
          set('pW', at8('bXP', c0m1)),
          set('pC', at8('bXP', g('c0'))),
          set('pfW', at4('bFP', c0m1)),
          set('pfC', at4('bFP', g('c0'))),
          set('cc', g('c0')),
          while_(i32.gt_s(g('cc'), g('c1')), [
            set('c8', i32.shl(g('cc'), c(3))),
            set('c2', i32.shl(g('cc'), c(1))),
            set('pfE', at4('bFP', g('cc'), 4)),
            set('right', i32.add(i32.add(g('pfE'), at4('bFC', g('cc'), 4)), at4('bFN', g('cc'), 4))),
            set('self', at4('bFC', g('cc'))),
            set('nbs', i32.sub(i32.add(i32.add(g('left'), g('center')), g('right')), g('self'))),
            set('left', g('center')),
            set('center', g('right')),
            set('inE', i32.lt_s(i32.add(g('cc'), c(1)), g('cols'))),
            set('a', g('aC')),
            set('west', g('aW')),
            set('east', select(f64.load(i32.add(g('bA'), g('c8')), 8), g('a'), g('inE'))),
            set('aW', g('a')),
            set('aC', g('east')),
            set('dw', g('dW')),
            set('dc', g('dC')),
            set('de', select(f64.load(i32.add(g('bD'), g('c8')), 8), g('a'), i32.and(g('below'), g('inE')))),
            set('dW', g('dc')),
            set('dC', g('de')),
            set('fw', g('fW')),
            set('fc', g('fC')),
            set('fe', f64.load(i32.add(g('bXC'), g('c8')), 8)),
            set('fW', g('fc')),
            set('fC', g('fe')),
            set('nw', g('nW')),
            set('nc', g('nC')),
            set('ne', f64.load(i32.add(g('bXN'), g('c8')), 8)),
            set('nW', g('nc')),
            set('nC', g('ne')),
            set('pw', g('pW')),
            set('pc', g('pC')),
            set('pe', f64.load(i32.add(g('bXP'), g('c8')), 8)),
            set('pW', g('pc')),
            set('pC', g('pe')),
            set('pfw', g('pfW')),
            set('pfc', g('pfC')),
            set('pfW', g('pfc')),
            set('pfC', g('pfE')),
            block_(rules),
            set('cc', i32.add(g('cc'), c(1))),
          ]),
          addDelta('dFlooded', 0),
          addDelta('newly', 1),
          addDelta('dFinalFlooded', 2),
          addDelta('dMigrated', 3),
          addDelta('dSoil', 4),
        ]),
      ];
    },
  };
}

/**
 * The reader's check of int16 codes already copied into uso (input.ts readThroughHalf), cells begin … end − 1: the
 * first cell (counted, with a mask) whose code is outside [lo, hi], or -1 — readCodesTogether's check for an int16
 * band (whose every value is its own int16 truncation).
 */
function codesFunction(masked: boolean): FunctionDef {
  return {
    name: `codes${+masked}`,
    params: params(['pU', 'pM', 'begin', 'end', 'lo', 'hi']),
    locals: params(['i', 'u']),
    result: 'i32',
    body: ({ get: g, set }) => [
      set('i', g('begin')),
      while_(i32.ge_s(g('i'), g('end')), [
        set('u', i32.load16_s(i32.add(g('pU'), i32.shl(g('i'), c(1))))),
        if_(
          i32.and(
            i32.or(i32.lt_s(g('u'), g('lo')), i32.gt_s(g('u'), g('hi'))),
            masked ? i32.ne(i32.load8_u(i32.add(g('pM'), g('i'))), c(0)) : c(1),
          ),
          [return_(g('i'))],
        ),
        set('i', i32.add(g('i'), c(1))),
      ]),
      c(-1),
    ],
  };
}

/**
 * The reader's row r (input.ts widenCounting, cell for cell): the float32 alt held in the upper half of
 * alt's bytes (at alt + 4n) widened into alt in ascending order (float64 cell i covers float32 cells
 * 2i − n and 2i − n + 1, read already), each checked against [aLo, aHi] and finite (a counted cell that
 * fails: its index, before its write, so its float32 is still there to name), and counted as
 * CoastalCensus.row counts it (flooded land, uso 8, solo 9, a -0; the row's first and last flagged
 * column into rowLo/rowHi[r]), the counts added to COUNTS. −1 when every cell passed.
 */
function widenFunction(masked: boolean, mangrove: boolean): FunctionDef {
  return {
    name: `widen${+masked}${+mangrove}`,
    params: { ...params(['r', 'cols', 'n', 'pA', 'pU', 'pS', 'pM', 'pRowLo', 'pRowHi']), aLo: 'f64', aHi: 'f64' },
    locals: {
      ...params(['i', 'begin', 'end', 'pH', 'u', 's', 'flagged', 'first', 'last', 'flooded', 'migrated', 'soil', 'negz']),
      a: 'f64',
    },
    result: 'i32',
    body: ({ get: g, set }) => {
      const count: Code[] = [
        set('u', i32.load16_u(i32.add(g('pU'), i32.shl(g('i'), c(1))))),
        set('flooded', i32.add(g('flooded'), i32.load8_u(g('u'), FLOODED))),
        set('migrated', i32.add(g('migrated'), i32.eq(g('u'), c(8)))),
        set('negz', i32.or(g('negz'), i32.and(f64.eq(g('a'), f64.const(0)), f64.lt(f64.copysign(f64.const(1), g('a')), f64.const(0))))),
        // USO_BITS bit 0 (sea/flooded, INUND_LUT) and alt ≥ 0: a source
        set('flagged', i32.and(i32.and(i32.load8_u(g('u'), INUND), c(1)), f64.ge(g('a'), f64.const(0)))),
        ...(mangrove
          ? [
              set('s', i32.load16_s(i32.add(g('pS'), i32.shl(g('i'), c(1))))),
              set('soil', i32.add(g('soil'), i32.eq(g('s'), c(9)))),
              // or solo 3, 9, 0, or a mangrove use (USO_BITS bit 1: uso 1 or 8)
              set(
                'flagged',
                i32.or(
                  i32.or(g('flagged'), i32.or(i32.eq(g('s'), c(3)), i32.eq(g('s'), c(9)))),
                  i32.or(i32.eqz(g('s')), i32.or(i32.eq(g('u'), c(1)), i32.eq(g('u'), c(8)))),
                ),
              ),
            ]
          : []),
        if_(g('flagged'), [
          set('first', select(i32.sub(g('i'), g('begin')), g('first'), i32.eq(g('first'), g('cols')))),
          set('last', i32.sub(g('i'), g('begin'))),
        ]),
      ];
      const counted = masked ? i32.ne(i32.load8_u(i32.add(g('pM'), g('i'))), c(0)) : c(1);
      const bad = i32.or(
        i32.eqz(i32.and(f64.ge(g('a'), g('aLo')), f64.le(g('a'), g('aHi')))),
        f64.ne(f64.sub(g('a'), g('a')), f64.const(0)), // a − a is 0 only when a is finite
      );
      const addCount = (name: string, index: number): Code =>
        i32.store(c(0), i32.add(i32.load(c(0), COUNTS + 4 * index), g(name)), COUNTS + 4 * index);
      return [
        set('begin', i32.mul(g('r'), g('cols'))),
        set('end', i32.add(g('begin'), g('cols'))),
        set('pH', i32.add(g('pA'), i32.shl(g('n'), c(2)))),
        set('first', g('cols')),
        set('last', c(-1)),
        set('i', g('begin')),
        while_(i32.ge_s(g('i'), g('end')), [
          set('a', f64.promote_f32(f32.load(i32.add(g('pH'), i32.shl(g('i'), c(2)))))),
          if_(i32.and(bad, counted), [return_(g('i'))]),
          f64.store(i32.add(g('pA'), i32.shl(g('i'), c(3))), g('a')),
          ...(masked ? [if_(counted, count)] : count),
          set('i', i32.add(g('i'), c(1))),
        ]),
        i32.store(i32.add(g('pRowLo'), i32.shl(g('r'), c(2))), g('first')),
        i32.store(i32.add(g('pRowHi'), i32.shl(g('r'), c(2))), g('last')),
        addCount('flooded', 0),
        addCount('migrated', 1),
        addCount('soil', 2),
        addCount('negz', 3),
        c(-1),
      ];
    },
  };
}

type ScanFn = (...args: number[]) => void;
type RowFn = (...args: number[]) => void;

export interface CoastalWasmOptions {
  mangrove: boolean;
  accretion: boolean;
  padLower: boolean;
  /** USO_BITS of raster-kernel.ts. */
  usoBits: Uint8Array;
  fluxOfLow: Float64Array;
}

// The engine whose memory holds each alt array made by CoastalWasm.create (see CoastalWasm.of).
const OWNER = new WeakMap<Float64Array, CoastalWasm>();

/**
 * The WebAssembly engine's memory and functions for one grid: views of its regions (the state arrays,
 * the rings, the row ranges) for CoastalRaster to use as its own, and the two passes bound to them.
 * A reader may make one first (`create`) and write the state straight into its views: a CoastalRaster
 * given exactly those arrays (`adopt`) steps them where they are, with no copy.
 */
export class CoastalWasm {
  readonly alt: Float64Array;
  readonly uso: Int16Array;
  readonly solo: Int16Array | null;
  readonly mask: Uint8Array | null;
  readonly flags: Uint32Array;
  readonly flux: Float64Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly wlo: Int32Array;
  readonly whi: Int32Array;
  readonly rowLo: Int32Array;
  readonly rowHi: Int32Array;
  /** dFlooded, newly, dFinalFlooded, dMigrated, dSoil: added to by every `row`. */
  readonly deltas: Int32Array;
  private scanFn: ScanFn | null = null;
  private rowFn: RowFn | null = null;
  private readonly L: CoastalLayout;
  private readonly memory: WasmMemory;
  private readonly buf: ArrayBufferLike;
  private pad = 0;
  private off = 0;

  /**
   * A memory for a rows × cols grid (with a solo and a mask array or not), its state arrays zero; null
   * when WebAssembly does not run here, the grid does not fit a 32-bit memory, or the host refuses one that large.
   */
  static create(rows: number, cols: number, solo: boolean, mask: boolean): CoastalWasm | null {
    const layout = coastalLayout(rows, cols, solo, mask);
    const pages = Math.ceil(layout.bytes / PAGE);
    if (pages > MAX_PAGES || wasmUnavailable() !== null) return null;
    let memory;
    try {
      memory = new (hostWasm() as WasmApi).Memory({ initial: pages });
    } catch {
      return null; // out of memory for a buffer that large
    }
    const engine = new CoastalWasm(rows, cols, solo, mask, layout, memory);
    OWNER.set(engine.alt, engine);
    return engine;
  }

  /** The engine whose state `alt` is (made by `create`), if any. */
  static of(alt: Float64Array): CoastalWasm | undefined {
    return OWNER.get(alt);
  }

  private constructor(rows: number, cols: number, solo: boolean, mask: boolean, layout: CoastalLayout, memory: WasmMemory) {
    this.memory = memory;
    const buf = (this.buf = memory.buffer);
    const n = rows * cols;
    const width = cols + 2;
    this.L = layout;
    this.alt = new Float64Array(buf, layout.alt, n);
    this.uso = new Int16Array(buf, layout.uso, n);
    this.solo = solo ? new Int16Array(buf, layout.solo, n) : null;
    this.mask = mask ? new Uint8Array(buf, layout.mask, n) : null;
    this.flags = new Uint32Array(buf, layout.flags, 3 * width);
    this.flux = new Float64Array(buf, layout.flux, 3 * width);
    this.lo = new Int32Array(buf, LO, 3);
    this.hi = new Int32Array(buf, HI, 3);
    this.wlo = new Int32Array(buf, WLO, 3);
    this.whi = new Int32Array(buf, WHI, 3);
    this.rowLo = new Int32Array(buf, layout.rowLo, rows);
    this.rowHi = new Int32Array(buf, layout.rowHi, rows);
    this.deltas = new Int32Array(buf, DELTAS, 5);
    new Uint8Array(buf, WET, 65536).set(WET_LUT);
    new Uint8Array(buf, FLOODED, 65536).set(FLOODED_LUT);
    new Uint8Array(buf, INUND, 65536).set(INUND_LUT);
  }

  /**
   * Binds the passes for a kernel's options; false when a kernel already steps this memory (its rings
   * and row ranges are that kernel's).
   */
  claim(o: CoastalWasmOptions): boolean {
    if (this.scanFn !== null) return false;
    new Float64Array(this.buf, FLUX_OF_LOW, 10).set(o.fluxOfLow);
    new Uint8Array(this.buf, BITS, 65536).set(o.usoBits);
    const masked = this.mask !== null;
    const mangrove = o.mangrove && this.solo !== null;
    // only this case's two functions: compiling all eight cases cost a command-line run tens of ms
    const key = `coastal-raster/${+masked}${+mangrove}${+o.accretion}`;
    const functions = (): FunctionDef[] => [scanFunction(masked, mangrove), rowFunction(masked, mangrove, o.accretion)];
    const ex = instantiateKernel<Record<string, ScanFn>>(key, functions, this.memory, false);
    this.scanFn = ex[`scan${+masked}${+mangrove}`]!;
    this.rowFn = ex[`row${+masked}${+mangrove}${+o.accretion}`]!;
    this.pad = o.padLower ? 1 : 0;
    this.off = o.padLower ? 0 : NaN;
    return true;
  }

  private reader: { codes: (...args: number[]) => number; widen: (...args: number[]) => number } | null = null;

  /** The reader's functions for this memory (mask or not, solo or not), compiled on first use. */
  private read(): { codes: (...args: number[]) => number; widen: (...args: number[]) => number } {
    if (this.reader === null) {
      const masked = this.mask !== null;
      const mangrove = this.solo !== null;
      const fns = (): FunctionDef[] => [codesFunction(masked), widenFunction(masked, mangrove)];
      const ex = instantiateKernel<Record<string, (...args: number[]) => number>>(
        `coastal-read/${+masked}${+mangrove}`,
        fns,
        this.memory,
        false,
      );
      this.reader = { codes: ex[`codes${+masked}`]!, widen: ex[`widen${+masked}${+mangrove}`]! };
      new Int32Array(this.buf, COUNTS, 4).fill(0);
    }
    return this.reader;
  }

  /** The first cell of uso (counted, with a mask) whose code is outside [lo, hi], or −1 (input.ts readThroughHalf). */
  firstCodeOutside(lo: number, hi: number): number {
    const L = this.L;
    const codes = this.read().codes;
    const n = this.alt.length;
    // in blocks: one call over the whole grid would run in the baseline compiler's code (V8 moves a WebAssembly
    // function to its optimised code between calls, never inside one); at 4000² that cost ~70 ms
    for (let begin = 0; begin < n; begin += CODES_BLOCK) {
      const bad = codes(L.uso, L.mask, begin, Math.min(n, begin + CODES_BLOCK), lo, hi);
      if (bad >= 0) return bad;
    }
    return -1;
  }

  /**
   * Row r of alt widened from the float32 values in the upper half of its bytes (rows in order, see
   * widenFunction), checked against [aLo, aHi], and counted: the first counted cell that fails, or −1.
   */
  widenRow(r: number, cols: number, aLo: number, aHi: number): number {
    const L = this.L;
    return this.read().widen(r, cols, this.alt.length, L.alt, L.uso, L.solo, L.mask, L.rowLo, L.rowHi, aLo, aHi);
  }

  /** What the widened rows counted (widenRow): flooded land, uso 8, solo 9, whether a counted cell held -0. */
  counted(): { flooded: number; migrated: number; soil: number; negativeZeros: boolean } {
    const k = new Int32Array(this.buf, COUNTS, 4);
    return { flooded: k[0]!, migrated: k[1]!, soil: k[2]!, negativeZeros: k[3] !== 0 };
  }

  /** Pass 1 over columns scanLo..scanHi (non-empty) of row r into ring slot `ring`; its range to lo/hi[ring]. */
  scan(r: number, ring: number, scanLo: number, scanHi: number, rows: number, cols: number): void {
    const L = this.L;
    this.scanFn!(r, ring, scanLo, scanHi, rows, cols, L.alt, L.uso, L.solo, L.mask, L.flags, L.flux, this.pad, this.off);
  }

  /** Pass 2 for row r; its metric deltas added to `deltas`. */
  row(r: number, rows: number, cols: number, nivelCmp: number, ziCmp: number, taxaAc: number): void {
    const L = this.L;
    this.rowFn!(r, rows, cols, L.alt, L.uso, L.solo, L.mask, L.flags, L.flux, L.rowLo, L.rowHi, nivelCmp, ziCmp, taxaAc);
  }
}
