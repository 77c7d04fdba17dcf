/**
 * Bit-packed boolean grids: 32 cells per Uint32 word, rows padded to whole
 * words with the padding bits always 0 (so cells outside the grid read as 0).
 * Bit j of word w in a row holds column 32·w + j. Used by the bit-parallel
 * cellular automata kernels.
 */

export interface BitGrid {
  rows: number;
  cols: number;
  /** Words per row. */
  stride: number;
  words: Uint32Array;
}

export function createBitGrid(rows: number, cols: number): BitGrid {
  const stride = Math.ceil(cols / 32);
  return { rows, cols, stride, words: new Uint32Array(rows * stride) };
}

/** Set the bit of every cell whose value equals `value` (default: every non-zero cell). */
export function packCells(cells: ArrayLike<number>, grid: BitGrid, value?: number): void {
  const { rows, cols, stride, words } = grid;
  words.fill(0);
  for (let r = 0; r < rows; r++) {
    const src = r * cols;
    const dst = r * stride;
    for (let c = 0; c < cols; c++) {
      const v = cells[src + c];
      if (value === undefined ? v !== 0 : v === value) words[dst + (c >>> 5)] |= 1 << (c & 31);
    }
  }
}

/** Write each cell's bit × `weight` into `out` (or add it, with `add`), row-major. */
export function unpackCells(grid: BitGrid, out: Uint8Array, weight = 1, add = false): Uint8Array {
  const { rows, cols, stride, words } = grid;
  for (let r = 0; r < rows; r++) {
    const src = r * stride;
    const dst = r * cols;
    for (let c = 0; c < cols; c++) {
      const bit = ((words[src + (c >>> 5)] >>> (c & 31)) & 1) * weight;
      out[dst + c] = add ? out[dst + c] + bit : bit;
    }
  }
  return out;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function bitPopulation(grid: BitGrid): number {
  let n = 0;
  const w = grid.words;
  for (let i = 0; i < w.length; i++) n += popcount32(w[i]);
  return n;
}

/** Mask of the valid bits of a row's last word. */
export function lastWordMask(cols: number): number {
  return cols % 32 === 0 ? 0xffffffff : (1 << (cols % 32)) - 1;
}
