/**
 * VectorDataset → GeoPackage bytes (DisSModel's vector output format: one layer, `result`).
 *
 * Canonical and byte-stable: the same dataset gives the same bytes in every host (same
 * sql.js build): no clock anywhere (gpkg_contents.last_change is 1970-01-01T00:00:00.000Z),
 * fixed page size, statements in a fixed order, one transaction. The layer table is
 * `"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "geom" <TYPE>`, then the dataset's
 * columns in its column order, each typed from its values: INTEGER when every value is
 * an integer, REAL when every value is a number, BOOLEAN when every value is a boolean,
 * TEXT otherwise (numbers and booleans in a mixed column are stored as their JSON text);
 * nulls do not count. Feature ids: when every feature has a distinct integer id they are
 * the fids; otherwise the fids are 1…n and any non-null ids go in a TEXT column `id`.
 * The srs: an EPSG code ⇒ srs_id = that code, organization EPSG, definition = the
 * dataset's crsWkt or 'undefined'; only a WKT ⇒ srs_id 100000 with that definition; none ⇒
 * -1 (undefined Cartesian). Geometries: GeoPackage blobs (little-endian ISO WKB, xy
 * envelope except for points); geometry_type_name is the one type, or GEOMETRY if mixed. A layer
 * has one dimension: when any geometry has a z, every position is written with one (0 where
 * it had none), as GDAL does.
 */
import { DissError } from '../executor/errors.ts';
import type { GeoJSONGeometry, PropertyValue, VectorDataset } from '../sim/dataset.ts';
import { sqlite } from './sqlite.ts';
import { bounds, hasZ, writeGpkgGeometry } from './wkb.ts';

export interface WriteGeoPackageOptions {
  /** Layer (table) name. Default 'result', as DisSModel's save_gdf. */
  layer?: string;
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

type ColType = 'INTEGER' | 'REAL' | 'BOOLEAN' | 'TEXT';

function columnType(values: PropertyValue[]): ColType {
  let ints = true;
  let nums = true;
  let bools = true;
  let any = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    any = true;
    if (typeof v !== 'number') nums = ints = false;
    else if (!Number.isSafeInteger(v)) ints = false;
    if (typeof v !== 'boolean') bools = false;
  }
  if (!any) return 'TEXT';
  return ints ? 'INTEGER' : nums ? 'REAL' : bools ? 'BOOLEAN' : 'TEXT';
}

function cell(v: PropertyValue | undefined, t: ColType): number | string | null {
  if (v === null || v === undefined) return null;
  if (t === 'BOOLEAN') return v ? 1 : 0;
  if (t === 'TEXT') return typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
  return null;
}

const GEOM_NAMES: Record<GeoJSONGeometry['type'], string> = {
  Point: 'POINT',
  LineString: 'LINESTRING',
  Polygon: 'POLYGON',
  MultiPoint: 'MULTIPOINT',
  MultiLineString: 'MULTILINESTRING',
  MultiPolygon: 'MULTIPOLYGON',
};

const WGS84 =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],' +
  'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const SCHEMA = [
  'PRAGMA page_size = 4096',
  'PRAGMA application_id = 1196444487', // 'GPKG'
  'PRAGMA user_version = 10200', // GeoPackage 1.2
  `CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
 organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
  `CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
 description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE,
 max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
  `CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
 srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
 CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
 CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
];

/** Canonical GeoPackage bytes of a dataset (see the module comment). */
export async function writeGeoPackage(ds: VectorDataset, opts: WriteGeoPackageOptions = {}): Promise<Uint8Array> {
  const layer = opts.layer ?? 'result';
  const columns = [...new Set(ds.columns)];
  const ids = ds.features.map((f) => f.id);
  const intIds = ids.every((id) => typeof id === 'number' && Number.isSafeInteger(id)) && new Set(ids).size === ids.length;
  const idColumn = !intIds && ids.some((id) => id !== null && id !== undefined);
  if (idColumn && columns.includes('id')) {
    throw new DissError(
      'output',
      "The features have ids that are not distinct integers and a column called 'id': rename that column to write a GeoPackage.",
    );
  }
  for (const c of columns) {
    if (c.toLowerCase() === 'fid' || c.toLowerCase() === 'geom') {
      throw new DissError(
        'output',
        `The column '${c}' clashes with the GeoPackage's own fid/geom columns: rename it to write a GeoPackage.`,
      );
    }
  }
  const types = columns.map((c) => columnType(ds.features.map((f) => f.properties[c] ?? null)));
  const z = ds.features.some((f) => hasZ(f.geometry));
  const kinds = new Set(ds.features.map((f) => f.geometry.type));
  const geomType = kinds.size === 1 ? GEOM_NAMES[[...kinds][0]] : 'GEOMETRY';
  const epsg = ds.epsg !== null && ds.epsg !== undefined && Number.isInteger(ds.epsg) && ds.epsg > 0 ? ds.epsg : null;
  const wkt = ds.crsWkt && ds.crsWkt.trim() ? ds.crsWkt.trim() : null;
  const srsId = epsg ?? (wkt ? 100000 : -1);
  let minx = Infinity;
  let miny = Infinity;
  let maxx = -Infinity;
  let maxy = -Infinity;
  for (const f of ds.features) {
    const b = bounds(f.geometry);
    minx = Math.min(minx, b[0]);
    miny = Math.min(miny, b[1]);
    maxx = Math.max(maxx, b[2]);
    maxy = Math.max(maxy, b[3]);
  }
  const box = ds.features.length ? [minx, miny, maxx, maxy] : [null, null, null, null];

  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    for (const s of SCHEMA) db.run(s);
    db.run('BEGIN');
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run(['Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system']);
    srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
    srs.run(['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid']);
    if (epsg !== null && epsg !== 4326) srs.run([`EPSG:${epsg}`, epsg, 'EPSG', epsg, wkt ?? 'undefined', null]);
    else if (epsg === null && wkt) srs.run(['Unknown CRS', 100000, 'NONE', 100000, wkt, null]);
    srs.free();
    db.run("INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', '1970-01-01T00:00:00.000Z', ?, ?, ?, ?, ?)", [
      layer,
      layer,
      ...box,
      srsId,
    ]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, 0)', [layer, 'geom', geomType, srsId, z ? 1 : 0]);
    const defs = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL', `"geom" ${geomType}`];
    if (idColumn) defs.push('"id" TEXT');
    columns.forEach((c, k) => defs.push(`${q(c)} ${types[k]}`));
    db.run(`CREATE TABLE ${q(layer)} (${defs.join(', ')})`);
    const n = 2 + (idColumn ? 1 : 0) + columns.length;
    const ins = db.prepare(`INSERT INTO ${q(layer)} VALUES (${new Array(n).fill('?').join(', ')})`);
    ds.features.forEach((f, i) => {
      const row: (number | string | Uint8Array | null)[] = [intIds ? (f.id as number) : i + 1, writeGpkgGeometry(f.geometry, srsId, z)];
      if (idColumn) row.push(f.id === null || f.id === undefined ? null : String(f.id));
      columns.forEach((c, k) => row.push(cell(f.properties[c], types[k])));
      ins.run(row);
    });
    ins.free();
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}
