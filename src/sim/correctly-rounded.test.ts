import { describe, expect, it } from 'vitest';
import { pow4, root4 } from './correctly-rounded.ts';

/** The exact value of a double as a BigInt numerator over 2^1074 (positive, finite). */
function exact(v: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return biased === 0 ? frac : (frac | (1n << 52n)) << BigInt(biased - 1);
}

const next = (v: number, d: 1n | -1n) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  view.setBigUint64(0, view.getBigUint64(0) + d);
  return view.getFloat64(0);
};

describe('correctly rounded x⁴ and x^(1/4)', () => {
  it('exact cases are exact', () => {
    expect(root4(16)).toBe(2);
    expect(root4(81)).toBe(3);
    expect(root4(0.0625)).toBe(0.5);
    expect(root4(0)).toBe(0);
    expect(pow4(3)).toBe(81);
    expect(pow4(-0.5)).toBe(0.0625);
  });

  it('root4 is the double nearest the exact root: x lies between the fourth powers of the midpoints to its neighbours', () => {
    for (const x of [2, 3, 10, 1e-5, 7.308e9, 295.58763 ** 4, 1.2345e300, Math.PI]) {
      const y = root4(x);
      // exact(v) = v · 2^1074, so (exact(a) + exact(b))⁴ = 16 · mid⁴ · 2^(4·1074) and x · 2^(4·1074) = exact(x) · 2^(3·1074)
      const X = exact(x) * 2n ** (3n * 1074n);
      const lo = (exact(next(y, -1n)) + exact(y)) ** 4n;
      const hi = (exact(y) + exact(next(y, 1n))) ** 4n;
      const x16 = X * 16n; // (2·mid)^4 = 16·mid^4
      expect(lo <= x16 && x16 <= hi, String(x)).toBe(true);
    }
  });

  it('pow4 is the double nearest the exact power', () => {
    for (const x of [1.1, 269.8301816359519, 1e-3, 12345.678]) {
      const y = pow4(x);
      const e = exact(x) ** 4n; // on the scale 2^(-4·1074)
      const scale = 2n ** (3n * 1074n);
      // |y − x⁴| ≤ |neighbour − x⁴|, on the common scale
      const d = (v: number) => {
        const t = exact(v) * scale - e;
        return t < 0n ? -t : t;
      };
      expect(d(y) <= d(next(y, 1n)) && d(y) <= d(next(y, -1n)), String(x)).toBe(true);
    }
  });
});
