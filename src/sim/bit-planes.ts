/**
 * A byte grid of small states and its bit planes (BitGrid, src/sim/bitgrid.ts), in one pass each way:
 * `packPlanes` sets plane p's bit where a cell equals values[p] and counts each plane's bits as it goes
 * (the counts a bit-parallel model reports, without a second pass over the planes); `unpackPlanes`
 * writes Σ weights[p] × bit_p for every cell (the states back as bytes, e.g. burning × 1 + burned × 2).
 * The same results as packCells + bitPopulation per plane and unpackCells with `add` per plane, which
 * read or write the whole byte grid once per plane.
 */
import { packCells, popcount32, unpackCells, type BitGrid } from './bitgrid.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function checkPlanes(cells: Uint8Array, planes: readonly BitGrid[], n: number): void {
  if (planes.length === 0 || planes.length !== n) throw new RangeError(`${planes.length} planes for ${n} values or weights.`);
  const { rows, cols, stride } = planes[0];
  for (const g of planes) {
    if (g.rows !== rows || g.cols !== cols || g.stride !== stride) throw new RangeError('the planes are not of one grid');
  }
  if (cells.length !== rows * cols) throw new RangeError(`${cells.length} cells for a ${rows} × ${cols} grid.`);
}

/** Plane p gets the cells equal to values[p]; counts[p] = how many there are. */
export function packPlanes(cells: Uint8Array, planes: readonly BitGrid[], values: readonly number[], counts: Int32Array): void {
  checkPlanes(cells, planes, values.length);
  const { rows, cols, stride } = planes[0];
  const bytes = values.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
  if (!(LITTLE_ENDIAN && bytes && cols % 4 === 0 && cells.byteOffset % 4 === 0)) {
    planes.forEach((g, p) => {
      packCells(cells, g, values[p]);
      let n = 0;
      for (let i = 0; i < g.words.length; i++) n += popcount32(g.words[i]);
      counts[p] = n;
    });
    return;
  }
  if (planes.length > 2) {
    planes.forEach((g, p) => packPlanes(cells, [g], [values[p]], counts.subarray(p, p + 1)));
    return;
  }
  // 4 cells per uint32 read: a SWAR test sets the high bit of each byte equal to the value, exactly,
  // and one multiplication gathers the 4 high bits into a nibble (as packCells does for one plane).
  const in32 = new Uint32Array(cells.buffer, cells.byteOffset, cells.length >>> 2);
  const two = planes.length === 2;
  const a = planes[0].words;
  const b = two ? planes[1].words : a;
  const ma = Math.imul(values[0], 0x01010101);
  const mb = two ? Math.imul(values[1], 0x01010101) : ma;
  let na = 0;
  let nb = 0;
  const quads = cols >>> 2;
  for (let r = 0; r < rows; r++) {
    const src = (r * cols) >>> 2;
    const dst = r * stride;
    for (let w = 0; w < stride; w++) {
      const q0 = src + w * 8;
      const m = Math.min(8, quads - w * 8);
      let va = 0;
      let vb = 0;
      for (let k = 0; k < m; k++) {
        const x = in32[q0 + k];
        const ta = x ^ ma;
        const ha = ~(((ta & 0x7f7f7f7f) + 0x7f7f7f7f) | ta) & 0x80808080; // high bit set where the byte equals values[0]
        va |= (Math.imul(ha >>> 7, 0x01020408) >>> 24) << (k * 4);
        if (two) {
          const tb = x ^ mb;
          const hb = ~(((tb & 0x7f7f7f7f) + 0x7f7f7f7f) | tb) & 0x80808080;
          vb |= (Math.imul(hb >>> 7, 0x01020408) >>> 24) << (k * 4);
        }
      }
      a[dst + w] = va;
      if (va !== 0) na += popcount32(va);
      if (two) {
        b[dst + w] = vb;
        if (vb !== 0) nb += popcount32(vb);
      }
    }
  }
  counts[0] = na;
  if (two) counts[1] = nb;
}

/** 8 cells per byte of a word: entry 2b, 2b + 1 hold the 8 bytes (two little-endian uint32) of b's bits × weight. */
const tables = new Map<number, Uint32Array>();
function table(weight: number): Uint32Array {
  let t = tables.get(weight);
  if (!t) {
    t = new Uint32Array(512);
    const bytes = new Uint8Array(t.buffer);
    for (let b = 0; b < 256; b++) for (let j = 0; j < 8; j++) bytes[b * 8 + j] = ((b >>> j) & 1) * weight;
    tables.set(weight, t);
  }
  return t;
}

/** out[i] = Σ_p weights[p] × (bit i of plane p), row-major (bytes, modulo 256 as Uint8Array stores); returns out. */
export function unpackPlanes(planes: readonly BitGrid[], weights: readonly number[], out: Uint8Array): Uint8Array {
  checkPlanes(out, planes, weights.length);
  const { rows, cols, stride } = planes[0];
  const sum = weights.reduce((s, w) => s + w, 0);
  const small = weights.every((w) => Number.isInteger(w) && w >= 0) && sum <= 255; // byte sums never carry
  if (!(LITTLE_ENDIAN && small && planes.length <= 2 && cols % 4 === 0 && out.byteOffset % 4 === 0)) {
    planes.forEach((g, p) => unpackCells(g, out, weights[p], p > 0));
    return out;
  }
  const out32 = new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2);
  const a = planes[0].words;
  const ta = table(weights[0]);
  const two = planes.length === 2;
  const b = two ? planes[1].words : a;
  const tb = two ? table(weights[1]) : ta;
  const fullBytes = cols >>> 3;
  for (let r = 0; r < rows; r++) {
    const src = r * stride;
    let o = (r * cols) >>> 2;
    for (let k = 0; k < fullBytes; k++) {
      const w = src + (k >>> 2);
      const shift = (k & 3) * 8;
      const ia = ((a[w] >>> shift) & 0xff) * 2;
      if (two) {
        const ib = ((b[w] >>> shift) & 0xff) * 2;
        out32[o] = ta[ia] + tb[ib];
        out32[o + 1] = ta[ia + 1] + tb[ib + 1];
      } else {
        out32[o] = ta[ia];
        out32[o + 1] = ta[ia + 1];
      }
      o += 2;
    }
    for (let c = fullBytes * 8; c < cols; c++) {
      const w = src + (c >>> 5);
      const bit = c & 31;
      out[r * cols + c] = ((a[w] >>> bit) & 1) * weights[0] + (two ? ((b[w] >>> bit) & 1) * weights[1] : 0);
    }
  }
  return out;
}
