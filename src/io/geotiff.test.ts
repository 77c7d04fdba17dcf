import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { DissError, FormatError, LimitError } from '../executor/errors.ts';
import { readGeoTiff } from './geotiff-read.ts';
import { resultDType, rowsPerStripFor, writeGeoTiff } from './geotiff-write.ts';
import { sha256Hex } from './sha256.ts';
import { DTYPE_BYTES, allocate } from '../sim/dataset.ts';
import type { DType, GeoTransform, RasterBand, RasterDataset, TypedArray } from '../sim/dataset.ts';

const COAST = new URL('../../tests/reference/inputs/coast_10x14.tif', import.meta.url);
const ILHA = new URL('../../public/samples/ilha_maranhao_epsg31983.tif', import.meta.url);
const REFERENCE_JSON = new URL('../../tests/reference/brmangue_flood_mangrove.json', import.meta.url);

const ALL_DTYPES: DType[] = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'];

// ---------------------------------------------------------------------------
// helpers

/** Interesting values for a dtype: extremes, negatives, NaN/±Inf, 1/3 … then a pattern. */
function specials(d: DType): number[] {
  switch (d) {
    case 'uint8':
      return [0, 1, 127, 128, 254, 255];
    case 'int8':
      return [-128, -1, 0, 1, 127, -100];
    case 'uint16':
      return [0, 1, 255, 256, 65534, 65535];
    case 'int16':
      return [-32768, -1, 0, 1, 32767, -9999];
    case 'uint32':
      return [0, 1, 65536, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1];
    case 'int32':
      return [-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, -123456789];
    case 'float32':
      return [NaN, Infinity, -Infinity, -0, Math.fround(1 / 3), 3.4028234663852886e38, -1.5, 1e-45];
    case 'float64':
      return [NaN, Infinity, -Infinity, -0, 1 / 3, Number.MAX_VALUE, -Number.MIN_VALUE, Math.PI];
  }
}

function fillBand(d: DType, n: number, seed: number): TypedArray {
  const a = allocate(d, n);
  const sp = specials(d);
  for (let i = 0; i < n; i++) {
    if (i < sp.length) a[i] = sp[i];
    else if (d === 'float32' || d === 'float64') a[i] = Math.sin(i * 0.37 + seed) * 1000 - 7.25;
    else a[i] = (i * 2654435761 + seed * 97) % 1000003;
  }
  return a;
}

function dataset(width: number, height: number, bands: RasterBand[], extra: Partial<RasterDataset> = {}): RasterDataset {
  return { kind: 'raster', width, height, bands, transform: null, epsg: null, ...extra };
}

function band(name: string, data: TypedArray, dtype: DType, nodata: number | null = null): RasterBand {
  return { name, dtype, data, nodata };
}

/** Bitwise equality of two typed arrays (NaN-safe, distinguishes -0). */
function sameBits(a: TypedArray, b: TypedArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

function fileBytes(path: string | URL): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

async function expectError(p: Promise<unknown>, cls: typeof FormatError | typeof LimitError, re?: RegExp): Promise<Error> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an error').toBeInstanceOf(cls);
  if (re) expect((err as Error).message).toMatch(re);
  return err as Error;
}

/** Minimal classic-TIFF IFD reader for checking what the writer produced. */
function ifdEntries(bytes: Uint8Array): Map<number, { type: number; count: number; values: number[] }> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  const out = new Map<number, { type: number; count: number; values: number[] }>();
  const size: Record<number, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };
  for (let k = 0; k < n; k++) {
    const p = ifd + 2 + k * 12;
    const tag = dv.getUint16(p, true);
    const type = dv.getUint16(p + 2, true);
    const count = dv.getUint32(p + 4, true);
    const bytesLen = count * size[type];
    const at = bytesLen <= 4 ? p + 8 : dv.getUint32(p + 8, true);
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      if (type === 2) values.push(dv.getUint8(at + i));
      else if (type === 3) values.push(dv.getUint16(at + i * 2, true));
      else if (type === 4) values.push(dv.getUint32(at + i * 4, true));
      else if (type === 12) values.push(dv.getFloat64(at + i * 8, true));
    }
    out.set(tag, { type, count, values });
  }
  return out;
}

/** Position of an IFD entry's 12 bytes in a file written little-endian. */
function entryPos(bytes: Uint8Array, tag: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  for (let k = 0; k < n; k++) if (dv.getUint16(ifd + 2 + k * 12, true) === tag) return ifd + 2 + k * 12;
  throw new Error(`tag ${tag} not found`);
}

function patchShortValue(bytes: Uint8Array, tag: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(entryPos(copy, tag) + 8, value, true);
  return copy;
}

// ---------------------------------------------------------------------------
// a flexible TIFF builder (tests only): layouts and codecs our writer never emits

type Codec = 'none' | 'deflate' | 'lzw' | 'packbits';
interface BuildSpec {
  width: number;
  height: number;
  bands: { dtype: DType | 'float16'; data: ArrayLike<number> }[];
  planar?: 1 | 2;
  tile?: { w: number; h: number };
  rowsPerStrip?: number;
  codec?: Codec;
  predictor?: 1 | 2 | 3;
  bigEndian?: boolean;
  /** extra tags: [tag, type, values (numbers or a string for ASCII)] */
  tags?: Array<[number, number, number[] | string]>;
  /** overrides for strip/tile byte counts (e.g. 0 for a sparse block) */
  zeroBlocks?: number[];
}

function f16bits(v: number): number {
  // exact for the test values used (small integers and halves)
  if (Number.isNaN(v)) return 0x7e00;
  if (v === Infinity) return 0x7c00;
  if (v === -Infinity) return 0xfc00;
  const s = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  v = Math.abs(v);
  if (v === 0) return s;
  let e = Math.floor(Math.log2(v));
  let m = v / 2 ** e - 1;
  if (e < -14) return s | Math.round(v / 2 ** -24);
  e += 15;
  m = Math.round(m * 1024);
  return s | (e << 10) | m;
}

function lzwEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let buf = 0;
  let nbits = 0;
  const put = (code: number, width: number): void => {
    buf = (buf << width) | code;
    nbits += width;
    while (nbits >= 8) {
      out.push((buf >>> (nbits - 8)) & 0xff);
      nbits -= 8;
    }
    buf &= (1 << nbits) - 1;
  };
  let next = 258;
  const width = (n: number): number => (n >= 2048 ? 12 : n >= 1024 ? 11 : n >= 512 ? 10 : 9);
  const dict = new Map<number, number>();
  put(256, 9);
  if (data.length === 0) {
    put(257, 9);
  } else {
    let p = data[0];
    for (let j = 1; j < data.length; j++) {
      const c = data[j];
      const key = (p << 8) | c;
      const hit = dict.get(key);
      if (hit !== undefined) {
        p = hit;
        continue;
      }
      put(p, width(next));
      dict.set(key, next++);
      if (next >= 4000) {
        put(256, width(next));
        dict.clear();
        next = 258;
      }
      p = c;
    }
    put(p, width(next));
    put(257, width(next + 1));
  }
  if (nbits > 0) out.push((buf << (8 - nbits)) & 0xff);
  return new Uint8Array(out);
}

function packbitsEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push((1 - run) & 0xff, data[i]);
      i += run;
    } else {
      let lit = 0;
      while (i + lit < data.length && lit < 128) {
        if (i + lit + 2 < data.length && data[i + lit] === data[i + lit + 1] && data[i + lit] === data[i + lit + 2]) break;
        lit++;
      }
      out.push(lit - 1);
      for (let k = 0; k < lit; k++) out.push(data[i + k]);
      i += lit;
    }
  }
  return new Uint8Array(out);
}

function buildTiff(spec: BuildSpec): Uint8Array {
  const { width, height, bands } = spec;
  const spp = bands.length;
  const planar = spp === 1 ? 1 : (spec.planar ?? 1);
  const codec = spec.codec ?? 'none';
  const predictor = spec.predictor ?? 1;
  const le = !spec.bigEndian;
  const sizes = bands.map((b) => (b.dtype === 'float16' ? 2 : DTYPE_BYTES[b.dtype]));
  const blockW = spec.tile ? spec.tile.w : width;
  const blockH = spec.tile ? spec.tile.h : Math.min(spec.rowsPerStrip ?? height, height);
  const across = Math.ceil(width / blockW);
  const down = Math.ceil(height / blockH);
  const planes = planar === 2 ? spp : 1;

  const writeSample = (dv: DataView, at: number, s: number, v: number, littleEndian: boolean): void => {
    const d = bands[s].dtype;
    switch (d) {
      case 'uint8':
        dv.setUint8(at, v);
        break;
      case 'int8':
        dv.setInt8(at, v);
        break;
      case 'uint16':
        dv.setUint16(at, v, littleEndian);
        break;
      case 'int16':
        dv.setInt16(at, v, littleEndian);
        break;
      case 'uint32':
        dv.setUint32(at, v, littleEndian);
        break;
      case 'int32':
        dv.setInt32(at, v, littleEndian);
        break;
      case 'float32':
        dv.setFloat32(at, v, littleEndian);
        break;
      case 'float64':
        dv.setFloat64(at, v, littleEndian);
        break;
      case 'float16':
        dv.setUint16(at, f16bits(v), littleEndian);
        break;
    }
  };

  const blocks: Uint8Array[] = [];
  for (let plane = 0; plane < planes; plane++) {
    const samples = planar === 2 ? [plane] : bands.map((_, i) => i);
    const pixelBytes = samples.reduce((s, i) => s + sizes[i], 0);
    const spb = samples.length;
    const bs = sizes[samples[0]];
    for (let by = 0; by < down; by++) {
      for (let bx = 0; bx < across; bx++) {
        const rows = spec.tile ? blockH : Math.min(blockH, height - by * blockH);
        const raw = new Uint8Array(blockW * rows * pixelBytes);
        const dv = new DataView(raw.buffer);
        // predictor 3 works on little-endian values then reorders; others use file order
        const orderLE = predictor === 3 ? true : le;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < blockW; c++) {
            const x = bx * blockW + c;
            const y = by * blockH + r;
            let at = (r * blockW + c) * pixelBytes;
            for (const s of samples) {
              if (x < width && y < height) writeSample(dv, at, s, bands[s].data[y * width + x], orderLE);
              at += sizes[s];
            }
          }
        }
        if (predictor === 2) {
          // horizontal differencing, right to left, integer arithmetic modulo 2^bits in file byte order
          const rowBytes = blockW * pixelBytes;
          const step = spb * bs;
          for (let r = 0; r < rows; r++) {
            for (let p = r * rowBytes + rowBytes - bs; p >= r * rowBytes + step; p -= bs) {
              let borrow = 0;
              for (let k = 0; k < bs; k++) {
                const idx = le ? k : bs - 1 - k; // least significant byte first
                const v = raw[p + idx] - raw[p - step + idx] - borrow;
                raw[p + idx] = v & 0xff;
                borrow = v < 0 ? 1 : 0;
              }
            }
          }
        } else if (predictor === 3) {
          const wc = blockW * spb;
          const rowBytes = wc * bs;
          for (let r = 0; r < rows; r++) {
            const base = r * rowBytes;
            const tmp = raw.slice(base, base + rowBytes);
            for (let i = 0; i < wc; i++) for (let b = 0; b < bs; b++) raw[base + (bs - b - 1) * wc + i] = tmp[i * bs + b];
            for (let p = base + rowBytes - 1; p >= base + spb; p--) raw[p] = (raw[p] - raw[p - spb]) & 0xff;
          }
        }
        const enc =
          codec === 'deflate' ? zlibSync(raw) : codec === 'lzw' ? lzwEncode(raw) : codec === 'packbits' ? packbitsEncode(raw) : raw;
        blocks.push(enc);
      }
    }
  }
  const zero = new Set(spec.zeroBlocks ?? []);
  const counts = blocks.map((b, i) => (zero.has(i) ? 0 : b.length));

  // tags
  type Tag = [number, number, number[] | string];
  const tags: Tag[] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, sizes.map((s) => s * 8)],
    [259, 3, [codec === 'deflate' ? 8 : codec === 'lzw' ? 5 : codec === 'packbits' ? 32773 : 1]],
    [262, 3, [1]],
    [277, 3, [spp]],
    [284, 3, [planar]],
    [339, 3, bands.map((b) => (b.dtype.startsWith('float') ? 3 : b.dtype.startsWith('int') ? 2 : 1))],
  ];
  if (predictor !== 1) tags.push([317, 3, [predictor]]);
  if (spec.tile) {
    tags.push([322, 3, [blockW]], [323, 3, [blockH]], [324, 4, blocks.map(() => 0)], [325, 4, counts]);
  } else {
    tags.push([273, 4, blocks.map(() => 0)], [278, 4, [blockH]], [279, 4, counts]);
  }
  for (const t of spec.tags ?? []) tags.push(t);
  tags.sort((a, b) => a[0] - b[0]);
  const typeSize: Record<number, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };
  const valueBytes = (t: Tag): number =>
    (typeof t[2] === 'string' ? new TextEncoder().encode(t[2]).length + 1 : t[2].length) * typeSize[t[1]];
  const ifdSize = 2 + tags.length * 12 + 4;
  let pos = 8 + ifdSize;
  const at = new Map<number, number>();
  for (const t of tags) {
    const n = valueBytes(t);
    if (n > 4) {
      pos += pos & 1;
      at.set(t[0], pos);
      pos += n;
    }
  }
  const offsets: number[] = [];
  for (const b of blocks) {
    pos += pos & 1;
    offsets.push(pos);
    pos += b.length;
  }
  const offsetTag = spec.tile ? 324 : 273;
  for (const t of tags) if (t[0] === offsetTag) t[2] = offsets.map((o, i) => (zero.has(i) ? 0 : o));
  const out = new Uint8Array(pos);
  const dv = new DataView(out.buffer);
  out[0] = out[1] = le ? 0x49 : 0x4d;
  dv.setUint16(2, 42, le);
  dv.setUint32(4, 8, le);
  dv.setUint16(8, tags.length, le);
  tags.forEach((t, k) => {
    const p = 10 + k * 12;
    const [tag, type, vals] = t;
    const arr: number[] = typeof vals === 'string' ? [...new TextEncoder().encode(vals), 0] : vals;
    dv.setUint16(p, tag, le);
    dv.setUint16(p + 2, type, le);
    dv.setUint32(p + 4, arr.length, le);
    const base = at.get(tag);
    if (base !== undefined) dv.setUint32(p + 8, base, le);
    const w = base ?? p + 8;
    arr.forEach((v, i) => {
      if (type === 2) dv.setUint8(w + i, v);
      else if (type === 3) dv.setUint16(w + i * 2, v, le);
      else if (type === 4) dv.setUint32(w + i * 4, v, le);
      else dv.setFloat64(w + i * 8, v, le);
    });
  });
  blocks.forEach((b, i) => out.set(b, offsets[i]));
  return out;
}

// ---------------------------------------------------------------------------

describe('writeGeoTiff → readGeoTiff round trip', () => {
  const sizes: Array<[number, number]> = [
    [1, 1],
    [7, 13],
    [300, 257],
  ];
  for (const dtype of ALL_DTYPES) {
    it(`${dtype}: deflate and none, 1 and 3 bands, 1×1 / 7×13 / 300×257`, async () => {
      for (const compression of ['deflate', 'none'] as const) {
        for (const nb of [1, 3]) {
          for (const [w, h] of sizes) {
            const bands = Array.from({ length: nb }, (_, i) => band(`b${i}_${dtype}`, fillBand(dtype, w * h, i), dtype, null));
            const transform: GeoTransform = { originX: 500000.5, originY: 9701000.25, pixelWidth: 30, pixelHeight: 45.5 };
            const ds = dataset(w, h, bands, { transform, epsg: 31984 });
            const bytes = writeGeoTiff(ds, { compression });
            const back = await readGeoTiff(bytes);
            const label = `${dtype} ${compression} ${nb} band(s) ${w}×${h}`;
            expect(back.width, label).toBe(w);
            expect(back.height, label).toBe(h);
            expect(back.bands.length, label).toBe(nb);
            expect(back.transform, label).toEqual(transform);
            expect(back.epsg, label).toBe(31984);
            back.bands.forEach((b, i) => {
              expect(b.dtype, label).toBe(dtype);
              expect(b.name, label).toBe(`b${i}_${dtype}`);
              expect(b.nodata, label).toBeNull();
              expect(sameBits(b.data, bands[i].data), `${label} band ${i}`).toBe(true);
            });
          }
        }
      }
    });
  }

  it('an uncompressed band-separate file is read without copying: its bands are views of the bytes given', async () => {
    for (const dtype of ALL_DTYPES) {
      // 120 × 257: several strips per band for every dtype
      const bands = [band('a', fillBand(dtype, 120 * 257, 1), dtype), band('b', fillBand(dtype, 120 * 257, 2), dtype)];
      const bytes = writeGeoTiff(dataset(120, 257, bands), { compression: 'none' });
      const kept = sha256Hex(bytes);
      const back = await readGeoTiff(bytes);
      back.bands.forEach((b, i) => {
        expect(b.data.buffer, dtype).toBe(bytes.buffer);
        expect(sameBits(b.data, bands[i].data), `${dtype} band ${i}`).toBe(true);
      });
      expect(sha256Hex(bytes)).toBe(kept); // read, never written
      // deflate: each band is decoded into an array of its own
      const packed = writeGeoTiff(dataset(120, 257, bands));
      for (const b of (await readGeoTiff(packed)).bands) expect(b.data.buffer, dtype).not.toBe(packed.buffer);
    }
  });

  it('several strips for 300×257 (strip layout is deterministic from width and dtype)', () => {
    for (const dtype of ALL_DTYPES) {
      const rps = rowsPerStripFor(300, dtype, 257);
      expect(rps).toBe(Math.min(257, Math.floor(65536 / (300 * DTYPE_BYTES[dtype]))));
      const ds = dataset(300, 257, [band('a', fillBand(dtype, 300 * 257, 1), dtype)]);
      const e = ifdEntries(writeGeoTiff(ds));
      expect(e.get(278)!.values[0]).toBe(rps);
      expect(e.get(273)!.count).toBe(Math.ceil(257 / rps));
      expect(e.get(273)!.count).toBeGreaterThan(1);
    }
    expect(rowsPerStripFor(100000, 'float64')).toBe(1);
  });

  it('keeps nodata (same for every band), including NaN and -9999', async () => {
    for (const [dtype, nd] of [
      ['float32', NaN],
      ['float32', -9999],
      ['int16', -32768],
      ['uint8', 255],
      ['float64', -Infinity],
      ['float64', 1e-300],
    ] as Array<[DType, number]>) {
      const bands = [0, 1].map((i) => band(`b${i}`, fillBand(dtype, 35, i), dtype, nd));
      const back = await readGeoTiff(writeGeoTiff(dataset(5, 7, bands)));
      for (const b of back.bands) expect(Object.is(b.nodata, nd) || (Number.isNaN(nd) && Number.isNaN(b.nodata!))).toBe(true);
    }
  });

  it('writes no GDAL_NODATA unless every band has the same non-null nodata', async () => {
    const d = (nd: Array<number | null>): RasterDataset =>
      dataset(
        2,
        2,
        nd.map((v, i) => band(`b${i}`, new Float32Array(4), 'float32', v)),
      );
    for (const nd of [
      [-1, -2],
      [-1, null],
      [null, null],
    ]) {
      const bytes = writeGeoTiff(d(nd));
      expect(ifdEntries(bytes).has(42113)).toBe(false);
      expect((await readGeoTiff(bytes)).bands.map((b) => b.nodata)).toEqual([null, null]);
    }
    expect(ifdEntries(writeGeoTiff(d([-1, -1]))).has(42113)).toBe(true);
  });

  it('escapes band names and keeps them (XML specials, quotes, unicode, control characters)', async () => {
    const names = ['a<b>&"c"', "it's", 'ção_média 🌊', 'tab\there', '  spaced  '];
    const bands = names.map((n, i) => band(n, new Int16Array(6).fill(i), 'int16'));
    const bytes = writeGeoTiff(dataset(3, 2, bands));
    const back = await readGeoTiff(bytes);
    expect(back.bands.map((b) => b.name)).toEqual(names.map((n) => n.trim()));
  });

  it('transform null and epsg null are written as nothing and read back as null', async () => {
    const bytes = writeGeoTiff(dataset(3, 3, [band('a', new Uint8Array(9), 'uint8')]));
    const e = ifdEntries(bytes);
    expect(e.has(33550) || e.has(33922) || e.has(34735)).toBe(false);
    const back = await readGeoTiff(bytes);
    expect(back.transform).toBeNull();
    expect(back.epsg).toBeNull();
  });

  it('geographic EPSG codes use GeographicTypeGeoKey and GTModelType 2', async () => {
    for (const epsg of [4326, 4674, 4269, 4258]) {
      const ds = dataset(2, 2, [band('a', new Float32Array(4), 'float32')], {
        epsg,
        transform: { originX: -44.5, originY: -2.25, pixelWidth: 0.001, pixelHeight: 0.001 },
      });
      const bytes = writeGeoTiff(ds);
      const keys = ifdEntries(bytes).get(34735)!.values;
      expect(keys.slice(4)).toEqual([1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, epsg]);
      const back = await readGeoTiff(bytes);
      expect(back.epsg).toBe(epsg);
      const img = await (await fromArrayBuffer(bytes.slice().buffer)).getImage();
      expect(img.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: epsg });
    }
    const proj = writeGeoTiff(dataset(1, 1, [band('a', new Float32Array(1), 'float32')], { epsg: 31983 }));
    expect(ifdEntries(proj).get(34735)!.values.slice(4)).toEqual([1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 31983]);
  });

  it('rejects inconsistent datasets with InputError', () => {
    const ok = band('a', new Float32Array(4), 'float32');
    expect(() => writeGeoTiff(dataset(2, 2, []))).toThrow(DissError);
    expect(() => writeGeoTiff(dataset(2, 3, [ok]))).toThrow(/needs 6/);
    expect(() => writeGeoTiff(dataset(2, 2, [band('a', new Float32Array(4), 'int16')]))).toThrow(/says dtype int16/);
    expect(() => writeGeoTiff(dataset(2, 2, [ok], { epsg: 102100 }))).toThrow(/EPSG code 102100/);
    expect(() => writeGeoTiff(dataset(2, 2, [ok], { transform: { originX: 0, originY: 0, pixelWidth: -1, pixelHeight: 1 } }))).toThrow(
      /pixel sizes positive/,
    );
  });
});

describe('mixed band dtypes are promoted like numpy result_type', () => {
  it('resultDType', () => {
    const cases: Array<[DType[], DType]> = [
      [['uint8', 'int8'], 'int16'],
      [['int16', 'float32'], 'float32'],
      [['int32', 'float32'], 'float64'],
      [['uint16', 'int16'], 'int32'],
      [['uint32', 'int8'], 'float64'],
      [['uint32', 'int16'], 'float64'],
      [['uint32', 'int32'], 'float64'],
      [['int8', 'float32'], 'float32'],
      [['uint16', 'float32'], 'float32'],
      [['uint32', 'float32'], 'float64'],
      [['int16', 'float64'], 'float64'],
      [['float32', 'float64'], 'float64'],
      [['uint8', 'uint16'], 'uint16'],
      [['int8', 'uint16'], 'int32'],
      [['uint8', 'int32'], 'int32'],
      [['int16', 'float32', 'int16'], 'float32'],
      [['uint8', 'int8', 'float32'], 'float32'],
      [['float32'], 'float32'],
    ];
    for (const [ins, out] of cases) expect(resultDType(ins), ins.join('+')).toBe(out);
  });

  it('writes one dtype and converts the values exactly', async () => {
    const cases: Array<[DType[], DType]> = [
      [['uint8', 'int8'], 'int16'],
      [['int16', 'float32', 'int16'], 'float32'],
      [['int32', 'float32'], 'float64'],
      [['uint16', 'int16'], 'int32'],
      [['uint32', 'int8'], 'float64'],
    ];
    for (const [ins, out] of cases) {
      const bands = ins.map((d, i) => band(`b${i}`, fillBand(d, 7 * 13, i), d));
      const bytes = writeGeoTiff(dataset(7, 13, bands));
      const e = ifdEntries(bytes);
      expect(new Set(e.get(258)!.values).size).toBe(1);
      const back = await readGeoTiff(bytes);
      back.bands.forEach((b, i) => {
        expect(b.dtype).toBe(out);
        expect(sameValues(b.data, bands[i].data), `${ins.join('+')} band ${i}`).toBe(true);
      });
    }
  });

  it('a band of another type is written as the file type strip by strip: the same bytes as the band given in that type', () => {
    // 3000 float64 columns: 2 rows per strip, so 5 rows are 3 strips per band, the last one short
    const uso = fillBand('int16', 3000 * 5, 3);
    const alt = fillBand('float64', 3000 * 5, 4);
    const mixed = dataset(3000, 5, [band('uso', uso, 'int16'), band('alt', alt, 'float64')]);
    const widened = dataset(3000, 5, [band('uso', Float64Array.from(uso), 'float64'), band('alt', alt, 'float64')]);
    expect(rowsPerStripFor(3000, 'float64', 5)).toBe(2);
    for (const compression of ['deflate', 'none'] as const) {
      expect(sha256Hex(writeGeoTiff(mixed, { compression })), compression).toBe(sha256Hex(writeGeoTiff(widened, { compression })));
    }
  });
});

describe('the written file', () => {
  const ds = dataset(7, 13, [band('uso', fillBand('int16', 91, 1), 'int16', -1), band('alt', fillBand('int16', 91, 2), 'int16', -1)], {
    transform: { originX: 10, originY: 20, pixelWidth: 1, pixelHeight: 2 },
    epsg: 31984,
  });

  it('is little-endian classic TIFF with ascending tags, planar, deflate, GDAL metadata', () => {
    const bytes = writeGeoTiff(ds);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x49, 0x49, 42, 0]);
    const e = ifdEntries(bytes);
    const tags = [...e.keys()];
    expect(tags).toEqual([...tags].sort((a, b) => a - b));
    expect(tags).not.toContain(306); // no DateTime
    expect(e.get(259)!.values).toEqual([8]);
    expect(e.get(284)!.values).toEqual([2]);
    expect(e.get(262)!.values).toEqual([1]);
    expect(e.get(338)!.values).toEqual([0]);
    expect(e.get(339)!.values).toEqual([2, 2]);
    expect(e.get(258)!.values).toEqual([16, 16]);
    expect(e.get(33550)!.values).toEqual([1, 2, 0]);
    expect(e.get(33922)!.values).toEqual([0, 0, 0, 10, 20, 0]);
    const text = (tag: number): string => new TextDecoder().decode(new Uint8Array(e.get(tag)!.values.slice(0, -1)));
    expect(text(305)).toBe('dissmodel-workbench');
    expect(text(42113)).toBe('-1');
    expect(text(42112)).toBe(
      '<GDALMetadata>\n' +
        '  <Item name="name" sample="0">uso</Item>\n' +
        '  <Item name="DESCRIPTION" sample="0" role="description">uso</Item>\n' +
        '  <Item name="name" sample="1">alt</Item>\n' +
        '  <Item name="DESCRIPTION" sample="1" role="description">alt</Item>\n' +
        '</GDALMetadata>\n',
    );
    expect(writeGeoTiff(ds, { compression: 'none' }).length).toBeGreaterThan(7 * 13 * 2 * 2);
    expect(ifdEntries(writeGeoTiff(ds, { compression: 'none' })).get(259)!.values).toEqual([1]);
  });

  it('is deterministic: same dataset (even copied) → same bytes; different data → different bytes', () => {
    const a = writeGeoTiff(ds);
    const b = writeGeoTiff(ds);
    const copy = dataset(
      7,
      13,
      ds.bands.map((x) => ({ ...x, data: x.data.slice() })),
      {
        transform: { ...ds.transform! },
        epsg: 31984,
      },
    );
    const c = writeGeoTiff(copy);
    expect(sha256Hex(a)).toBe(sha256Hex(b));
    expect(sha256Hex(a)).toBe(sha256Hex(c));
    expect(Buffer.compare(a, c)).toBe(0);
    copy.bands[1].data[50] += 1;
    expect(sha256Hex(writeGeoTiff(copy))).not.toBe(sha256Hex(a));
    expect(sha256Hex(writeGeoTiff({ ...ds, epsg: 31983 }))).not.toBe(sha256Hex(a));
    expect(sha256Hex(writeGeoTiff(ds, { compression: 'none' }))).toBe(sha256Hex(writeGeoTiff(ds, { compression: 'none' })));
  });

  it('is read identically by geotiff.js (an independent reader)', async () => {
    for (const dtype of ALL_DTYPES) {
      const bands = [0, 1, 2].map((i) => band(`b${i}`, fillBand(dtype, 300 * 257, i), dtype));
      const bytes = writeGeoTiff(
        dataset(300, 257, bands, { epsg: 31984, transform: { originX: 1, originY: 2, pixelWidth: 3, pixelHeight: 4 } }),
      );
      const img = await (await fromArrayBuffer(bytes.slice().buffer)).getImage();
      const rasters = (await img.readRasters()) as unknown as TypedArray[];
      rasters.forEach((r, i) => expect(sameBits(r, bands[i].data), `${dtype} band ${i}`).toBe(true));
      expect(img.getOrigin().slice(0, 2)).toEqual([1, 2]);
      expect(img.getResolution().slice(0, 2)).toEqual([3, -4]);
      expect(img.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 31984 });
      expect(await img.getGDALMetadata(2)).toMatchObject({ name: 'b2', DESCRIPTION: 'b2' });
    }
  });
});

describe('reading real files', () => {
  it('coast_10x14.tif matches the reference case 0 initial state', async () => {
    const ds = await readGeoTiff(fileBytes(COAST));
    expect(ds.width).toBe(14);
    expect(ds.height).toBe(10);
    expect(ds.epsg).toBe(31984);
    expect(ds.transform).toEqual({ originX: 500000, originY: 9701000, pixelWidth: 100, pixelHeight: 100 });
    expect(ds.bands.map((b) => b.name)).toEqual(['uso', 'alt', 'solo']);
    expect(ds.bands.map((b) => b.dtype)).toEqual(['float32', 'float32', 'float32']);
    expect(ds.bands.map((b) => b.nodata)).toEqual([null, null, null]);
    const ref = JSON.parse(readFileSync(REFERENCE_JSON, 'utf8')) as {
      cases: Array<{ initial: Record<string, number[][]> }>;
    };
    const initial = ref.cases[0].initial;
    for (const b of ds.bands) {
      const grid = initial[b.name];
      expect(grid.length).toBe(10);
      for (let r = 0; r < 10; r++) for (let c = 0; c < 14; c++) expect(b.data[r * 14 + c], `${b.name}[${r}][${c}]`).toBe(grid[r][c]);
    }
    expect(ds.bands[1].data[2]).toBe(Math.fround(0.01));
  });

  it('ilha_maranhao_epsg31983.tif: 405×418, int16, 3 bands, EPSG:31983 (agrees with geotiff.js)', async () => {
    const bytes = fileBytes(ILHA);
    const ds = await readGeoTiff(bytes);
    expect(ds.width).toBe(405);
    expect(ds.height).toBe(418);
    expect(ds.epsg).toBe(31983);
    expect(ds.bands.map((b) => b.dtype)).toEqual(['int16', 'int16', 'int16']);
    // The file does carry DisSModel's per-band `name` items (the samples README says it has none).
    expect(ds.bands.map((b) => b.name)).toEqual(['uso', 'alt', 'solo']);
    expect(ds.transform!.originX).toBeCloseTo(568899.8382888247, 6);
    expect(ds.transform!.pixelWidth).toBeCloseTo(99.896, 3);
    const img = await (await fromArrayBuffer(bytes.slice().buffer)).getImage();
    const rasters = (await img.readRasters()) as unknown as TypedArray[];
    rasters.forEach((r, i) => expect(sameBits(r, ds.bands[i].data), `band ${i}`).toBe(true));
    const uso = ds.bands[0].data;
    let max = -Infinity;
    for (const v of uso) max = Math.max(max, v);
    expect(max).toBeLessThanOrEqual(10);
    expect(max).toBeGreaterThan(0);
  });
});

describe('reading layouts and codecs we do not write', () => {
  const W = 37;
  const H = 23;
  const mk = (dtype: DType | 'float16', seed: number): { dtype: DType | 'float16'; data: number[] } => {
    const base =
      dtype === 'float16'
        ? Array.from({ length: W * H }, (_, i) => ((i * 7 + seed) % 64) / 2 - 8)
        : Array.from(fillBand(dtype, W * H, seed));
    return { dtype, data: base };
  };

  const combos: Array<{ name: string; spec: Omit<BuildSpec, 'width' | 'height' | 'bands'>; dtypes: Array<DType | 'float16'> }> = [];
  for (const codec of ['none', 'deflate', 'lzw', 'packbits'] as Codec[]) {
    for (const planar of [1, 2] as const) {
      for (const tiled of [false, true]) {
        for (const bigEndian of [false, true]) {
          const layout = { codec, planar, bigEndian, ...(tiled ? { tile: { w: 16, h: 16 } } : { rowsPerStrip: 5 }) };
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'}`,
            spec: layout,
            dtypes: ['uint8', 'int16', 'float32'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} int32×2 pred2`,
            spec: { ...layout, predictor: 2 },
            dtypes: ['int32', 'int32'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} f32 pred2`,
            spec: { ...layout, predictor: 2 },
            dtypes: ['float32', 'float32', 'float32'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} f32 pred3`,
            spec: { ...layout, predictor: 3 },
            dtypes: ['float32', 'float32'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} f64 pred3`,
            spec: { ...layout, predictor: 3 },
            dtypes: ['float64'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} u8 i8 u16 u32 pred2`,
            spec: { ...layout, predictor: planar === 2 ? 2 : 1 },
            dtypes: ['uint8', 'int8', 'uint16', 'uint32'],
          });
          combos.push({
            name: `${codec} planar${planar} ${tiled ? 'tiles' : 'strips'} ${bigEndian ? 'BE' : 'LE'} f64 i16 f16`,
            spec: layout,
            dtypes: ['float64', 'int16', 'float16'],
          });
        }
      }
    }
  }

  it(`decodes ${combos.length} combinations of codec × planar × strips/tiles × endianness × predictor × dtypes`, async () => {
    for (const { name, spec, dtypes } of combos) {
      const bands = dtypes.map((d, i) => mk(d, i));
      const bytes = buildTiff({ width: W, height: H, bands, ...spec });
      const ds = await readGeoTiff(bytes);
      expect(ds.bands.length, name).toBe(bands.length);
      ds.bands.forEach((b, i) => {
        expect(b.dtype, name).toBe(dtypes[i] === 'float16' ? 'float32' : dtypes[i]);
        expect(b.name, name).toBe(`band_${i + 1}`);
        expect(sameValues(b.data, bands[i].data), `${name} band ${i}`).toBe(true);
      });
      // The builder is checked against geotiff.js where geotiff.js can decode the file: little-endian, no
      // float16, and not planar with bands of different sizes (geotiff.js fails on those; we do not).
      const mixedSizes = new Set(dtypes.map((d) => (d === 'float16' ? 2 : DTYPE_BYTES[d]))).size > 1;
      if (!spec.bigEndian && !dtypes.includes('float16') && !(spec.planar === 2 && mixedSizes)) {
        const img = await (await fromArrayBuffer(bytes.slice().buffer)).getImage();
        const rasters = (await img.readRasters()) as unknown as TypedArray[];
        rasters.forEach((r, i) => expect(sameBits(r, ds.bands[i].data), `geotiff.js: ${name} band ${i}`).toBe(true));
      }
    }
  });

  it('GDAL-style chunky float32 deflate with predictor 2 and band_name / nodata items (synthetic coast files)', async () => {
    const xml =
      '<GDALMetadata>\n  <Item name="bands">uso,alt,solo</Item>\n  <Item name="passo">0</Item>\n' +
      '  <Item name="band_name" sample="0">uso</Item>\n  <Item name="band_dtype" sample="0">int16</Item>\n' +
      '  <Item name="band_name" sample="1">alt</Item>\n  <Item name="band_name" sample="2">solo</Item>\n</GDALMetadata>';
    const bands = [mk('float32', 0), mk('float32', 1), mk('float32', 2)];
    const bytes = buildTiff({
      width: W,
      height: H,
      bands,
      codec: 'deflate',
      predictor: 2,
      planar: 1,
      rowsPerStrip: 4,
      tags: [
        [42112, 2, xml],
        [42113, 2, '-9999'],
        [33550, 12, [100, 100, 0]],
        [33922, 12, [0, 0, 0, 500000, 9706000, 0]],
        [34735, 3, [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 31984]],
      ],
    });
    const ds = await readGeoTiff(bytes);
    expect(ds.bands.map((b) => b.name)).toEqual(['uso', 'alt', 'solo']);
    expect(ds.bands.map((b) => b.nodata)).toEqual([-9999, -9999, -9999]);
    expect(ds.epsg).toBe(31984);
    expect(ds.transform).toEqual({ originX: 500000, originY: 9706000, pixelWidth: 100, pixelHeight: 100 });
    ds.bands.forEach((b, i) => expect(sameValues(b.data, Float32Array.from(bands[i].data))).toBe(true));
  });

  it('band names: name item first, then DESCRIPTION, then band_name, else band_<i>', async () => {
    const xml =
      '<GDALMetadata>' +
      '<Item name="DESCRIPTION" sample="0" role="description">desc0</Item><Item name="name" sample="0">name0</Item>' +
      '<Item role="description" name="DESCRIPTION" sample="1">desc1 &amp; more</Item><Item name="band_name" sample="1">bn1</Item>' +
      "<Item name='band_name' sample='2'>bn2</Item>" +
      '<Item name="name" sample="4">   </Item>' +
      '</GDALMetadata>';
    const bands = [0, 1, 2, 3, 4].map((i) => mk('uint8', i));
    const ds = await readGeoTiff(buildTiff({ width: W, height: H, bands, planar: 2, tags: [[42112, 2, xml]] }));
    expect(ds.bands.map((b) => b.name)).toEqual(['name0', 'desc1 & more', 'bn2', 'band_4', 'band_5']);
  });

  it('georeferencing: ModelTransformation, rotation, GeographicTypeGeoKey, user-defined 32767, PixelIsPoint', async () => {
    const one = [mk('uint8', 0)];
    const read = (tags: BuildSpec['tags']): Promise<RasterDataset> => readGeoTiff(buildTiff({ width: W, height: H, bands: one, tags }));
    let ds = await read([[34264, 12, [30, 0, 0, 1000, 0, -20, 0, 5000, 0, 0, 0, 0, 0, 0, 0, 1]]]);
    expect(ds.transform).toEqual({ originX: 1000, originY: 5000, pixelWidth: 30, pixelHeight: 20 });
    ds = await read([[34264, 12, [30, 5, 0, 1000, 5, -20, 0, 5000, 0, 0, 0, 0, 0, 0, 0, 1]]]);
    expect(ds.transform).toBeNull();
    ds = await read([[34735, 3, [1, 1, 0, 2, 1024, 0, 1, 2, 2048, 0, 1, 4674]]]);
    expect(ds.epsg).toBe(4674);
    // A projected CRS with a user-defined projection has no EPSG code: 4674 is only its base.
    ds = await read([[34735, 3, [1, 1, 0, 3, 1024, 0, 1, 1, 2048, 0, 1, 4674, 3072, 0, 1, 32767]]]);
    expect(ds.epsg).toBeNull();
    expect(ds.geoKeys?.directory).toEqual([1, 1, 0, 3, 1024, 0, 1, 1, 2048, 0, 1, 4674, 3072, 0, 1, 32767]);
    ds = await read([[34735, 3, [1, 1, 0, 1, 3072, 0, 1, 32767]]]);
    expect(ds.epsg).toBeNull();
    ds = await read([
      [33550, 12, [10, 10, 0]],
      [33922, 12, [0, 0, 0, 100, 200, 0]],
      [34735, 3, [1, 1, 0, 1, 1025, 0, 1, 2]],
    ]);
    expect(ds.transform).toEqual({ originX: 95, originY: 205, pixelWidth: 10, pixelHeight: 10 });
    ds = await read([
      [33550, 12, [10, 10, 0]],
      [33922, 12, [2, 3, 0, 100, 200, 0]],
    ]);
    expect(ds.transform).toEqual({ originX: 80, originY: 230, pixelWidth: 10, pixelHeight: 10 });
  });

  it('GDAL_NODATA applies to every band; sparse blocks (byte count 0) read as nodata', async () => {
    const bands = [mk('int16', 0), mk('int16', 1)];
    const ds = await readGeoTiff(
      buildTiff({ width: W, height: H, bands, planar: 2, rowsPerStrip: 10, zeroBlocks: [1], tags: [[42113, 2, '-32768']] }),
    );
    expect(ds.bands.map((b) => b.nodata)).toEqual([-32768, -32768]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        expect(ds.bands[0].data[i]).toBe(y >= 10 && y < 20 ? -32768 : bands[0].data[i]);
        expect(ds.bands[1].data[i]).toBe(bands[1].data[i]);
      }
    }
    const nan = await readGeoTiff(
      buildTiff({ width: 2, height: 2, bands: [{ dtype: 'float32', data: [1, 2, 3, 4] }], tags: [[42113, 2, 'nan']] }),
    );
    expect(nan.bands[0].nodata).toBeNaN();
  });
});

describe('errors are typed and readable', () => {
  const small = writeGeoTiff(
    dataset(7, 13, [band('a', fillBand('float32', 91, 0), 'float32'), band('b', fillBand('int32', 91, 1), 'int32')], {
      transform: { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1 },
      epsg: 31984,
    }),
  );
  const te = new TextEncoder();

  it('not a TIFF: empty, text, PNG, JSON, ZIP, HTML', async () => {
    await expectError(readGeoTiff(new Uint8Array(0)), FormatError, /empty/);
    await expectError(readGeoTiff(te.encode('hello')), FormatError, /Not a TIFF.*text starting with "hello"/);
    await expectError(readGeoTiff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), FormatError, /PNG/);
    await expectError(readGeoTiff(te.encode('  {"type":"FeatureCollection","features":[]}')), FormatError, /JSON/);
    await expectError(readGeoTiff(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0])), FormatError, /ZIP/);
    await expectError(readGeoTiff(te.encode('<!DOCTYPE html><html>Access denied</html>')), FormatError, /HTML/);
    await expectError(readGeoTiff(new Uint8Array([0x49, 0x49, 0x2b])), FormatError, /truncated/);
    await expectError(readGeoTiff(new Uint8Array([0x49, 0x49, 7, 0, 8, 0, 0, 0])), FormatError, /magic number is 7/);
  });

  it('BigTIFF is refused with a conversion hint', async () => {
    const big = new Uint8Array([0x49, 0x49, 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]);
    await expectError(readGeoTiff(big), FormatError, /BigTIFF.*not supported.*gdal_translate -co BIGTIFF=NO/);
    await expectError(readGeoTiff(new Uint8Array([0x4d, 0x4d, 0, 43, 0, 8, 0, 0])), FormatError, /BigTIFF/);
  });

  it('every truncation of a valid file gives a FormatError', async () => {
    expect((await readGeoTiff(small)).bands.length).toBe(2);
    const none = writeGeoTiff(dataset(5, 4, [band('a', fillBand('uint16', 20, 0), 'uint16')]), { compression: 'none' });
    for (const file of [small, none]) {
      for (let len = 0; len < file.length; len++) {
        const err = await readGeoTiff(file.subarray(0, len)).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, `truncated at ${len} of ${file.length}`).toBeInstanceOf(FormatError);
      }
    }
    await expectError(readGeoTiff(small.subarray(0, small.length - 3)), FormatError, /truncated/);
  });

  it('a huge declared size gives LimitError before allocating', async () => {
    const tiny = writeGeoTiff(dataset(1, 1, [band('a', new Float32Array(1), 'float32')]), { compression: 'none' });
    const huge = tiny.slice();
    const dv = new DataView(huge.buffer);
    dv.setUint32(entryPos(huge, 256) + 8, 1_000_000, true);
    dv.setUint32(entryPos(huge, 257) + 8, 1_000_000, true);
    await expectError(readGeoTiff(huge), LimitError, /1,000,000 × 1,000,000.*67,108,864/);
    await expectError(readGeoTiff(small, { maxCells: 90 }), LimitError, /7 × 13 = 91 cells.*limit of 90/);
    // float32 + int32 bands are written as float64: 2 × 91 × 8 bytes
    await expectError(readGeoTiff(small, { maxBytes: 100 }), LimitError, /1,456 bytes.*limit of 100/);
    expect((await readGeoTiff(small, { maxCells: 91, maxBytes: 1456 })).width).toBe(7);
  });

  it('unsupported compression codes are named', async () => {
    for (const [code, name] of [
      [7, 'JPEG'],
      [34887, 'LERC'],
      [50000, 'ZSTD'],
      [50001, 'WebP'],
      [34712, 'JPEG 2000'],
      [4, 'CCITT Group 4'],
      [12345, ''],
    ] as Array<[number, string]>) {
      const err = await expectError(readGeoTiff(patchShortValue(small, 259, code)), FormatError, new RegExp(`compression ${code}`));
      expect(err.message).toContain(name);
    }
  });

  it('unsupported sample types are named (1-bit, 24-bit, complex, 64-bit integers)', async () => {
    const one = writeGeoTiff(dataset(3, 3, [band('a', new Uint8Array(9), 'uint8')]));
    await expectError(readGeoTiff(patchShortValue(one, 258, 1)), FormatError, /1-bit/);
    await expectError(readGeoTiff(patchShortValue(one, 258, 24)), FormatError, /24-bit/);
    await expectError(readGeoTiff(patchShortValue(patchShortValue(one, 258, 64), 339, 6)), FormatError, /complex/);
    await expectError(readGeoTiff(patchShortValue(patchShortValue(one, 258, 64), 339, 2)), FormatError, /64-bit signed integers/);
    await expectError(readGeoTiff(patchShortValue(one, 339, 9)), FormatError, /SampleFormat 9/);
  });

  it('corrupt compressed data gives FormatError', async () => {
    const bytes = small.slice();
    const off = ifdEntries(bytes).get(273)!.values[0];
    bytes[off] = 0x78;
    bytes[off + 1] = 0x9c;
    bytes.fill(0xff, off + 2, off + 12);
    await expectError(readGeoTiff(bytes), FormatError, /deflate.*corrupt/);
  });

  it('bit-flip fuzz: every result is a dataset or a DissError (never a raw error, never a hang)', async () => {
    const files = [small, writeGeoTiff(dataset(4, 3, [band('z', fillBand('int16', 12, 3), 'int16', -1)]), { compression: 'none' })];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 4 }),
        async (which, flips) => {
          const f = files[which].slice();
          for (const [pos, bit] of flips) f[pos % f.length] ^= 1 << bit;
          try {
            const ds = await readGeoTiff(f, { maxCells: 1 << 20, maxBytes: 1 << 24 });
            expect(ds.kind).toBe('raster');
            for (const b of ds.bands) expect(b.data.length).toBe(ds.width * ds.height);
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(DissError);
          }
        },
      ),
      { numRuns: 200, seed: 20240601 },
    );
    // and random garbage behind a valid header
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), async (tail) => {
        const f = new Uint8Array(8 + tail.length);
        f.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
        f.set(tail, 8);
        try {
          await readGeoTiff(f);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(DissError);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('georeferencing beyond an EPSG code survives read → write → read', () => {
  const one = [{ dtype: 'uint8' as const, data: [0, 1, 2, 3] }];
  const user = (dir: number[], doubles: number[], ascii: string): Uint8Array =>
    buildTiff({
      width: 2,
      height: 2,
      bands: one,
      tags: [
        [33550, 12, [10, 10, 0]],
        [33922, 12, [0, 0, 0, 1000, 2000, 0]],
        [34735, 3, dir],
        [34736, 12, doubles],
        [34737, 2, ascii],
      ],
    });

  it('a user-defined CRS: key directory, GeoDoubleParams and GeoAsciiParams kept, keys written in ascending order', async () => {
    // Keys deliberately out of order: 3075 (Albers), 1024 (projected), 3072 (user-defined), 3078/3079 (doubles), 1026 (citation).
    const dir = [1, 1, 0, 6, 3075, 0, 1, 11, 1024, 0, 1, 1, 3072, 0, 1, 32767, 3078, 34736, 1, 0, 3079, 34736, 1, 1, 1026, 34737, 7, 0];
    const ds = await readGeoTiff(user(dir, [-2, -22], 'my crs|'));
    expect(ds.epsg).toBeNull();
    expect(ds.geoKeys).toEqual({ directory: dir, doubles: [-2, -22], ascii: 'my crs|' });
    const out = writeGeoTiff(ds);
    const tags = ifdEntries(out);
    expect(tags.get(34735)!.values).toEqual([
      1, 1, 0, 7, 1024, 0, 1, 1, 1025, 0, 1, 1, 1026, 34737, 7, 0, 3072, 0, 1, 32767, 3075, 0, 1, 11, 3078, 34736, 1, 0, 3079, 34736, 1, 1,
    ]);
    expect(tags.get(34736)!.values).toEqual([-2, -22]);
    const back = await readGeoTiff(out);
    expect(back.epsg).toBeNull();
    expect(back.geoKeys!.doubles).toEqual([-2, -22]);
    expect(back.geoKeys!.ascii).toBe('my crs|');
    expect(back.transform).toEqual(ds.transform);
  });

  it('a key pointing past its parameters is a FormatError, not a key copied into nothing', async () => {
    const dir = [1, 1, 0, 2, 1024, 0, 1, 1, 3078, 34736, 1, 5];
    await expectError(readGeoTiff(user(dir, [1], 'x|')), FormatError, /GeoKey 3078 needs values 5–5 of tag 34736, which holds only 1/);
  });

  it('a rotated grid: the six affine terms are kept exactly, as a ModelTransformation (GDAL layout)', async () => {
    const m = [86.60254037844386, 50, 0, 580000, 50, -86.60254037844386, 0, 9720000, 0, 0, 0, 0, 0, 0, 0, 1];
    const ds = await readGeoTiff(buildTiff({ width: 2, height: 2, bands: one, tags: [[34264, 12, m]] }));
    expect(ds.transform).toBeNull();
    expect(ds.affine).toEqual([580000, 86.60254037844386, 50, 9720000, 50, -86.60254037844386]);
    const out = writeGeoTiff(ds);
    expect(ifdEntries(out).get(34264)!.values).toEqual(m);
    expect(ifdEntries(out).has(33550)).toBe(false);
    expect((await readGeoTiff(out)).affine).toEqual(ds.affine);
  });

  it('PixelIsPoint: the key and the cell-centre tie point are written back', async () => {
    const tags: BuildSpec['tags'] = [
      [33550, 12, [10, 10, 0]],
      [33922, 12, [0, 0, 0, 100, 200, 0]],
      [34735, 3, [1, 1, 0, 2, 1025, 0, 1, 2, 3072, 0, 1, 31983]],
    ];
    const ds = await readGeoTiff(buildTiff({ width: 2, height: 2, bands: one, tags }));
    expect(ds.pixelIsPoint).toBe(true);
    const out = ifdEntries(writeGeoTiff(ds));
    expect(out.get(33922)!.values).toEqual([0, 0, 0, 100, 200, 0]);
    expect(out.get(34735)!.values).toEqual([1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 2, 3072, 0, 1, 31983]);
  });

  it('a CRS known only as WKT (no EPSG code, no GeoKeys) is refused rather than written as no CRS', () => {
    const ds = dataset(2, 2, [band('a', new Uint8Array(4), 'uint8')], { crsWkt: 'PROJCS["from a .prj"]' });
    expect(() => writeGeoTiff(ds)).toThrow(/given only as WKT.*cannot be written to a GeoTIFF without losing it/);
  });

  it('a dataset cannot claim both a north-up and a rotated transform', () => {
    const ds = dataset(2, 2, [band('a', new Uint8Array(4), 'uint8')], {
      transform: { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1 },
      affine: [0, 1, 0.5, 0, 0.5, -1],
    });
    expect(() => writeGeoTiff(ds)).toThrow(/either a north-up transform or a rotated affine transform/);
  });
});
