/**
 * GeoTIFF georeferencing shared by the reader and the writer: the GeoKey directory
 * (parsed, checked, put in canonical order), the EPSG code it names, a WKT for CRSs
 * without one, and GDAL's PixelIsPoint and ModelTransformation conventions.
 *
 * What is kept (see README "Georeferencing"):
 * - a CRS with an EPSG code: the code (the writer regenerates GTModelType, GTRasterType
 *   and the EPSG key, as before; GDAL's citation and unit keys are descriptive and not
 *   copied) — unless the keys also name a vertical CRS (keys 4096–4099, e.g. GDAL's
 *   EPSG:31983+5720): then the whole directory is kept as below;
 * - a CRS without one (user-defined keys, 32767, citation only): the whole key directory
 *   with its GeoDoubleParams and GeoAsciiParams, written back verbatim in key order, and a
 *   WKT derived from the keys where the projection is one of the common ones below;
 * - PixelIsPoint: the key, and the tie point at the cell centre (GDAL's convention);
 * - a rotated or sheared grid: its six affine terms, written back as a ModelTransformationTag.
 */
import { FormatError } from '../executor/errors.ts';
import type { AffineTransform, GeoKeySet, GeoTransform } from '../sim/dataset.ts';

export const GEO_DOUBLE_PARAMS = 34736;
export const GEO_ASCII_PARAMS = 34737;
export const GT_RASTER_TYPE = 1025;
const RASTER_PIXEL_IS_AREA = 1;
const RASTER_PIXEL_IS_POINT = 2;
const USER_DEFINED = 32767;

export interface GeoKeyEntry {
  id: number;
  /** 0: the value is in `value`; 34736 / 34737: `count` values at offset `value` of that tag. */
  location: number;
  count: number;
  value: number;
}

/** The keys of a GeoKeyDirectoryTag (malformed trailing entries are dropped, as libgeotiff does). */
export function parseKeyDirectory(dir: readonly number[] | null): GeoKeyEntry[] {
  if (!dir || dir.length < 4) return [];
  const out: GeoKeyEntry[] = [];
  for (let k = 0; k < dir[3]; k++) {
    const b = 4 + k * 4;
    if (b + 3 >= dir.length) break;
    out.push({ id: dir[b], location: dir[b + 1], count: dir[b + 2], value: dir[b + 3] });
  }
  return out;
}

/** SHORT-valued keys (stored in the directory itself) by id. */
export function shortKeys(entries: readonly GeoKeyEntry[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of entries) if (e.location === 0 && !m.has(e.id)) m.set(e.id, e.value);
  return m;
}

/**
 * The EPSG code of the CRS the keys describe: GeographicTypeGeoKey for a geographic model
 * (GTModelTypeGeoKey 2); ProjectedCSTypeGeoKey for a projected one (model 1, or any model
 * that has the projected key, e.g. ESRI's user-defined 32767); else the geographic key.
 * User-defined (32767) is no code: a projected CRS whose projection is user-defined has no
 * EPSG code even when its base geographic CRS has one (that code names the base only).
 */
export function epsgOfKeys(keys: ReadonlyMap<number, number>): number | null {
  const model = keys.get(1024);
  const id = model === 2 ? 2048 : model === 1 || keys.has(3072) ? 3072 : 2048;
  const v = keys.get(id);
  return v !== undefined && v > 0 && v !== USER_DEFINED ? v : null;
}

/** Vertical CRS keys (VerticalCSType, VerticalCitation, VerticalDatum, VerticalUnits): what an EPSG code of the horizontal CRS does not say. */
export function hasVerticalKeys(entries: readonly GeoKeyEntry[]): boolean {
  return entries.some((e) => e.id >= 4096 && e.id <= 4099);
}

/** The EPSG code a kept key set names (for the writer's consistency check). */
export function epsgOfKeySet(set: GeoKeySet): number | null {
  return epsgOfKeys(shortKeys(parseKeyDirectory(set.directory)));
}

/** Whether the keys say anything about the CRS (anything beyond GTRasterTypeGeoKey). */
export function keysDescribeCrs(entries: readonly GeoKeyEntry[]): boolean {
  return entries.some((e) => e.id !== GT_RASTER_TYPE);
}

/** The text of an ASCII key (its piece of GeoAsciiParams without the '|' terminator), or null. */
export function asciiKey(set: GeoKeySet, entries: readonly GeoKeyEntry[], id: number): string | null {
  const e = entries.find((x) => x.id === id && x.location === GEO_ASCII_PARAMS);
  if (!e) return null;
  let s = set.ascii.slice(e.value, e.value + e.count);
  if (s.endsWith('|')) s = s.slice(0, -1);
  return s;
}

/** The first value of a DOUBLE key, or null. */
function doubleKey(set: GeoKeySet, entries: readonly GeoKeyEntry[], id: number): number | null {
  const e = entries.find((x) => x.id === id && x.location === GEO_DOUBLE_PARAMS);
  if (!e || e.count < 1 || e.value >= set.doubles.length) return null;
  return set.doubles[e.value];
}

/**
 * Check that every key's values lie inside the tag it points into (FormatError otherwise, so
 * a key is never copied to an output where it would point into nothing).
 */
export function checkKeySet(set: GeoKeySet): void {
  for (const e of parseKeyDirectory(set.directory)) {
    if (e.location === 0) continue;
    const size = e.location === GEO_DOUBLE_PARAMS ? set.doubles.length : e.location === GEO_ASCII_PARAMS ? set.ascii.length : -1;
    if (size < 0) {
      throw new FormatError(`GeoKey ${e.id} points into tag ${e.location}, which is neither GeoDoubleParams nor GeoAsciiParams.`);
    }
    if (e.value + e.count > size) {
      throw new FormatError(
        `GeoKey ${e.id} needs values ${e.value}–${e.value + e.count - 1} of tag ${e.location}, which holds only ${size}.`,
      );
    }
  }
}

/**
 * The key directory to write: the keys as read, sorted by id (GeoTIFF requires ascending
 * ids), the header's version numbers kept, and GTRasterTypeGeoKey set to what the dataset says.
 */
export function canonicalKeyDirectory(set: GeoKeySet, pixelIsPoint: boolean): number[] {
  const entries = parseKeyDirectory(set.directory).filter((e) => e.id !== GT_RASTER_TYPE);
  entries.push({ id: GT_RASTER_TYPE, location: 0, count: 1, value: pixelIsPoint ? RASTER_PIXEL_IS_POINT : RASTER_PIXEL_IS_AREA });
  entries.sort((a, b) => a.id - b.id);
  const [version, revision, minor] = set.directory;
  return [version ?? 1, revision ?? 1, minor ?? 0, entries.length, ...entries.flatMap((e) => [e.id, e.location, e.count, e.value])];
}

export function isPixelIsPoint(keys: ReadonlyMap<number, number>): boolean {
  return keys.get(GT_RASTER_TYPE) === RASTER_PIXEL_IS_POINT;
}

// ---------------------------------------------------------------------------
// transforms (GDAL's conventions)

/**
 * The 16 values of a ModelTransformationTag for an affine transform, laid out as GDAL
 * writes them. With PixelIsPoint the matrix maps the cell centre (GDAL shifts by half a cell).
 */
export function modelTransformation(gt: AffineTransform, pixelIsPoint: boolean): number[] {
  const [tx, a, b, ty, d, e] = gt;
  const x0 = pixelIsPoint ? tx + (a * 0.5 + b * 0.5) : tx;
  const y0 = pixelIsPoint ? ty + (d * 0.5 + e * 0.5) : ty;
  return [a, b, 0, x0, d, e, 0, y0, 0, 0, 0, 0, 0, 0, 0, 1];
}

/** A ModelTransformationTag as GDAL reads it (corner-based; PixelIsPoint shifted back by half a cell). */
export function affineOfModelTransformation(m: readonly number[], pixelIsPoint: boolean): AffineTransform {
  const gt: AffineTransform = [m[3], m[0], m[1], m[7], m[4], m[5]];
  if (pixelIsPoint) {
    gt[0] -= gt[1] * 0.5 + gt[2] * 0.5;
    gt[3] -= gt[4] * 0.5 + gt[5] * 0.5;
  }
  return gt;
}

/** The tie point (raster 0,0 → model x, y) for a north-up transform: the corner, or the cell centre with PixelIsPoint. */
export function tiePointOf(t: GeoTransform, pixelIsPoint: boolean): [number, number] {
  return pixelIsPoint ? [t.originX + t.pixelWidth / 2, t.originY - t.pixelHeight / 2] : [t.originX, t.originY];
}

// ---------------------------------------------------------------------------
// WKT from user-defined keys

interface Ellipsoid {
  name: string;
  a: number;
  invf: number;
  epsg?: number;
}

const ELLIPSOIDS: Record<number, Ellipsoid> = {
  7019: { name: 'GRS 1980', a: 6378137, invf: 298.257222101, epsg: 7019 },
  7030: { name: 'WGS 84', a: 6378137, invf: 298.257223563, epsg: 7030 },
  7022: { name: 'International 1924', a: 6378388, invf: 297, epsg: 7022 },
  7008: { name: 'Clarke 1866', a: 6378206.4, invf: 294.978698213898, epsg: 7008 },
  7050: { name: 'GRS 1967 Modified', a: 6378160, invf: 298.25, epsg: 7050 },
};

/** Geographic CRSs whose datum the WKT can spell out: EPSG code → [name, datum, ellipsoid code]. */
const GEOGCS: Record<number, [string, string, number]> = {
  4326: ['WGS 84', 'WGS_1984', 7030],
  4674: ['SIRGAS 2000', 'Sistema_de_Referencia_Geocentrico_para_las_AmericaS_2000', 7019],
  4269: ['NAD83', 'North_American_Datum_1983', 7019],
  4618: ['SAD69', 'South_American_Datum_1969', 7050],
  4267: ['NAD27', 'North_American_Datum_1927', 7008],
  4258: ['ETRS89', 'European_Terrestrial_Reference_System_1989', 7019],
};

/** ProjCoordTransGeoKey code → WKT1 projection name and its parameters (WKT name ← key id). */
const PROJECTIONS: Record<number, { name: string; params: Array<[string, number]> }> = {
  1: {
    name: 'Transverse_Mercator',
    params: [
      ['latitude_of_origin', 3081],
      ['central_meridian', 3080],
      ['scale_factor', 3092],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  7: {
    name: 'Mercator_1SP',
    params: [
      ['central_meridian', 3080],
      ['scale_factor', 3092],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  8: {
    name: 'Lambert_Conformal_Conic_2SP',
    params: [
      ['standard_parallel_1', 3078],
      ['standard_parallel_2', 3079],
      ['latitude_of_origin', 3085],
      ['central_meridian', 3084],
      ['false_easting', 3086],
      ['false_northing', 3087],
    ],
  },
  10: {
    name: 'Lambert_Azimuthal_Equal_Area',
    params: [
      ['latitude_of_center', 3089],
      ['longitude_of_center', 3088],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  11: {
    name: 'Albers_Conic_Equal_Area',
    params: [
      ['standard_parallel_1', 3078],
      ['standard_parallel_2', 3079],
      ['latitude_of_center', 3081],
      ['longitude_of_center', 3080],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  23: {
    name: 'Robinson',
    params: [
      ['longitude_of_center', 3088],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  24: {
    name: 'Sinusoidal',
    params: [
      ['longitude_of_center', 3088],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
  17: {
    name: 'Equirectangular',
    params: [
      ['standard_parallel_1', 3078],
      ['central_meridian', 3088],
      ['false_easting', 3082],
      ['false_northing', 3083],
    ],
  },
};

const q = (s: string): string => `"${s.replace(/"/g, "'")}"`;
const num = (v: number): string => String(v);
const WKT_PREFIXES = ['PROJCS[', 'GEOGCS[', 'PROJCRS[', 'GEOGCRS[', 'COMPD_CS[', 'GEODCRS['];

/** A WKT found in a citation key (GDAL/ESRI's "ESRI PE String = …" or a bare WKT). */
function wktInCitation(text: string | null): string | null {
  if (!text) return null;
  const s = text.replace(/^ESRI PE String = /, '').trim();
  return WKT_PREFIXES.some((p) => s.toUpperCase().startsWith(p)) ? s : null;
}

/** GDAL's citations read "Name" or "...|Datum = X|Ellipsoid = Y|..."; the name is the first piece. */
function citationName(text: string | null): string | null {
  if (!text) return null;
  const name = text
    .split('|')[0]
    .replace(/^(GCS|PCS) Name = /, '')
    .trim();
  return name === '' ? null : name;
}

function geogcs(set: GeoKeySet, entries: readonly GeoKeyEntry[], keys: ReadonlyMap<number, number>): string | null {
  const code = keys.get(2048);
  if (code !== undefined && code !== USER_DEFINED && GEOGCS[code]) {
    const [name, datum, ell] = GEOGCS[code];
    const e = ELLIPSOIDS[ell];
    return (
      `GEOGCS[${q(name)},DATUM[${q(datum)},SPHEROID[${q(e.name)},${num(e.a)},${num(e.invf)},AUTHORITY["EPSG","${ell}"]]],` +
      `PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","${code}"]]`
    );
  }
  if (code !== undefined && code !== USER_DEFINED) return null; // an EPSG base we cannot spell out
  let ell: Ellipsoid | null = null;
  const ellCode = keys.get(2056);
  if (ellCode !== undefined && ellCode !== USER_DEFINED) ell = ELLIPSOIDS[ellCode] ?? null;
  if (!ell) {
    const a = doubleKey(set, entries, 2057);
    const invf = doubleKey(set, entries, 2059);
    const b = doubleKey(set, entries, 2058);
    if (a !== null && invf !== null) ell = { name: 'unnamed', a, invf };
    else if (a !== null && b !== null) ell = { name: 'unnamed', a, invf: a === b ? 0 : a / (a - b) };
  }
  if (!ell) return null;
  const pm = keys.get(2051);
  if (pm !== undefined && pm !== 8901) return null; // a prime meridian other than Greenwich
  const name = citationName(asciiKey(set, entries, 2049)) ?? 'unknown';
  const sph = `SPHEROID[${q(ell.name)},${num(ell.a)},${num(ell.invf)}${ell.epsg ? `,AUTHORITY["EPSG","${ell.epsg}"]` : ''}]`;
  return `GEOGCS[${q(name)},DATUM["unknown",${sph}],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]`;
}

/**
 * A WKT (OGC WKT 1) for a CRS stated by user-defined GeoKeys, or null when the keys name
 * something this cannot spell out exactly (then the keys themselves still carry the CRS).
 * A WKT in a citation key wins.
 */
export function wktFromGeoKeys(set: GeoKeySet): string | null {
  const entries = parseKeyDirectory(set.directory);
  const keys = shortKeys(entries);
  for (const id of [1026, 3073, 2049]) {
    const w = wktInCitation(asciiKey(set, entries, id));
    if (w) return w;
  }
  const model = keys.get(1024);
  const geo = geogcs(set, entries, keys);
  if (!geo) return null;
  if (model === 2) return geo;
  if (model !== 1) return null;
  const trans = keys.get(3075);
  const proj = trans !== undefined ? PROJECTIONS[trans] : undefined;
  if (!proj) return null;
  const units = keys.get(3076);
  if (units !== undefined && units !== 9001) return null; // not metres: not spelled out here
  const params: string[] = [];
  for (const [name, id] of proj.params) {
    const v = doubleKey(set, entries, id);
    if (v === null) {
      if (name === 'scale_factor') params.push(`PARAMETER["scale_factor",1]`);
      else if (name.startsWith('false_')) params.push(`PARAMETER[${q(name)},0]`);
      else return null;
    } else params.push(`PARAMETER[${q(name)},${num(v)}]`);
  }
  const name = citationName(asciiKey(set, entries, 3073)) ?? citationName(asciiKey(set, entries, 1026)) ?? 'unnamed';
  return `PROJCS[${q(name)},${geo},PROJECTION[${q(proj.name)}],${params.join(',')},UNIT["metre",1,AUTHORITY["EPSG","9001"]]]`;
}

/** A short name for a CRS given as WKT (its first quoted name), for labels. */
export function wktName(wkt: string): string {
  const m = /^[A-Z_]+\[\s*"([^"]*)"/.exec(wkt.trim());
  return m && m[1] ? m[1] : 'unnamed';
}
