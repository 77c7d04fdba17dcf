/**
 * Generator of the bad-input corpus: the cases that are binary, derived from the
 * bundled samples, or too large to commit. Deterministic: the same bytes every
 * time (no clock, no Math.random), so a failure names a reproducible file.
 *
 *   npx tsx tests/corpus/build.ts <dir>          writes every generated case to <dir>
 *   npx tsx tests/corpus/build.ts <dir> --large  also the 100 MB GeoJSON
 *
 * The small hand-written cases live in tests/corpus/files/; tests/corpus/cases.ts
 * lists every case with the error it must give.
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, gzipSync, zipSync, zlibSync } from 'fflate';
import { writeGeoTiff } from '../../src/io/geotiff-write.ts';
import { LINK_PREFIX, encodeShareLink, type SharedExperiment } from '../../src/app/share/share-link.ts';
import { buildDbf, buildShp, square, zipOf, type ShpShape } from './vector-build.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLES = join(ROOT, 'public', 'samples');
export const FILES = join(ROOT, 'tests', 'corpus', 'files');

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export function sample(name: string): Uint8Array {
  const b = readFileSync(join(SAMPLES, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

// ---------------------------------------------------------------------------
// a deterministic PRNG (mulberry32), for bit flips and filler

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------
// TIFF: a minimal classic little-endian writer, and patching of existing files

export type TagValues = number[] | string;
/** [tag, field type (2 ASCII, 3 SHORT, 4 LONG, 12 DOUBLE), values]. */
export type Tag = [number, 2 | 3 | 4 | 12, TagValues];

const TYPE_SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };

/**
 * A classic TIFF with one IFD: header, IFD (tags in the given order), out-of-line
 * values, then `data`. `tags` receives the offset at which `data` will sit (for
 * StripOffsets / TileOffsets).
 */
export function buildTiff(tags: (dataOffset: number) => Tag[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const layout = (list: Tag[]) => {
    const n = list.length;
    let extra = 0;
    const sizes = list.map(([, type, values]) => {
      const count = typeof values === 'string' ? enc(values).length + 1 : values.length;
      const size = count * TYPE_SIZE[type];
      if (size > 4) extra += size + (size & 1);
      return { count, size };
    });
    return { n, extra, sizes, dataOffset: 8 + 2 + n * 12 + 4 + extra };
  };
  const first = layout(tags(0));
  const list = tags(first.dataOffset);
  const { n, sizes, dataOffset } = layout(list);
  const out = new Uint8Array(dataOffset + data.length);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, 8, true);
  dv.setUint16(8, n, true);
  let extraAt = 8 + 2 + n * 12 + 4;
  list.forEach(([tag, type, values], k) => {
    const p = 10 + k * 12;
    const { count, size } = sizes[k];
    dv.setUint16(p, tag, true);
    dv.setUint16(p + 2, type, true);
    dv.setUint32(p + 4, count, true);
    let at = p + 8;
    if (size > 4) {
      dv.setUint32(p + 8, extraAt, true);
      at = extraAt;
      extraAt += size + (size & 1);
    }
    if (typeof values === 'string') out.set(enc(values), at);
    else
      values.forEach((v, i) => {
        if (type === 3) dv.setUint16(at + i * 2, v, true);
        else if (type === 4) dv.setUint32(at + i * 4, v, true);
        else if (type === 12) dv.setFloat64(at + i * 8, v, true);
        else out[at + i] = v;
      });
  });
  dv.setUint32(8 + 2 + n * 12, 0, true);
  out.set(data, dataOffset);
  return out;
}

/** A one-strip, one-band TIFF of width × height with the given pixel bytes and overrides. */
export function stripTiff(
  width: number,
  height: number,
  data: Uint8Array,
  opts: { bits?: number; format?: number; compression?: number; spp?: number; extra?: Tag[]; byteCount?: number } = {},
): Uint8Array {
  const spp = opts.spp ?? 1;
  return buildTiff(
    (off) => [
      [256, 4, [width]],
      [257, 4, [height]],
      [258, 3, new Array<number>(spp).fill(opts.bits ?? 8)],
      [259, 3, [opts.compression ?? 1]],
      [262, 3, [1]],
      [273, 4, [off]],
      [277, 3, [spp]],
      [278, 4, [height]],
      [279, 4, [opts.byteCount ?? data.length]],
      [339, 3, new Array<number>(spp).fill(opts.format ?? 1)],
      ...(opts.extra ?? []),
    ],
    data,
  );
}

export interface IfdEntry {
  /** Byte position of the 12-byte entry. */
  pos: number;
  type: number;
  count: number;
}

/** The entries of the first IFD of a little-endian classic TIFF, by tag. */
export function ifdEntries(bytes: Uint8Array): Map<number, IfdEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = dv.getUint32(4, true);
  const n = dv.getUint16(ifd, true);
  const out = new Map<number, IfdEntry>();
  for (let k = 0; k < n; k++) {
    const pos = ifd + 2 + k * 12;
    out.set(dv.getUint16(pos, true), { pos, type: dv.getUint16(pos + 2, true), count: dv.getUint32(pos + 4, true) });
  }
  return out;
}

/** A copy with the inline SHORT/LONG value of `tag` replaced. */
export function patchTag(bytes: Uint8Array, tag: number, value: number): Uint8Array {
  const out = bytes.slice();
  const e = ifdEntries(out).get(tag);
  if (!e) throw new Error(`no tag ${tag}`);
  const dv = new DataView(out.buffer);
  if (e.type === 3) dv.setUint16(e.pos + 8, value, true);
  else dv.setUint32(e.pos + 8, value, true);
  return out;
}

/** A copy where the entry for `tag` is renamed to `to` (65000: a private tag nobody reads, i.e. removed). */
export function renameTag(bytes: Uint8Array, tag: number, to = 65000): Uint8Array {
  const out = bytes.slice();
  const e = ifdEntries(out).get(tag);
  if (!e) throw new Error(`no tag ${tag}`);
  new DataView(out.buffer).setUint16(e.pos, to, true);
  return out;
}

/** The first StripOffsets value of a little-endian TIFF. */
export function firstStripOffset(bytes: Uint8Array): number {
  const e = ifdEntries(bytes).get(273)!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return e.count === 1 ? dv.getUint32(e.pos + 8, true) : dv.getUint32(dv.getUint32(e.pos + 8, true), true);
}

const flipBit = (bytes: Uint8Array, pos: number, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[pos] ^= 1 << bit;
  return out;
};

/** A tiny valid uncompressed GeoTIFF (4 × 4, uint8, band "state") to patch. */
export function tinyTiff(): Uint8Array {
  const data = new Uint8Array(16);
  data[5] = data[6] = data[9] = 1;
  return writeGeoTiff(
    { kind: 'raster', width: 4, height: 4, transform: null, epsg: null, bands: [{ name: 'state', dtype: 'uint8', data, nodata: null }] },
    { compression: 'none' },
  );
}

// ---------------------------------------------------------------------------
// encoders for seeds (files in codecs the workbench reads but does not write)

/** TIFF LZW (MSB-first, early change); a clear code every `clearAt` table entries. */
export function lzwEncode(data: Uint8Array, clearAt = 4000): Uint8Array {
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
  if (data.length > 0) {
    let p = data[0];
    for (let j = 1; j < data.length; j++) {
      const c = data[j];
      const hit = dict.get((p << 8) | c);
      if (hit !== undefined) {
        p = hit;
        continue;
      }
      put(p, width(next));
      dict.set((p << 8) | c, next++);
      if (next >= clearAt) {
        put(256, width(next));
        dict.clear();
        next = 258;
      }
      p = c;
    }
    put(p, width(next));
    put(257, width(next + 1));
  } else {
    put(257, 9);
  }
  if (nbits > 0) out.push((buf << (8 - nbits)) & 0xff);
  return new Uint8Array(out);
}

export function packBitsEncode(data: Uint8Array): Uint8Array {
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

/** A small uint16 raster (w × h) in one strip with the given codec; predictor 2 optional. */
export function codecTiff(codec: 'lzw' | 'packbits', w: number, h: number, predictor = false): Uint8Array {
  const r = prng(w * 31 + h);
  const px = new Uint8Array(w * h * 2);
  for (let i = 0; i < w * h; i++) {
    const v = Math.floor(r() * 4) * 1000 + (i % w);
    px[i * 2] = v & 0xff;
    px[i * 2 + 1] = v >> 8;
  }
  if (predictor) {
    for (let y = 0; y < h; y++) {
      for (let x = w - 1; x > 0; x--) {
        const a = y * w + x;
        const v = (px[a * 2] | (px[a * 2 + 1] << 8)) - (px[a * 2 - 2] | (px[a * 2 - 1] << 8));
        px[a * 2] = v & 0xff;
        px[a * 2 + 1] = (v >> 8) & 0xff;
      }
    }
  }
  const data = codec === 'lzw' ? lzwEncode(px) : packBitsEncode(px);
  return stripTiff(w, h, data, { bits: 16, compression: codec === 'lzw' ? 5 : 32773, extra: predictor ? [[317, 3, [2]]] : [] });
}

// ---------------------------------------------------------------------------
// decompression bombs (small files whose strips inflate far beyond the block)

/** PackBits runs: each 2 bytes say "repeat the next byte 128 times". */
export function packBitsBomb(bytes: number): Uint8Array {
  const strip = new Uint8Array(bytes);
  for (let i = 0; i + 1 < bytes; i += 2) {
    strip[i] = 0x81;
    strip[i + 1] = 1;
  }
  return stripTiff(4, 4, strip, { compression: 32773 });
}

/** LZW codes that keep re-emitting the longest string in the table (no clear code). */
export function lzwBomb(bytes: number): Uint8Array {
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
  // 0, then 258 (KwKwK: "00"), 259 ("000"), … each code one longer than the last, with the
  // decoder's code-width switches ("early change"), until the table is full …
  let dictLen = 258;
  let bits = 9;
  put(256, 9);
  put(0, 9);
  let code = 258;
  while (out.length < bytes && dictLen < 4094) {
    put(code++, bits);
    dictLen++;
    if (dictLen + 1 >= 1 << bits && bits < 12) bits++;
  }
  // … then the longest entry (about 3800 bytes) again and again
  while (out.length < bytes) put(4093, 12);
  return stripTiff(4, 4, new Uint8Array(out), { compression: 5 });
}

/** A zlib stream of `inflated` zero bytes (about inflated / 1000 bytes). */
export function deflateBomb(inflated: number): Uint8Array {
  return stripTiff(4, 4, zlibSync(new Uint8Array(inflated), { level: 9 }), { compression: 8 });
}

// ---------------------------------------------------------------------------
// share links

export const LINK_BASE: SharedExperiment = {
  model: 'game_of_life',
  code_version: '0.1.0',
  parameters: { start_time: 1, end_time: 10 },
  band_map: {},
  column_map: {},
  input_format: 'auto',
  source: { uri: 'sample:gol_glider_64x64.tif', sha256: 'a'.repeat(64), name: 'gol_glider_64x64.tif' },
  expected_output_sha256: 'b'.repeat(64),
  embedded: null,
};

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
/** A link whose payload is exactly this JSON text (deflated, base64url). */
export const rawLink = (json: string): string => LINK_PREFIX + b64url(deflateSync(enc(json)));
/** A link whose payload is the base experiment's JSON with fields replaced. */
export const linkWith = (fields: Record<string, unknown>): string => {
  const { embedded: _e, ...rest } = LINK_BASE;
  void _e;
  return rawLink(JSON.stringify({ v: 1, ...rest, embedded: null, ...fields }));
};

// ---------------------------------------------------------------------------
// records

export const RECORD_BASE = {
  experiment_id: '0123456789abcdef0123456789abcdef',
  created_at: '2025-01-01T00:00:00.000Z',
  model_name: 'game_of_life',
  model_commit: 'corpus',
  code_version: '0.1.0',
  resolved_spec: {},
  source: { type: 'sample', uri: 'sample:gol_glider_64x64.tif', collection: '', version: '', checksum: '' },
  input_format: 'auto',
  column_map: {},
  band_map: {},
  parameters: { start_time: 1, end_time: 5 },
  period: null,
  output_path: null,
  artifacts: {},
  metrics: {},
  status: 'completed',
  logs: [],
};

export const recordWith = (fields: Record<string, unknown>): Uint8Array => enc(JSON.stringify({ ...RECORD_BASE, ...fields }, null, 2));

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

// ---------------------------------------------------------------------------
// the generated cases, by name (each returns the bytes of one file)

/** A tiny valid Shapefile's parts: three 1 m cells with an integer `state`. */
function cellsShapefile(): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const shapes: ShpShape[] = [0, 1, 2].map((i) => ({ type: 5, parts: [square(i, 0, 1)] }));
  return { ...buildShp(5, shapes), dbf: buildDbf([{ name: 'state', type: 'N', length: 1 }], [['0'], ['1'], ['0']]) };
}

/** Patch the declared uncompressed size of `member` in a zip's local header and central directory. */
function patchZipSize(zip: Uint8Array, member: string, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const name = enc(member);
  const at = (p: number, off: number) => name.every((b, i) => out[p + off + i] === b);
  for (let p = 0; p + 46 < out.length; p++) {
    const sig = dv.getUint32(p, true);
    if (sig === 0x04034b50 && dv.getUint16(p + 26, true) === name.length && at(p, 30)) dv.setUint32(p + 22, size, true);
    if (sig === 0x02014b50 && dv.getUint16(p + 28, true) === name.length && at(p, 46)) dv.setUint32(p + 24, size, true);
  }
  return out;
}

export const LUCC_FIXTURES = join(ROOT, 'tests', 'fixtures');

export function fixture(path: string): Uint8Array {
  const b = readFileSync(join(LUCC_FIXTURES, path));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export const generators: Record<string, () => Uint8Array> = {
  // zipped Shapefiles, GeoPackage, FlatGeobuf
  'shp-truncated': () => {
    const { shp, shx, dbf } = cellsShapefile();
    return zipOf({ 'cells.shp': shp.slice(0, shp.length - 40), 'cells.shx': shx, 'cells.dbf': dbf });
  },
  'shp-dbf-wrong-count': () => {
    const { shp, shx, dbf } = cellsShapefile();
    const bad = dbf.slice();
    new DataView(bad.buffer).setUint32(4, 5, true); // the header says 5 records; 3 follow
    return zipOf({ 'cells.shp': shp, 'cells.shx': shx, 'cells.dbf': bad });
  },
  'shp-dbf-fewer-records': () => {
    const { shp, shx } = cellsShapefile();
    const dbf = buildDbf([{ name: 'state', type: 'N', length: 1 }], [['0'], ['1']]);
    return zipOf({ 'cells.shp': shp, 'cells.shx': shx, 'cells.dbf': dbf });
  },
  'shp-zip-bomb': () => {
    const { shp, shx, dbf } = cellsShapefile();
    return patchZipSize(zipOf({ 'cells.shp': shp, 'cells.shx': shx, 'cells.dbf': dbf }), 'cells.shp', 0xfffffff0);
  },
  'shp-zip-bomb-lying': () => {
    // 4 MiB of zeros deflated to ~4 KB, declared as 2,000 bytes
    const { shx, dbf } = cellsShapefile();
    const big = new Uint8Array(4 * 1024 * 1024);
    new DataView(big.buffer).setInt32(0, 9994, false);
    return patchZipSize(zipOf({ 'cells.shp': big, 'cells.shx': shx, 'cells.dbf': dbf }), 'cells.shp', 2000);
  },
  'shp-zip-traversal': () => {
    const { shp, shx, dbf } = cellsShapefile();
    return zipOf({ 'cells.shp': shp, 'cells.shx': shx, 'cells.dbf': dbf, '../../home/user/.bashrc': enc('echo pwned\n') });
  },
  'shp-zip-two-layers': () => {
    const { shp, shx, dbf } = cellsShapefile();
    return zipOf({ 'a/cells.shp': shp, 'a/cells.shx': shx, 'a/cells.dbf': dbf, 'roads.shp': shp, 'roads.shx': shx, 'roads.dbf': dbf });
  },
  'shp-zip-no-shp': () => zipOf({ 'grid.tif': sample('gol_glider_64x64.tif'), 'notes.txt': enc('a raster, zipped') }),
  'shp-no-dbf': () => {
    const { shp, shx } = cellsShapefile();
    return zipOf({ 'cells.shp': shp, 'cells.shx': shx });
  },
  'shp-lucc-acre': () => fixture('formats/acre_row0-9.zip'),
  'fgb-lying-header': () => {
    const b = fixture('formats/acre_row0-9_noindex.fgb').slice();
    const dv = new DataView(b.buffer);
    const hl = dv.getUint32(8, true);
    // features_count 121 → 122: a header that promises one feature more than the file holds
    for (let p = 12; p + 8 <= 12 + hl; p++)
      if (dv.getUint32(p, true) === 121 && dv.getUint32(p + 4, true) === 0) dv.setUint32(p, 122, true);
    return b;
  },
  'fgb-truncated': () => fixture('formats/acre_row0-9.fgb').slice(0, 20_000),

  // GeoTIFF: truncated and bit-flipped copies of the bundled samples
  'tif-truncated-header': () => sample('gol_glider_64x64.tif').slice(0, 6),
  'tif-truncated-ifd': () => sample('gol_glider_64x64.tif').slice(0, 100),
  'tif-truncated-strip': () => sample('gol_glider_64x64.tif').slice(0, 500),
  'tif-truncated-ilha': () => sample('ilha_maranhao_epsg31983.tif').slice(0, 60_000),
  'tif-flip-magic': () => flipBit(sample('gol_glider_64x64.tif'), 2, 2),
  'tif-flip-ifd-offset': () => flipBit(sample('gol_glider_64x64.tif'), 6, 3),
  'tif-flip-entry-count': () => flipBit(sample('gol_glider_64x64.tif'), 9, 6),
  'tif-flip-compression': () => flipBit(sample('gol_glider_64x64.tif'), ifdEntries(sample('gol_glider_64x64.tif')).get(259)!.pos + 9, 6),
  'tif-corrupt-deflate': () => {
    const b = sample('gol_glider_64x64.tif').slice();
    const off = firstStripOffset(b);
    b.fill(0xff, off + 2, off + 20);
    return b;
  },
  'tif-strip-out-of-range': () => patchTag(sample('gol_glider_64x64.tif'), 273, 0x7fff_ffff),
  'tif-no-strip-offsets': () => renameTag(sample('gol_glider_64x64.tif'), 273),
  'tif-zero-width': () => patchTag(tinyTiff(), 256, 0),
  'tif-bad-predictor': () => stripTiff(4, 4, new Uint8Array(16), { extra: [[317, 3, [7]]] }),
  'tif-planar-3': () => stripTiff(4, 4, new Uint8Array(48), { spp: 3, extra: [[284, 3, [3]]] }),
  // absurd sizes: declared, not present
  'tif-huge-dims': () => patchTag(patchTag(tinyTiff(), 256, 1_000_000), 257, 1_000_000),
  'tif-huge-bytes': () => stripTiff(8192, 8192, new Uint8Array(0), { bits: 64, format: 3, spp: 3, byteCount: 1 }),
  'tif-huge-tile': () =>
    buildTiff(
      (off) => [
        [256, 4, [1]],
        [257, 4, [1]],
        [258, 3, [64]],
        [259, 3, [1]],
        [262, 3, [1]],
        [277, 3, [1]],
        [322, 4, [65536]],
        [323, 4, [65536]],
        [324, 4, [off]],
        [325, 4, [8]],
        [339, 3, [3]],
      ],
      new Uint8Array(8),
    ),
  // unsupported compression and sample formats
  'tif-jpeg': () => patchTag(tinyTiff(), 259, 7),
  'tif-old-jpeg': () => patchTag(tinyTiff(), 259, 6),
  'tif-zstd': () => patchTag(tinyTiff(), 259, 50000),
  'tif-webp': () => patchTag(tinyTiff(), 259, 50001),
  'tif-lerc': () => patchTag(tinyTiff(), 259, 34887),
  'tif-1bit': () => stripTiff(8, 1, new Uint8Array(1), { bits: 1 }),
  'tif-complex': () => stripTiff(2, 2, new Uint8Array(32), { bits: 64, format: 6 }),
  'tif-complex-int': () => stripTiff(2, 2, new Uint8Array(16), { bits: 32, format: 5 }),
  'tif-int64': () => stripTiff(2, 2, new Uint8Array(32), { bits: 64, format: 2 }),
  'tif-float24': () => stripTiff(2, 2, new Uint8Array(12), { bits: 24, format: 3 }),
  // BigTIFF (header, first IFD at 16, one entry)
  'tif-bigtiff': () => {
    const b = new Uint8Array(64);
    b.set([0x49, 0x49, 43, 0, 8, 0, 0, 0, 16]);
    return b;
  },
  'tif-bigtiff-be': () => {
    const b = new Uint8Array(64);
    b.set([0x4d, 0x4d, 0, 43, 0, 8, 0, 0]);
    b[15] = 16;
    return b;
  },
  // not a TIFF at all, named .tif
  'tif-gzip': () => gzipSync(sample('gol_glider_64x64.tif'), { mtime: 0 }),
  'tif-zip': () => zipSync({ 'grid.tif': [sample('gol_glider_64x64.tif'), { mtime: new Date(Date.UTC(2000, 0, 1)) }] }),
  'tif-pdf': () => enc('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n'),
  'tif-random': () => {
    const r = prng(7);
    const b = new Uint8Array(4096);
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 32); // control bytes: binary
    b[0] = 0x01;
    return b;
  },
  // corrupt codec data
  'tif-lzw-corrupt': () => stripTiff(4, 4, new Uint8Array([0x80, 0x7f, 0xff, 0xf0, 0x00, 0x00]), { compression: 5 }),
  'tif-lzw-short': () => stripTiff(64, 64, new Uint8Array([0x80, 0x00, 0x20, 0x20]), { compression: 5 }),
  'tif-packbits-short': () => stripTiff(64, 64, new Uint8Array([0x81, 0x07]), { compression: 32773 }),

  // GeoJSON derived from the samples
  'geojson-truncated': () => sample('coast_10x14.geojson').slice(0, 2000),
  'geojson-latin1': () => {
    const t = enc(
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"S?o Lu?s"},"geometry":{"type":"Point","coordinates":[0,0]}}]}',
    );
    t[t.indexOf(0x3f)] = 0xe3; // Latin-1 'ã', not UTF-8
    return t;
  },
  'geojson-utf16': () => {
    const s = '{"type":"FeatureCollection","features":[]}';
    const b = new Uint8Array(2 + s.length * 2);
    b.set([0xff, 0xfe]);
    for (let i = 0; i < s.length; i++) b[2 + i * 2] = s.charCodeAt(i);
    return b;
  },
  'geojson-deep-coordinates': () =>
    enc(
      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[${'['.repeat(50_000)}1${']'.repeat(50_000)},2]}}]}`,
    ),
  'geojson-huge-coordinate-array': () =>
    enc(
      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[[${Array.from({ length: 200_000 }, (_, i) => i).join(',')}],1]}}]}`,
    ),
  'geojson-long-type': () => enc(`{"type":"${'FeatureCollection'.repeat(60_000)}","features":[]}`),

  // records
  'record-long-string': () => recordWith({ model_name: 'A'.repeat(100_000) }),
  'record-deep': () => recordWith({ parameters: { x: nested(40) } }),
  'record-many-logs': () => recordWith({ logs: new Array<string>(10_001).fill('x') }),
  'record-many-keys': () => recordWith({ parameters: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`p${i}`, i])) }),
  'record-newline-model': () => recordWith({ model_name: 'evil\nINJECTED: all good\u001b[2J', parameters: {} }),
  'record-huge-log-line': () => recordWith({ logs: ['x'.repeat(5_000_000)] }),

  // share links (the fragment as text)
  'link-not-run': () => enc('#share=eyJ2IjoxfQ'),
  'link-bad-chars': () => enc('#run=<script>alert(1)</script>'),
  'link-truncated': () => enc(encodeShareLink({ ...LINK_BASE }).slice(0, 40)),
  'link-not-deflate': () => enc(LINK_PREFIX + b64url(enc(JSON.stringify({ v: 1, model: 'game_of_life' })))),
  'link-not-json': () => enc(rawLink('function(){ return 1 }')),
  'link-not-utf8': () => enc(LINK_PREFIX + b64url(deflateSync(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))),
  'link-bomb': () => enc(LINK_PREFIX + b64url(deflateSync(new Uint8Array(3_000_000).fill(0x20), { level: 9 }))),
  'link-too-long': () => enc(LINK_PREFIX + 'A'.repeat(1_600_000)),
  'link-array': () => enc(rawLink('[1,2,3]')),
  'link-v2': () => enc(linkWith({ v: 2 })),
  'link-v-string': () => enc(linkWith({ v: '1' })),
  'link-unknown-model': () => enc(linkWith({ model: 'no_such_model' })),
  'link-script-model': () => enc(linkWith({ model: '<img src=x onerror=alert(1)>' })),
  'link-out-of-range': () => enc(linkWith({ parameters: { start_time: 1, end_time: -3 } })),
  'link-param-wrong-type': () => enc(linkWith({ parameters: { start_time: 1, end_time: 'eval("1")' } })),
  'link-params-not-object': () => enc(linkWith({ parameters: 'end_time=5' })),
  'link-proto': () => enc(rawLink('{"v":1,"model":"game_of_life","parameters":{"__proto__":{"polluted":1}}}')),
  'link-constructor': () => enc(rawLink('{"v":1,"model":"game_of_life","band_map":{"constructor":{"prototype":{"polluted":1}}}}')),
  'link-long-model': () => enc(linkWith({ model: 'm'.repeat(5000) })),
  'link-long-uri': () => enc(linkWith({ source: { uri: 'https://x/' + 'a'.repeat(20_000), sha256: '', name: '' } })),
  'link-bad-sha': () => enc(linkWith({ source: { uri: 'sample:x.tif', sha256: 'not-hex', name: '' } })),
  'link-unknown-field': () => enc(linkWith({ onload: 'alert(1)' })),
  'link-no-seed': () => enc(linkWith({ model: 'forest_fire_prob', parameters: {} })),
  'link-embedded-too-big': () => {
    const r = prng(3);
    const big = new Uint8Array(600 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = Math.floor(r() * 256);
    return enc(linkWith({ embedded: b64url(big) }));
  },
  'link-embedded-not-b64': () => enc(linkWith({ embedded: '<svg onload=alert(1)>' })),
};

/** The size of the large GeoJSON case (bytes, at least). */
export const LARGE_GEOJSON_BYTES = 100 * 1024 * 1024;

/**
 * Write a GeoJSON FeatureCollection of square polygons (a state column) of at least
 * `minBytes` to `path`, streamed (never all in memory). Resolves to its size and
 * feature count.
 */
export async function writeLargeGeoJson(path: string, minBytes = LARGE_GEOJSON_BYTES): Promise<{ bytes: number; features: number }> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let bytes = 0;
  let i = 0;
  const head = '{"type":"FeatureCollection","features":[\n';
  await write(head);
  bytes += head.length;
  while (bytes < minBytes) {
    let chunk = '';
    for (let k = 0; k < 2000; k++, i++) {
      const x = (i % 1000) * 10;
      const y = Math.floor(i / 1000) * 10;
      chunk +=
        `${i ? ',' : ''}{"type":"Feature","id":${i},"properties":{"state":${(i * 7) % 3 === 0 ? 1 : 0},"name":"cell ${i}"},` +
        `"geometry":{"type":"Polygon","coordinates":[[[${x},${y}],[${x + 10},${y}],[${x + 10},${y + 10}],[${x},${y + 10}],[${x},${y}]]]}}\n`;
    }
    await write(chunk);
    bytes += chunk.length;
  }
  await write(']}\n');
  bytes += 3;
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { bytes, features: i };
}

/** Write every generated case to `dir` as <name><ext>; returns the paths. */
export function writeGenerated(dir: string, ext: (name: string) => string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(generators).map(([name, make]) => {
    const p = join(dir, name + ext(name));
    writeFileSync(p, make());
    return p;
  });
}

const defaultExt = (name: string): string =>
  name.startsWith('tif-') ? '.tif' : name.startsWith('geojson-') ? '.geojson' : name.startsWith('record-') ? '.record.json' : '.txt';

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx tests/corpus/build.ts <dir> [--large]');
    process.exit(2);
  }
  const paths = writeGenerated(dir, defaultExt);
  console.log(`wrote ${paths.length} generated cases to ${dir}`);
  if (process.argv.includes('--large')) {
    const r = await writeLargeGeoJson(join(dir, 'geojson-100mb.geojson'));
    console.log(`wrote geojson-100mb.geojson: ${r.bytes} bytes, ${r.features} features`);
  }
}
