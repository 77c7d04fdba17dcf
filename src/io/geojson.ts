/**
 * GeoJSON ⇄ VectorDataset.
 *
 * Reading validates everything a model will touch: geometry types, coordinates
 * (arrays of finite numbers, at least x and y), closed polygon rings of at least four
 * positions, property values (numbers, strings, booleans and null are kept; nested
 * objects and arrays become their JSON text) and property names (`__proto__`,
 * `constructor` and `prototype` are refused; property bags have no prototype anyway).
 * Errors: FormatError when the bytes are not JSON / not GeoJSON, InputError when the
 * GeoJSON content is unusable, LimitError above the size limits.
 *
 * Writing is canonical: the same dataset gives the same bytes in every host —
 * `{"type":"FeatureCollection","crs":…,"features":[` then one feature per line with keys
 * in the order type, id, properties, geometry; properties in the dataset's column order
 * (every column on every feature, missing ⇒ null); numbers as JS shortest round-trip
 * (`String(n)`, −0 ⇒ 0, non-finite ⇒ null); `]}` and a final newline.
 */
import { FormatError, InputError, LimitError } from '../executor/errors.ts';
import { type GeoJSONGeometry, type Position, type PropertyValue, type VectorDataset, type VectorFeature } from '../sim/dataset.ts';
import { MAX_FEATURES, MAX_GEOJSON_BYTES } from './limits.ts';

export interface ReadGeoJsonOptions {
  /** Refuse more features than this (LimitError). Default MAX_FEATURES. */
  maxFeatures?: number;
  /** Refuse files larger than this, before decoding them (LimitError). Default MAX_GEOJSON_BYTES. */
  maxBytes?: number;
}

/** Property names refused on read (and in column maps): they are prototype-pollution vectors. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A short, safe rendering of an untrusted value for a message (never huge, never throws). */
function preview(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === undefined) return 'undefined';
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** UTF-8 length of s[0 .. end). */
function utf8Length(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Index (UTF-16) of the first character where `text` stops being JSON (text.length for a
 * premature end), or null when it is valid. Iterative, so deep nesting cannot overflow.
 * Used only after JSON.parse failed, to report one position in every host.
 */
export function jsonErrorIndex(text: string): number | null {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 1 = object, 2 = array
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  // Each returns -1 when fine, else the error index; they advance i.
  const str = (): number => {
    i++;
    for (;;) {
      if (i >= n) return n;
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return -1;
      }
      if (c < 0x20) return i;
      if (c === 0x5c) {
        i++;
        if (i >= n) return n;
        const e = text[i];
        if ('"\\/bfnrt'.includes(e)) i++;
        else if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= n) return n;
            if (!isHex(text.charCodeAt(i + k))) return i + k;
          }
          i += 5;
        } else return i;
      } else i++;
    }
  };
  const digits = (): number => {
    if (i >= n) return n;
    if (!isDigit(text.charCodeAt(i))) return i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    return -1;
  };
  const num = (): number => {
    if (text.charCodeAt(i) === 0x2d) i++;
    if (i >= n) return n;
    if (text.charCodeAt(i) === 0x30) i++;
    else {
      const e = digits();
      if (e >= 0) return e;
    }
    if (i < n && text.charCodeAt(i) === 0x2e) {
      i++;
      const e = digits();
      if (e >= 0) return e;
    }
    if (i < n && (text.charCodeAt(i) | 0x20) === 0x65) {
      i++;
      if (i < n && (text[i] === '+' || text[i] === '-')) i++;
      const e = digits();
      if (e >= 0) return e;
    }
    return -1;
  };
  const VALUE = 0;
  const VALUE_OR_END = 1;
  const KEY = 2;
  const KEY_OR_END = 3;
  const AFTER = 4;
  let state = VALUE;
  for (;;) {
    ws();
    if (state === VALUE || state === VALUE_OR_END) {
      if (i >= n) return n;
      const c = text[i];
      if (state === VALUE_OR_END && c === ']') {
        stack.pop();
        i++;
        state = AFTER;
        continue;
      }
      let e = -1;
      if (c === '{') {
        stack.push(1);
        i++;
        state = KEY_OR_END;
        continue;
      } else if (c === '[') {
        stack.push(2);
        i++;
        state = VALUE_OR_END;
        continue;
      } else if (c === '"') e = str();
      else if (c === '-' || isDigit(text.charCodeAt(i))) e = num();
      else {
        const lit = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : '';
        if (!lit) return i;
        for (let k = 0; k < lit.length; k++) {
          if (i + k >= n) return n;
          if (text[i + k] !== lit[k]) return i + k;
        }
        i += lit.length;
      }
      if (e >= 0) return e;
      state = AFTER;
    } else if (state === KEY || state === KEY_OR_END) {
      if (i >= n) return n;
      if (state === KEY_OR_END && text[i] === '}') {
        stack.pop();
        i++;
        state = AFTER;
        continue;
      }
      if (text[i] !== '"') return i;
      const e = str();
      if (e >= 0) return e;
      ws();
      if (i >= n) return n;
      if (text[i] !== ':') return i;
      i++;
      state = VALUE;
    } else {
      if (stack.length === 0) return i >= n ? null : i;
      if (i >= n) return n;
      const top = stack[stack.length - 1];
      const c = text[i];
      if (c === ',') {
        i++;
        state = top === 1 ? KEY : VALUE;
      } else if ((top === 1 && c === '}') || (top === 2 && c === ']')) {
        stack.pop();
        i++;
      } else return i;
    }
  }
}

/** "not JSON: <parser message>, at byte N" (N counted in the file's bytes, BOM included). */
function jsonError(err: unknown, text: string, bomBytes: number): FormatError {
  let msg = err instanceof Error ? err.message : String(err);
  // Drop the hosts' own position notes (V8, SpiderMonkey); the position is recomputed below.
  msg = msg
    .replace(/\s*in JSON at position \d+(?: \(line \d+ column \d+\))?/, '')
    .replace(/\s*at line \d+ column \d+ of the JSON data/, '');
  if (msg.length > 200) msg = msg.slice(0, 200) + '…';
  const pos = jsonErrorIndex(text);
  const at = pos !== null ? `, at byte ${bomBytes + utf8Length(text, pos)}` : '';
  return new FormatError(`not JSON: ${msg}${at}`);
}

/** EPSG code from a GeoJSON 2008 `crs` member, or null. */
export function epsgFromCrs(crs: unknown): number | null {
  if (!isPlainObject(crs)) return null;
  const props = crs.properties;
  if (!isPlainObject(props)) return null;
  const name = props.name;
  if (typeof name !== 'string') return null;
  const s = name.trim();
  if (/^(urn:ogc:def:crs:OGC:[^:]*:CRS84|urn:ogc:def:crs:OGC::CRS84|CRS84|OGC:CRS84)$/i.test(s)) return 4326;
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]*\/CRS84$/i.test(s)) return 4326;
  let m = /^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$/i.exec(s) ?? /^EPSG:{1,2}(\d+)$/i.exec(s);
  if (!m) m = /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[^/]*\/(\d+)$/i.exec(s);
  if (m) {
    const code = Number(m[1]);
    return code > 0 && code < 2 ** 31 ? code : null;
  }
  return null;
}

/** GeometryChecker validates one geometry (used by the binary readers too), failing with InputError. */
const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

export class GeometryChecker {
  constructor(private readonly where: string) {}

  fail(why: string): never {
    throw new InputError(`${this.where}: ${why}.`, 'geometry');
  }

  array(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${what} must be an array`);
    return v;
  }

  position(v: unknown): Position {
    if (!Array.isArray(v)) this.fail('a position must be an array of numbers');
    if (v.length < 2) this.fail(`a position needs at least 2 numbers (x, y), got ${v.length}`);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(`coordinates must be finite numbers, got ${preview(x)}`);
    }
    return v as Position;
  }

  positions(v: unknown, what: string, min: number): Position[] {
    const a = this.array(v, what);
    if (a.length < min) this.fail(`${what} needs at least ${min} positions, got ${a.length}`);
    for (const p of a) this.position(p);
    return a as Position[];
  }

  ring(v: unknown, k: number): Position[] {
    const r = this.positions(v, `ring ${k}`, 4);
    const a = r[0];
    const b = r[r.length - 1];
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
      this.fail(`ring ${k} is not closed (its last position must repeat the first)`);
    }
    return r;
  }

  polygon(v: unknown): Position[][] {
    const rings = this.array(v, 'polygon coordinates');
    return rings.map((r, k) => this.ring(r, k));
  }

  geometry(g: unknown): GeoJSONGeometry {
    if (!isPlainObject(g)) this.fail('the geometry must be an object');
    const type = g.type;
    if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) this.fail(`unknown geometry type ${preview(type)}`);
    if (type === 'GeometryCollection') this.fail('GeometryCollection is not supported; use Multi* geometries');
    const c = g.coordinates;
    switch (type) {
      case 'Point':
        return { type, coordinates: this.position(c) };
      case 'MultiPoint':
        return { type, coordinates: this.positions(c, 'MultiPoint coordinates', 0) };
      case 'LineString':
        return { type, coordinates: this.positions(c, 'LineString coordinates', 2) };
      case 'MultiLineString':
        return { type, coordinates: this.array(c, 'MultiLineString coordinates').map((l, k) => this.positions(l, `line ${k}`, 2)) };
      case 'Polygon':
        return { type, coordinates: this.polygon(c) };
      default:
        return { type: 'MultiPolygon', coordinates: this.array(c, 'MultiPolygon coordinates').map((p) => this.polygon(p)) };
    }
  }
}

function propertyValue(v: unknown, where: string, key: string): PropertyValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  try {
    return JSON.stringify(v) ?? null;
  } catch {
    throw new InputError(`${where}: property ${preview(key)} is nested too deeply.`, key);
  }
}

function checkKey(key: string, where: string): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new InputError(`${where}: the property name '${key}' is not allowed. Rename that column.`, key);
  }
}

function readFeature(f: unknown, i: number, columns: string[], seen: Set<string>): VectorFeature {
  const where = `Feature ${i}`;
  if (!isPlainObject(f)) throw new InputError(`${where} is not an object.`);
  if (f.type !== 'Feature') throw new InputError(`${where} has type ${preview(f.type)}; expected "Feature".`);
  let id: string | number | null = null;
  if (hasOwn(f, 'id') && f.id !== null && f.id !== undefined) {
    if (typeof f.id === 'string') id = f.id;
    else if (typeof f.id === 'number' && Number.isFinite(f.id)) id = f.id;
    else throw new InputError(`${where}: the feature id must be a string or a number.`, 'id');
  }
  if (!hasOwn(f, 'geometry') || f.geometry === null || f.geometry === undefined) {
    throw new InputError(`${where} has no geometry; every feature needs one.`, 'geometry');
  }
  const geometry = new GeometryChecker(where).geometry(f.geometry);
  const properties: Record<string, PropertyValue> = Object.create(null);
  const p = f.properties;
  if (p !== null && p !== undefined) {
    if (!isPlainObject(p)) throw new InputError(`${where}: properties must be an object or null.`, 'properties');
    for (const key of Object.keys(p)) {
      checkKey(key, where);
      properties[key] = propertyValue(p[key], where, key);
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { id, geometry, properties };
}

/** Parse GeoJSON bytes (a FeatureCollection, or a single Feature) into a VectorDataset. */
export function readGeoJson(bytes: Uint8Array, opts: ReadGeoJsonOptions = {}): VectorDataset {
  const maxFeatures = opts.maxFeatures ?? MAX_FEATURES;
  const maxBytes = opts.maxBytes ?? MAX_GEOJSON_BYTES;
  if (bytes.length > maxBytes) {
    throw new LimitError(
      `The GeoJSON file is ${bytes.length.toLocaleString('en-US')} bytes; the largest GeoJSON accepted is ` +
        `${maxBytes.toLocaleString('en-US')} bytes (${Math.round(maxBytes / 1048576)} MiB). Clip or simplify it, or convert it to a GeoTIFF grid.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError('not JSON: the file is not UTF-8 text.');
  }
  let bom = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bom = 3;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw jsonError(err, text, bom);
  }
  if (!isPlainObject(doc) || typeof doc.type !== 'string') {
    throw new FormatError('not GeoJSON: expected a JSON object with a "type" member (a FeatureCollection).');
  }
  let rawFeatures: unknown[];
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new InputError('The FeatureCollection has no "features" array.', 'features');
    rawFeatures = doc.features;
  } else if (doc.type === 'Feature') {
    rawFeatures = [doc];
  } else if (GEOMETRY_TYPES.has(doc.type)) {
    throw new InputError(`The file holds a bare ${doc.type} geometry; a FeatureCollection is expected (features with properties).`);
  } else {
    throw new FormatError(`not GeoJSON: unknown type ${preview(doc.type)}; a FeatureCollection is expected.`);
  }
  if (rawFeatures.length > maxFeatures) {
    throw new LimitError(`The GeoJSON has ${rawFeatures.length} features; the limit is ${maxFeatures}.`);
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  const features: VectorFeature[] = new Array(rawFeatures.length);
  for (let i = 0; i < rawFeatures.length; i++) features[i] = readFeature(rawFeatures[i], i, columns, seen);
  return { kind: 'vector', features, columns, epsg: hasOwn(doc, 'crs') ? epsgFromCrs(doc.crs) : null };
}

/**
 * DisSModel's column_map `{ canonical: real }`: a new dataset where each real column is
 * renamed to its canonical name (in place in the column order). A column already called
 * by a canonical name that another column is mapped onto is dropped (the mapping wins).
 * A real column that does not exist is an InputError listing the columns that do.
 */
export function applyColumnMap(ds: VectorDataset, columnMap: Readonly<Record<string, string>>): VectorDataset {
  const rename = new Map<string, string>(); // real → canonical
  const existing = new Set(ds.columns);
  for (const canonical of Object.keys(columnMap)) {
    const real = columnMap[canonical];
    checkKey(canonical, 'column_map');
    if (typeof real !== 'string') throw new InputError(`column_map: '${canonical}' must map to a column name.`, canonical);
    if (!existing.has(real)) {
      throw new InputError(
        `column_map maps '${canonical}' to '${real}', but the layer has no such column. Columns: ${ds.columns.join(', ') || '(none)'}.`,
        canonical,
      );
    }
    if (rename.has(real) && rename.get(real) !== canonical) {
      throw new InputError(`column_map maps both '${rename.get(real)}' and '${canonical}' to '${real}'.`, canonical);
    }
    rename.set(real, canonical);
  }
  const targets = new Set(rename.values());
  const newName = (c: string): string | null => rename.get(c) ?? (targets.has(c) ? null : c);
  const columns: string[] = [];
  for (const c of ds.columns) {
    const n = newName(c);
    if (n !== null) columns.push(n);
  }
  const features = ds.features.map((f) => {
    const properties: Record<string, PropertyValue> = Object.create(null);
    for (const key of Object.keys(f.properties)) {
      const n = newName(key);
      if (n !== null) properties[n] = f.properties[key];
    }
    return { id: f.id, geometry: f.geometry, properties };
  });
  return { kind: 'vector', features, columns, epsg: ds.epsg };
}

// ---------------------------------------------------------------------------
// Canonical writer.

function num(n: number): string {
  if (n === 0) return '0';
  return Number.isFinite(n) ? String(n) : 'null';
}

function value(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  return s === undefined ? 'null' : JSON.stringify(s);
}

/**
 * Coordinates as JSON. JSON.stringify formats every number exactly as `num` does
 * (Number::toString, −0 ⇒ "0", non-finite ⇒ null), natively and fast.
 */
function coords(c: unknown): string {
  return JSON.stringify(c) ?? 'null';
}

function crsMember(epsg: number): string {
  const name = epsg === 4326 ? 'urn:ogc:def:crs:OGC:1.3:CRS84' : `urn:ogc:def:crs:EPSG::${epsg}`;
  return `"crs":{"type":"name","properties":{"name":${JSON.stringify(name)}}},`;
}

/** Canonical GeoJSON bytes of a dataset (see the module comment). */
export function writeGeoJson(ds: VectorDataset): Uint8Array {
  const columns: string[] = [];
  const inColumns = new Set<string>();
  for (const c of ds.columns) {
    if (!inColumns.has(c)) {
      inColumns.add(c);
      columns.push(c);
    }
  }
  const extra = new Set<string>();
  for (const f of ds.features) for (const k of Object.keys(f.properties ?? {})) if (!inColumns.has(k)) extra.add(k);
  columns.push(...[...extra].sort());
  const keys = columns.map((c) => JSON.stringify(c) + ':');

  const parts: string[] = [];
  let head = '{"type":"FeatureCollection",';
  if (ds.epsg !== null && ds.epsg !== undefined && Number.isInteger(ds.epsg)) head += crsMember(ds.epsg);
  head += '"features":[\n';
  parts.push(head);
  const n = ds.features.length;
  for (let i = 0; i < n; i++) {
    const f = ds.features[i];
    let s = '{"type":"Feature",';
    if (f.id !== null && f.id !== undefined) {
      if (typeof f.id === 'number') {
        if (Number.isFinite(f.id)) s += `"id":${num(f.id)},`;
      } else s += `"id":${JSON.stringify(String(f.id))},`;
    }
    s += '"properties":{';
    const p = f.properties ?? {};
    for (let k = 0; k < columns.length; k++) {
      if (k) s += ',';
      const c = columns[k];
      s += keys[k] + value(hasOwn(p, c) ? p[c] : null);
    }
    s += '},"geometry":';
    const g = f.geometry;
    s += g ? `{"type":${JSON.stringify(g.type)},"coordinates":${coords(g.coordinates)}}` : 'null';
    s += i + 1 < n ? '},\n' : '}\n';
    parts.push(s);
  }
  parts.push(']}\n');
  return new TextEncoder().encode(parts.join(''));
}
