/**
 * x⁴ and x^(1/4) correctly rounded (the double nearest the exact value), for
 * models whose Python reference computes `x ** 4` and `x ** 0.25` with glibc's
 * `pow`, which rounds these correctly where V8's `Math.pow` / `**` can be one
 * ulp off (Daisyworld differs from step 2 on with `**`). Exact integer
 * arithmetic (BigInt) decides the rounding, so every host gives the same bits.
 */

const view = new DataView(new ArrayBuffer(8));

/** A positive finite double as m · 2^e with m an integer. */
function decompose(v: number): { m: bigint; e: number } {
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0 ? { m, e: -1074 } : { m: m | (1n << 52n), e: biased - 1075 };
}

/** The neighbouring double above (+1) or below (−1) a positive finite double. */
function neighbour(v: number, dir: 1 | -1): number {
  view.setFloat64(0, v);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(dir));
  return view.getFloat64(0);
}

/** Sign of A·2^a − B·2^b. */
function compare(A: bigint, a: number, B: bigint, b: number): number {
  const k = Math.min(a, b);
  const l = A << BigInt(a - k);
  const r = B << BigInt(b - k);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** ((u + v) / 2)⁴ exactly, as M · 2^E. */
function midpointToTheFourth(u: number, v: number): { M: bigint; E: number } {
  const du = decompose(u);
  const dv = decompose(v);
  const k = Math.min(du.e, dv.e);
  const sum = (du.m << BigInt(du.e - k)) + (dv.m << BigInt(dv.e - k));
  return { M: sum ** 4n, E: 4 * (k - 1) };
}

/** x⁴, correctly rounded (ties to even, as BigInt → Number conversion rounds). */
export function pow4(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x ** 4;
  const { m, e } = decompose(Math.abs(x));
  const scaled = Number(m ** 4n);
  // m⁴ is rounded once; the power-of-two factor is exact unless the result under- or overflows
  const out = scaled * 2 ** (4 * e);
  return Number.isFinite(out) && out >= 2 ** -1022 ? out : x ** 4;
}

/** x^(1/4) for x ≥ 0, correctly rounded: the double whose rounding interval holds the exact fourth root. */
export function root4(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.pow(x, 0.25);
  const dx = decompose(x);
  let y = Math.sqrt(Math.sqrt(x)); // within an ulp or two
  for (let tries = 0; tries < 8; tries++) {
    const below = midpointToTheFourth(neighbour(y, -1), y);
    if (compare(dx.m, dx.e, below.M, below.E) < 0) {
      y = neighbour(y, -1);
      continue;
    }
    const above = midpointToTheFourth(y, neighbour(y, 1));
    if (compare(dx.m, dx.e, above.M, above.E) > 0) {
      y = neighbour(y, 1);
      continue;
    }
    return y;
  }
  throw new Error(`root4(${x}) did not settle`);
}
