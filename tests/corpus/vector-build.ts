/**
 * Small writers of Shapefile parts and FlatGeobuf framing for tests and corpus cases:
 * enough to build well-formed files and then break exactly one thing in them.
 */
import { zipSync } from 'fflate';

export type Ring = [number, number][];
export type ShpShape = { type: 1; x: number; y: number } | { type: 5; parts: Ring[] } | { type: 0 };

/** A .shp and its .shx (all records of one shape type; type 0 records are null shapes). */
export function buildShp(shapeType: 1 | 5, shapes: ShpShape[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = shapes.map((s) => {
    if (s.type === 0) {
      const b = new Uint8Array(4);
      return b;
    }
    if (s.type === 1) {
      const b = new Uint8Array(20);
      const dv = new DataView(b.buffer);
      dv.setInt32(0, 1, true);
      dv.setFloat64(4, s.x, true);
      dv.setFloat64(12, s.y, true);
      return b;
    }
    const pts = s.parts.flat();
    const b = new Uint8Array(44 + 4 * s.parts.length + 16 * pts.length);
    const dv = new DataView(b.buffer);
    dv.setInt32(0, 5, true);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => dv.setFloat64(4 + 8 * i, v, true));
    dv.setInt32(36, s.parts.length, true);
    dv.setInt32(40, pts.length, true);
    let start = 0;
    s.parts.forEach((r, k) => {
      dv.setInt32(44 + 4 * k, start, true);
      start += r.length;
    });
    const xy = 44 + 4 * s.parts.length;
    pts.forEach((p, i) => {
      dv.setFloat64(xy + 16 * i, p[0], true);
      dv.setFloat64(xy + 16 * i + 8, p[1], true);
    });
    return b;
  });
  const shpLen = 100 + contents.reduce((a, c) => a + 8 + c.length, 0);
  const shp = new Uint8Array(shpLen);
  const shx = new Uint8Array(100 + 8 * contents.length);
  for (const [buf, len] of [
    [shp, shpLen],
    [shx, shx.length],
  ] as const) {
    const dv = new DataView(buf.buffer);
    dv.setInt32(0, 9994, false);
    dv.setInt32(24, len / 2, false);
    dv.setInt32(28, 1000, true);
    dv.setInt32(32, shapeType, true);
  }
  const sdv = new DataView(shp.buffer);
  const xdv = new DataView(shx.buffer);
  let p = 100;
  contents.forEach((c, i) => {
    sdv.setInt32(p, i + 1, false);
    sdv.setInt32(p + 4, c.length / 2, false);
    shp.set(c, p + 8);
    xdv.setInt32(100 + 8 * i, p / 2, false);
    xdv.setInt32(104 + 8 * i, c.length / 2, false);
    p += 8 + c.length;
  });
  return { shp, shx };
}

export interface DbfField {
  name: string;
  type: 'N' | 'F' | 'C' | 'L' | 'D' | 'M';
  length: number;
  decimals?: number;
}

/** A dBASE III table; `rows` hold the raw field text (already in the file's encoding); a row starting with '*' is deleted. */
export function buildDbf(fields: DbfField[], rows: (string | Uint8Array)[][], deleted: number[] = []): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((a, f) => a + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const dv = new DataView(out.buffer);
  out[0] = 3;
  out.set([126, 1, 1], 1);
  dv.setUint32(4, rows.length, true);
  dv.setUint16(8, headerLength, true);
  dv.setUint16(10, recordLength, true);
  fields.forEach((f, k) => {
    const p = 32 + 32 * k;
    for (let i = 0; i < f.name.length; i++) out[p + i] = f.name.charCodeAt(i);
    out[p + 11] = f.type.charCodeAt(0);
    out[p + 16] = f.length;
    out[p + 17] = f.decimals ?? 0;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let p = headerLength + r * recordLength;
    out[p++] = deleted.includes(r) ? 0x2a : 0x20;
    fields.forEach((f, k) => {
      const v = row[k];
      const bytes = typeof v === 'string' ? Uint8Array.from(v, (c) => c.charCodeAt(0)) : v;
      const cell = new Uint8Array(f.length).fill(0x20);
      if (f.type === 'N' || f.type === 'F') cell.set(bytes.subarray(0, f.length), Math.max(0, f.length - bytes.length));
      else cell.set(bytes.subarray(0, f.length));
      out.set(cell, p);
      p += f.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

/** A zip of the given members (deflated, fixed timestamps ⇒ the same bytes every time). */
export function zipOf(members: Record<string, Uint8Array>): Uint8Array {
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [name, data] of Object.entries(members)) files[name] = [data, { mtime: new Date(Date.UTC(2020, 0, 1)) }];
  return zipSync(files, { level: 6 });
}

/** A zipped Shapefile `name.shp/.shx/.dbf` (+ .prj, .cpg when given) with one row of properties per shape. */
export function shapefileZip(
  name: string,
  shapeType: 1 | 5,
  shapes: ShpShape[],
  fields: DbfField[],
  rows: (string | Uint8Array)[][],
  extra: { prj?: string; cpg?: string; deleted?: number[] } = {},
): Uint8Array {
  const { shp, shx } = buildShp(shapeType, shapes);
  const members: Record<string, Uint8Array> = {
    [`${name}.shp`]: shp,
    [`${name}.shx`]: shx,
    [`${name}.dbf`]: buildDbf(fields, rows, extra.deleted),
  };
  if (extra.prj !== undefined) members[`${name}.prj`] = new TextEncoder().encode(extra.prj);
  if (extra.cpg !== undefined) members[`${name}.cpg`] = new TextEncoder().encode(extra.cpg);
  return zipOf(members);
}

/** A square as a clockwise Shapefile ring (outer) or counter-clockwise (hole). */
export function square(x: number, y: number, size: number, hole = false): Ring {
  const r: Ring = [
    [x, y],
    [x, y + size],
    [x + size, y + size],
    [x + size, y],
    [x, y],
  ];
  return hole ? r.reverse() : r;
}
