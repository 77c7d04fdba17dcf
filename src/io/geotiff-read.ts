/**
 * GeoTIFF → RasterDataset.
 *
 * The file structure (header, first IFD, tag values, strip/tile tables) is parsed
 * and validated here, with bounds checks on every offset, so that malformed input
 * gives a typed, readable error before anything large is allocated:
 * - FormatError: not a TIFF (says what the bytes look like), BigTIFF, truncated
 *   file, unsupported compression / sample type / layout, corrupt compressed data;
 * - LimitError: the declared size exceeds `maxCells` / `maxBytes`.
 * Anything unexpected thrown while decoding is wrapped into a FormatError that
 * keeps the original message.
 *
 * Pixel data: strips or tiles, chunky (PlanarConfiguration 1) or planar (2), all
 * bands, uint8/int8/uint16/int16/uint32/int32/float32/float64 (and float16, read
 * as float32); compression none (1), deflate (8, 32946; fflate, streamed and
 * stopped at the block size, with a per-file budget of inflated bytes), LZW (5) and
 * PackBits (32773) (decoded here, output bounded to the block size as well), so a
 * decompression bomb can exhaust neither memory nor time;
 * predictor 2 (horizontal, 8–64 bit) and 3 (floating point); little- and big-endian
 * files. Blocks are decoded one at a time and copied row-wise into the band arrays; a band the file
 * stores as it is held in memory (uncompressed, band-separate, contiguous, aligned, little-endian) is
 * not copied at all: its array is a view of the caller's bytes (see storedBand), so neither the bytes
 * nor the bands must be written to (models read their inputs into arrays of their own).
 *
 * Only the first image (IFD 0) is read; overviews and masks are ignored.
 *
 * Metadata: GDAL_NODATA (42113) applies to every band (as in GDAL); band names from
 * GDAL_METADATA (42112) per-band items `name` (DisSModel), then `DESCRIPTION`,
 * then `band_name`, else `band_<i>` (1-based); north-up georeferencing from
 * ModelPixelScale + ModelTiepoint or a rotation-free ModelTransformation (a
 * rotated/sheared/flipped one is kept whole in `affine`, with `transform: null`;
 * PixelIsPoint rasters are shifted by half a cell like GDAL does and flagged
 * `pixelIsPoint`); EPSG from ProjectedCSTypeGeoKey (3072), else
 * GeographicTypeGeoKey (2048), ignoring user-defined 32767. A CRS without an EPSG
 * code keeps its whole key directory (+ GeoDoubleParams / GeoAsciiParams) in
 * `geoKeys`, and a WKT in `crsWkt` where one can be derived (geotiff-georef.ts).
 */
import { hostInflate } from './inflate.ts';
import { DissError, FormatError, LimitError } from '../executor/errors.ts';
import { DTYPE_BYTES, allocate } from '../sim/dataset.ts';
import { MAX_RASTER_BYTES, MAX_RASTER_CELLS } from './limits.ts';
import type { AffineTransform, DType, GeoKeySet, GeoTransform, RasterBand, RasterDataset, TypedArray } from '../sim/dataset.ts';
import {
  GEO_ASCII_PARAMS,
  GEO_DOUBLE_PARAMS,
  affineOfModelTransformation,
  checkKeySet,
  epsgOfKeys,
  hasVerticalKeys,
  isPixelIsPoint,
  keysDescribeCrs,
  parseKeyDirectory,
  shortKeys,
  wktFromGeoKeys,
} from './geotiff-georef.ts';

export interface ReadGeoTiffOptions {
  /** Largest accepted width × height (default MAX_RASTER_CELLS). */
  maxCells?: number;
  /** Largest accepted decoded size of all bands together, in bytes (default MAX_RASTER_BYTES). */
  maxBytes?: number;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// TIFF tags used here
const T = {
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GDAL_METADATA: 42112,
  GDAL_NODATA: 42113,
} as const;

const TAG_NAMES: Record<number, string> = Object.fromEntries(Object.entries(T).map(([k, v]) => [v, k]));

const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none',
  2: 'CCITT modified Huffman RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'deflate',
  9: 'JBIG (T.85)',
  10: 'JBIG (T.43)',
  32766: 'NeXT RLE',
  32771: 'CCITT RLE word',
  32773: 'PackBits',
  32809: 'ThunderScan RLE',
  32946: 'deflate (PKZIP)',
  32947: 'Kodak DCS',
  34661: 'JBIG',
  34676: 'SGILog',
  34677: 'SGILog24',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  34926: 'ZSTD (old code)',
  34927: 'WebP (old code)',
  50000: 'ZSTD',
  50001: 'WebP',
  50002: 'JPEG XL',
};
const SUPPORTED_COMPRESSION = new Set([1, 5, 8, 32773, 32946]);

// TIFF field type sizes (1..13 classic, 16..18 BigTIFF's 8-byte types)
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Absolute position of the value bytes (inline or out-of-line). */
  at: number;
  size: number;
}

class Tiff {
  readonly dv: DataView;
  readonly entries = new Map<number, Entry>();
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(p: number): number {
    return this.dv.getUint16(p, this.le);
  }
  u32(p: number): number {
    return this.dv.getUint32(p, this.le);
  }
  has(tag: number): boolean {
    return this.entries.has(tag);
  }
  private entryBytes(e: Entry): void {
    if (e.at + e.size > this.bytes.length) {
      throw new FormatError(
        `The TIFF is truncated or corrupt: the value of tag ${tagName(e.tag)} lies at bytes ${e.at}–${e.at + e.size - 1}, ` +
          `but the file has only ${this.bytes.length} bytes.`,
      );
    }
  }
  /** Numeric values of a tag (RATIONALs as quotients), or null when absent. */
  numbers(tag: number): number[] | null {
    const e = this.entries.get(tag);
    if (!e) return null;
    this.entryBytes(e);
    const { dv, le } = this;
    const out = new Array<number>(e.count);
    const at = e.at;
    for (let i = 0; i < e.count; i++) {
      switch (e.type) {
        case 1:
        case 2:
        case 7:
          out[i] = dv.getUint8(at + i);
          break;
        case 6:
          out[i] = dv.getInt8(at + i);
          break;
        case 3:
          out[i] = dv.getUint16(at + i * 2, le);
          break;
        case 8:
          out[i] = dv.getInt16(at + i * 2, le);
          break;
        case 4:
        case 13:
          out[i] = dv.getUint32(at + i * 4, le);
          break;
        case 9:
          out[i] = dv.getInt32(at + i * 4, le);
          break;
        case 5:
          out[i] = dv.getUint32(at + i * 8, le) / dv.getUint32(at + i * 8 + 4, le);
          break;
        case 10:
          out[i] = dv.getInt32(at + i * 8, le) / dv.getInt32(at + i * 8 + 4, le);
          break;
        case 11:
          out[i] = dv.getFloat32(at + i * 4, le);
          break;
        case 12:
          out[i] = dv.getFloat64(at + i * 8, le);
          break;
        case 16:
        case 18:
          out[i] = Number(dv.getBigUint64(at + i * 8, le));
          break;
        case 17:
          out[i] = Number(dv.getBigInt64(at + i * 8, le));
          break;
        default:
          throw new FormatError(`Tag ${tagName(tag)} has an unknown field type ${e.type}.`);
      }
    }
    return out;
  }
  number(tag: number): number | null {
    const v = this.numbers(tag);
    return v && v.length > 0 ? v[0] : null;
  }
  /** Text of an ASCII (or BYTE/UNDEFINED) tag without trailing NULs, or null. */
  text(tag: number): string | null {
    const e = this.entries.get(tag);
    if (!e) return null;
    if (e.type !== 2 && e.type !== 1 && e.type !== 7) return null;
    this.entryBytes(e);
    const raw = this.bytes.subarray(e.at, e.at + e.size);
    let end = raw.length;
    while (end > 0 && raw[end - 1] === 0) end--;
    return new TextDecoder('utf-8').decode(raw.subarray(0, end));
  }
}

function tagName(tag: number): string {
  const n = TAG_NAMES[tag];
  return n ? `${n} (${tag})` : String(tag);
}

function errMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

// ---------------------------------------------------------------------------
// header

function hex(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

/** A short description of what non-TIFF bytes look like. */
export function describeBytes(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return 'a ZIP archive (unzip it and use the .tif inside)';
  }
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip-compressed data (decompress it first)';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(bytes, [0x43, 0x44, 0x46]) || startsWith(bytes, [0x89, 0x48, 0x44, 0x46])) return 'a NetCDF/HDF file';
  if (
    startsWith(
      bytes,
      Array.from('SQLite format 3', (c) => c.charCodeAt(0)),
    )
  )
    return 'an SQLite database (GeoPackage?)';
  let i = 0;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const head = new TextDecoder('utf-8').decode(bytes.subarray(i, i + 64));
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON text';
  const lower = head.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) {
    return 'an HTML page (perhaps an error or login page instead of the file)';
  }
  if (lower.startsWith('<?xml') || lower.startsWith('<')) return 'XML text';
  const sample = bytes.subarray(0, Math.min(bytes.length, 64));
  let printable = 0;
  for (const b of sample) if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x80) printable++;
  if (sample.length > 0 && printable === sample.length) {
    const text = head.replace(/\s+/g, ' ').trim().slice(0, 24);
    return `text starting with "${text}"`;
  }
  return 'binary data that is not a TIFF';
}

function parseHeader(bytes: Uint8Array): Tiff {
  if (bytes.length === 0) throw new FormatError('The file is empty (0 bytes); expected a GeoTIFF.');
  const b0 = bytes[0];
  const b1 = bytes[1];
  const order = b0 === 0x49 && b1 === 0x49 ? 'II' : b0 === 0x4d && b1 === 0x4d ? 'MM' : null;
  if (order === null || bytes.length < 4) {
    if (order !== null) {
      throw new FormatError(`The TIFF is truncated: the file has only ${bytes.length} bytes, fewer than the 8-byte TIFF header.`);
    }
    throw new FormatError(
      `Not a TIFF file: it looks like ${describeBytes(bytes)} (first bytes: ${hex(bytes, 8)}). ` +
        `A GeoTIFF starts with "II*\\0" or "MM\\0*".`,
    );
  }
  const le = order === 'II';
  const magic = le ? bytes[2] | (bytes[3] << 8) : (bytes[2] << 8) | bytes[3];
  if (magic === 43) {
    throw new FormatError(
      'This is a BigTIFF file, which is not supported. Convert it to a classic GeoTIFF, e.g. ' +
        '`gdal_translate -co BIGTIFF=NO in.tif out.tif` (the raster must then be under 4 GiB).',
    );
  }
  if (magic !== 42) {
    throw new FormatError(
      `Not a TIFF file: it starts with "${order}" but the TIFF magic number is ${magic}, not 42 (first bytes: ${hex(bytes, 8)}).`,
    );
  }
  if (bytes.length < 8) {
    throw new FormatError(`The TIFF is truncated: the file has only ${bytes.length} bytes, fewer than the 8-byte TIFF header.`);
  }
  const tiff = new Tiff(bytes, le);
  const ifd = tiff.u32(4);
  if (ifd < 8 || ifd + 2 > bytes.length) {
    throw new FormatError(
      `The TIFF is truncated or corrupt: its image directory is said to start at byte ${ifd}, but the file has ${bytes.length} bytes.`,
    );
  }
  const n = tiff.u16(ifd);
  if (n === 0) throw new FormatError('The TIFF is corrupt: its first image directory has no entries.');
  if (ifd + 2 + n * 12 > bytes.length) {
    throw new FormatError(
      `The TIFF is truncated: its image directory (${n} entries at byte ${ifd}) ends at byte ${ifd + 2 + n * 12}, ` +
        `but the file has only ${bytes.length} bytes.`,
    );
  }
  for (let k = 0; k < n; k++) {
    const p = ifd + 2 + k * 12;
    const tag = tiff.u16(p);
    const type = tiff.u16(p + 2);
    const count = tiff.u32(p + 4);
    const ts = TYPE_SIZE[type];
    if (ts === undefined) continue; // unknown field types are to be ignored (TIFF 6.0)
    const size = count * ts;
    const at = size <= 4 ? p + 8 : tiff.u32(p + 8);
    if (!tiff.entries.has(tag)) tiff.entries.set(tag, { tag, type, count, at, size });
  }
  return tiff;
}

// ---------------------------------------------------------------------------
// sample types

interface SampleType {
  dtype: DType;
  /** Bytes per sample in the file (2 for float16, which is returned as float32). */
  fileBytes: number;
  half: boolean;
}

function sampleType(format: number, bits: number, band: number): SampleType {
  const unsupported = (what: string): never => {
    throw new FormatError(
      `Unsupported sample type in band ${band}: ${what}. Supported are uint8, int8, uint16, int16, uint32, int32, ` +
        `float32 and float64 (convert with e.g. \`gdal_translate -ot Float32 in.tif out.tif\`).`,
    );
  };
  if (format === 5 || format === 6) return unsupported(`complex numbers (SampleFormat ${format}, ${bits} bits)`);
  if (format !== 1 && format !== 2 && format !== 3 && format !== 4) return unsupported(`unknown SampleFormat ${format}`);
  if (format === 3) {
    if (bits === 32) return { dtype: 'float32', fileBytes: 4, half: false };
    if (bits === 64) return { dtype: 'float64', fileBytes: 8, half: false };
    if (bits === 16) return { dtype: 'float32', fileBytes: 2, half: true };
    return unsupported(`${bits}-bit floating point`);
  }
  const signed = format === 2;
  if (bits === 8) return { dtype: signed ? 'int8' : 'uint8', fileBytes: 1, half: false };
  if (bits === 16) return { dtype: signed ? 'int16' : 'uint16', fileBytes: 2, half: false };
  if (bits === 32) return { dtype: signed ? 'int32' : 'uint32', fileBytes: 4, half: false };
  if (bits === 64) return unsupported(`64-bit ${signed ? 'signed' : 'unsigned'} integers`);
  return unsupported(`${bits}-bit ${signed ? 'signed' : 'unsigned'} integers (only 8, 16 and 32-bit integers are read)`);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

// ---------------------------------------------------------------------------
// metadata

/** GDAL's textual nodata ("-9999", "nan", "inf", "-inf", …) as a number, or null when unparsable. */
export function parseNodata(text: string): number | null {
  // Trailing NULs stripped with a loop: /\0+$/ is quadratic on NUL runs followed by text.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  if (end > 256) return null; // no number is written with more characters
  const s = text.slice(0, end).trim();
  if (s === '') return null;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^\+?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, ent: string) => {
    switch (ent) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

interface MetadataItem {
  name: string;
  sample: number | null;
  role: string | null;
  value: string;
}

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/**
 * `name="value"` / `name='value'` pairs of a tag, as the regex
 * /([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g finds them, but in linear time
 * (that regex backtracks quadratically on long runs of name characters).
 */
function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  const lastQuote: Record<string, number> = { '"': text.lastIndexOf('"'), "'": text.lastIndexOf("'") };
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isNameStart(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    let k = j;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    if (text.charAt(k) !== '=') {
      i = j;
      continue;
    }
    k++;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    const q = text.charAt(k);
    const end = (q === '"' || q === "'") && lastQuote[q] > k ? text.indexOf(q, k + 1) : -1;
    if (end < 0) {
      i = k;
      continue;
    }
    attrs[text.slice(i, j)] = xmlUnescape(text.slice(k + 1, end));
    i = end + 1;
  }
  return attrs;
}

/** The `<Item>`s of GDAL's metadata XML (tag 42112). */
export function parseGdalMetadata(xml: string): MetadataItem[] {
  const items: MetadataItem[] = [];
  // A scan with indexOf, linear in the text: the regex /<Item\b([^>]*)>([\s\S]*?)<\/Item\s*>/g
  // took quadratic time on many unclosed <Item> tags (a hang on a hostile file).
  let pos = 0;
  for (;;) {
    const start = xml.indexOf('<Item', pos);
    if (start < 0) break;
    if (/[\w]/.test(xml.charAt(start + 5))) {
      pos = start + 5; // <Items…, not an <Item>
      continue;
    }
    const gt = xml.indexOf('>', start + 5);
    if (gt < 0) break;
    let close = xml.indexOf('</Item', gt + 1);
    let closeEnd = -1;
    while (close >= 0) {
      let k = close + 6;
      while (k < xml.length && /\s/.test(xml.charAt(k))) k++;
      if (xml.charAt(k) === '>') {
        closeEnd = k + 1;
        break;
      }
      close = xml.indexOf('</Item', close + 6);
    }
    if (closeEnd < 0) break; // no closing tag after this point: no more items
    pos = closeEnd;
    const attrs = parseAttributes(xml.slice(start + 5, gt));
    if (attrs.name === undefined) continue;
    const sample = attrs.sample !== undefined && /^\s*\d+\s*$/.test(attrs.sample) ? Number(attrs.sample) : null;
    items.push({ name: attrs.name, sample, role: attrs.role ?? null, value: xmlUnescape(xml.slice(gt + 1, close)) });
  }
  return items;
}

function bandNames(items: MetadataItem[], nBands: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < nBands; i++) {
    const own = items.filter((it) => it.sample === i);
    const pick = (pred: (it: MetadataItem) => boolean): string | null => {
      const it = own.find((x) => pred(x) && x.value.trim() !== '');
      return it ? it.value.trim() : null;
    };
    names.push(
      pick((it) => it.name === 'name') ??
        pick((it) => it.name.toUpperCase() === 'DESCRIPTION' || it.role === 'description') ??
        pick((it) => it.name === 'band_name') ??
        `band_${i + 1}`,
    );
  }
  return names;
}

interface Georeferencing {
  transform: GeoTransform | null;
  affine: AffineTransform | null;
  epsg: number | null;
  geoKeys: GeoKeySet | null;
  crsWkt: string | null;
  pixelIsPoint: boolean;
}

/** CRS, transform and raster type from the GeoTIFF tags (see geotiff-georef.ts for what is kept). */
function georeferencing(tiff: Tiff): Georeferencing {
  const dir = tiff.numbers(T.GeoKeyDirectory);
  const entries = parseKeyDirectory(dir);
  const keys = shortKeys(entries);
  const epsg = epsgOfKeys(keys);
  const pixelIsPoint = isPixelIsPoint(keys);
  let geoKeys: GeoKeySet | null = null;
  let crsWkt: string | null = null;
  if (dir && keysDescribeCrs(entries) && (epsg === null || hasVerticalKeys(entries))) {
    const ascii = tiff.text(GEO_ASCII_PARAMS) ?? '';
    geoKeys = { directory: dir.slice(0, 4 + entries.length * 4), doubles: tiff.numbers(GEO_DOUBLE_PARAMS) ?? [], ascii };
    geoKeys.directory[3] = entries.length;
    checkKeySet(geoKeys);
    crsWkt = wktFromGeoKeys(geoKeys);
  }
  const { transform, affine } = transformOf(tiff, pixelIsPoint);
  return { transform, affine, epsg, geoKeys, crsWkt, pixelIsPoint };
}

function transformOf(tiff: Tiff, pixelIsPoint: boolean): { transform: GeoTransform | null; affine: AffineTransform | null } {
  let t: GeoTransform | null = null;
  let affine: AffineTransform | null = null;
  const scale = tiff.numbers(T.ModelPixelScale);
  const tie = tiff.numbers(T.ModelTiepoint);
  if (scale && scale.length >= 2 && tie && tie.length >= 6) {
    // With a pixel scale, the first tie point anchors the grid.
    const [i, j, , x, y] = tie;
    const sx = scale[0];
    const sy = scale[1];
    if (sx > 0 && sy > 0) t = { originX: x - i * sx, originY: y + j * sy, pixelWidth: sx, pixelHeight: sy };
  } else {
    const m = tiff.numbers(T.ModelTransformation);
    if (m && m.length >= 8) {
      const [a, b, , d, e, f, , h] = m;
      if (b === 0 && e === 0 && a > 0 && f < 0) {
        t = { originX: d, originY: h, pixelWidth: a, pixelHeight: -f };
      } else {
        // Rotated, sheared or flipped: kept whole (GDAL's six terms), never dropped.
        affine = affineOfModelTransformation(m, pixelIsPoint);
        if (!affine.every(Number.isFinite) || affine[1] * affine[5] - affine[2] * affine[4] === 0) {
          throw new FormatError(
            `The TIFF's ModelTransformation [${m.slice(0, 8).join(', ')}] is not a usable georeferencing (infinite or degenerate).`,
          );
        }
      }
    }
  }
  if (t && pixelIsPoint) {
    // GDAL's default for PixelIsPoint: the tie point is a cell centre.
    t = { ...t, originX: t.originX - t.pixelWidth / 2, originY: t.originY + t.pixelHeight / 2 };
  }
  if (t && ![t.originX, t.originY, t.pixelWidth, t.pixelHeight].every(Number.isFinite)) t = null;
  return { transform: t, affine };
}

// ---------------------------------------------------------------------------
// block decoding

interface Layout {
  width: number;
  height: number;
  spp: number;
  types: SampleType[];
  planar: 1 | 2;
  compression: number;
  predictor: number;
  tiled: boolean;
  blockW: number;
  blockH: number;
  across: number;
  down: number;
  offsets: number[];
  counts: number[];
}

/**
 * TIFF LZW (MSB-first codes, 9–12 bits, "early change"), the algorithm of geotiff.js's
 * decoder, writing into a buffer of `need` bytes: decoding stops when it is full, so
 * the output never exceeds the block size (geotiff.js grows a JS array without bound,
 * and a small hostile strip could expand to gigabytes and kill the process).
 * Returns the bytes decoded (fewer than `need` when the stream ends early).
 */
export function lzwDecode(src: Uint8Array, need: number): Uint8Array {
  const CLEAR = 256;
  const EOI = 257;
  const out = new Uint8Array(need);
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  let bitPos = 0;
  let bits = 9;
  let dictLen = 258;
  let o = 0;
  let old = -1;
  const next = (): number => {
    const byte = bitPos >>> 3;
    if (byte >= src.length) return EOI; // ran off the end: treat as the end (a code cut short reads as zero bits)
    const word = (src[byte] << 16) | ((src[byte + 1] ?? 0) << 8) | (src[byte + 2] ?? 0);
    const v = (word >>> (24 - (bitPos & 7) - bits)) & ((1 << bits) - 1);
    bitPos += bits;
    return v;
  };
  const emit = (code: number): void => {
    const len = length[code];
    let c = code;
    for (let k = len - 1; k >= 0; k--) {
      if (o + k < need) out[o + k] = suffix[c];
      c = prefix[c];
    }
    o += len;
  };
  const add = (prev: number, ch: number): void => {
    if (dictLen >= 4096) return;
    prefix[dictLen] = prev;
    suffix[dictLen] = ch;
    first[dictLen] = first[prev];
    length[dictLen] = length[prev] + 1;
    dictLen++;
  };
  let code = next();
  while (code !== EOI && o < need) {
    if (code === CLEAR) {
      dictLen = 258;
      bits = 9;
      do code = next();
      while (code === CLEAR);
      if (code === EOI) break;
      if (code > CLEAR) throw new Error(`corrupt LZW code ${code} after a clear code`);
      emit(code);
      old = code;
    } else if (code < dictLen) {
      emit(code);
      if (old >= 0) add(old, first[code]);
      old = code;
    } else {
      if (old < 0) throw new Error(`invalid LZW code ${code} with no previous code`);
      if (code > dictLen) throw new Error(`LZW code ${code} is beyond the table (${dictLen} entries)`);
      add(old, first[old]);
      emit(dictLen - 1);
      old = code;
    }
    if (dictLen + 1 >= 1 << bits) {
      if (bits === 12) old = -1;
      else bits++;
    }
    code = next();
  }
  return o >= need ? out : out.subarray(0, o);
}

/** PackBits (TIFF 32773) into a buffer of `need` bytes; stops when it is full. */
export function packBitsDecode(src: Uint8Array, need: number): Uint8Array {
  const out = new Uint8Array(need);
  let o = 0;
  let i = 0;
  while (i < src.length && o < need) {
    const h = (src[i++] << 24) >> 24;
    if (h >= 0) {
      const n = Math.min(h + 1, need - o, src.length - i);
      out.set(src.subarray(i, i + n), o);
      o += n;
      i += h + 1;
    } else if (h !== -128) {
      if (i >= src.length) break;
      const n = Math.min(1 - h, need - o);
      out.fill(src[i++], o, o + n);
      o += n;
    }
  }
  return o >= need ? out : out.subarray(0, o);
}

/** How many bytes the deflate streams of one file may inflate to, in all (see inflateBounded). */
export interface InflateBudget {
  left: number;
}

const INFLATE_CHUNK = 64 * 1024;

type Fflate = typeof import('fflate');
/** fflate, imported the first time a stream is not the host's to inflate (with Node's zlib, seldom). */
const fflateModule = (): Promise<Fflate> => import('fflate');

/**
 * Deflate / zlib into a buffer of `need` bytes, fed in chunks, stopping as soon as
 * the buffer is full. fflate's one-shot inflate into a fixed buffer drops what does
 * not fit but still inflates the whole stream: a 1 MB strip of a bomb is 1 GB of
 * work, a 512 MB file half a terabyte (a hang). Here the work per block is at most
 * its size plus one chunk's expansion, and every file has a budget of inflated bytes
 * (twice what its blocks need, plus 4 MiB) that no stream can go beyond.
 */
function inflateBounded(fflate: Fflate, raw: Uint8Array, need: number, zlib: boolean, budget: InflateBudget): Uint8Array {
  const out = new Uint8Array(need);
  let o = 0;
  const full = new Error('full');
  const sink = (chunk: Uint8Array) => {
    budget.left -= chunk.length;
    if (budget.left < 0) {
      throw new LimitError("The TIFF's compressed data inflates far beyond the size of its raster (a decompression bomb); it is refused.");
    }
    const n = Math.min(chunk.length, need - o);
    if (n > 0) out.set(n === chunk.length ? chunk : chunk.subarray(0, n), o);
    o += n;
    if (o >= need) throw full;
  };
  const stream = zlib ? new fflate.Unzlib(sink) : new fflate.Inflate(sink);
  try {
    if (need > 0) {
      if (raw.length === 0) stream.push(raw, true);
      // A push inflates at most 1032× its size (deflate's largest ratio) before the sink sees it:
      // smaller pushes while the budget is small keep a bomb's first bite small too.
      for (let i = 0; i < raw.length;) {
        const step = Math.max(1024, Math.min(INFLATE_CHUNK, Math.floor(budget.left / 1032)));
        stream.push(raw.subarray(i, i + step), i + step >= raw.length);
        i += step;
      }
    }
  } catch (e) {
    if (e !== full) throw e;
  }
  return o >= need ? out : out.subarray(0, o);
}

/**
 * The host's inflate (src/io/inflate.ts) when it gives exactly what inflateBounded would: the whole
 * stream, `need` bytes long, within the budget (which it then spends as inflateBounded does). A shorter
 * or longer stream, a corrupt one or an exhausted budget: null, and inflateBounded decides as always.
 */
async function hostInflated(raw: Uint8Array, need: number, zlib: boolean, budget: InflateBudget): Promise<Uint8Array | null> {
  const inflate = hostInflate();
  if (!inflate || need <= 0 || need > budget.left) return null;
  const out = await inflate(raw, zlib, need);
  if (!out || out.length !== need) return null;
  budget.left -= need;
  return out;
}

async function decompress(raw: Uint8Array, layout: Layout, need: number, what: string, budget: InflateBudget): Promise<Uint8Array> {
  const c = layout.compression;
  if (c === 1) return raw;
  try {
    if (c === 8 || c === 32946) {
      const zlib = raw.length >= 2 && (raw[0] & 0x0f) === 8 && raw[0] >> 4 <= 7 && ((raw[0] << 8) | raw[1]) % 31 === 0;
      if (zlib && raw.length < 8 && need > 0) throw new Error('stream too short');
      return (await hostInflated(raw, need, zlib, budget)) ?? inflateBounded(await fflateModule(), raw, need, zlib, budget);
    }
    // predictors are applied by the caller, endianness-aware
    if (c === 5) return lzwDecode(raw, need);
    if (c === 32773) return packBitsDecode(raw, need);
    throw new FormatError(`Unsupported TIFF compression ${c}.`);
  } catch (e) {
    if (e instanceof DissError) throw e;
    throw new FormatError(`The ${COMPRESSION_NAMES[c] ?? c}-compressed data of ${what} is corrupt: ${errMessage(e)}.`);
  }
}

/** Reverse byte order of each sample in place (file big-endian → little-endian). */
function swapSamples(d: Uint8Array, pixels: number, sizes: number[]): void {
  let p = 0;
  for (let i = 0; i < pixels; i++) {
    for (let s = 0; s < sizes.length; s++) {
      const n = sizes[s];
      for (let a = p, b = p + n - 1; a < b; a++, b--) {
        const t = d[a];
        d[a] = d[b];
        d[b] = t;
      }
      p += n;
    }
  }
}

/** Horizontal differencing (predictor 2) on little-endian samples of `bs` bytes, `spb` samples per pixel. */
function undoPredictor2(d: Uint8Array, rows: number, rowPixels: number, spb: number, bs: number): void {
  const rowBytes = rowPixels * spb * bs;
  const step = spb * bs;
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    const end = base + rowBytes;
    if (bs === 1) {
      for (let p = base + step; p < end; p++) d[p] = (d[p] + d[p - step]) & 0xff;
    } else {
      for (let p = base + step; p < end; p += bs) {
        let carry = 0;
        for (let k = 0; k < bs; k++) {
          const s = d[p + k] + d[p - step + k] + carry;
          d[p + k] = s & 0xff;
          carry = s >> 8;
        }
      }
    }
  }
}

/** Floating-point predictor (3): byte-wise differencing over byte planes; output little-endian. */
function undoPredictor3(d: Uint8Array, rows: number, rowPixels: number, spb: number, bs: number): void {
  const wc = rowPixels * spb;
  const rowBytes = wc * bs;
  const tmp = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    const end = base + rowBytes;
    for (let p = base + spb; p < end; p++) d[p] = (d[p] + d[p - spb]) & 0xff;
    tmp.set(d.subarray(base, end));
    for (let i = 0; i < wc; i++) {
      const o = base + i * bs;
      for (let b = 0; b < bs; b++) d[o + b] = tmp[(bs - b - 1) * wc + i];
    }
  }
}

// ---------------------------------------------------------------------------

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

/** Whether a band of this type can hold `v` exactly (floats hold any number, NaN and ±inf included). */
function representable(dtype: DType, v: number): boolean {
  const range = INT_RANGE[dtype];
  return !range || (Number.isInteger(v) && v >= range[0] && v <= range[1]);
}

function positiveInt(v: number | null, what: string): number {
  if (v === null) throw new FormatError(`The TIFF has no ${what} tag.`);
  if (!Number.isInteger(v) || v < 1) throw new FormatError(`The TIFF declares an invalid ${what} of ${v}.`);
  return v;
}

function perSample(values: number[] | null, spp: number, dflt: number, what: string): number[] {
  if (!values || values.length === 0) return new Array<number>(spp).fill(dflt);
  if (values.length >= spp) return values.slice(0, spp);
  if (values.length === 1) return new Array<number>(spp).fill(values[0]);
  throw new FormatError(`The TIFF's ${what} tag has ${values.length} values for ${spp} samples per pixel.`);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Band `s` as a typed-array view of the file's own bytes, when the file stores it exactly as it is held
 * in memory: uncompressed, no predictor, a band of its own (one sample per pixel, or band-separate),
 * full-width strips following one another in the file, little-endian (or bytes) on a little-endian
 * host, aligned to its sample size, not half floats. Else null (the band is decoded into its own array).
 * A view costs no copy and no second buffer, but shares the caller's bytes: neither must be written to.
 */
function storedBand(
  bytes: Uint8Array,
  le: boolean,
  t: SampleType,
  s: number,
  l: {
    spp: number;
    planar: 1 | 2;
    compression: number;
    predictor: number;
    tiled: boolean;
    width: number;
    height: number;
    blockH: number;
    offsets: readonly number[];
    counts: readonly number[];
  },
): TypedArray | null {
  const bs = t.fileBytes;
  if (l.compression !== 1 || l.predictor !== 1 || l.tiled || t.half || !HOST_LITTLE_ENDIAN || (!le && bs > 1)) return null;
  if (l.spp !== 1 && l.planar !== 2) return null;
  const down = Math.ceil(l.height / l.blockH);
  const first = s * down; // band s's strips (planar 2), or the only band's
  const start = l.offsets[first];
  const stripBytes = l.width * l.blockH * bs;
  for (let by = 0; by < down; by++) {
    const rows = Math.min(l.blockH, l.height - by * l.blockH);
    if (l.offsets[first + by] !== start + by * stripBytes || l.counts[first + by] < l.width * rows * bs) return null;
  }
  const at = bytes.byteOffset + start;
  const cells = l.width * l.height;
  if (at % bs !== 0 || start + cells * bs > bytes.length) return null;
  return viewOf(t.dtype, bytes.buffer, at, cells);
}

function viewOf(dtype: DType, buffer: ArrayBufferLike, at: number, length: number): TypedArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(buffer, at, length);
    case 'int8':
      return new Int8Array(buffer, at, length);
    case 'uint16':
      return new Uint16Array(buffer, at, length);
    case 'int16':
      return new Int16Array(buffer, at, length);
    case 'uint32':
      return new Uint32Array(buffer, at, length);
    case 'int32':
      return new Int32Array(buffer, at, length);
    case 'float32':
      return new Float32Array(buffer, at, length);
    case 'float64':
      return new Float64Array(buffer, at, length);
  }
}

/**
 * Read the first image of a (Geo)TIFF into a RasterDataset. See the module
 * comment for what is supported. Throws FormatError or LimitError (never a raw
 * TypeError/RangeError) for bad input.
 */
export async function readGeoTiff(bytes: Uint8Array, opts: ReadGeoTiffOptions = {}): Promise<RasterDataset> {
  try {
    return await readInner(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes as ArrayBufferLike), opts);
  } catch (e) {
    if (e instanceof DissError) throw e;
    throw new FormatError(`Cannot read the GeoTIFF: ${errMessage(e)}`);
  }
}

async function readInner(bytes: Uint8Array, opts: ReadGeoTiffOptions): Promise<RasterDataset> {
  const maxCells = opts.maxCells ?? MAX_RASTER_CELLS;
  const maxBytes = opts.maxBytes ?? MAX_RASTER_BYTES;
  const tiff = parseHeader(bytes);

  const width = positiveInt(tiff.number(T.ImageWidth), 'ImageWidth');
  const height = positiveInt(tiff.number(T.ImageLength), 'ImageLength');
  const cells = width * height;
  if (cells > maxCells) {
    throw new LimitError(
      `The raster is ${fmt(width)} × ${fmt(height)} = ${fmt(cells)} cells, over the limit of ${fmt(maxCells)} cells per band. ` +
        `Crop or resample it first (e.g. gdal_translate -outsize / -srcwin).`,
    );
  }
  const spp = positiveInt(tiff.number(T.SamplesPerPixel) ?? 1, 'SamplesPerPixel');
  const bits = perSample(tiff.numbers(T.BitsPerSample), spp, 1, 'BitsPerSample');
  const formats = perSample(tiff.numbers(T.SampleFormat), spp, 1, 'SampleFormat');
  const types = bits.map((b, i) => sampleType(formats[i], b, i + 1));
  let totalBytes = 0;
  for (const t of types) totalBytes += cells * (DTYPE_BYTES[t.dtype] + (t.half ? 2 : 0));
  if (totalBytes > maxBytes) {
    throw new LimitError(
      `The raster's ${spp} band(s) of ${fmt(width)} × ${fmt(height)} cells need ${fmt(totalBytes)} bytes decoded, ` +
        `over the limit of ${fmt(maxBytes)} bytes.`,
    );
  }

  const compression = tiff.number(T.Compression) ?? 1;
  if (!SUPPORTED_COMPRESSION.has(compression)) {
    const name = COMPRESSION_NAMES[compression];
    throw new FormatError(
      `Unsupported TIFF compression ${compression}${name ? ` (${name})` : ''}. Supported are none, deflate, LZW and PackBits; ` +
        `re-save with e.g. \`gdal_translate -co COMPRESS=DEFLATE in.tif out.tif\`.`,
    );
  }
  const planarRaw = tiff.number(T.PlanarConfiguration) ?? 1;
  if (planarRaw !== 1 && planarRaw !== 2) throw new FormatError(`Invalid PlanarConfiguration ${planarRaw} (expected 1 or 2).`);
  const planar: 1 | 2 = spp === 1 ? 1 : planarRaw;
  const predictor = tiff.number(T.Predictor) ?? 1;
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) throw new FormatError(`Unsupported TIFF predictor ${predictor}.`);
  if (predictor !== 1) {
    const sizes = new Set(types.map((t) => t.fileBytes));
    if (planar === 1 && sizes.size > 1) {
      throw new FormatError('Unsupported TIFF: a predictor with samples of different sizes in one pixel.');
    }
    if (predictor === 3 && types.some((t) => t.dtype !== 'float32' && t.dtype !== 'float64')) {
      throw new FormatError('Invalid TIFF: the floating-point predictor (3) on integer samples.');
    }
  }

  const tiled = tiff.has(T.TileOffsets) || (tiff.has(T.TileWidth) && !tiff.has(T.StripOffsets));
  let blockW: number;
  let blockH: number;
  let offsets: number[] | null;
  let counts: number[] | null;
  if (tiled) {
    blockW = positiveInt(tiff.number(T.TileWidth), 'TileWidth');
    blockH = positiveInt(tiff.number(T.TileLength), 'TileLength');
    offsets = tiff.numbers(T.TileOffsets);
    counts = tiff.numbers(T.TileByteCounts);
  } else {
    blockW = width;
    const rps = tiff.number(T.RowsPerStrip);
    blockH = rps === null || !Number.isFinite(rps) || rps < 1 || rps > height ? height : Math.floor(rps);
    offsets = tiff.numbers(T.StripOffsets);
    counts = tiff.numbers(T.StripByteCounts);
  }
  if (!offsets) throw new FormatError('The TIFF has no image data (neither StripOffsets nor TileOffsets).');
  const across = Math.ceil(width / blockW);
  const down = Math.ceil(height / blockH);
  const planes = planar === 2 ? spp : 1;
  const nBlocks = across * down * planes;
  const what = tiled ? 'tile' : 'strip';
  if (offsets.length < nBlocks) {
    throw new FormatError(`The TIFF is corrupt: it needs ${nBlocks} ${what}s but lists only ${offsets.length} ${what} offsets.`);
  }
  const pixelBytesOf = (plane: number): number => (planar === 2 ? types[plane].fileBytes : types.reduce((s, t) => s + t.fileBytes, 0));
  const fullBlockBytes = blockW * blockH * pixelBytesOf(0);
  if (tiled && fullBlockBytes > maxBytes) {
    throw new LimitError(`The TIFF's tiles of ${fmt(blockW)} × ${fmt(blockH)} pixels are too large (${fmt(fullBlockBytes)} bytes each).`);
  }
  if (!counts) {
    if (compression !== 1) throw new FormatError(`The TIFF has no ${tiled ? 'TileByteCounts' : 'StripByteCounts'} tag.`);
    counts = [];
    for (let i = 0; i < nBlocks; i++) {
      const plane = Math.floor(i / (across * down));
      const by = Math.floor((i % (across * down)) / across);
      const rows = tiled ? blockH : Math.min(blockH, height - by * blockH);
      counts.push(blockW * rows * pixelBytesOf(plane));
    }
  }
  if (counts.length < nBlocks) {
    throw new FormatError(`The TIFF is corrupt: it needs ${nBlocks} ${what}s but lists only ${counts.length} byte counts.`);
  }
  for (let i = 0; i < nBlocks; i++) {
    const end = offsets[i] + counts[i];
    if (counts[i] > 0 && end > bytes.length) {
      throw new FormatError(
        `The TIFF is truncated: ${what} ${i + 1} of ${nBlocks} lies at bytes ${offsets[i]}–${end - 1}, ` +
          `but the file has only ${bytes.length} bytes.`,
      );
    }
  }

  // metadata (read before the pixels: cheap, and errors surface early)
  const nodataText = tiff.text(T.GDAL_NODATA);
  const nodata = nodataText === null ? null : parseNodata(nodataText);
  const xml = tiff.text(T.GDAL_METADATA);
  const items = xml ? parseGdalMetadata(xml) : [];
  const names = bandNames(items, spp);
  const datasetItems = items.filter((it) => it.sample === null && it.role === null);
  const georef = georeferencing(tiff);

  // allocate the bands (storage type: half floats are first gathered as uint16); a band stored as it is
  // held in memory, in one run of bytes, is a view of them instead (see storedBand)
  const views = types.map((t, s) =>
    storedBand(bytes, tiff.le, t, s, { spp, planar, compression, predictor, tiled, width, height, blockH, offsets, counts }),
  );
  const store: TypedArray[] = [];
  try {
    types.forEach((t, s) => store.push(views[s] ?? (t.half ? new Uint16Array(cells) : allocate(t.dtype, cells))));
  } catch (e) {
    throw new LimitError(`Could not allocate ${fmt(totalBytes)} bytes for the raster: ${errMessage(e)}.`);
  }
  const storeBytes = store.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

  const layout: Layout = {
    width,
    height,
    spp,
    types,
    planar,
    compression,
    predictor,
    tiled,
    blockW,
    blockH,
    across,
    down,
    offsets,
    counts,
  };
  const sparse: Array<{ samples: number[]; x0: number; y0: number; w: number; h: number }> = [];
  // The work of decoding: a block is decoded only down to its last row inside the image (a
  // tile's rows below the bottom edge are never inflated), but every decoded row is a whole
  // block wide. Tiles far wider than the image would make that work unbounded by the image's
  // size, so such a layout is refused before anything is inflated.
  const rowsIn = (by: number): number => Math.min(blockH, height - by * blockH);
  let workBytes = 0;
  for (let plane = 0; plane < planes; plane++) workBytes += across * blockW * height * pixelBytesOf(plane);
  if (workBytes > 2 * totalBytes + 16 * 1024 * 1024) {
    throw new LimitError(
      `The TIFF's ${what}s of ${fmt(blockW)} × ${fmt(blockH)} pixels are far larger than its ${fmt(width)} × ${fmt(height)} raster: ` +
        `decoding them would take ${fmt(workBytes)} bytes for ${fmt(totalBytes)} bytes of pixels. ` +
        'Re-tile it first (e.g. gdal_translate -co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256).',
    );
  }
  // Deflate may inflate twice what the blocks need, plus slack; beyond that it is a bomb.
  const budget: InflateBudget = { left: 2 * workBytes + 4 * 1024 * 1024 };

  for (let plane = 0; plane < planes; plane++) {
    const samples = planar === 2 ? [plane] : types.map((_, i) => i);
    if (samples.length === 1 && views[samples[0]] !== null) continue; // already the band, as stored
    const sizes = samples.map((s) => types[s].fileBytes);
    const pixelBytes = pixelBytesOf(plane);
    const spb = samples.length;
    const bs = sizes[0];
    const uniform = sizes.every((s) => s === bs);
    for (let by = 0; by < down; by++) {
      for (let bx = 0; bx < across; bx++) {
        const idx = plane * across * down + by * across + bx;
        const x0 = bx * blockW;
        const y0 = by * blockH;
        const w = Math.min(blockW, width - x0);
        // Rows decoded: those inside the image (a tile's overhang below the edge is skipped).
        const h = rowsIn(by);
        const need = blockW * h * pixelBytes;
        if (counts[idx] === 0) {
          sparse.push({ samples, x0, y0, w, h });
          continue;
        }
        const label = `${what} ${idx + 1} of ${nBlocks}`;
        const raw = bytes.subarray(offsets[idx], offsets[idx] + counts[idx]);
        let d = await decompress(raw, layout, need, label, budget);
        if (d.length < need) {
          // the last strip may legitimately be short only if rows are missing, which we do not accept
          throw new FormatError(
            `The TIFF is truncated or corrupt: ${label} holds ${fmt(d.length)} bytes of pixels, ${fmt(need)} are needed.`,
          );
        }
        const mutate = predictor !== 1 || (!tiff.le && sizes.some((s) => s > 1));
        // private copy before mutating the caller's bytes; aligned copy for word-wise de-interleaving
        if ((mutate && d === raw) || (spb > 1 && uniform && bs > 1 && d.byteOffset % Math.min(bs, 4) !== 0)) {
          d = d.slice(0, need);
        }
        if (predictor === 3) {
          undoPredictor3(d, h, blockW, spb, bs);
        } else {
          if (!tiff.le) swapSamples(d, blockW * h, sizes);
          if (predictor === 2) undoPredictor2(d, h, blockW, spb, bs);
        }
        // copy rows into the bands (all bytes little-endian at this point)
        if (spb === 1) {
          const dst = storeBytes[samples[0]];
          const srcRow = blockW * bs;
          const n = w * bs;
          if (w === width && blockW === width) {
            dst.set(d.subarray(0, h * n), y0 * width * bs);
          } else {
            for (let r = 0; r < h; r++) dst.set(d.subarray(r * srcRow, r * srcRow + n), ((y0 + r) * width + x0) * bs);
          }
        } else if (uniform && (bs === 1 || bs === 2 || bs === 4 || bs === 8)) {
          const wordBytes = Math.min(bs, 4);
          const words = bs / wordBytes; // 1, or 2 for 8-byte samples
          const view =
            wordBytes === 1
              ? d
              : wordBytes === 2
                ? new Uint16Array(d.buffer, d.byteOffset, Math.floor(d.byteLength / 2))
                : new Uint32Array(d.buffer, d.byteOffset, Math.floor(d.byteLength / 4));
          const pixelWords = spb * words;
          for (let s = 0; s < spb; s++) {
            const a = store[samples[s]];
            const dst =
              wordBytes === 1
                ? storeBytes[samples[s]]
                : wordBytes === 2
                  ? new Uint16Array(a.buffer, a.byteOffset, a.length)
                  : new Uint32Array(a.buffer, a.byteOffset, (a.length * bs) / 4);
            for (let r = 0; r < h; r++) {
              let si = r * blockW * pixelWords + s * words;
              let di = ((y0 + r) * width + x0) * words;
              if (words === 1) {
                for (let c = 0; c < w; c++, si += pixelWords) dst[di++] = view[si];
              } else {
                for (let c = 0; c < w; c++, si += pixelWords) {
                  dst[di++] = view[si];
                  dst[di++] = view[si + 1];
                }
              }
            }
          }
        } else {
          // mixed sample sizes in one pixel: byte-wise
          let off = 0;
          for (let s = 0; s < spb; s++) {
            const dst = storeBytes[samples[s]];
            const n = sizes[s];
            for (let r = 0; r < h; r++) {
              let si = r * blockW * pixelBytes + off;
              let di = ((y0 + r) * width + x0) * n;
              for (let c = 0; c < w; c++, si += pixelBytes) for (let k = 0; k < n; k++) dst[di++] = d[si + k];
            }
            off += n;
          }
        }
      }
    }
  }

  if (!HOST_LITTLE_ENDIAN) {
    for (let s = 0; s < spp; s++) swapSamples(storeBytes[s], cells, [types[s].fileBytes]);
  }
  const data: TypedArray[] = store.map((a, s) => {
    if (!types[s].half) return a;
    const out = new Float32Array(cells);
    for (let i = 0; i < cells; i++) out[i] = halfToFloat(a[i]);
    return out;
  });
  // Missing (sparse) blocks read as nodata, as GDAL reads them — when the band's type can
  // hold it; otherwise as 0 (a uint8 band never turns -9999 into 241).
  for (const sp of sparse) {
    for (const s of sp.samples) {
      const fill = nodata !== null && representable(types[s].dtype, nodata) ? nodata : 0;
      if (fill === 0) continue;
      for (let r = 0; r < sp.h; r++) {
        const start = (sp.y0 + r) * width + sp.x0;
        data[s].fill(fill, start, start + sp.w);
      }
    }
  }

  const bands: RasterBand[] = types.map((t, i) => ({ name: names[i], dtype: t.dtype, data: data[i], nodata }));
  const { transform, affine, epsg, geoKeys, crsWkt, pixelIsPoint } = georef;
  const ds: RasterDataset = { kind: 'raster', width, height, bands, transform, epsg };
  if (affine) ds.affine = affine;
  if (geoKeys) ds.geoKeys = geoKeys;
  if (crsWkt) ds.crsWkt = crsWkt;
  if (pixelIsPoint) ds.pixelIsPoint = true;
  if (datasetItems.length > 0) {
    const tags: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const it of datasetItems) tags[it.name] = it.value;
    ds.tags = tags;
  }
  return ds;
}
