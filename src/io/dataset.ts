/**
 * Dataset bytes → data: format detection (magic bytes first, then the name),
 * parsing, and the canonical-name maps (band_map / column_map).
 */
import { FormatError, InputError } from '../executor/errors.ts';
import type { CanonicalField } from '../executor/executor.ts';
import { readGeoJson } from './geojson.ts';
import { readGeoTiff } from './geotiff-read.ts';
import { isFlatGeobuf, isZip } from './format-magic.ts';
import type { Dataset, RasterBand, RasterDataset } from '../sim/dataset.ts';

export type DatasetFormat = 'raster' | 'vector';

/** The file formats the readers know. */
export type FileFormat = 'geotiff' | 'geojson' | 'shapefile' | 'geopackage' | 'flatgeobuf';

const KIND: Record<FileFormat, DatasetFormat> = {
  geotiff: 'raster',
  geojson: 'vector',
  shapefile: 'vector',
  geopackage: 'vector',
  flatgeobuf: 'vector',
};

/** Extension of a URI's path (query and fragment removed), lower-cased, without the dot. */
export function extensionOf(uri: string): string {
  const path = uri.split(/[?#]/)[0] ?? '';
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The file extensions each format goes by (the page's drop zone accepts exactly these). */
export const FORMAT_EXTENSIONS: Record<FileFormat, readonly string[]> = {
  geotiff: ['tif', 'tiff'],
  geojson: ['geojson', 'json'],
  shapefile: ['zip'],
  geopackage: ['gpkg'],
  flatgeobuf: ['fgb'],
};

/** What a file is, as a message says it. */
const FORMAT_LABEL: Record<FileFormat, string> = {
  geotiff: 'a TIFF',
  geojson: 'JSON',
  shapefile: 'a zipped Shapefile',
  geopackage: 'a GeoPackage',
  flatgeobuf: 'a FlatGeobuf',
};

const SQLITE_MAGIC = 'SQLite format 3\0';

function sniff(bytes: Uint8Array, ext: string): FileFormat | null {
  if (bytes.length >= 4) {
    const [a, b, c, d] = bytes;
    if (
      (a === 0x49 && b === 0x49 && (c === 42 || c === 43) && d === 0) ||
      (a === 0x4d && b === 0x4d && d === 42) ||
      (a === 0x4d && b === 0x4d && d === 43)
    ) {
      return 'geotiff';
    }
    // A ZIP named .tif/.tiff goes to the TIFF reader, which explains that it must be unzipped.
    if (isZip(bytes) && ext !== 'tif' && ext !== 'tiff') return 'shapefile';
  }
  if (bytes.length >= 16 && SQLITE_MAGIC.split('').every((ch, i) => bytes[i] === ch.charCodeAt(0))) return 'geopackage';
  if (isFlatGeobuf(bytes)) return 'flatgeobuf';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b /* { */) return 'geojson';
  return null;
}

const FORMAT_NAMES: Record<string, FileFormat | 'vector'> = {
  raster: 'geotiff',
  tiff: 'geotiff',
  tif: 'geotiff',
  geotiff: 'geotiff',
  vector: 'vector',
  geojson: 'geojson',
  json: 'geojson',
  shapefile: 'shapefile',
  shp: 'shapefile',
  zip: 'shapefile',
  geopackage: 'geopackage',
  gpkg: 'geopackage',
  flatgeobuf: 'flatgeobuf',
  fgb: 'flatgeobuf',
};

/**
 * Decide the file format: an explicit `input_format` wins ('raster'/'tiff', 'geojson',
 * 'shapefile'/'zip', 'gpkg', 'fgb'; 'vector' = whichever vector format the bytes are, else
 * GeoJSON), else the bytes' signature, else the extension.
 */
export function detectFileFormat(uri: string, bytes: Uint8Array, inputFormat = 'auto'): FileFormat {
  const f = inputFormat.toLowerCase();
  const ext = extensionOf(uri);
  if (f !== 'auto' && f !== '') {
    const named = FORMAT_NAMES[f];
    if (!named) {
      throw new InputError(
        `Unknown input format '${inputFormat}'. Use auto, raster (GeoTIFF), vector, geojson, shapefile (zipped), gpkg or fgb.`,
      );
    }
    // The bytes' signature outranks a wrong --format: say what the file is, not that it fails the other parser.
    const s = sniff(bytes, ext);
    const asked: DatasetFormat = named === 'vector' ? 'vector' : KIND[named];
    if (s && KIND[s] !== asked) {
      throw new FormatError(
        `The input format '${inputFormat}' was asked for, but '${uri || 'the input'}' is ${FORMAT_LABEL[s]} (${KIND[s]}). ` +
          `Use --format ${KIND[s]} or auto (input_format in a record).`,
      );
    }
    if (named !== 'vector') return named;
    return s ?? 'geojson';
  }
  const sniffed = sniff(bytes, ext);
  if (sniffed) return sniffed;
  for (const [format, exts] of Object.entries(FORMAT_EXTENSIONS) as [FileFormat, readonly string[]][]) {
    if (exts.includes(ext)) return format;
  }
  throw new FormatError(
    `Cannot tell the format of '${uri || 'the input'}': it is none of the formats read here. Supported inputs are ` +
      `GeoTIFF (.tif, .tiff), GeoJSON (.geojson, .json), zipped Shapefile (.zip), GeoPackage (.gpkg) and FlatGeobuf (.fgb).`,
  );
}

/** Raster or vector: what detectFileFormat decides, by kind. */
export function detectFormat(uri: string, bytes: Uint8Array, inputFormat = 'auto'): DatasetFormat {
  return KIND[detectFileFormat(uri, bytes, inputFormat)];
}

export async function parseDataset(uri: string, bytes: Uint8Array, inputFormat = 'auto'): Promise<Dataset> {
  switch (detectFileFormat(uri, bytes, inputFormat)) {
    case 'geotiff':
      return readGeoTiff(bytes);
    case 'geojson':
      return readGeoJson(bytes);
    // imported for the files that need them: a GeoTIFF or GeoJSON run loads none of their dependencies
    case 'shapefile':
      return (await import('./shapefile.ts')).readShapefileZip(bytes);
    case 'geopackage':
      return (await import('./geopackage-read.ts')).readGeoPackage(bytes);
    case 'flatgeobuf':
      return (await import('./flatgeobuf.ts')).readFlatGeobuf(bytes);
  }
}

/**
 * Pick the bands a model needs by canonical name. For each field: the band
 * `band_map[field]` names (by name, or by 1-based number), else a band already
 * called by the canonical name, else the field's `position` when the file's
 * bands are unnamed (band_1…). A required band that cannot be found is an
 * InputError listing the bands that exist.
 */
export function selectBands(
  ds: RasterDataset,
  fields: readonly CanonicalField[],
  bandMap: Readonly<Record<string, string>>,
): Map<string, RasterBand> {
  const out = new Map<string, RasterBand>();
  const existing = ds.bands.map((b, i) => `${i + 1}:${b.name}`).join(', ');
  const byName = (name: string) => ds.bands.find((b) => b.name === name);
  const unnamed = ds.bands.every((b, i) => b.name === `band_${i + 1}`);
  for (const field of fields) {
    let band: RasterBand | undefined;
    const real = bandMap[field.name];
    if (real !== undefined) {
      band = byName(real) ?? (/^\d+$/.test(real) ? ds.bands[Number(real) - 1] : undefined);
      if (!band) {
        throw new InputError(
          `band_map maps '${field.name}' to '${real}', but the dataset has no such band. Bands: ${existing}.`,
          field.name,
        );
      }
    } else {
      band = byName(field.name);
      if (!band && unnamed && field.position !== undefined) band = ds.bands[field.position - 1];
    }
    if (!band) {
      if (field.required === false) continue;
      throw new InputError(
        `The dataset has no band '${field.name}' (${field.description}). Bands: ${existing}. ` +
          `Map one with band_map, e.g. ${field.name}=${ds.bands[0]?.name ?? 'band_1'}.`,
        field.name,
      );
    }
    out.set(field.name, band);
  }
  return out;
}
