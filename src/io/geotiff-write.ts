/**
 * Canonical GeoTIFF encoder: the same RasterDataset always gives the same bytes,
 * in Node and in browsers (no timestamps, no versions, fixed zlib level).
 *
 * Layout (documented, stable):
 * - Little-endian classic TIFF ("II", 42), one IFD placed right after the header,
 *   then the out-of-line tag values (each 8-byte aligned), then the image data.
 * - PlanarConfiguration = 2 (band-separate): band b's strips follow band b-1's.
 *   This maps directly onto our one-typed-array-per-band model (plain byte copies).
 * - Strips of `rowsPerStripFor(width, dtype)` rows: the largest row count whose
 *   uncompressed strip is <= 64 KiB (at least 1 row, at most the image height).
 * - Compression 8 ("Adobe deflate", zlib-wrapped, fflate level 6 — the bytes of fflate's zlibSync,
 *   from zlib-deflate.ts, which reuses its work buffers across strips) by default, or 1 (none).
 *   No predictor.
 * - One dtype for all bands (TIFF has one per file in practice): mixed band dtypes
 *   are promoted like numpy's `result_type` (see `resultDType`).
 * - PhotometricInterpretation 1 (BlackIsZero), ExtraSamples 0 (unspecified) for
 *   bands beyond the first, SampleFormat and BitsPerSample per band.
 * - GeoTIFF: ModelPixelScale + ModelTiepoint from `transform` (the tie point at the
 *   cell centre when `pixelIsPoint`, as GDAL writes it), else ModelTransformation from
 *   `affine` (a rotated grid, GDAL's matrix layout); GeoKeyDirectory: with an `epsg`,
 *   GTModelType, GTRasterType (PixelIsArea, or PixelIsPoint) and the Projected/
 *   Geographic CRS key, as always; without one (or with a vertical CRS), the dataset's own `geoKeys` verbatim
 *   (sorted by key id, GTRasterType set from `pixelIsPoint`) followed by
 *   GeoDoubleParams (34736) and GeoAsciiParams (34737). A dataset with none of these
 *   (no affine, no geoKeys, not PixelIsPoint) gives exactly the bytes it always did.
 * - GDAL_METADATA (42112): per band `<Item name="name" sample="i">` (DisSModel's
 *   convention) and `<Item name="DESCRIPTION" sample="i" role="description">`
 *   (what GDAL / QGIS show as the band description).
 * - GDAL_NODATA (42113) only when every band has the same non-null nodata.
 */
import { InputError, LimitError } from '../executor/errors.ts';
import { DTYPE_BYTES, dtypeOf } from '../sim/dataset.ts';
import type { DType, RasterDataset, TypedArray } from '../sim/dataset.ts';
import {
  GEO_ASCII_PARAMS,
  GEO_DOUBLE_PARAMS,
  canonicalKeyDirectory,
  checkKeySet,
  epsgOfKeySet,
  modelTransformation,
  tiePointOf,
} from './geotiff-georef.ts';
import { ZlibEncoder } from './zlib-deflate.ts';

export interface WriteGeoTiffOptions {
  /** 'deflate' (default): TIFF compression 8, zlib level 6. 'none': compression 1. */
  compression?: 'deflate' | 'none';
}

/** Target uncompressed size of one strip. */
export const STRIP_TARGET_BYTES = 64 * 1024;
/** Fixed value of the Software tag (no version: output must not depend on it). */
export const GEOTIFF_SOFTWARE = 'dissmodel-workbench';
const MAX_TIFF_BYTES = 0xffffffff;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------
// dtype promotion (numpy result_type for the dtypes we have)

type Kind = 'u' | 'i' | 'f';
interface NumType {
  kind: Kind;
  bits: number;
}

function numType(d: DType): NumType {
  switch (d) {
    case 'uint8':
      return { kind: 'u', bits: 8 };
    case 'int8':
      return { kind: 'i', bits: 8 };
    case 'uint16':
      return { kind: 'u', bits: 16 };
    case 'int16':
      return { kind: 'i', bits: 16 };
    case 'uint32':
      return { kind: 'u', bits: 32 };
    case 'int32':
      return { kind: 'i', bits: 32 };
    case 'float32':
      return { kind: 'f', bits: 32 };
    case 'float64':
      return { kind: 'f', bits: 64 };
  }
}

function promotePair(a: NumType, b: NumType): NumType {
  if (a.kind === 'f' && b.kind === 'f') return { kind: 'f', bits: Math.max(a.bits, b.bits) };
  if (a.kind === 'f' || b.kind === 'f') {
    const f = a.kind === 'f' ? a : b;
    const n = a.kind === 'f' ? b : a;
    // numpy: (u)int8/16 fit float32 exactly; (u)int32 and wider need float64.
    return { kind: 'f', bits: Math.max(f.bits, n.bits <= 16 ? 32 : 64) };
  }
  if (a.kind === b.kind) return { kind: a.kind, bits: Math.max(a.bits, b.bits) };
  const u = a.kind === 'u' ? a : b;
  const s = a.kind === 'u' ? b : a;
  if (s.bits > u.bits) return s;
  return { kind: 'i', bits: u.bits * 2 }; // may be 64: int64, mapped to float64 below
}

/**
 * The single dtype a file holding bands of these dtypes gets, following numpy's
 * `np.result_type` (DisSModel 0.6.1's rule): uint8+int8 → int16, uint16+int16 →
 * int32, int16+float32 → float32, int32+float32 → float64, float32+float64 →
 * float64. Where numpy would answer int64 (uint32 with a signed type) GeoTIFF has
 * no such type here, so float64 is used (exact for every value involved).
 */
export function resultDType(dtypes: readonly DType[]): DType {
  if (dtypes.length === 0) throw new InputError('resultDType needs at least one dtype.');
  let t = numType(dtypes[0]);
  for (let i = 1; i < dtypes.length; i++) t = promotePair(t, numType(dtypes[i]));
  if (t.kind === 'f') return t.bits === 64 ? 'float64' : 'float32';
  if (t.bits > 32) return 'float64';
  return `${t.kind === 'u' ? 'uint' : 'int'}${t.bits}` as DType;
}

/** `data` in type `to`, in a new array of `n` values (default: as many as `data`; the rest zero). */
function convert(data: TypedArray, to: DType, n = data.length): TypedArray {
  let out: TypedArray;
  switch (to) {
    case 'uint8':
      out = new Uint8Array(n);
      break;
    case 'int8':
      out = new Int8Array(n);
      break;
    case 'uint16':
      out = new Uint16Array(n);
      break;
    case 'int16':
      out = new Int16Array(n);
      break;
    case 'uint32':
      out = new Uint32Array(n);
      break;
    case 'int32':
      out = new Int32Array(n);
      break;
    case 'float32':
      out = new Float32Array(n);
      break;
    case 'float64':
      out = new Float64Array(n);
      break;
  }
  // TypedArray.prototype.set converts element types natively (no per-pixel JS calls).
  (out as { set(a: ArrayLike<number>): void }).set(data);
  return out;
}

// ---------------------------------------------------------------------------
// helpers

/** Rows per strip: deterministic from width and dtype (capped at the height). */
export function rowsPerStripFor(width: number, dtype: DType, height = Number.MAX_SAFE_INTEGER): number {
  const rowBytes = width * DTYPE_BYTES[dtype];
  const rows = Math.max(1, Math.floor(STRIP_TARGET_BYTES / rowBytes));
  return Math.max(1, Math.min(rows, height));
}

/** Whether an EPSG code names a geographic (lat/lon) CRS: 4000–4999, plus NAD83(2011) 6318 and GDA2020 7844. */
export function isGeographicEpsg(epsg: number): boolean {
  return (epsg >= 4000 && epsg <= 4999) || epsg === 6318 || epsg === 7844;
}

/** The bytes of a typed array in little-endian order (a view on LE hosts, a copy otherwise). */
function littleEndianBytes(a: TypedArray): Uint8Array {
  const bs = a.BYTES_PER_ELEMENT;
  if (HOST_LITTLE_ENDIAN || bs === 1) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  const n = a.length;
  if (a instanceof Float32Array) for (let i = 0; i < n; i++) dv.setFloat32(i * 4, a[i], true);
  else if (a instanceof Float64Array) for (let i = 0; i < n; i++) dv.setFloat64(i * 8, a[i], true);
  else if (a instanceof Uint16Array || a instanceof Int16Array) for (let i = 0; i < n; i++) dv.setUint16(i * 2, a[i] & 0xffff, true);
  else for (let i = 0; i < n; i++) dv.setUint32(i * 4, a[i] >>> 0, true);
  return out;
}

function xmlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (c < 0x20 || c === 0x7f) out += `&#x${c.toString(16).toUpperCase()};`;
    else out += ch;
  }
  return out;
}

/** GDAL's textual nodata: "nan", "inf", "-inf", else the shortest round-trip decimal. */
export function formatNodata(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const SAMPLE_FORMAT: Record<DType, number> = {
  uint8: 1,
  uint16: 1,
  uint32: 1,
  int8: 2,
  int16: 2,
  int32: 2,
  float32: 3,
  float64: 3,
};

// TIFF field types
const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const DOUBLE = 12;
const TYPE_SIZE: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8 };

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Little-endian value bytes (filled later for strip offsets). */
  value: Uint8Array;
  /** Where the value lives in the file: inline entry position or out-of-line offset. */
  at?: number;
}

function shorts(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setUint16(i * 2, v, true));
  return b;
}
function longs(values: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(i * 4, values[i], true);
  return b;
}
function doubles(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setFloat64(i * 8, v, true));
  return b;
}
function ascii(s: string): { bytes: Uint8Array; count: number } {
  const enc = new TextEncoder().encode(s);
  const b = new Uint8Array(enc.length + 1); // NUL-terminated
  b.set(enc);
  return { bytes: b, count: b.length };
}

const align8 = (n: number): number => (n + 7) & ~7;

// ---------------------------------------------------------------------------

function validate(ds: RasterDataset): void {
  if (!ds || ds.kind !== 'raster') throw new InputError('writeGeoTiff needs a raster dataset.');
  const { width, height, bands } = ds;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`Cannot write a GeoTIFF of ${width} × ${height} cells: width and height must be positive integers.`);
  }
  if (width > 0xffffffff || height > 0xffffffff) {
    throw new LimitError(`Cannot write a GeoTIFF of ${width} × ${height} cells: a classic TIFF allows at most 4294967295 per side.`);
  }
  if (!Array.isArray(bands) || bands.length === 0) throw new InputError('Cannot write a GeoTIFF with no bands.');
  if (bands.length > 65535) throw new LimitError(`Cannot write ${bands.length} bands: a TIFF holds at most 65535 samples per pixel.`);
  const cells = width * height;
  bands.forEach((b, i) => {
    const label = `band ${i + 1} ('${b.name}')`;
    if (!b.data || !ArrayBuffer.isView(b.data)) throw new InputError(`${label} has no data array.`);
    if (b.data.length !== cells) {
      throw new InputError(`${label} has ${b.data.length} values; a ${width} × ${height} raster needs ${cells}.`);
    }
    const actual = dtypeOf(b.data);
    if (actual !== b.dtype) throw new InputError(`${label} says dtype ${b.dtype} but its data is ${actual}.`);
  });
  const t = ds.transform;
  if (t) {
    const ok = [t.originX, t.originY, t.pixelWidth, t.pixelHeight].every(Number.isFinite) && t.pixelWidth > 0 && t.pixelHeight > 0;
    if (!ok) {
      throw new InputError(
        `Invalid geotransform (origin ${t.originX}, ${t.originY}; pixel ${t.pixelWidth} × ${t.pixelHeight}): values must be finite and pixel sizes positive.`,
      );
    }
  }
  if (ds.affine) {
    const a = ds.affine;
    if (t) throw new InputError('A raster has either a north-up transform or a rotated affine transform, not both.');
    if (!Array.isArray(a) || a.length !== 6 || !a.every(Number.isFinite) || a[1] * a[5] - a[2] * a[4] === 0) {
      throw new InputError(`Invalid affine transform [${String(a)}]: six finite terms with a non-zero determinant are needed.`);
    }
  }
  if (ds.geoKeys) {
    checkKeySet(ds.geoKeys);
    const named = epsgOfKeySet(ds.geoKeys);
    if (named !== (ds.epsg ?? null)) {
      throw new InputError(
        `The raster's GeoKeys name ${named === null ? 'no EPSG code' : `EPSG:${named}`} but its epsg is ${ds.epsg ?? 'null'}: ` +
          'a dataset that changes its CRS must drop (or rewrite) its GeoKeys.',
      );
    }
  }
  if (ds.crsWkt && !ds.geoKeys && (ds.epsg === null || ds.epsg === undefined)) {
    // Never written as "no CRS": GeoKeys for an arbitrary WKT are not derived here.
    throw new InputError(
      `The raster's CRS is given only as WKT (${ds.crsWkt.slice(0, 80)}…), with no EPSG code or GeoKeys; ` +
        'it cannot be written to a GeoTIFF without losing it. Reproject the input to an EPSG CRS first (e.g. gdalwarp -t_srs EPSG:31983).',
    );
  }
  if (ds.epsg !== null && ds.epsg !== undefined) {
    if (!Number.isInteger(ds.epsg) || ds.epsg < 1 || ds.epsg > 65534 || ds.epsg === 32767) {
      throw new InputError(`EPSG code ${ds.epsg} cannot be stored in a GeoTIFF key (must be an integer 1–65534, not 32767).`);
    }
  }
}

/**
 * Encode a raster dataset as a GeoTIFF. Deterministic: the same dataset gives
 * the same bytes on every platform. Throws InputError for an inconsistent
 * dataset and LimitError when the file would exceed classic TIFF's 4 GiB.
 */
export function writeGeoTiff(ds: RasterDataset, opts: WriteGeoTiffOptions = {}): Uint8Array {
  validate(ds);
  const compression = opts.compression ?? 'deflate';
  if (compression !== 'deflate' && compression !== 'none') {
    throw new InputError(`Unknown GeoTIFF compression '${String(compression)}': use 'deflate' or 'none'.`);
  }
  const { width, height } = ds;
  const nBands = ds.bands.length;
  const dtype = resultDType(ds.bands.map((b) => b.dtype));
  const bps = DTYPE_BYTES[dtype];
  const rps = rowsPerStripFor(width, dtype, height);
  const stripsPerBand = Math.ceil(height / rps);
  const nStrips = stripsPerBand * nBands;
  const rowBytes = width * bps;
  const bandBytes = rowBytes * height;

  if (compression === 'none' && bandBytes * nBands + 4096 > MAX_TIFF_BYTES) {
    throw new LimitError(`The GeoTIFF would be about ${bandBytes * nBands} bytes, over classic TIFF's limit of 4 GiB (4294967295 bytes).`);
  }

  // --- image data: per band, little-endian bytes, then strips (compressed or views)
  const strips: Uint8Array[] = new Array(nStrips);
  // fflate's zlibSync level 6, byte for byte, from one set of work buffers for all the strips (zlib-deflate.ts)
  const zlib = compression === 'deflate' ? new ZlibEncoder() : null;
  let dataBytes = 0;
  // A band of another type than the file's: converted whole when the strips are views of it (no compression),
  // else strip by strip into one strip-sized buffer (the deflated strips are copies), so no band-sized copy is made.
  let stripValues: TypedArray | null = null;
  for (let b = 0; b < nBands; b++) {
    const band = ds.bands[b];
    const same = band.dtype === dtype;
    const bytes = same || !zlib ? littleEndianBytes(same ? band.data : convert(band.data, dtype)) : null;
    for (let s = 0; s < stripsPerBand; s++) {
      const start = s * rps * rowBytes;
      const end = Math.min(start + rps * rowBytes, bandBytes);
      let raw: Uint8Array;
      if (bytes) raw = bytes.subarray(start, end);
      else {
        stripValues ??= convert(band.data.subarray(0, 0), dtype, rps * width);
        const part = stripValues.subarray(0, (end - start) / bps);
        (part as { set(a: ArrayLike<number>): void }).set(band.data.subarray(start / bps, end / bps));
        raw = littleEndianBytes(part);
      }
      const strip = zlib ? zlib.encode(raw) : raw;
      strips[b * stripsPerBand + s] = strip;
      dataBytes += strip.length;
      if (dataBytes > MAX_TIFF_BYTES) {
        throw new LimitError(`The GeoTIFF's image data exceeds classic TIFF's limit of 4 GiB (4294967295 bytes).`);
      }
    }
  }

  // --- tags
  const entries: Entry[] = [];
  const add = (tag: number, type: number, count: number, value: Uint8Array): Entry => {
    const e: Entry = { tag, type, count, value };
    entries.push(e);
    return e;
  };
  const sampleFormat = SAMPLE_FORMAT[dtype];
  add(256, LONG, 1, longs([width]));
  add(257, LONG, 1, longs([height]));
  add(258, SHORT, nBands, shorts(new Array<number>(nBands).fill(bps * 8)));
  add(259, SHORT, 1, shorts([compression === 'deflate' ? 8 : 1]));
  add(262, SHORT, 1, shorts([1]));
  const offsetsEntry = add(273, LONG, nStrips, new Uint8Array(nStrips * 4));
  add(277, SHORT, 1, shorts([nBands]));
  add(278, LONG, 1, longs([rps]));
  add(279, LONG, nStrips, longs(strips.map((s) => s.length)));
  add(284, SHORT, 1, shorts([2]));
  const sw = ascii(GEOTIFF_SOFTWARE);
  add(305, ASCII, sw.count, sw.bytes);
  if (nBands > 1) add(338, SHORT, nBands - 1, shorts(new Array<number>(nBands - 1).fill(0)));
  add(339, SHORT, nBands, shorts(new Array<number>(nBands).fill(sampleFormat)));

  const t = ds.transform;
  const point = ds.pixelIsPoint === true;
  if (t) {
    const [tx, ty] = tiePointOf(t, point);
    add(33550, DOUBLE, 3, doubles([t.pixelWidth, t.pixelHeight, 0]));
    add(33922, DOUBLE, 6, doubles([0, 0, 0, tx, ty, 0]));
  } else if (ds.affine) {
    add(34264, DOUBLE, 16, doubles(modelTransformation(ds.affine, point)));
  }
  const epsg = ds.epsg ?? null;
  const kept = ds.geoKeys ?? null;
  if (kept) {
    // A CRS without an EPSG code (or with a vertical part): its keys as read, in key order, with their parameters.
    const dir = canonicalKeyDirectory(kept, point);
    add(34735, SHORT, dir.length, shorts(dir));
    if (kept.doubles.length > 0) add(GEO_DOUBLE_PARAMS, DOUBLE, kept.doubles.length, doubles(kept.doubles));
    if (kept.ascii.length > 0) {
      const a = ascii(kept.ascii);
      add(GEO_ASCII_PARAMS, ASCII, a.count, a.bytes);
    }
  } else if (epsg !== null || t || ds.affine) {
    const keys: number[][] = [];
    if (epsg !== null) keys.push([1024, 0, 1, isGeographicEpsg(epsg) ? 2 : 1]); // GTModelTypeGeoKey
    keys.push([1025, 0, 1, point ? 2 : 1]); // GTRasterTypeGeoKey: PixelIsArea (1) or PixelIsPoint (2)
    if (epsg !== null) keys.push([isGeographicEpsg(epsg) ? 2048 : 3072, 0, 1, epsg]);
    const dir = [1, 1, 0, keys.length, ...keys.flat()];
    add(34735, SHORT, dir.length, shorts(dir));
  }

  let xml = '<GDALMetadata>\n';
  ds.bands.forEach((b, i) => {
    const name = xmlEscape(String(b.name));
    xml += `  <Item name="name" sample="${i}">${name}</Item>\n`;
    xml += `  <Item name="DESCRIPTION" sample="${i}" role="description">${name}</Item>\n`;
  });
  xml += '</GDALMetadata>\n';
  const md = ascii(xml);
  add(42112, ASCII, md.count, md.bytes);

  const nd0 = ds.bands[0].nodata;
  if (
    nd0 !== null &&
    nd0 !== undefined &&
    ds.bands.every((b) => b.nodata !== null && b.nodata !== undefined && sameNumber(b.nodata, nd0))
  ) {
    const nd = ascii(formatNodata(nd0));
    add(42113, ASCII, nd.count, nd.bytes);
  }
  entries.sort((a, b) => a.tag - b.tag); // already ascending; kept as a guard

  // --- layout: header | IFD | out-of-line values | strips
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  let pos = ifdOffset + ifdSize;
  for (const e of entries) {
    const size = e.count * TYPE_SIZE[e.type];
    if (size > 4) {
      pos = align8(pos);
      e.at = pos;
      pos += size;
    }
  }
  pos = align8(pos);
  const dataStart = pos;
  const fileSize = dataStart + dataBytes;
  if (fileSize > MAX_TIFF_BYTES) {
    throw new LimitError(`The GeoTIFF would be ${fileSize} bytes, over classic TIFF's limit of 4 GiB (4294967295 bytes).`);
  }

  // strip offsets now known
  {
    const dv = new DataView(offsetsEntry.value.buffer);
    let o = dataStart;
    for (let i = 0; i < nStrips; i++) {
      dv.setUint32(i * 4, o, true);
      o += strips[i].length;
    }
  }

  const out = new Uint8Array(fileSize);
  const dv = new DataView(out.buffer);
  out[0] = 0x49; // 'I'
  out[1] = 0x49;
  dv.setUint16(2, 42, true);
  dv.setUint32(4, ifdOffset, true);
  dv.setUint16(ifdOffset, entries.length, true);
  let p = ifdOffset + 2;
  for (const e of entries) {
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, e.count, true);
    if (e.at !== undefined) {
      dv.setUint32(p + 8, e.at, true);
      out.set(e.value, e.at);
    } else {
      out.set(e.value, p + 8); // inline, left-justified
    }
    p += 12;
  }
  dv.setUint32(p, 0, true); // no next IFD
  let o = dataStart;
  for (const s of strips) {
    out.set(s, o);
    o += s.length;
  }
  return out;
}
