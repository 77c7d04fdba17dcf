import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centredOnZero, percentiles, selectKth, validValues } from './stretch.ts';

describe('percentiles (numpy.percentile, linear)', () => {
  it('gives the values numpy 2.4 gives, nodata, NaN and ±Infinity left out', () => {
    // np.percentile([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [2, 98, 50, 25, 0, 100])
    const band = new Float32Array([3, 1, 4, 1, 5, 9, 2, 6, -9999, 5, 3, NaN, 5, Infinity]);
    expect(percentiles([band], -9999, [2, 98, 50, 25, 0, 100])).toEqual([1, 8.400000000000002, 4, 2.5, 1, 9]);
    // np.percentile([-2.5, 0.25, 7.0, 1e3], [2, 98]) = [-2.335, 940.42]
    const [lo, hi] = percentiles(
      [
        [-2.5, 0.25],
        [null, 7, 1e3],
      ],
      null,
      [2, 98],
    )!;
    expect(lo).toBeCloseTo(-2.335, 12);
    expect(hi).toBeCloseTo(940.42, 10);
  });
  it('counts every array (all frames of a run) as one set of values', () => {
    expect(percentiles([[0, 1], [2, 3], [4]], null, [50])).toEqual([2]);
  });
  it('is null without a valid value, and refuses a percentile outside 0..100', () => {
    expect(percentiles([[NaN, -1]], -1, [2, 98])).toBeNull();
    expect(() => percentiles([[1]], null, [101])).toThrow(/percentile 101 is not within 0..100/);
  });
  it('agrees with sorting, on any values (duplicates included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (xs, p) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const rank = (p / 100) * (xs.length - 1);
          const a = sorted[Math.floor(rank)];
          const b = sorted[Math.min(xs.length - 1, Math.floor(rank) + 1)];
          const got = percentiles([xs], null, [p])![0];
          expect(got).toBeGreaterThanOrEqual(Math.min(a, b));
          expect(got).toBeLessThanOrEqual(Math.max(a, b));
          expect(got).toBeCloseTo(a + (b - a) * (rank - Math.floor(rank)), 9);
        },
      ),
    );
  });
});

describe('selectKth', () => {
  it('finds the k-th smallest value as a sort does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0),
          { minLength: 1, maxLength: 200 },
        ),
        fc.nat(),
        (xs, k0) => {
          const k = k0 % xs.length;
          const sorted = [...xs].sort((a, b) => a - b);
          expect(selectKth(Float64Array.from(xs), k)).toBe(sorted[k]);
        },
      ),
    );
  });
});

describe('validValues', () => {
  it('keeps the finite values that are not nodata', () => {
    expect([...validValues([new Int16Array([5, -1, 7]), [null, NaN, 2]], -1)]).toEqual([5, 7, 2]);
  });
});

describe('centredOnZero', () => {
  it('makes a range that spans 0 symmetric, and leaves a one-signed range alone', () => {
    expect(centredOnZero(-2, 5)).toEqual({ min: -5, max: 5 });
    expect(centredOnZero(-8, 1)).toEqual({ min: -8, max: 8 });
    expect(centredOnZero(1, 5)).toEqual({ min: 1, max: 5 });
  });
});

describe('percentiles of several ranks at once', () => {
  it('gives each rank what it gives alone, in any order asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (xs, ps) => {
          const together = percentiles([xs], null, ps)!;
          ps.forEach((p, i) => expect(together[i]).toBe(percentiles([xs], null, [p])![0]));
        },
      ),
    );
  });
});

describe('percentiles of small-integer bands (counted, not selected)', () => {
  it('are those of the same values as plain numbers, nodata left out, over several arrays', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.constantFrom(null, 0, 7, -3),
        (xs, ys, p, nodata) => {
          const want = percentiles([[...xs], [...ys]], nodata, [p, 2, 98]);
          expect(percentiles([Int16Array.from(xs), Int16Array.from(ys)], nodata, [p, 2, 98])).toEqual(want);
        },
      ),
    );
  });
  it('read unsigned 8- and 16-bit bands (a 255 nodata) and give null when every cell is nodata', () => {
    const u8 = new Uint8Array([3, 1, 4, 1, 5, 9, 2, 6, 255, 5, 3, 5]);
    expect(percentiles([u8], 255, [2, 98, 50])).toEqual(percentiles([[...u8]], 255, [2, 98, 50]));
    const u16 = new Uint16Array([65535, 40000, 2, 40000]);
    expect(percentiles([u16], null, [25, 75])).toEqual(percentiles([[...u16]], null, [25, 75]));
    expect(percentiles([new Uint8Array([9, 9])], 9, [2, 98])).toBeNull();
  });
});
