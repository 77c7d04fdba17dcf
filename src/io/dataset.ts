/**
 * Dataset bytes → data: format detection (magic bytes first, then the name),
 * parsing, and the canonical-name maps (band_map / column_map).
 */
import { FormatError, InputError } from '../executor/errors.ts';
import type { CanonicalField } from '../executor/executor.ts';
import { readGeoJson } from './geojson.ts';
import { readGeoTiff } from './geotiff-read.ts';
import type { Dataset, RasterBand, RasterDataset } from '../sim/dataset.ts';

export type DatasetFormat = 'raster' | 'vector';

/** Extension of a URI's path (query and fragment removed), lower-cased, without the dot. */
export function extensionOf(uri: string): string {
  const path = uri.split(/[?#]/)[0] ?? '';
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

function sniff(bytes: Uint8Array): DatasetFormat | null {
  if (bytes.length >= 4) {
    const [a, b, c, d] = bytes;
    if (
      (a === 0x49 && b === 0x49 && (c === 42 || c === 43) && d === 0) ||
      (a === 0x4d && b === 0x4d && d === 42) ||
      (a === 0x4d && b === 0x4d && d === 43)
    ) {
      return 'raster';
    }
  }
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b /* { */) return 'vector';
  return null;
}

/**
 * Decide the format: an explicit `input_format` wins ('tiff'/'raster', 'vector'),
 * else the bytes' signature, else the extension.
 */
export function detectFormat(uri: string, bytes: Uint8Array, inputFormat = 'auto'): DatasetFormat {
  const f = inputFormat.toLowerCase();
  if (f === 'raster' || f === 'tiff' || f === 'tif' || f === 'geotiff') return 'raster';
  if (f === 'vector' || f === 'geojson') return 'vector';
  if (f !== 'auto' && f !== '') {
    throw new InputError(`Unknown input format '${inputFormat}'. Use auto, raster (GeoTIFF) or vector (GeoJSON).`);
  }
  const sniffed = sniff(bytes);
  if (sniffed) return sniffed;
  const ext = extensionOf(uri);
  if (ext === 'tif' || ext === 'tiff') return 'raster';
  if (ext === 'geojson' || ext === 'json') return 'vector';
  throw new FormatError(
    `Cannot tell the format of '${uri || 'the input'}': it is neither a TIFF nor JSON. ` +
      `Supported inputs are GeoTIFF (.tif, .tiff) and GeoJSON (.geojson, .json).`,
  );
}

export async function parseDataset(uri: string, bytes: Uint8Array, inputFormat = 'auto'): Promise<Dataset> {
  const format = detectFormat(uri, bytes, inputFormat);
  return format === 'raster' ? readGeoTiff(bytes) : readGeoJson(bytes);
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
