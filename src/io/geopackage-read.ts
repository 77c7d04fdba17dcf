/**
 * GeoPackage (.gpkg) → VectorDataset, with sql.js (SQLite in WebAssembly; works in Node
 * and in the page's worker).
 *
 * The layer read is the only feature table in gpkg_contents, or the one called `result`
 * (DisSModel's output layer) when there are several; otherwise the error lists them.
 * Bounded and strict: the bytes must be an SQLite database (checked before sql.js sees
 * them) with the GeoPackage tables; the layer must be a plain table (never a view, which
 * could compute without end); its row count is checked against MAX_FEATURES and its column
 * count against MAX_COLUMNS before a row is read; every geometry blob is parsed with
 * bounds checks. The integer primary key becomes the feature id; the other columns are
 * properties in table order (INTEGER/REAL ⇒ numbers, TEXT ⇒ strings, BOOLEAN ⇒ booleans,
 * NULL ⇒ null; a BLOB value is refused rather than dropped). The srs: `epsg` when
 * gpkg_spatial_ref_sys names an EPSG code (organization 'EPSG'), else when its WKT states
 * one; `crsWkt` is its definition. Never reprojected.
 */
import type { Database, SqlValue } from 'sql.js';
import { FormatError, InputError, LimitError } from '../executor/errors.ts';
import type { PropertyValue, VectorDataset, VectorFeature } from '../sim/dataset.ts';
import { epsgFromWkt } from './crs-wkt.ts';
import { FORBIDDEN_KEYS } from './geojson.ts';
import { MAX_COLUMNS, MAX_FEATURES } from './limits.ts';
import { sqlite } from './sqlite.ts';
import { readGpkgGeometry } from './wkb.ts';

export interface ReadGeoPackageOptions {
  maxFeatures?: number;
  /** The layer to read; default: the only one, else `result`. */
  layer?: string;
}

const MAGIC = 'SQLite format 3\0';
const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const fmt = (n: number) => n.toLocaleString('en-US');

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  const head = Array.from(bytes.subarray(0, 16));
  const printable = head.every((b) => b >= 0x20 && b < 0x7f)
    ? `text starting with ${JSON.stringify(String.fromCharCode(...head))}`
    : 'other binary data';
  return `it starts with ${printable}`;
}

function rows(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  return db.exec(sql, params)[0]?.values ?? [];
}

export async function readGeoPackage(bytes: Uint8Array, opts: ReadGeoPackageOptions = {}): Promise<VectorDataset> {
  const maxFeatures = opts.maxFeatures ?? MAX_FEATURES;
  if (bytes.length < 100 || !MAGIC.split('').every((c, i) => bytes[i] === c.charCodeAt(0))) {
    throw new FormatError(`Not a GeoPackage: a GeoPackage is an SQLite database, and this file is not one (${describeStart(bytes)}).`);
  }
  const SQL = await sqlite();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (err) {
    throw new FormatError(`The GeoPackage cannot be opened as SQLite: ${(err as Error).message}.`);
  }
  try {
    return readOpen(db, maxFeatures, opts.layer);
  } catch (err) {
    if (err instanceof FormatError || err instanceof InputError || err instanceof LimitError) throw err;
    throw new FormatError(`The GeoPackage is corrupt or unreadable: ${(err as Error).message}.`);
  } finally {
    db.close();
  }
}

function readOpen(db: Database, maxFeatures: number, wantLayer: string | undefined): VectorDataset {
  const tables = new Set(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r[0])));
  const missing = ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys'].filter((t) => !tables.has(t));
  if (missing.length) {
    throw new FormatError(
      `Not a GeoPackage: the file is an SQLite database without the GeoPackage table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    );
  }
  const layers = rows(db, "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name").map((r) => String(r[0]));
  if (layers.length === 0) throw new InputError('The GeoPackage has no feature layer (gpkg_contents lists no data_type "features").');
  let layer: string;
  if (wantLayer !== undefined) {
    if (!layers.includes(wantLayer))
      throw new InputError(`The GeoPackage has no feature layer '${wantLayer}'. Layers: ${layers.join(', ')}.`);
    layer = wantLayer;
  } else if (layers.length === 1) layer = layers[0];
  else if (layers.includes('result')) layer = 'result';
  else
    throw new InputError(
      `The GeoPackage has ${layers.length} feature layers (${layers.slice(0, 10).join(', ')}); keep one, or call the one to use 'result'.`,
    );
  if (!tables.has(layer)) throw new FormatError(`The GeoPackage lists the layer '${layer}', but it is not a table (a view or missing).`);

  const gc = rows(db, 'SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?', [layer]);
  if (gc.length !== 1)
    throw new FormatError(`The GeoPackage layer '${layer}' has ${gc.length} entries in gpkg_geometry_columns; it needs exactly one.`);
  const geomCol = String(gc[0][0]);
  const srsId = Number(gc[0][1]);

  // columns, in table order
  const info = rows(db, `PRAGMA table_info(${q(layer)})`); // cid, name, type, notnull, dflt, pk
  if (info.length > MAX_COLUMNS + 2)
    throw new LimitError(`The GeoPackage layer '${layer}' has ${fmt(info.length)} columns; the limit is ${MAX_COLUMNS}.`);
  const pkCols = info.filter((r) => Number(r[5]) > 0);
  const fid = pkCols.length === 1 && String(pkCols[0][2]).toUpperCase() === 'INTEGER' ? String(pkCols[0][1]) : null;
  if (!info.some((r) => String(r[1]) === geomCol))
    throw new FormatError(`The GeoPackage layer '${layer}' has no geometry column '${geomCol}'.`);
  const props = info
    .filter((r) => String(r[1]) !== geomCol && String(r[1]) !== fid)
    .map((r) => ({ name: String(r[1]), type: String(r[2]).toUpperCase() }));
  for (const p of props)
    if (FORBIDDEN_KEYS.has(p.name))
      throw new InputError(`The GeoPackage layer '${layer}': the column name '${p.name}' is not allowed. Rename it.`, p.name);

  const count = Number(rows(db, `SELECT count(*) FROM ${q(layer)}`)[0]?.[0] ?? 0);
  if (count > maxFeatures)
    throw new LimitError(`The GeoPackage layer '${layer}' has ${fmt(count)} features; the limit is ${fmt(maxFeatures)}.`);

  // the CRS
  let epsg: number | null = null;
  let crsWkt: string | null = null;
  const srs = rows(db, 'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId]);
  if (srs.length === 1) {
    const [org, code, def] = srs[0];
    const wkt = typeof def === 'string' && def.trim() && def.trim().toLowerCase() !== 'undefined' ? def.trim() : null;
    crsWkt = wkt;
    if (String(org).toUpperCase() === 'EPSG' && Number.isInteger(code) && (code as number) > 0) epsg = code as number;
    else if (wkt) epsg = epsgFromWkt(wkt);
  }

  const cols = [...(fid ? [fid] : []), geomCol, ...props.map((p) => p.name)];
  const stmt = db.prepare(`SELECT ${cols.map(q).join(', ')} FROM ${q(layer)}${fid ? ` ORDER BY ${q(fid)}` : ''}`);
  const features: VectorFeature[] = [];
  try {
    let i = 0;
    while (stmt.step()) {
      const r = stmt.get();
      const where = `GeoPackage layer '${layer}' feature ${fid ? String(r[0]) : i + 1}`;
      if (features.length >= maxFeatures)
        throw new LimitError(`The GeoPackage layer '${layer}' has more than ${fmt(maxFeatures)} features.`);
      const off = fid ? 1 : 0;
      const blob = r[off];
      if (!(blob instanceof Uint8Array)) throw new InputError(`${where} has no geometry; every feature needs one.`, 'geometry');
      const { geometry } = readGpkgGeometry(blob, where);
      if (!geometry) throw new InputError(`${where} has an empty geometry; every feature needs one.`, 'geometry');
      const properties: Record<string, PropertyValue> = Object.create(null);
      for (let k = 0; k < props.length; k++) {
        const v = r[off + 1 + k];
        const p = props[k];
        if (v instanceof Uint8Array)
          throw new InputError(`${where}: column '${p.name}' holds binary data (a BLOB), which cannot be a property.`, p.name);
        properties[p.name] = p.type === 'BOOLEAN' && typeof v === 'number' ? v !== 0 : v;
      }
      features.push({ id: fid ? (r[0] as number) : i, geometry, properties });
      i++;
    }
  } finally {
    stmt.free();
  }
  return { kind: 'vector', features, columns: props.map((p) => p.name), epsg, crsWkt };
}
