/**
 * The match search of zlib-deflate.ts (fflate's dflt main loop at level 6: hash chains, longest match,
 * the symbols and their frequencies) as WebAssembly, for ZlibEncoder. Same algorithm, same symbols:
 * the block writer (zlib-block-wasm.ts) then writes the same bytes. Why: a command-line run deflates
 * one file and exits, and the JavaScript loop spent much of that time unoptimised (the engine
 * optimises it only after a few strips); WebAssembly is compiled before it runs.
 *
 * The work buffers live in one memory (zlib-wasm-layout.ts). The loop returns when a block is due (1)
 * or the input is done (0), with its state in memory; after the block is written it is called again
 * with `resume` = 1 and carries on at the same byte, whose hash is already in the chains.
 */
import { block_, br, br_if, i32, i64, if_, loop_, return_, type Code, type FunctionDef } from '../sim/wasm/encoder.ts';
import { DAT, DF, FDEB, FLEB, HEAD, LF, PREV, REVFD, REVFL, ST_EB, ST_I, ST_LC, ST_LI, ST_WI, STATE, SYMS } from './zlib-wasm-layout.ts';

const c = i32.const;

/** fn scan(s, msk, bs1, bs2, resume) -> 0 (done) | 1 (a block is due at state i). */
export function scanFunction(): FunctionDef {
  return {
    name: 'scan',
    params: { s: 'i32', msk: 'i32', bs1: 'i32', bs2: 'i32', resume: 'i32' },
    locals: {
      i: 'i32',
      li: 'i32',
      wi: 'i32',
      lc: 'i32',
      eb: 'i32',
      hv: 'i32',
      imod: 'i32',
      pimod: 'i32',
      rem: 'i32',
      l: 'i32',
      d: 'i32',
      ch: 'i32',
      dif: 'i32',
      maxn: 'i32',
      maxd: 'i32',
      ml: 'i32',
      nl: 'i32',
      mmd: 'i32',
      md: 'i32',
      j: 'i32',
      ti: 'i32',
      cd: 'i32',
      t: 'i32',
      x: 'i32',
      w: 'i64',
    },
    result: 'i32',
    body: ({ get, set }) => {
      const dat = (at: Code): Code => i32.load8_u(at, DAT);
      const u16At = (base: number, index: Code): Code => i32.load16_u(i32.shl(index, c(1)), base);
      const inc16 = (base: number, index: Code): Code[] => [
        set('t', i32.shl(index, c(1))),
        i32.store16(get('t'), i32.add(i32.load16_u(get('t'), base), c(1)), base),
      ];
      const hash = (at: Code[]): Code =>
        i32.and(i32.xor(i32.xor(dat(at[0]), i32.shl(dat(at[1]), get('bs1'))), i32.shl(dat(at[2]), get('bs2'))), get('msk'));
      const plus = (a: Code, k: number): Code => (k ? i32.add(a, c(k)) : a);
      const min = (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, 0x48, 0x1b]; // select(a, b, a < b), a and b pure
      const state = (slot: number): Code => i32.load(c(STATE + 4 * slot));
      const save = (slot: number, name: string): Code => i32.store(c(STATE + 4 * slot), get(name));
      const saveAll: Code[] = [save(ST_I, 'i'), save(ST_LI, 'li'), save(ST_WI, 'wi'), save(ST_LC, 'lc'), save(ST_EB, 'eb')];
      const iMinusDif = i32.sub(get('i'), get('dif'));

      // The chain walk: longest match for byte i (fflate's inner while loop). Depths: 0 = this loop, 1 = its block.
      const chain = loop_([
        br_if(i32.gt_u(get('dif'), get('maxd')), 1),
        set('ch', i32.sub(get('ch'), c(1))),
        br_if(i32.eqz(get('ch')), 1),
        br_if(i32.eq(get('imod'), get('pimod')), 1),
        // if (dat[i + l] == dat[i + l - dif])  (depth +1)
        if_(i32.eq(dat(i32.add(get('i'), get('l'))), dat(i32.sub(i32.add(get('i'), get('l')), get('dif')))), [
          // nl = the common length, at most ml: 8 bytes a compare, the first differing byte from the
          // xor's trailing zeros (little-endian), bytes past the input (the zeroed guard) cut off by ml
          set('nl', c(0)),
          block_([
            loop_([
              br_if(i32.ge_u(get('nl'), get('ml')), 1),
              set('w', i64.xor(i64.load(i32.add(get('i'), get('nl')), DAT), i64.load(i32.add(iMinusDif, get('nl')), DAT))),
              if_(i64.eqz(get('w')), [set('nl', i32.add(get('nl'), c(8))), br(1)]),
              set('nl', i32.add(get('nl'), i32.wrap_i64(i64.shr_u(i64.ctz(get('w')), i64.const(3n))))),
            ]),
          ]),
          set('nl', min(get('nl'), get('ml'))),
          // if (nl > l)  (depth +2)
          if_(i32.gt_u(get('nl'), get('l')), [
            set('l', get('nl')),
            set('d', get('dif')),
            br_if(i32.gt_u(get('nl'), get('maxn')), 3),
            set('mmd', min(get('dif'), i32.sub(get('nl'), c(2)))),
            set('md', c(0)),
            set('j', c(0)),
            block_([
              loop_([
                br_if(i32.ge_u(get('j'), get('mmd')), 1),
                set('ti', i32.and(i32.add(iMinusDif, get('j')), c(32767))),
                set('cd', i32.and(i32.sub(get('ti'), u16At(PREV, get('ti'))), c(32767))),
                if_(i32.gt_u(get('cd'), get('md')), [set('md', get('cd')), set('pimod', get('ti'))]),
                set('j', i32.add(get('j'), c(1))),
                br(0),
              ]),
            ]),
          ]),
        ]),
        set('imod', get('pimod')),
        set('pimod', u16At(PREV, get('imod'))),
        set('dif', i32.add(get('dif'), i32.and(i32.sub(get('imod'), get('pimod')), c(32767)))),
        br(0),
      ]);

      const emitMatch: Code[] = [
        set('t', i32.load(i32.shl(get('l'), c(2)), REVFL)),
        set('x', i32.load(i32.shl(get('d'), c(2)), REVFD)),
        i32.store(i32.shl(get('li'), c(2)), i32.or(i32.or(c(268435456), i32.shl(get('t'), c(18))), get('x')), SYMS),
        set('li', i32.add(get('li'), c(1))),
        set('t', i32.and(get('t'), c(31))),
        set('x', i32.and(get('x'), c(31))),
        set('eb', i32.add(get('eb'), i32.add(i32.load8_u(get('t'), FLEB), i32.load8_u(get('x'), FDEB)))),
        ...inc16(LF, i32.add(get('t'), c(257))),
        ...inc16(DF, get('x')),
        set('wi', i32.add(get('i'), get('l'))),
        set('lc', i32.add(get('lc'), c(1))),
      ];
      const emitLiteral: Code[] = [
        set('x', dat(get('i'))),
        i32.store(i32.shl(get('li'), c(2)), get('x'), SYMS),
        set('li', i32.add(get('li'), c(1))),
        ...inc16(LF, get('x')),
      ];

      return [
        set('i', state(ST_I)),
        set('li', state(ST_LI)),
        set('wi', state(ST_WI)),
        set('lc', state(ST_LC)),
        set('eb', state(ST_EB)),
        block_([
          loop_([
            br_if(i32.ge_u(i32.add(get('i'), c(2)), get('s')), 1),
            set('hv', hash([get('i'), plus(get('i'), 1), plus(get('i'), 2)])),
            set('imod', i32.and(get('i'), c(32767))),
            if_(
              get('resume'),
              [set('pimod', u16At(PREV, get('imod'))), set('resume', c(0))],
              [
                set('pimod', u16At(HEAD, get('hv'))),
                i32.store16(i32.shl(get('imod'), c(1)), get('pimod'), PREV),
                i32.store16(i32.shl(get('hv'), c(1)), get('imod'), HEAD),
                // a block is due: (lc > 7000 || li > 24576) && rem > 423
                if_(
                  i32.and(
                    i32.le_u(get('wi'), get('i')),
                    i32.and(
                      i32.or(i32.gt_u(get('lc'), c(7000)), i32.gt_u(get('li'), c(24576))),
                      i32.gt_u(i32.sub(get('s'), get('i')), c(423)),
                    ),
                  ),
                  [...saveAll, return_(c(1))],
                ),
              ],
            ),
            if_(i32.le_u(get('wi'), get('i')), [
              set('rem', i32.sub(get('s'), get('i'))),
              set('l', c(2)),
              set('d', c(0)),
              set('ch', c(128)),
              set('dif', i32.and(i32.sub(get('imod'), get('pimod')), c(32767))),
              if_(i32.gt_u(get('rem'), c(2)), [
                if_(i32.eq(get('hv'), hash([iMinusDif, plus(iMinusDif, 1), plus(iMinusDif, 2)])), [
                  set('maxn', i32.sub(min(c(128), get('rem')), c(1))),
                  set('maxd', min(c(32767), get('i'))),
                  set('ml', min(c(258), get('rem'))),
                  block_([chain]),
                ]),
              ]),
              if_(get('d'), emitMatch, emitLiteral),
            ]),
            set('i', i32.add(get('i'), c(1))),
            br(0),
          ]),
        ]),
        ...saveAll,
        c(0),
      ];
    },
  };
}

/** fn adler(s) -> the Adler-32 of the input as zlib-deflate.ts's adler32 returns it (bytes swapped for the trailer). */
export function adlerFunction(): FunctionDef {
  return {
    name: 'adler',
    params: { s: 'i32' },
    locals: { n: 'i32', m: 'i32', i: 'i32', e: 'i32' },
    result: 'i32',
    body: ({ get, set }) => {
      const fold = (v: string): Code => set(v, i32.add(i32.and(get(v), c(65535)), i32.mul(c(15), i32.shr_u(get(v), c(16)))));
      return [
        set('n', c(1)),
        set('m', c(0)),
        set('i', c(0)),
        block_([
          loop_([
            br_if(i32.ge_u(get('i'), get('s')), 1),
            set('e', i32.add(get('i'), c(2655))),
            if_(i32.gt_u(get('e'), get('s')), [set('e', get('s'))]),
            block_([
              loop_([
                br_if(i32.ge_u(get('i'), get('e')), 1),
                set('n', i32.add(get('n'), i32.load8_u(get('i'), DAT))),
                set('m', i32.add(get('m'), get('n'))),
                set('i', i32.add(get('i'), c(1))),
                br(0),
              ]),
            ]),
            fold('n'),
            fold('m'),
            br(0),
          ]),
        ]),
        set('n', i32.rem_u(get('n'), c(65521))),
        set('m', i32.rem_u(get('m'), c(65521))),
        i32.or(
          i32.or(i32.shl(i32.and(get('n'), c(255)), c(24)), i32.shl(i32.and(get('n'), c(0xff00)), c(8))),
          i32.or(i32.shl(i32.and(get('m'), c(255)), c(8)), i32.shr_u(get('m'), c(8))),
        ),
      ];
    },
  };
}
