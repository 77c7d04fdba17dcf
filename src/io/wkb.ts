/**
 * Well-known binary (ISO and extended/EWKB-flagged Z) ⇄ GeoJSON geometries, and the
 * GeoPackage geometry blob around it (`GP` header, srs_id, optional envelope).
 * Reading is bounded: every count is checked against the bytes left before an array is
 * made. Z is kept as a third coordinate, M is dropped. Writing is canonical
 * little-endian ISO WKB (Z types +1000), GeoPackage blobs with an xy envelope except for
 * points (as GDAL writes them).
 */
import { FormatError } from '../executor/errors.ts';
import type { GeoJSONGeometry, Position } from '../sim/dataset.ts';
import { MAX_GEOMETRY_POINTS } from './limits.ts';

class Reader {
  p: number;
  constructor(
    private readonly dv: DataView,
    start: number,
    private readonly where: string,
  ) {
    this.p = start;
  }
  fail(why: string): never {
    throw new FormatError(`${this.where}: ${why}.`);
  }
  need(n: number, what: string): void {
    if (this.p + n > this.dv.byteLength) this.fail(`its ${what} runs past the end of the geometry (${this.dv.byteLength} bytes)`);
  }
  u8(): number {
    this.need(1, 'byte order');
    return this.dv.getUint8(this.p++);
  }
  u32(le: boolean): number {
    this.need(4, 'header');
    const v = this.dv.getUint32(this.p, le);
    this.p += 4;
    return v;
  }
  count(le: boolean, size: number, what: string): number {
    const n = this.u32(le);
    if (n > MAX_GEOMETRY_POINTS || this.p + n * size > this.dv.byteLength) this.fail(`it declares ${n} ${what}, more than its bytes hold`);
    return n;
  }
  position(le: boolean, dims: number, hasZ: boolean): Position {
    this.need(8 * dims, 'coordinates');
    const x = this.dv.getFloat64(this.p, le);
    const y = this.dv.getFloat64(this.p + 8, le);
    const out = [x, y];
    if (hasZ) out.push(this.dv.getFloat64(this.p + 16, le));
    this.p += 8 * dims;
    for (const v of out) if (!Number.isFinite(v)) this.fail('a coordinate is not a finite number (an empty point?)');
    return out;
  }
}

interface Head {
  le: boolean;
  type: number;
  hasZ: boolean;
  dims: number;
}

function head(r: Reader): Head {
  const bo = r.u8();
  if (bo > 1) r.fail(`its WKB byte order is ${bo}, not 0 or 1`);
  const le = bo === 1;
  const raw = r.u32(le);
  let type = raw & 0x0fffffff;
  let hasZ = (raw & 0x80000000) !== 0;
  let hasM = (raw & 0x40000000) !== 0;
  if (raw & 0x20000000) r.fail('it carries an EWKB SRID, which a GeoPackage geometry must not');
  const iso = Math.floor(type / 1000);
  if (iso > 3) r.fail(`its WKB type is ${raw}`);
  if (iso === 1 || iso === 3) hasZ = true;
  if (iso === 2 || iso === 3) hasM = true;
  type %= 1000;
  return { le, type, hasZ, dims: 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0) };
}

const NAMES: Record<number, string> = {
  1: 'Point',
  2: 'LineString',
  3: 'Polygon',
  4: 'MultiPoint',
  5: 'MultiLineString',
  6: 'MultiPolygon',
  7: 'GeometryCollection',
};

function geometry(r: Reader, depth: number): GeoJSONGeometry {
  const h = head(r);
  const { le, dims, hasZ } = h;
  const line = (min: number, what: string): Position[] => {
    const n = r.count(le, 8 * dims, 'points');
    if (n < min) r.fail(`a ${what} has ${n} points; it needs at least ${min}`);
    const a: Position[] = new Array(n);
    for (let i = 0; i < n; i++) a[i] = r.position(le, dims, hasZ);
    return a;
  };
  const polygon = (): Position[][] => {
    const n = r.count(le, 4, 'rings');
    if (n === 0) r.fail('a polygon is empty');
    const rings: Position[][] = new Array(n);
    for (let k = 0; k < n; k++) {
      const ring = line(4, 'polygon ring');
      const a = ring[0];
      const b = ring[ring.length - 1];
      if (a.some((v, i) => v !== b[i])) r.fail(`polygon ring ${k} is not closed`);
      rings[k] = ring;
    }
    return rings;
  };
  const parts = <T>(want: number, read: (g: GeoJSONGeometry) => T): T[] => {
    const n = r.count(le, 5, 'parts');
    const out: T[] = new Array(n);
    for (let k = 0; k < n; k++) {
      if (depth > 0) r.fail('it nests collections');
      const g = geometry(r, depth + 1);
      if (NAMES[want] !== g.type) r.fail(`a ${NAMES[h.type]} holds a ${g.type}`);
      out[k] = read(g);
    }
    return out;
  };
  switch (h.type) {
    case 1:
      return { type: 'Point', coordinates: r.position(le, dims, hasZ) };
    case 2:
      return { type: 'LineString', coordinates: line(2, 'line') };
    case 3:
      return { type: 'Polygon', coordinates: polygon() };
    case 4:
      return { type: 'MultiPoint', coordinates: parts(1, (g) => g.coordinates as Position) };
    case 5:
      return { type: 'MultiLineString', coordinates: parts(2, (g) => g.coordinates as Position[]) };
    case 6:
      return { type: 'MultiPolygon', coordinates: parts(3, (g) => g.coordinates as Position[][]) };
    case 7:
      return r.fail('it is a GeometryCollection, which is not supported; use Multi* geometries');
    default:
      return r.fail(`its WKB geometry type ${h.type} (curves, surfaces, TIN…) is not supported`);
  }
}

/** WKB bytes → a GeoJSON geometry. */
export function readWkb(bytes: Uint8Array, where: string, start = 0): GeoJSONGeometry {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return geometry(new Reader(dv, start, where), 0);
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob → its srs_id and geometry, or null for an empty geometry. */
export function readGpkgGeometry(blob: Uint8Array, where: string): { srsId: number; geometry: GeoJSONGeometry | null } {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new FormatError(`${where}: the geometry is not a GeoPackage geometry blob (it does not start with 'GP').`);
  }
  const flags = blob[3];
  if (flags & 0x20) throw new FormatError(`${where}: the geometry uses the extended GeoPackage geometry type, which is not supported.`);
  const env = (flags >> 1) & 7;
  if (env > 4) throw new FormatError(`${where}: the geometry has an invalid envelope code ${env}.`);
  const le = (flags & 1) === 1;
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = dv.getInt32(4, le);
  const start = 8 + ENVELOPE_BYTES[env];
  if (start > blob.length) throw new FormatError(`${where}: the geometry blob is truncated inside its envelope.`);
  if (flags & 0x10) return { srsId, geometry: null };
  return { srsId, geometry: readWkb(blob, where, start) };
}

// ---------------------------------------------------------------------------
// writing

const TYPE_CODE: Record<GeoJSONGeometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
};

/** True when some position of the geometry has a z. */
export function hasZ(g: GeoJSONGeometry): boolean {
  const walk = (c: unknown): boolean =>
    typeof (c as unknown[])[0] === 'number' ? (c as Position).length > 2 : (c as unknown[]).some(walk);
  return g.type === 'Point' ? g.coordinates.length > 2 : g.coordinates.length > 0 && walk(g.coordinates);
}

class Writer {
  buf = new Uint8Array(256);
  dv = new DataView(this.buf.buffer);
  n = 0;
  grow(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.grow(1);
    this.buf[this.n++] = v;
  }
  u32(v: number): void {
    this.grow(4);
    this.dv.setUint32(this.n, v, true);
    this.n += 4;
  }
  i32(v: number): void {
    this.grow(4);
    this.dv.setInt32(this.n, v, true);
    this.n += 4;
  }
  f64(v: number): void {
    this.grow(8);
    this.dv.setFloat64(this.n, v === 0 ? 0 : v, true);
    this.n += 8;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

function writeGeometry(w: Writer, g: GeoJSONGeometry, z: boolean): void {
  const pos = (p: Position) => {
    w.f64(p[0]);
    w.f64(p[1]);
    if (z) w.f64(p.length > 2 ? p[2] : 0);
  };
  const line = (l: Position[]) => {
    w.u32(l.length);
    l.forEach(pos);
  };
  const poly = (rings: Position[][]) => {
    w.u32(rings.length);
    rings.forEach(line);
  };
  const headOf = (type: number) => {
    w.u8(1);
    w.u32(type + (z ? 1000 : 0));
  };
  headOf(TYPE_CODE[g.type]);
  switch (g.type) {
    case 'Point':
      pos(g.coordinates);
      break;
    case 'LineString':
      line(g.coordinates);
      break;
    case 'Polygon':
      poly(g.coordinates);
      break;
    case 'MultiPoint':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) {
        headOf(1);
        pos(p);
      }
      break;
    case 'MultiLineString':
      w.u32(g.coordinates.length);
      for (const l of g.coordinates) {
        headOf(2);
        line(l);
      }
      break;
    case 'MultiPolygon':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) {
        headOf(3);
        poly(p);
      }
      break;
  }
}

/** The xy bounds [minx, miny, maxx, maxy] of a geometry. */
export function bounds(g: GeoJSONGeometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (typeof (c as unknown[])[0] === 'number') {
      const p = c as Position;
      if (p[0] < b[0]) b[0] = p[0];
      if (p[1] < b[1]) b[1] = p[1];
      if (p[0] > b[2]) b[2] = p[0];
      if (p[1] > b[3]) b[3] = p[1];
    } else (c as unknown[]).forEach(walk);
  };
  walk(g.coordinates);
  return b;
}

/** A GeoPackage geometry blob: little-endian, xy envelope (none for a Point), ISO WKB. */
export function writeGpkgGeometry(g: GeoJSONGeometry, srsId: number, z: boolean): Uint8Array {
  const w = new Writer();
  const point = g.type === 'Point';
  w.u8(0x47);
  w.u8(0x50);
  w.u8(0); // version 1
  w.u8(1 | (point ? 0 : 1 << 1));
  w.i32(srsId);
  if (!point) {
    const [minx, miny, maxx, maxy] = bounds(g);
    w.f64(minx);
    w.f64(maxx);
    w.f64(miny);
    w.f64(maxy);
  }
  writeGeometry(w, g, z);
  return w.bytes();
}
