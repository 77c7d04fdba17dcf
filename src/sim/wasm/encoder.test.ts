/**
 * The encoder's f64 additions: their bytes against the WebAssembly Core Specification's opcodes and
 * immediates (5.4.5 numeric instructions, 5.4.6 memory instructions, 5.3.1 value types), and a module
 * using them compiled and run, so that a wrong byte fails twice over (by value and by the host's validator).
 */
import { describe, expect, it } from 'vitest';
import { encodeModule, f64, i32, type FunctionDef } from './encoder.ts';
import { hostWasm, type WasmApi } from './host.ts';

describe('f64 encoding', () => {
  it('f64.const writes the opcode then the value’s 8 IEEE bytes, little-endian, bit-exact', () => {
    expect(f64.const(1)).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(f64.const(-0)).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(f64.const(0.1)).toEqual([0x44, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f]);
    expect(f64.const(NaN)).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
  });

  it('loads and stores carry the alignment (log2 8 = 3) and the offset as LEB128', () => {
    expect(f64.load(i32.const(0))).toEqual([0x41, 0, 0x2b, 3, 0]);
    expect(f64.load(i32.const(0), 200)).toEqual([0x41, 0, 0x2b, 3, 0xc8, 0x01]);
    expect(f64.store(i32.const(8), f64.const(0))).toEqual([0x41, 8, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x39, 3, 0]);
  });

  it('the numeric operators follow their operands (stack order)', () => {
    const a = [0x20, 0];
    const b = [0x20, 1];
    const table: Array<[(...x: number[][]) => number[], number]> = [
      [f64.eq, 0x61],
      [f64.ne, 0x62],
      [f64.lt, 0x63],
      [f64.gt, 0x64],
      [f64.le, 0x65],
      [f64.ge, 0x66],
      [f64.add, 0xa0],
      [f64.sub, 0xa1],
      [f64.mul, 0xa2],
      [f64.div, 0xa3],
    ];
    for (const [fn, code] of table) expect(fn(a, b)).toEqual([0x20, 0, 0x20, 1, code]);
    expect(f64.convert_i32_s(a)).toEqual([0x20, 0, 0xb7]);
    expect(f64.convert_i32_u(a)).toEqual([0x20, 0, 0xb8]);
    expect(i32.load16_s(a, 2)).toEqual([0x20, 0, 0x2e, 1, 2]);
    expect([i32.lt_s, i32.gt_s, i32.le_s, i32.ge_s].map((fn) => fn(a, b).at(-1))).toEqual([0x48, 0x4a, 0x4c, 0x4e]);
  });

  it('f64 params, locals and results are value type 0x7c', () => {
    const fn: FunctionDef = { name: 'id', params: { x: 'f64' }, locals: { y: 'f64' }, result: 'f64', body: ({ get }) => [get('x')] };
    const bytes = [...encodeModule([fn], { shared: false })];
    // the type section: one function type (0x60) taking one f64 and returning one f64
    const at = bytes.indexOf(0x60);
    expect(bytes.slice(at, at + 5)).toEqual([0x60, 1, 0x7c, 1, 0x7c]);
    // the code body declares its one local as one f64
    expect(bytes.slice(-6)).toEqual([1, 1, 0x7c, 0x20, 0, 0x0b]);
  });
});

describe('f64 code runs with JavaScript’s IEEE arithmetic', () => {
  const wasm = hostWasm() as WasmApi;
  // fma-like chain (a + b · c) / d, written to memory at 8 and returned; and a ≤ b, a ≥ b as 0/1
  const chain: FunctionDef = {
    name: 'chain',
    params: { a: 'f64', b: 'f64', c: 'f64', d: 'f64' },
    locals: {},
    result: 'f64',
    body: ({ get }) => [
      f64.store(i32.const(8), f64.div(f64.add(get('a'), f64.mul(get('b'), get('c'))), get('d'))),
      f64.sub(f64.load(i32.const(0), 8), f64.const(0)),
    ],
  };
  const cmp: FunctionDef = {
    name: 'cmp',
    params: { a: 'f64', b: 'f64' },
    locals: {},
    result: 'i32',
    body: ({ get }) => [
      i32.or(
        i32.or(f64.le(get('a'), get('b')), i32.shl(f64.ge(get('a'), get('b')), i32.const(1))),
        i32.or(
          i32.shl(f64.eq(get('a'), get('b')), i32.const(2)),
          i32.or(i32.shl(f64.lt(get('a'), get('b')), i32.const(3)), i32.shl(f64.gt(get('a'), get('b')), i32.const(4))),
        ),
      ),
    ],
  };
  const conv: FunctionDef = {
    name: 'conv',
    params: { x: 'i32' },
    locals: {},
    result: 'f64',
    body: ({ get }) => [f64.add(f64.convert_i32_u(get('x')), f64.mul(f64.convert_i32_s(get('x')), f64.const(0.5)))],
  };
  const memory = new wasm.Memory({ initial: 1 }) as { buffer: ArrayBuffer };
  const instance = new wasm.Instance(new wasm.Module(encodeModule([chain, cmp, conv], { shared: false })), { env: { memory } });
  const ex = instance.exports as {
    chain(a: number, b: number, c: number, d: number): number;
    cmp(a: number, b: number): number;
    conv(x: number): number;
  };
  const bits = (x: number) => new Uint8Array(Float64Array.of(x).buffer).join(',');

  it('the same operations in the same order give the same bits', () => {
    const values = [0.1, 0.2, 0.3, 1 / 3, 7e-310, 1e308, -2.5, 0, -0];
    for (const a of values)
      for (const b of values)
        for (const d of [3, 0.7, -0]) {
          const got = ex.chain(a, b, 0.011, d);
          expect(bits(got)).toBe(bits((a + b * 0.011) / d));
          expect(bits(new Float64Array(memory.buffer, 8, 1)[0]!)).toBe(bits(got));
        }
  });

  it('comparisons are IEEE: NaN compares false, -0 equals +0', () => {
    const want = (a: number, b: number) => +(a <= b) | (+(a >= b) << 1) | (+(a === b) << 2) | (+(a < b) << 3) | (+(a > b) << 4);
    for (const [a, b] of [
      [1, 2],
      [2, 1],
      [1, 1],
      [NaN, 0],
      [0, NaN],
      [-0, 0],
      [-Infinity, 0],
    ] as const)
      expect(ex.cmp(a, b), `${a} vs ${b}`).toBe(want(a, b));
  });

  it('conversions read the i32 as unsigned or signed', () => {
    expect(ex.conv(3)).toBe(3 + 1.5);
    expect(ex.conv(-2)).toBe(4294967294 - 1);
  });
});
