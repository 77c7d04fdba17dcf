/**
 * The in-memory shapes of datasets, shared by readers, writers, the simulation
 * substrate and the hosts. Pure data: no classes, so they cross worker boundaries.
 */

export type DType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export type TypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * North-up affine georeferencing: pixel (col, row) has its top-left corner at
 * (originX + col * pixelWidth, originY - row * pixelHeight). Both sizes are positive.
 */
export interface GeoTransform {
  originX: number;
  originY: number;
  pixelWidth: number;
  pixelHeight: number;
}

/**
 * A full affine geotransform in GDAL's order, for grids that are not north-up (rotated or
 * sheared): the top-left corner of pixel (col, row) is at
 * (gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]).
 */
export type AffineTransform = [number, number, number, number, number, number];

/**
 * A GeoTIFF's CRS description as its GeoKeys state it, kept verbatim when the CRS has no EPSG
 * code (user-defined keys, ProjectedCSTypeGeoKey = 32767, a citation-only CRS…), so a writer
 * can carry it through unchanged.
 */
export interface GeoKeySet {
  /**
   * GeoKeyDirectoryTag (34735) as read: the header (version, revision, minor revision, key
   * count) then four SHORTs per key (id, tag location, count, value or offset).
   */
  directory: number[];
  /** GeoDoubleParamsTag (34736) values, the keys' offsets point into them (empty when absent). */
  doubles: number[];
  /** GeoAsciiParamsTag (34737) text ('|'-terminated pieces) without the final NUL ('' when absent). */
  ascii: string;
}

export interface RasterBand {
  /** GDAL band description / DisSModel `name` tag, else `band_<i>` (1-based). */
  name: string;
  dtype: DType;
  /** Row-major, length width * height. */
  data: TypedArray;
  /** The file's nodata value for this band, when it declares one. */
  nodata: number | null;
}

export interface RasterDataset {
  kind: 'raster';
  width: number;
  height: number;
  bands: RasterBand[];
  /** North-up georeferencing (pixel-corner based); null when the file carries none or its grid is rotated (see `affine`). */
  transform: GeoTransform | null;
  /**
   * The grid's full affine transform when it is rotated or sheared (then `transform` is null).
   * Kept exactly and written back as a ModelTransformationTag; grid models do not care, the
   * map draws such a raster at a neutral place with a note.
   */
  affine?: AffineTransform | null;
  /** EPSG code from the GeoKeys (projected, else geographic), when present. */
  epsg: number | null;
  /**
   * The CRS as the file states it when that is more than (or other than) an EPSG code:
   * WKT (derived from GeoTIFF user-defined GeoKeys or found in their citation, a
   * Shapefile's .prj, a GeoPackage's srs definition). For display and for writers of formats
   * that store WKT; absent or null when the file says nothing beyond `epsg` (or when no WKT
   * can be derived: `geoKeys` still carries the CRS).
   */
  crsWkt?: string | null;
  /**
   * A GeoTIFF's own GeoKeys, kept when its CRS has no EPSG code or has a vertical part
   * (written back verbatim; they must name the same EPSG code as `epsg`, or none).
   */
  geoKeys?: GeoKeySet | null;
  /**
   * GTRasterTypeGeoKey = PixelIsPoint: the file's tie point names a cell centre. `transform`
   * and `affine` are still corner-based (as GDAL reports them); writers restore the centre
   * tie point and the key.
   */
  pixelIsPoint?: boolean;
  /**
   * Dataset-level GDAL metadata items (tag 42112 items without a `sample`), e.g. DisSModel's
   * `passo` (the step the raster was saved at). Absent when the file has none.
   */
  tags?: Readonly<Record<string, string>>;
}

export type PropertyValue = number | string | boolean | null;

export interface VectorFeature {
  /** GeoJSON feature id, when present. */
  id: string | number | null;
  /** A GeoJSON geometry object (Polygon, MultiPolygon, Point, …). */
  geometry: GeoJSONGeometry;
  properties: Record<string, PropertyValue>;
}

export type Position = number[];
export type GeoJSONGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface VectorDataset {
  kind: 'vector';
  features: VectorFeature[];
  /** Union of property names, in first-seen order. */
  columns: string[];
  /** From a `crs` member (`urn:ogc:def:crs:EPSG::31984` or `EPSG:31984`); null = unknown / WGS84. */
  epsg: number | null;
  /**
   * The CRS as the file states it when that is more than (or other than) an EPSG code:
   * WKT (GeoTIFF user-defined GeoKeys as GDAL renders them, a Shapefile's .prj, a
   * GeoPackage's srs definition). Kept so that writers can carry it through; absent or null
   * when the file says nothing beyond `epsg`.
   */
  crsWkt?: string | null;
}

export type Dataset = RasterDataset | VectorDataset;

export const DTYPE_BYTES: Record<DType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8,
};

export function allocate(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

export function dtypeOf(a: TypedArray): DType {
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float32Array) return 'float32';
  return 'float64';
}
