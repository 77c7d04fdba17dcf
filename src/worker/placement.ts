/**
 * Where a dataset goes on the map: a raster's four corners in WGS 84 and the
 * inverse (map position → cell), a vector's geometries reprojected to lon/lat.
 * Data with no CRS, a CRS the workbench cannot project, or a local grid is put
 * at a neutral place (around 0°, 0°) at its own proportions, with a note.
 */
import { bbox } from '@turf/bbox';
import { coordEach } from '@turf/meta';
import type { GeoJSONGeometry, GeoTransform, Position, RasterDataset, VectorDataset } from '../sim/dataset.ts';
import { crsLabel, projectionFor, type Projection } from './proj.ts';

export type LngLat = [number, number];
export type Corners = [LngLat, LngLat, LngLat, LngLat];
export type Bounds = [number, number, number, number]; // west, south, east, north

export interface RasterPlacement {
  /** Top-left, top-right, bottom-right, bottom-left (MapLibre's image source order). */
  corners: Corners;
  bounds: Bounds;
  /** Map position → (row, col), or null outside the grid. */
  cellAt(lng: number, lat: number): { row: number; col: number } | null;
  /** Set when the raster is not drawn at its true location. */
  note: string | null;
  crs: string;
}

/** Extent of the neutral box, degrees, for the longer side. */
const NEUTRAL_SPAN = 0.5;

function boundsOf(points: LngLat[]): Bounds {
  const [w, s, e, n] = bbox({ type: 'MultiPoint', coordinates: points });
  return [w, s, e, n];
}

const plausibleLngLat = ([lng, lat]: LngLat) => Number.isFinite(lng) && Number.isFinite(lat) && Math.abs(lat) <= 85 && Math.abs(lng) <= 540;

function neutralRaster(ds: RasterDataset, why: string): RasterPlacement {
  const c = NEUTRAL_SPAN / Math.max(ds.width, ds.height);
  const x0 = -(ds.width * c) / 2;
  const y0 = (ds.height * c) / 2;
  const corners: Corners = [
    [x0, y0],
    [x0 + ds.width * c, y0],
    [x0 + ds.width * c, y0 - ds.height * c],
    [x0, y0 - ds.height * c],
  ];
  return {
    corners,
    bounds: boundsOf(corners),
    cellAt(lng, lat) {
      const col = Math.floor((lng - x0) / c);
      const row = Math.floor((y0 - lat) / c);
      return row >= 0 && row < ds.height && col >= 0 && col < ds.width ? { row, col } : null;
    },
    note: `${why} It is drawn at a neutral place (not its real location), one square per cell.`,
    crs: ds.epsg ? `EPSG:${ds.epsg}` : ds.crsWkt ? crsLabel(null, ds.crsWkt) : ds.geoKeys ? 'custom CRS (GeoKeys, no EPSG code)' : 'none',
  };
}

export function placeRaster(ds: RasterDataset): RasterPlacement {
  const t: GeoTransform | null = ds.transform;
  if (ds.affine) {
    return neutralRaster(
      ds,
      'Its grid is rotated or sheared (the rotation is kept in the output GeoTIFF; the map draws north-up grids only).',
    );
  }
  if (!t) return neutralRaster(ds, 'This raster carries no georeferencing.');
  if (ds.epsg === null && (ds.crsWkt || ds.geoKeys)) {
    return neutralRaster(ds, 'Its CRS has no EPSG code (it is kept in the output); the map cannot project it.');
  }
  if (ds.epsg === null) return neutralRaster(ds, 'This raster has no CRS (a local grid).');
  const proj: Projection | null = projectionFor(ds.epsg);
  if (!proj) return neutralRaster(ds, `EPSG:${ds.epsg} is not one of the projections the map can draw in place.`);
  const xr = t.originX + ds.width * t.pixelWidth;
  const yb = t.originY - ds.height * t.pixelHeight;
  const corners: Corners = [
    proj.toLngLat(t.originX, t.originY),
    proj.toLngLat(xr, t.originY),
    proj.toLngLat(xr, yb),
    proj.toLngLat(t.originX, yb),
  ];
  if (!corners.every(plausibleLngLat)) {
    return neutralRaster(ds, `Its coordinates do not fit EPSG:${ds.epsg}.`);
  }
  return {
    corners,
    bounds: boundsOf(corners),
    cellAt(lng, lat) {
      const [x, y] = proj.fromLngLat(lng, lat);
      const col = Math.floor((x - t.originX) / t.pixelWidth);
      const row = Math.floor((t.originY - y) / t.pixelHeight);
      return row >= 0 && row < ds.height && col >= 0 && col < ds.width ? { row, col } : null;
    },
    note: null,
    crs: proj.label,
  };
}

export interface VectorPlacement {
  /** Geometries in lon/lat, one per feature (null when a feature has none). */
  geometries: (GeoJSONGeometry | null)[];
  bounds: Bounds;
  note: string | null;
  crs: string;
}

/** A position through `fn`, extra ordinates (z, m) kept. */
function mapPosition(p: Position, fn: (p: Position) => Position): Position {
  const [x, y] = fn(p);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

/** A copy of `g` with every position passed through `fn` (straight array maps: this runs on every vertex of 40,000 cells). */
function mapGeometry(g: GeoJSONGeometry, fn: (p: Position) => Position): GeoJSONGeometry {
  const line = (ps: Position[]) => ps.map((p) => mapPosition(p, fn));
  switch (g.type) {
    case 'Point':
      return { type: g.type, coordinates: mapPosition(g.coordinates, fn) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: line(g.coordinates) } as GeoJSONGeometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map(line) } as GeoJSONGeometry;
    case 'MultiPolygon':
      return { type: g.type, coordinates: g.coordinates.map((poly) => poly.map(line)) };
  }
}

/** Bounds of every position of `geometries` and whether they all look like lon/lat and fit the map (null: no position). */
function scan(geometries: (GeoJSONGeometry | null)[]): { bounds: Bounds; geographic: boolean; plausible: boolean } | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  let geographic = true;
  let plausible = true;
  let any = false;
  for (const g of geometries) {
    if (!g) continue;
    coordEach(g, (p) => {
      const x = p[0];
      const y = p[1];
      any = true;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
      if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) geographic = false;
      if (plausible && !plausibleLngLat([x, y])) plausible = false;
    });
  }
  return any ? { bounds: [w, s, e, n], geographic, plausible } : null;
}

/** Features reprojected per task by placeVectorAsync. */
const PLACE_CHUNK = 5000;

/** The geometries of a vector dataset in lon/lat (see placing). */
export function placeVector(ds: VectorDataset): VectorPlacement {
  const run = placing(ds);
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
  }
}

/** placeVector in tasks of PLACE_CHUNK features (the page stays responsive while 40,000 cells are reprojected). */
export async function placeVectorAsync(ds: VectorDataset): Promise<VectorPlacement> {
  const run = placing(ds);
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** placeVector as steps: it yields between scans and every PLACE_CHUNK reprojected features. */
function* placing(ds: VectorDataset, forceNeutral?: string): Generator<void, VectorPlacement> {
  const raw: (GeoJSONGeometry | null)[] = ds.features.map((f) => f.geometry ?? null);
  const rawScan = scan(raw);
  yield;
  const rawBounds = rawScan ? rawScan.bounds : ([-1, -1, 1, 1] as Bounds);
  const proj = ds.epsg !== null && !forceNeutral ? projectionFor(ds.epsg) : null;
  const looksGeographic = rawScan ? rawScan.geographic : true;
  let fn: ((p: Position) => Position) | null = null;
  let note: string | null = null;
  let crs: string;
  if (proj) {
    fn = (p) => proj.toLngLat(p[0], p[1]);
    crs = proj.label;
  } else if (ds.epsg === null && ds.crsWkt && !forceNeutral) {
    crs = crsLabel(null, ds.crsWkt);
    note = 'Its CRS has no EPSG code (it is kept in the output); the map cannot project it, so it is drawn at a neutral place.';
  } else if (ds.epsg === null && looksGeographic && !forceNeutral) {
    crs = 'WGS 84 lon/lat (GeoJSON default)';
  } else if (forceNeutral) {
    crs = ds.epsg !== null ? `EPSG:${ds.epsg}` : 'none';
    note = forceNeutral;
  } else {
    crs = ds.epsg !== null ? `EPSG:${ds.epsg}` : 'none';
    note =
      ds.epsg !== null
        ? `EPSG:${ds.epsg} is not one of the projections the map can draw in place; drawn at a neutral place.`
        : 'These coordinates are not longitude/latitude and no CRS is declared; drawn at a neutral place.';
  }
  if (!fn && note) {
    const [w, s, e, n] = rawBounds;
    const span = Math.max(e - w, n - s) || 1;
    const k = NEUTRAL_SPAN / span;
    const cx = (w + e) / 2;
    const cy = (s + n) / 2;
    fn = (p) => [(p[0] - cx) * k, (p[1] - cy) * k];
  }
  let geometries = raw;
  if (fn) {
    geometries = new Array<GeoJSONGeometry | null>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const g = raw[i];
      geometries[i] = g ? mapGeometry(g, fn) : null;
      if ((i + 1) % PLACE_CHUNK === 0) yield;
    }
    yield;
  }
  const placed = fn ? scan(geometries) : rawScan;
  if (proj && placed && !placed.plausible) {
    return yield* placing(ds, `Its coordinates do not fit EPSG:${ds.epsg}; drawn at a neutral place.`);
  }
  return { geometries, bounds: placed ? placed.bounds : [-0.25, -0.25, 0.25, 0.25], note, crs };
}
