/**
 * FlatGeobuf (.fgb) → VectorDataset, with the `flatgeobuf` package's FlatBuffers decoders
 * for the header and each feature, inside a framing of our own that is bounded: the magic
 * bytes, the header length, the index size and every feature's length prefix are checked
 * against the bytes present before anything is decoded; the header's feature count is
 * checked against MAX_FEATURES and, when it is not 0 (unknown), must equal the features the
 * file holds (a lying header is refused). Geometries are validated as GeoJSON's are.
 * Columns: the header's, in order (a feature without a value ⇒ null); binary values are
 * refused. CRS: `epsg` from the header's crs when its organisation is EPSG (or unnamed),
 * `crsWkt` its WKT. Never reprojected.
 */
import * as flatbuffers from 'flatbuffers';
import { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { FormatError, InputError, LimitError } from '../executor/errors.ts';
import type { PropertyValue, VectorDataset, VectorFeature } from '../sim/dataset.ts';
import { isFlatGeobuf } from './format-magic.ts';
import { FORBIDDEN_KEYS, GeometryChecker } from './geojson.ts';
import { MAX_COLUMNS, MAX_FEATURES } from './limits.ts';

export interface ReadFlatGeobufOptions {
  maxFeatures?: number;
}

/** Largest header accepted (GDAL's own limit is 10 MB). */
const MAX_HEADER_BYTES = 10 * 1024 * 1024;
const NODE_ITEM_BYTES = 40;
const fmt = (n: number) => n.toLocaleString('en-US');

export { isFlatGeobuf };

/** The packed R-tree's size in bytes (flatgeobuf's calcTreeSize, which never ends for 0 items). */
function treeSize(items: number, nodeSize: number): number {
  const ns = Math.min(Math.max(nodeSize, 2), 65535);
  let n = items;
  let nodes = n;
  do {
    n = Math.ceil(n / ns);
    nodes += n;
  } while (n > 1);
  return nodes * NODE_ITEM_BYTES;
}

export function readFlatGeobuf(bytes: Uint8Array, opts: ReadFlatGeobufOptions = {}): VectorDataset {
  const maxFeatures = opts.maxFeatures ?? MAX_FEATURES;
  if (!isFlatGeobuf(bytes))
    throw new FormatError('Not a FlatGeobuf file: it does not start with the FlatGeobuf magic bytes (fgb, version 3).');
  if (bytes.length < 12) throw new FormatError(`The FlatGeobuf file is truncated: it has only ${bytes.length} bytes.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = dv.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES || 12 + headerLength > bytes.length) {
    throw new FormatError(
      `The FlatGeobuf header is said to hold ${fmt(headerLength)} bytes, but the file has only ${fmt(bytes.length)}: it is truncated or lies.`,
    );
  }
  let header: HeaderMeta;
  try {
    const bb = new flatbuffers.ByteBuffer(bytes.slice(0, 12 + headerLength));
    bb.setPosition(8);
    header = fromByteBuffer(bb);
  } catch (err) {
    throw new FormatError(`The FlatGeobuf header is corrupt: ${(err as Error).message}.`);
  }
  const declared = Number(header.featuresCount);
  if (!Number.isSafeInteger(declared) || declared < 0) throw new FormatError(`The FlatGeobuf header declares an invalid feature count.`);
  if (declared > maxFeatures)
    throw new LimitError(`The FlatGeobuf header declares ${fmt(declared)} features; the limit is ${fmt(maxFeatures)}.`);
  const columns = (header.columns ?? []).map((c) => c.name);
  if (columns.length > MAX_COLUMNS) throw new LimitError(`The FlatGeobuf file has ${columns.length} columns; the limit is ${MAX_COLUMNS}.`);
  for (const c of columns)
    if (FORBIDDEN_KEYS.has(c)) throw new InputError(`The FlatGeobuf column name '${c}' is not allowed. Rename it.`, c);
  let offset = 12 + headerLength;
  if (header.indexNodeSize > 0 && declared > 0) {
    const index = treeSize(declared, header.indexNodeSize);
    if (offset + index > bytes.length) {
      throw new FormatError(
        `The FlatGeobuf header declares ${fmt(declared)} features with a spatial index of ${fmt(index)} bytes, but the file has only ${fmt(bytes.length)}: it is truncated or its header lies.`,
      );
    }
    offset += index;
  }
  const features: VectorFeature[] = [];
  while (offset < bytes.length) {
    const k = features.length;
    if (k >= maxFeatures) throw new LimitError(`The FlatGeobuf file holds more than ${fmt(maxFeatures)} features.`);
    if (declared > 0 && k >= declared)
      throw new FormatError(`The FlatGeobuf file holds more features than the ${fmt(declared)} its header declares.`);
    if (offset + 4 > bytes.length) throw new FormatError(`The FlatGeobuf file is truncated inside feature ${k + 1}'s length.`);
    const len = dv.getUint32(offset, true);
    if (offset + 4 + len > bytes.length) {
      throw new FormatError(
        `The FlatGeobuf file ends inside feature ${k + 1}: it is said to hold ${fmt(len)} bytes at byte ${fmt(offset + 4)}, but the file has only ${fmt(bytes.length)} (truncated, or its header's feature count or index lies).`,
      );
    }
    const where = `FlatGeobuf feature ${k + 1}`;
    let gj: { geometry: unknown; properties: Record<string, unknown> | null };
    try {
      const bb = new flatbuffers.ByteBuffer(bytes.slice(offset, offset + 4 + len));
      gj = fromFeature(k, Feature.getSizePrefixedRootAsFeature(bb), header) as unknown as typeof gj;
    } catch (err) {
      throw new FormatError(`${where} is corrupt: ${(err as Error).message}.`);
    }
    if (!gj.geometry) throw new InputError(`${where} has no geometry; every feature needs one.`, 'geometry');
    const geometry = new GeometryChecker(where).geometry(gj.geometry);
    const properties: Record<string, PropertyValue> = Object.create(null);
    const p = gj.properties ?? {};
    for (const c of columns) {
      const v = Object.prototype.hasOwnProperty.call(p, c) ? p[c] : null;
      if (v instanceof Uint8Array) throw new InputError(`${where}: column '${c}' holds binary data, which cannot be a property.`, c);
      properties[c] =
        v === null || v === undefined
          ? null
          : typeof v === 'bigint'
            ? Number(v)
            : typeof v === 'object'
              ? JSON.stringify(v)
              : (v as PropertyValue);
    }
    features.push({ id: k, geometry, properties });
    offset += 4 + len;
  }
  if (declared > 0 && features.length !== declared) {
    throw new FormatError(
      `The FlatGeobuf header declares ${fmt(declared)} features, but the file holds ${fmt(features.length)}: it is truncated or its header lies.`,
    );
  }
  const crs = header.crs;
  const org = crs?.org ?? null;
  const epsg = crs && crs.code > 0 && (org === null || org.toUpperCase() === 'EPSG') ? crs.code : null;
  return { kind: 'vector', features, columns, epsg, crsWkt: crs?.wkt ?? null };
}
