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

/**
 * Set the bit of every cell whose value equals `value` (default: every non-zero cell). Each word is built
 * in a register from its 32 cells and stored once (no read-modify-write of the grid).
 */
export function packCells(cells: ArrayLike<number>, grid: BitGrid, value?: number): void {
  const { rows, cols, stride, words } = grid;
  if (cells instanceof Uint8Array && LITTLE_ENDIAN && cols % 4 === 0 && cells.byteOffset % 4 === 0) {
    packBytes(cells, grid, value);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const src = r * cols;
    const dst = r * stride;
    for (let w = 0; w < stride; w++) {
      const c0 = src + w * 32;
      const n = Math.min(32, cols - w * 32);
      let v = 0;
      if (value === undefined) for (let j = 0; j < n; j++) v |= (cells[c0 + j] !== 0 ? 1 : 0) << j;
      else for (let j = 0; j < n; j++) v |= (cells[c0 + j] === value ? 1 : 0) << j;
      words[dst + w] = v;
    }
  }
}

/**
 * packCells on bytes, 4 cells per uint32 read: a SWAR test sets the high bit of each byte that is non-zero
 * (or equals `value`), exactly, and one multiplication gathers the 4 high bits into a nibble.
 */
function packBytes(cells: Uint8Array, grid: BitGrid, value: number | undefined): void {
  const { rows, cols, stride, words } = grid;
  const in32 = new Uint32Array(cells.buffer, cells.byteOffset, cells.length >>> 2);
  const nonZero = value === undefined;
  const possible = nonZero || (value >= 0 && value <= 255 && Number.isInteger(value)); // else no byte equals it
  const match = possible && !nonZero ? Math.imul(value, 0x01010101) : 0;
  const quads = cols >>> 2;
  for (let r = 0; r < rows; r++) {
    const src = (r * cols) >>> 2;
    const dst = r * stride;
    for (let w = 0; w < stride; w++) {
      const q0 = w * 8;
      const n = Math.min(8, quads - q0);
      let v = 0;
      for (let k = 0; k < n; k++) {
        const x = in32[src + q0 + k];
        let high: number;
        if (nonZero)
          high = ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x; // high bit set where the byte is not 0
        else if (!possible) high = 0;
        else {
          const t = x ^ match;
          high = ~(((t & 0x7f7f7f7f) + 0x7f7f7f7f) | t); // high bit set where the byte equals value
        }
        v |= (Math.imul((high & 0x80808080) >>> 7, 0x01020408) >>> 24) << (k * 4);
      }
      words[dst + w] = v;
    }
  }
}

/** 8 cells per byte of a word: entry b holds the 8 bytes (as two little-endian uint32) of b's bits × weight. */
const unpackTables = new Map<number, Uint32Array>();
function unpackTable(weight: number): Uint32Array {
  let t = unpackTables.get(weight);
  if (!t) {
    t = new Uint32Array(512);
    const bytes = new Uint8Array(t.buffer);
    for (let b = 0; b < 256; b++) for (let j = 0; j < 8; j++) bytes[b * 8 + j] = ((b >>> j) & 1) * weight;
    unpackTables.set(weight, t);
  }
  return t;
}
/** Four byte-wise additions modulo 256 in one uint32 (no carry from one byte into the next), as Uint8Array stores wrap. */
const addBytes = (a: number, b: number): number => (((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080)) >>> 0;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Write each cell's bit × `weight` into `out` (or add it, with `add`), row-major. */
export function unpackCells(grid: BitGrid, out: Uint8Array, weight = 1, add = false): Uint8Array {
  const { rows, cols, stride, words } = grid;
  // Fast path: rows start on 4-byte boundaries, so 8 cells are two uint32 stores from a table.
  if (LITTLE_ENDIAN && cols % 4 === 0 && out.byteOffset % 4 === 0 && weight >= 0 && weight <= 255 && Number.isInteger(weight)) {
    const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2);
    const t = unpackTable(weight);
    const fullBytes = cols >>> 3;
    for (let r = 0; r < rows; r++) {
      const src = r * stride;
      let o = (r * cols) >>> 2;
      for (let k = 0; k < fullBytes; k++) {
        const b = ((words[src + (k >>> 2)] >>> ((k & 3) * 8)) & 0xff) * 2;
        if (add) {
          out32[o] = addBytes(out32[o], t[b]);
          out32[o + 1] = addBytes(out32[o + 1], t[b + 1]);
        } else {
          out32[o] = t[b];
          out32[o + 1] = t[b + 1];
        }
        o += 2;
      }
      for (let c = fullBytes * 8; c < cols; c++) {
        const bit = ((words[src + (c >>> 5)] >>> (c & 31)) & 1) * weight;
        const i = r * cols + c;
        out[i] = add ? out[i] + bit : bit;
      }
    }
    return out;
  }
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
