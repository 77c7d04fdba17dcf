/**
 * Zipped Shapefile (.zip holding .shp, .shx, .dbf, optional .prj and .cpg) → VectorDataset.
 *
 * A small bounded reader of its own (the Shapefile and dBASE formats are a few fixed
 * headers and records): every size is checked against the bytes present and the limits
 * before anything is allocated, and a bad file gives one message naming the file, the
 * record and what is wrong. Geometry: Point, MultiPoint, PolyLine, Polygon (and their Z
 * variants, z kept as a third coordinate; M values are dropped); polygon parts are grouped
 * into outer rings (clockwise) and the holes inside them (counter-clockwise), one outer
 * ring ⇒ Polygon, several ⇒ MultiPolygon, ring orientation as stored. Attributes: dBASE
 * types N and F (numbers; blank ⇒ null), C (text, trailing blanks trimmed), L (boolean;
 * '?' or blank ⇒ null) and D (text 'YYYY-MM-DD'); text decoded with the .cpg encoding,
 * ISO-8859-1 when there is none. Records flagged deleted in the .dbf are skipped, as GDAL
 * does.
 *
 * The .prj is kept verbatim in `crsWkt`, and `epsg` is set only when the WKT states its
 * own EPSG code (ESRI .prj files do not). Coordinates are NEVER reprojected: the
 * geometry is read as stored (the Acre benchmark's .prj, SAD69 / Brazil Polyconic,
 * contradicts its coordinates; DisSModel reads them as they are).
 */
import { FormatError, InputError, LimitError } from '../executor/errors.ts';
import type { GeoJSONGeometry, Position, PropertyValue, VectorDataset, VectorFeature } from '../sim/dataset.ts';
import { epsgFromWkt } from './crs-wkt.ts';
import { FORBIDDEN_KEYS } from './geojson.ts';
import { MAX_COLUMNS, MAX_FEATURES, MAX_GEOMETRY_POINTS } from './limits.ts';
import { readZipEntries, zipEntries, type ZipEntry, type ZipOptions } from './zip.ts';

export interface ReadShapefileOptions extends ZipOptions {
  maxFeatures?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The extension of a member name, lower-cased ('' when none). */
const extOf = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
};
const stemOf = (name: string) => name.slice(0, name.length - extOf(name).length - 1);

/** Pick the one Shapefile in the archive and its companions. */
function pickMembers(entries: ZipEntry[]) {
  const isJunk = (n: string) => n.startsWith('__MACOSX/') || n.slice(n.lastIndexOf('/') + 1).startsWith('._');
  const files = entries.filter((e) => !e.name.endsWith('/') && !isJunk(e.name));
  const shps = files.filter((e) => extOf(e.name) === 'shp');
  if (shps.length === 0) {
    const names = files.map((e) => e.name).slice(0, 12);
    throw new FormatError(
      `The ZIP archive holds no Shapefile (.shp): it has ${names.length ? names.join(', ') : 'no files'}${files.length > 12 ? ', …' : ''}.`,
    );
  }
  if (shps.length > 1) {
    throw new InputError(
      `The ZIP archive holds ${shps.length} Shapefiles (${shps
        .slice(0, 8)
        .map((e) => e.name)
        .join(', ')}${shps.length > 8 ? ', …' : ''}); put one layer per archive.`,
    );
  }
  const shp = shps[0];
  const stem = stemOf(shp.name).toLowerCase();
  const companion = (ext: string) => files.find((e) => extOf(e.name) === ext && stemOf(e.name).toLowerCase() === stem);
  const base = shp.name.slice(shp.name.lastIndexOf('/') + 1);
  const shx = companion('shx');
  const dbf = companion('dbf');
  if (!shx || !dbf) {
    const missing = [!shx ? '.shx' : '', !dbf ? '.dbf' : ''].filter(Boolean).join(' and ');
    throw new InputError(`The ZIP archive has ${base} but not its ${missing}; a Shapefile needs .shp, .shx and .dbf with the same name.`);
  }
  return { shp, shx, dbf, prj: companion('prj'), cpg: companion('cpg') };
}

// ---------------------------------------------------------------------------
// .cpg and text

type Decode = (b: Uint8Array) => string;

const latin1: Decode = (b) => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(i + 8192, b.length)));
  return s;
};

/** Windows-1252: ISO-8859-1 but for 0x80–0x9F (decoded here: Node's TextDecoder treats it as ISO-8859-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const windows1252: Decode = (b) => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i] >= 0x80 && b[i] < 0xa0 ? CP1252_HIGH[b[i] - 0x80] : String.fromCharCode(b[i]);
  return s;
};

/** A decoder for a .cpg's code page (GDAL's spellings: UTF-8, 65001, ISO-8859-1, 1252, 88591, System…). */
export function decoderForCodePage(cpg: string): Decode {
  const raw = cpg.trim();
  const label = raw.toLowerCase().replace(/^cp/, '');
  // 'System' (ArcGIS: the writer's own default code page, unknowable here) reads as the default, ISO-8859-1.
  if (label === '' || label === 'system' || /^(iso[-_ ]?8859[-_ ]?1|88591|latin-?1)$/.test(label)) return latin1;
  if (label === '1252' || label === 'windows-1252' || label === 'ansi_1252') return windows1252;
  let whatwg = raw;
  if (label === '65001' || label === 'utf8' || label === 'utf-8') whatwg = 'utf-8';
  else if (/^\d+$/.test(label)) whatwg = `windows-${label}`;
  else if (/^8859[-_]?(\d+)$/.test(label)) whatwg = `iso-8859-${/(\d+)$/.exec(label)![1]}`;
  let dec: InstanceType<typeof TextDecoder>;
  try {
    dec = new TextDecoder(whatwg, { fatal: true });
  } catch {
    throw new InputError(
      `The Shapefile's .cpg names the encoding ${JSON.stringify(raw.slice(0, 40))}, which is not known. Use UTF-8 or ISO-8859-1.`,
    );
  }
  return (b) => {
    try {
      return dec.decode(b);
    } catch {
      throw new InputError(`The .dbf holds text that is not valid ${whatwg}, the encoding its .cpg names.`);
    }
  };
}

// ---------------------------------------------------------------------------
// .shp

const SHAPE_NAMES: Record<number, string> = {
  0: 'Null',
  1: 'Point',
  3: 'PolyLine',
  5: 'Polygon',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  15: 'PolygonZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  25: 'PolygonM',
  28: 'MultiPointM',
  31: 'MultiPatch',
};

/** Twice the signed area of a ring (positive = counter-clockwise in x/y). */
function signedArea2(r: Position[]): number {
  let a = 0;
  for (let i = 0, n = r.length - 1; i < n; i++) a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return a;
}

function inRing(p: Position, r: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shapefile polygon parts → GeoJSON: each clockwise ring starts a polygon, each hole joins the outer ring that holds it. */
function polygonFromRings(rings: Position[][], where: string): GeoJSONGeometry {
  const polys: Position[][][] = [];
  const holes: Position[][] = [];
  for (let k = 0; k < rings.length; k++) {
    const r = rings[k];
    if (r.length < 4) throw new FormatError(`${where}: ring ${k} has ${r.length} points; a polygon ring needs at least 4.`);
    const a = r[0];
    const b = r[r.length - 1];
    if (a[0] !== b[0] || a[1] !== b[1]) throw new FormatError(`${where}: ring ${k} is not closed (its last point must repeat the first).`);
    if (signedArea2(r) <= 0) polys.push([r]);
    else holes.push(r);
  }
  for (const h of holes) {
    const owner = polys.find((p) => inRing(h[0], p[0]) || inRing(h[1] ?? h[0], p[0]));
    if (owner) owner.push(h);
    else polys.push([h]); // a counter-clockwise ring inside no outer ring is an outer ring itself (as GDAL reads it)
  }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

interface ShpRecord {
  geometry: GeoJSONGeometry | null;
}

function readShp(shp: Uint8Array, name: string, maxFeatures: number): { type: number; records: ShpRecord[] } {
  if (shp.length < 100)
    throw new FormatError(`${name} is truncated: a .shp starts with a 100-byte header, but it has only ${fmt(shp.length)} bytes.`);
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const code = dv.getInt32(0, false);
  if (code !== 9994) throw new FormatError(`${name} is not a Shapefile: its file code is ${code}, not 9994.`);
  const declared = dv.getInt32(24, false) * 2;
  if (declared > shp.length) {
    throw new FormatError(`${name} is truncated: its header declares ${fmt(declared)} bytes, but it has only ${fmt(shp.length)}.`);
  }
  const type = dv.getInt32(32, true);
  if (!(type in SHAPE_NAMES)) throw new FormatError(`${name} has an unknown shape type ${type}.`);
  if (type === 31) throw new FormatError(`${name} holds MultiPatch shapes, which are not supported.`);
  const end = Math.max(100, Math.min(declared, shp.length));
  const records: ShpRecord[] = [];
  let p = 100;
  while (p < end) {
    const k = records.length;
    if (k >= maxFeatures) throw new LimitError(`${name} has more than ${fmt(maxFeatures)} records; the limit is ${fmt(maxFeatures)}.`);
    if (p + 8 > end)
      throw new FormatError(`${name} is truncated: record ${k + 1}'s header at byte ${fmt(p)} runs past the end (${fmt(end)} bytes).`);
    const len = dv.getInt32(p + 4, false) * 2;
    const c = p + 8;
    if (len < 4 || c + len > end) {
      throw new FormatError(
        `${name} is truncated or corrupt: record ${k + 1} is said to hold ${fmt(len)} bytes at byte ${fmt(c)}, but the file ends at byte ${fmt(end)}.`,
      );
    }
    records.push({ geometry: readShape(dv, c, len, `${name} record ${k + 1}`) });
    p = c + len;
  }
  return { type, records };
}

function readShape(dv: DataView, c: number, len: number, where: string): GeoJSONGeometry | null {
  const st = dv.getInt32(c, true);
  const need = (n: number, what: string) => {
    if (n > len) throw new FormatError(`${where}: its ${what} needs ${fmt(n)} bytes, but the record holds ${fmt(len)}.`);
  };
  const finite = (x: number) => {
    if (!Number.isFinite(x)) throw new FormatError(`${where}: a coordinate is not a finite number.`);
    return x;
  };
  switch (st) {
    case 0:
      return null;
    case 1:
    case 11:
    case 21: {
      need(st === 11 ? 28 : 20, 'point');
      const pt = [finite(dv.getFloat64(c + 4, true)), finite(dv.getFloat64(c + 12, true))];
      if (st === 11) pt.push(finite(dv.getFloat64(c + 20, true)));
      return { type: 'Point', coordinates: pt };
    }
    case 8:
    case 18:
    case 28: {
      need(40, 'header');
      const n = dv.getInt32(c + 36, true);
      if (n < 0 || n > MAX_GEOMETRY_POINTS) throw new FormatError(`${where}: it declares ${n} points.`);
      need(40 + 16 * n + (st === 18 ? 16 + 8 * n : 0), `${fmt(n)} points`);
      const pts: Position[] = new Array(n);
      const z = c + 40 + 16 * n + 16;
      for (let i = 0; i < n; i++) {
        const q = [finite(dv.getFloat64(c + 40 + 16 * i, true)), finite(dv.getFloat64(c + 48 + 16 * i, true))];
        if (st === 18) q.push(finite(dv.getFloat64(z + 8 * i, true)));
        pts[i] = q;
      }
      return { type: 'MultiPoint', coordinates: pts };
    }
    case 3:
    case 5:
    case 13:
    case 15:
    case 23:
    case 25: {
      need(44, 'header');
      const nParts = dv.getInt32(c + 36, true);
      const n = dv.getInt32(c + 40, true);
      if (nParts < 1 || n < 0 || nParts > n || n > MAX_GEOMETRY_POINTS) {
        throw new FormatError(`${where}: it declares ${nParts} parts and ${n} points, which cannot be.`);
      }
      const hasZ = st === 13 || st === 15;
      const xy = c + 44 + 4 * nParts;
      need(44 + 4 * nParts + 16 * n + (hasZ ? 16 + 8 * n : 0), `${fmt(nParts)} parts and ${fmt(n)} points`);
      const z = xy + 16 * n + 16;
      const parts: Position[][] = [];
      for (let k = 0; k < nParts; k++) {
        const a = dv.getInt32(c + 44 + 4 * k, true);
        const b = k + 1 < nParts ? dv.getInt32(c + 48 + 4 * k, true) : n;
        if (a < 0 || b > n || a >= b) throw new FormatError(`${where}: part ${k} spans points ${a}–${b} of ${n}.`);
        const ring: Position[] = new Array(b - a);
        for (let i = a; i < b; i++) {
          const q = [finite(dv.getFloat64(xy + 16 * i, true)), finite(dv.getFloat64(xy + 16 * i + 8, true))];
          if (hasZ) q.push(finite(dv.getFloat64(z + 8 * i, true)));
          ring[i - a] = q;
        }
        parts.push(ring);
      }
      if (st === 5 || st === 15 || st === 25) return polygonFromRings(parts, where);
      for (let k = 0; k < parts.length; k++) {
        if (parts[k].length < 2) throw new FormatError(`${where}: line ${k} has ${parts[k].length} point; a line needs at least 2.`);
      }
      return parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts };
    }
    default:
      throw new FormatError(`${where} has shape type ${st} (${SHAPE_NAMES[st] ?? 'unknown'}), which is not supported here.`);
  }
}

/** Record count the .shx declares (its length: 100-byte header + 8 bytes a record). */
function shxCount(shx: Uint8Array, name: string): number {
  if (shx.length < 100)
    throw new FormatError(`${name} is truncated: a .shx starts with a 100-byte header, but it has only ${fmt(shx.length)} bytes.`);
  const dv = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  if (dv.getInt32(0, false) !== 9994)
    throw new FormatError(`${name} is not a Shapefile index: its file code is ${dv.getInt32(0, false)}, not 9994.`);
  return Math.floor((Math.min(dv.getInt32(24, false) * 2, shx.length) - 100) / 8);
}

// ---------------------------------------------------------------------------
// .dbf

interface DbfField {
  name: string;
  type: string;
  offset: number;
  length: number;
  decimals: number;
}

interface Dbf {
  count: number;
  fields: DbfField[];
  headerLength: number;
  recordLength: number;
}

function readDbfHeader(dbf: Uint8Array, name: string, decode: Decode, maxFeatures: number): Dbf {
  if (dbf.length < 33) throw new FormatError(`${name} is truncated: a .dbf header needs at least 33 bytes, but it has ${fmt(dbf.length)}.`);
  const dv = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const count = dv.getUint32(4, true);
  const headerLength = dv.getUint16(8, true);
  const recordLength = dv.getUint16(10, true);
  if (count > maxFeatures) throw new LimitError(`${name} declares ${fmt(count)} records; the limit is ${fmt(maxFeatures)}.`);
  if (headerLength < 33 || headerLength > dbf.length) {
    throw new FormatError(`${name} is corrupt: its header length is ${fmt(headerLength)} bytes, but the file has ${fmt(dbf.length)}.`);
  }
  const fields: DbfField[] = [];
  const seen = new Set<string>();
  let offset = 1; // the deletion flag
  for (let p = 32; p + 32 <= headerLength && dbf[p] !== 0x0d; p += 32) {
    if (fields.length >= MAX_COLUMNS) throw new LimitError(`${name} has more than ${MAX_COLUMNS} fields.`);
    let e = p;
    while (e < p + 11 && dbf[e] !== 0) e++;
    const fname = decode(dbf.subarray(p, e)).trim();
    const type = String.fromCharCode(dbf[p + 11]).toUpperCase();
    const length = dbf[p + 16];
    const decimals = dbf[p + 17];
    if (!fname) throw new FormatError(`${name} is corrupt: field ${fields.length + 1} has no name.`);
    if (FORBIDDEN_KEYS.has(fname)) throw new InputError(`${name}: the field name '${fname}' is not allowed. Rename that column.`, fname);
    if (seen.has(fname)) throw new InputError(`${name} has two fields called '${fname}'. Rename one of them.`, fname);
    if (!'NFCLD'.includes(type)) {
      throw new InputError(
        `${name}: field '${fname}' has dBASE type '${type}', which is not supported (supported: N, F numbers; C text; L logical; D date).`,
        fname,
      );
    }
    seen.add(fname);
    fields.push({ name: fname, type, offset, length, decimals });
    offset += length;
  }
  if (offset !== recordLength) {
    throw new FormatError(
      `${name} is corrupt: its fields add up to ${fmt(offset)} bytes a record, but its header says ${fmt(recordLength)}.`,
    );
  }
  const have = Math.floor((dbf.length - headerLength) / recordLength);
  if (have < count) {
    throw new FormatError(
      `${name} is truncated or has a wrong record count: its header declares ${fmt(count)} records of ${fmt(recordLength)} bytes, ` +
        `but it holds only ${fmt(have)}.`,
    );
  }
  return { count, fields, headerLength, recordLength };
}

function fieldValue(raw: Uint8Array, f: DbfField, decode: Decode, where: string): PropertyValue {
  if (f.type === 'C') {
    let e = raw.length;
    while (e > 0 && (raw[e - 1] === 0x20 || raw[e - 1] === 0)) e--;
    return decode(raw.subarray(0, e));
  }
  let a = 0;
  let e = raw.length;
  while (a < e && (raw[a] === 0x20 || raw[a] === 0)) a++;
  while (e > a && (raw[e - 1] === 0x20 || raw[e - 1] === 0)) e--;
  const s = String.fromCharCode.apply(null, raw.subarray(a, e) as unknown as number[]);
  switch (f.type) {
    case 'N':
    case 'F': {
      if (s === '' || /^\*+$/.test(s)) return null;
      const v = Number(s);
      if (!Number.isFinite(v) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
        throw new InputError(`${where}: field '${f.name}' holds ${JSON.stringify(s.slice(0, 30))}, which is not a number.`, f.name);
      }
      return v === 0 ? 0 : v;
    }
    case 'L':
      if (/^[TtYy]$/.test(s)) return true;
      if (/^[FfNn]$/.test(s)) return false;
      if (s === '' || s === '?') return null;
      throw new InputError(`${where}: field '${f.name}' holds ${JSON.stringify(s)}, which is not a logical value.`, f.name);
    default: {
      // D: YYYYMMDD
      if (s === '' || /^0+$/.test(s)) return null;
      if (!/^\d{8}$/.test(s))
        throw new InputError(
          `${where}: field '${f.name}' holds ${JSON.stringify(s.slice(0, 30))}, which is not a date (YYYYMMDD).`,
          f.name,
        );
      return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    }
  }
}

// ---------------------------------------------------------------------------

/** Read a zipped Shapefile into a VectorDataset (see the module comment). */
export function readShapefileZip(bytes: Uint8Array, opts: ReadShapefileOptions = {}): VectorDataset {
  const maxFeatures = opts.maxFeatures ?? MAX_FEATURES;
  const members = pickMembers(zipEntries(bytes, opts));
  const wanted = [members.shp, members.shx, members.dbf, members.prj, members.cpg].filter((e): e is ZipEntry => e !== undefined);
  const files = readZipEntries(bytes, wanted, opts);
  const get = (e: ZipEntry) => files.get(e.name)!;
  const base = (e: ZipEntry) => e.name.slice(e.name.lastIndexOf('/') + 1);

  const decode = members.cpg ? decoderForCodePage(latin1(get(members.cpg))) : latin1;
  const dbfName = base(members.dbf);
  const dbfBytes = get(members.dbf);
  const dbf = readDbfHeader(dbfBytes, dbfName, decode, maxFeatures);
  const shpName = base(members.shp);
  const { records } = readShp(get(members.shp), shpName, maxFeatures);
  const nShx = shxCount(get(members.shx), base(members.shx));
  if (nShx !== records.length) {
    throw new FormatError(`${base(members.shx)} indexes ${fmt(nShx)} records, but ${shpName} holds ${fmt(records.length)}.`);
  }
  if (dbf.count !== records.length) {
    throw new FormatError(
      `${dbfName} has ${fmt(dbf.count)} records, but ${shpName} holds ${fmt(records.length)} shapes: the Shapefile is inconsistent.`,
    );
  }

  const columns = dbf.fields.map((f) => f.name);
  const features: VectorFeature[] = [];
  for (let i = 0; i < dbf.count; i++) {
    const p = dbf.headerLength + i * dbf.recordLength;
    if (dbfBytes[p] === 0x2a) continue; // deleted
    const where = `${dbfName} record ${i + 1}`;
    const geometry = records[i].geometry;
    if (!geometry) throw new InputError(`${shpName} record ${i + 1} has no geometry (a null shape); every feature needs one.`, 'geometry');
    const properties: Record<string, PropertyValue> = Object.create(null);
    for (const f of dbf.fields) properties[f.name] = fieldValue(dbfBytes.subarray(p + f.offset, p + f.offset + f.length), f, decode, where);
    features.push({ id: i, geometry, properties });
  }
  let crsWkt: string | null = null;
  if (members.prj) {
    const text = latin1(get(members.prj))
      .replace(/^\uFEFF|^ï»¿/, '')
      .trim();
    if (text) crsWkt = text;
  }
  return { kind: 'vector', features, columns, epsg: crsWkt ? epsgFromWkt(crsWkt) : null, crsWkt };
}
