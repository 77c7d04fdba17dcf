/**
 * packPlanes / unpackPlanes against the cell-by-cell definition (plane p holds the cells equal to
 * values[p], counts[p] is their number; unpacking writes Σ weights[p] × bit, modulo 256), on the shapes
 * their fast paths distinguish: widths that are and are not multiples of 4, 8 and 32, byte arrays on and
 * off a 4-byte boundary, one and two planes, overlapping planes and weights whose sum passes 255.
 */
import { describe, expect, it } from 'vitest';
import { packPlanes, unpackPlanes } from './bit-planes.ts';
import { createBitGrid, type BitGrid } from './bitgrid.ts';

/** A deterministic generator of small states (xorshift32). */
function states(n: number, seed: number, max: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % max;
  }
  return out;
}

const bit = (g: BitGrid, r: number, c: number) => (g.words[r * g.stride + (c >>> 5)] >>> (c & 31)) & 1;

const SHAPES: Array<[number, number]> = [
  [1, 1],
  [3, 4],
  [5, 8],
  [7, 31],
  [4, 32],
  [9, 36],
  [6, 64],
  [11, 100],
  [2, 257],
];

describe('packPlanes', () => {
  for (const [rows, cols] of SHAPES) {
    for (const offset of [0, 1]) {
      it(`${rows} × ${cols}, ${offset ? 'off' : 'on'} a 4-byte boundary: each plane is its value's cells, counted`, () => {
        const cells = states(rows * cols + offset, rows * 31 + cols, 4).subarray(offset);
        const planes = [createBitGrid(rows, cols), createBitGrid(rows, cols), createBitGrid(rows, cols)];
        const values = [1, 2, 3];
        const counts = new Int32Array(3);
        packPlanes(cells, planes, values, counts);
        values.forEach((v, p) => {
          let n = 0;
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < cols; c++) {
              const want = cells[r * cols + c] === v ? 1 : 0;
              n += want;
              expect(bit(planes[p], r, c)).toBe(want);
            }
          expect(counts[p]).toBe(n);
        });
        // the padding bits past the last column stay 0 (cells outside the grid read as 0)
        for (const g of planes) for (let r = 0; r < rows; r++) for (let c = cols; c < g.stride * 32; c++) expect(bit(g, r, c)).toBe(0);
      });
    }
  }

  it('refuses planes of another grid', () => {
    expect(() => packPlanes(new Uint8Array(16), [createBitGrid(4, 4), createBitGrid(4, 8)], [1, 2], new Int32Array(2))).toThrow(RangeError);
    expect(() => packPlanes(new Uint8Array(15), [createBitGrid(4, 4)], [1], new Int32Array(1))).toThrow(RangeError);
  });
});

describe('unpackPlanes', () => {
  const cases: Array<{ weights: number[]; overlap: boolean }> = [
    { weights: [1], overlap: false },
    { weights: [1, 2], overlap: false },
    { weights: [3, 5], overlap: true },
    { weights: [200, 100], overlap: true }, // byte sums pass 255: they wrap as Uint8Array stores do
    { weights: [1, 2, 4], overlap: true },
  ];
  for (const [rows, cols] of SHAPES) {
    for (const { weights, overlap } of cases) {
      for (const offset of [0, 1]) {
        it(`${rows} × ${cols}, weights ${weights.join('+')}${offset ? ', off a 4-byte boundary' : ''}: Σ weight × bit per cell`, () => {
          const planes = weights.map((_, p) => {
            const g = createBitGrid(rows, cols);
            const cells = states(rows * cols, 7 + p * 13 + cols, 2);
            for (let r = 0; r < rows; r++)
              for (let c = 0; c < cols; c++) if (cells[r * cols + c]) g.words[r * g.stride + (c >>> 5)] |= 1 << (c & 31);
            return g;
          });
          if (!overlap) {
            // disjoint planes, as a state's planes are: drop from plane p the cells of earlier planes
            for (let p = 1; p < planes.length; p++)
              for (let i = 0; i < planes[p].words.length; i++) for (let q = 0; q < p; q++) planes[p].words[i] &= ~planes[q].words[i];
          }
          const out = new Uint8Array(rows * cols + offset).fill(77).subarray(offset);
          unpackPlanes(planes, weights, out);
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < cols; c++) {
              const want = weights.reduce((s, w, p) => s + w * bit(planes[p], r, c), 0) & 0xff;
              expect(out[r * cols + c]).toBe(want);
            }
        });
      }
    }
  }

  it('round-trips a state grid through its planes', () => {
    const cells = states(13 * 40, 99, 3);
    const planes = [createBitGrid(13, 40), createBitGrid(13, 40)];
    packPlanes(cells, planes, [1, 2], new Int32Array(2));
    expect(Array.from(unpackPlanes(planes, [1, 2], new Uint8Array(13 * 40)))).toEqual(Array.from(cells));
  });
});
