/**
 * A tiny WebAssembly binary encoder: enough of the format (WebAssembly Core Specification 2.0,
 * chapter 5 "Binary Format") to write small kernels as typed instruction lists in TypeScript and
 * get the module's bytes at run time, so that no build step and no generated file exist.
 *
 * An expression is the bytes of its instructions in stack order; the helpers below nest them the
 * way the text format's folded form reads, e.g. `i64.xor(get('a'), get('b'))`. A function names
 * its parameters and locals (`fn`), and `get`/`set` refer to them by name. The module imports one
 * memory (`env.memory`), optionally shared, and exports its functions by name.
 */

export type ValType = 'i32' | 'i64' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b };

/** The bytes of some instructions (an expression leaves its value on the stack). */
export type Code = number[];

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${n} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of a bigint (i64 constants; i32 constants go through it too). */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** Signed LEB128 of a 32-bit integer: sleb's bytes, without BigInt (a kernel has hundreds of constants). */
export function sleb32(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

// --- instructions ---------------------------------------------------------------------------

/**
 * The codes one after another, then `bytes`: one array, each part appended by one push.apply (the kernels
 * nest expressions deeply, and spreads or flat() of many small arrays made encoding a module cost
 * milliseconds; so did a loop pushing byte by byte, in a command-line run's first, unoptimised calls,
 * where the builtin's own loop is already fast). A part too long to pass as arguments is pushed in a loop.
 */
function cat(parts: readonly Code[], ...bytes: number[]): Code {
  const out: number[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.length < 4096) Array.prototype.push.apply(out, p);
    else for (let i = 0; i < p.length; i++) out.push(p[i]!);
  }
  if (bytes.length) Array.prototype.push.apply(out, bytes);
  return out;
}

const op =
  (code: number) =>
  (...args: Code[]): Code =>
    cat(args, code);
/** Memory access: alignment as log2 bytes (a hint only), then the constant offset in bytes. */
const mem =
  (code: number, align: number) =>
  (addr: Code, offset = 0): Code =>
    cat([addr, [code], uleb(align), uleb(offset)]);
const store =
  (code: number, align: number) =>
  (addr: Code, value: Code, offset = 0): Code =>
    cat([addr, value, [code], uleb(align), uleb(offset)]);

export const i32 = {
  const: (v: number): Code => [0x41, ...sleb32(v | 0)],
  load: mem(0x28, 2),
  load8_u: mem(0x2d, 0),
  load16_s: mem(0x2e, 1),
  load16_u: mem(0x2f, 1),
  store: store(0x36, 2),
  store8: store(0x3a, 0),
  store16: store(0x3b, 1),
  eqz: op(0x45),
  eq: op(0x46),
  ne: op(0x47),
  lt_s: op(0x48),
  lt_u: op(0x49),
  gt_s: op(0x4a),
  gt_u: op(0x4b),
  le_s: op(0x4c),
  le_u: op(0x4d),
  ge_s: op(0x4e),
  ge_u: op(0x4f),
  add: op(0x6a),
  sub: op(0x6b),
  mul: op(0x6c),
  rem_u: op(0x70),
  and: op(0x71),
  or: op(0x72),
  xor: op(0x73),
  popcnt: op(0x69),
  shl: op(0x74),
  shr_s: op(0x75),
  shr_u: op(0x76),
  wrap_i64: op(0xa7),
};

/** i64.const's bytes for each value met (the kernels use a few constants many times; BigInt arithmetic is slow cold). */
const i64Consts = new Map<bigint, Code>();
function i64Const(v: bigint): Code {
  let c = i64Consts.get(v);
  if (c === undefined) i64Consts.set(v, (c = [0x42, ...sleb(BigInt.asIntN(64, v))]));
  return c;
}

export const i64 = {
  const: (v: bigint): Code => i64Const(v).slice(),
  load: mem(0x29, 3),
  store: store(0x37, 3),
  eqz: op(0x50),
  ctz: op(0x7a),
  popcnt: op(0x7b),
  add: op(0x7c),
  sub: op(0x7d),
  and: op(0x83),
  or: op(0x84),
  xor: op(0x85),
  shl: op(0x86),
  shr_u: op(0x88),
  extend_i32_u: op(0xad),
};

/** The IEEE 754 binary64 bytes of a constant, little-endian (the binary format's f64 immediate). */
function ieee64(v: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v, true);
  return [...new Uint8Array(view.buffer)];
}

/** 64-bit floats (IEEE 754 binary64, the same arithmetic as JavaScript numbers). */
export const f64 = {
  /** The constant's exact bits (NaN, -0 and infinities included). */
  const: (v: number): Code => [0x44, ...ieee64(v)],
  load: mem(0x2b, 3),
  store: store(0x39, 3),
  eq: op(0x61),
  ne: op(0x62),
  lt: op(0x63),
  gt: op(0x64),
  le: op(0x65),
  ge: op(0x66),
  add: op(0xa0),
  sub: op(0xa1),
  mul: op(0xa2),
  div: op(0xa3),
  convert_i32_s: op(0xb7),
  convert_i32_u: op(0xb8),
  copysign: op(0xa6),
  /** A float32 widened exactly. */
  promote_f32: op(0xbb),
};

/** 32-bit floats: loaded only (and widened with f64.promote_f32), as the readers of float32 bands need. */
export const f32 = {
  load: mem(0x2a, 2),
};

/** 128-bit SIMD (WebAssembly 2.0's fixed-width SIMD, prefix 0xfd): the few operations the byte ⇄ bit packers use. */
const simd =
  (code: number) =>
  (...args: Code[]): Code =>
    cat(args, 0xfd, ...uleb(code));
export const v128 = {
  load: (addr: Code, offset = 0): Code => cat([addr], 0xfd, ...uleb(0x00), ...uleb(0), ...uleb(offset)),
  store: (addr: Code, value: Code, offset = 0): Code => cat([addr, value], 0xfd, ...uleb(0x0b), ...uleb(0), ...uleb(offset)),
  /** 16 bytes, lane 0 first. */
  const: (bytes: readonly number[]): Code => {
    if (bytes.length !== 16) throw new RangeError('v128.const takes 16 bytes');
    return [0xfd, ...uleb(0x0c), ...bytes.map((b) => b & 0xff)];
  },
  and: simd(0x4e),
  or: simd(0x50),
  i8x16_swizzle: simd(0x0e),
  i8x16_splat: simd(0x0f),
  i32x4_splat: simd(0x11),
  i8x16_eq: simd(0x23),
  i8x16_bitmask: simd(0x64),
  i8x16_add: simd(0x6e),
  i8x16_max_u: simd(0x79),
};

/** `if` with no result; `otherwise` is the else branch. */
export const if_ = (cond: Code, then: Code[], otherwise: Code[] = []): Code =>
  cat([cond, [0x04, 0x40], ...then, ...(otherwise.length ? [[0x05], ...otherwise] : [])], 0x0b);
/**
 * `block { loop { br_if 1 (exit); body; br 0 } }`: a while loop; `exit` is evaluated first on each
 * turn and leaves the loop when non-zero.
 */
export const while_ = (exit: Code, body: Code[]): Code => cat([[0x02, 0x40, 0x03, 0x40], exit, [0x0d, 1], ...body], 0x0c, 0, 0x0b, 0x0b);
/** `block { body }`: `br(0)` inside it (outside any nested block) leaves it. */
export const block_ = (body: Code[]): Code => cat([[0x02, 0x40], ...body], 0x0b);
/** `loop { body }`: `br(0)` inside it (outside any nested block) goes back to its start; falling off the end leaves it. */
export const loop_ = (body: Code[]): Code => cat([[0x03, 0x40], ...body], 0x0b);
/** Branch to the `depth`-th enclosing block, loop or if (0 = the innermost). */
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
/** Branch to the `depth`-th enclosing block, loop or if when `cond` is non-zero. */
export const br_if = (cond: Code, depth: number): Code => cat([cond], 0x0d, ...uleb(depth));
/** Return from the function with `value` (a function with a result). */
export const return_ = (value: Code): Code => cat([value], 0x0f);
/**
 * Call the module's `index`-th function (its place in encodeModule's list) with `args`, left to right;
 * its result, if any, is left on the stack.
 */
export const call = (index: number, ...args: Code[]): Code => cat(args, 0x10, ...uleb(index));
/** `select`: a if cond is non-zero, else b (both evaluated). */
export const select = (a: Code, b: Code, cond: Code): Code => cat([a, b, cond], 0x1b);

// --- functions and modules ------------------------------------------------------------------

// (with cat, not spreads or flat(): a module's code section is thousands of bytes, and flat() and
// spreads of it cost a command-line run, which encodes its modules once in code not yet optimised,
// tens of milliseconds)
const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));
const name = (s: string): number[] => cat([uleb(utf8(s).length), utf8(s)]);
const vec = (items: number[][]): number[] => cat([uleb(items.length), ...items]);
const section = (id: number, body: number[]): number[] => cat([[id], uleb(body.length), body]);

export interface FunctionDef {
  name: string;
  params: Record<string, ValType>;
  locals: Record<string, ValType>;
  result?: ValType;
  /** The body, built with the function's own `get`/`set`/`tee`. */
  body: (v: Vars) => Code[];
}

export interface Vars {
  get(local: string): Code;
  set(local: string, value: Code): Code;
  tee(local: string, value: Code): Code;
}

function encodeFunction(f: FunctionDef): { type: number[]; code: number[] } {
  const names = [...Object.keys(f.params), ...Object.keys(f.locals)];
  const indices = new Map(names.map((n, i) => [n, uleb(i)]));
  const index = (n: string): number[] => {
    const i = indices.get(n);
    if (i === undefined) throw new Error(`${f.name}: no local ${n}`);
    return i;
  };
  // Each local's get, set and tee bytes, made once (a kernel names its locals hundreds of times).
  const ops = new Map<string, [Code, Code, Code]>();
  const opsOf = (n: string): [Code, Code, Code] => {
    let o = ops.get(n);
    if (o === undefined) {
      const i = index(n);
      ops.set(
        n,
        (o = [
          [0x20, ...i],
          [0x21, ...i],
          [0x22, ...i],
        ]),
      );
    }
    return o;
  };
  const vars: Vars = {
    get: (n) => opsOf(n)[0].slice(),
    set: (n, v) => cat([v, opsOf(n)[1]]),
    tee: (n, v) => cat([v, opsOf(n)[2]]),
  };
  const body = cat(f.body(vars));
  const locals = Object.values(f.locals).map((t) => [1, VALTYPE[t]]);
  const code = cat([vec(locals), body], 0x0b);
  const type = cat([[0x60], vec(Object.values(f.params).map((t) => [VALTYPE[t]])), vec(f.result ? [[VALTYPE[f.result]]] : [])]);
  return { type, code: cat([uleb(code.length), code]) };
}

/**
 * A module importing `env.memory` (at least one 64 KiB page; `shared` memories need a maximum, so
 * they declare 65536 pages, the 32-bit limit) and exporting each function under its name.
 */
export function encodeModule(functions: FunctionDef[], opts: { shared: boolean }): Uint8Array<ArrayBuffer> {
  const fns = functions.map(encodeFunction);
  const limits = opts.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const bytes = cat([
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(fns.map((f) => f.type))),
    section(2, vec([cat([name('env'), name('memory'), [0x02], limits])])),
    section(3, vec(fns.map((_, i) => uleb(i)))),
    section(7, vec(functions.map((f, i) => cat([name(f.name), [0x00], uleb(i)])))),
    section(10, vec(fns.map((f) => f.code))),
  ]);
  return new Uint8Array(bytes);
}
