/**
 * packCells / unpackCells against the cell-by-cell definition, on every shape class their fast paths
 * distinguish: widths that are and are not multiples of 4, 8 and 32, byte arrays on and off a 4-byte
 * boundary, other typed arrays, `value` given or not (including values no byte can hold), and `add`
 * wrapping modulo 256 as a Uint8Array store does.
 */
import { describe, expect, it } from 'vitest';
import { bitPopulation, createBitGrid, packCells, unpackCells, type BitGrid } from './bitgrid.ts';

function referencePack(cells: ArrayLike<number>, rows: number, cols: number, value?: number): BitGrid {
  const g = createBitGrid(rows, cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = cells[r * cols + c];
      if (value === undefined ? v !== 0 : v === value) g.words[r * g.stride + (c >>> 5)] |= 1 << (c & 31);
    }
  return g;
}

function referenceUnpack(g: BitGrid, out: Uint8Array, weight: number, add: boolean): Uint8Array {
  for (let r = 0; r < g.rows; r++)
    for (let c = 0; c < g.cols; c++) {
      const bit = ((g.words[r * g.stride + (c >>> 5)] >>> (c & 31)) & 1) * weight;
      out[r * g.cols + c] = add ? out[r * g.cols + c] + bit : bit;
    }
  return out;
}

/** A deterministic generator of bytes (xorshift32). */
function bytes(n: number, seed: number, max = 256): Uint8Array {
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

const WIDTHS = [1, 3, 4, 7, 8, 12, 31, 32, 33, 36, 63, 64, 65, 68, 100, 132];

describe('packCells', () => {
  it('sets exactly the bits of the cell-by-cell definition, for every width and value, on and off a 4-byte boundary', () => {
    for (const cols of WIDTHS) {
      for (const rows of [1, 2, 5]) {
        for (const max of [2, 3, 256]) {
          const data = bytes(rows * cols + 1, cols * 31 + rows * 7 + max, max);
          const aligned = data.subarray(0, rows * cols);
          const shifted = data.subarray(1); // byteOffset 1: not on a 4-byte boundary
          for (const cells of [aligned, shifted, Int16Array.from(aligned), Float32Array.from(aligned)]) {
            for (const value of [undefined, 0, 1, 2, 255, 300, 1.5, -1]) {
              const got = createBitGrid(rows, cols);
              got.words.fill(0xdeadbeef); // every word is written, whatever it held
              packCells(cells, got, value);
              expect(got.words, `${rows}×${cols} ${cells.constructor.name} value ${value}`).toEqual(
                referencePack(cells, rows, cols, value).words,
              );
            }
          }
        }
      }
    }
  });

  it('reads NaN and -0 as the definition does (NaN is non-zero and equals nothing; -0 is 0)', () => {
    const cells = Float64Array.from([NaN, -0, 0, 1, NaN, 2, -0, 1]);
    const g = createBitGrid(1, 8);
    packCells(cells, g);
    expect(g.words[0]).toBe(0b10111001);
    packCells(cells, g, 0);
    expect(g.words[0]).toBe(0b01000110);
    expect(bitPopulation(g)).toBe(3);
  });
});

describe('unpackCells', () => {
  it('writes (or adds) bit × weight as the cell-by-cell definition, wrapping modulo 256 when adding', () => {
    for (const cols of WIDTHS) {
      for (const rows of [1, 3]) {
        const g = referencePack(bytes(rows * cols, cols + rows, 2), rows, cols);
        for (const weight of [1, 2, 3, 200, 255]) {
          for (const add of [false, true]) {
            for (const offset of [0, 1, 4]) {
              const base = bytes(rows * cols + offset, weight + cols, 256);
              const got = base.slice().subarray(offset);
              const want = base.slice().subarray(offset);
              unpackCells(g, got, weight, add);
              referenceUnpack(g, want, weight, add);
              expect(got, `${rows}×${cols} weight ${weight} add ${add} offset ${offset}`).toEqual(want);
            }
          }
        }
      }
    }
  });
});
