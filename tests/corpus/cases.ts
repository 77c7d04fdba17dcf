/**
 * The manifest of the bad-input corpus: every case, where its bytes come from
 * (a committed file in tests/corpus/files/ or a generator in build.ts), and what
 * it must give — a typed error (class, code, message pattern) or, for inputs that
 * load but that a model cannot use, the model run's error.
 *
 * Used by tests/corpus.test.ts (loaders and the CLI) and e2e/faults.spec.ts (the page).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../../src/executor/errors.ts';
import { FILES, generators } from './build.ts';

export type ErrorName = 'FormatError' | 'InputError' | 'LimitError' | 'RecordError' | 'ParameterError' | 'RegistryError' | 'NetworkError';

export interface Expected {
  error: ErrorName;
  code: ErrorCode;
  message: RegExp;
}

const CODES: Record<ErrorName, ErrorCode> = {
  FormatError: 'format',
  InputError: 'input',
  LimitError: 'limit',
  RecordError: 'record',
  ParameterError: 'parameter',
  RegistryError: 'registry',
  NetworkError: 'network',
};

const E = (error: ErrorName, message: RegExp): Expected => ({ error, code: CODES[error], message });

interface Base {
  id: string;
  /** What is wrong with it, in words. */
  what: string;
  /** A file under tests/corpus/files/ … */
  file?: string;
  /** … or a generator in build.ts. */
  build?: keyof typeof generators;
}

export interface DatasetCase extends Base {
  loader: 'dataset';
  /** The name the bytes go by (file name / URI): it decides the format when the bytes do not. */
  name: string;
  /** What parseDataset gives. */
  expect: Expected | { valid: 'raster' | 'vector' };
  /** For a dataset that loads: what a run of `model` on it gives (the CLI and the page run it). */
  run?: { model: string; expect: Expected | 'completed' };
}

export interface RecordCase extends Base {
  loader: 'record';
  /** What parseRecordJson → inferSpec → executor.validate gives (what `dissmodel reproduce` does first). */
  expect: Expected | 'valid';
}

export interface LinkCase extends Base {
  loader: 'link';
  /** What decodeShareLink gives. */
  expect: Expected;
}

export type CorpusCase = DatasetCase | RecordCase | LinkCase;

export function caseBytes(c: CorpusCase): Uint8Array {
  if (c.file) {
    const b = readFileSync(join(FILES, c.file));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  if (c.build) return generators[c.build]();
  throw new Error(`case ${c.id} has neither file nor build`);
}

const NOT_TIFF = /Not a TIFF file: it looks like/;
const UNSUPPORTED_SAMPLE = /Unsupported sample type in band 1: /;

const ds = (
  id: string,
  what: string,
  src: { file: string } | { build: keyof typeof generators; ext: string },
  expect: DatasetCase['expect'],
  run?: DatasetCase['run'],
): DatasetCase => ({
  id,
  what,
  loader: 'dataset',
  ...('file' in src ? { file: src.file, name: src.file } : { build: src.build, name: `${src.build}${src.ext}` }),
  expect,
  ...(run ? { run } : {}),
});
const gen = (build: keyof typeof generators, ext = build.startsWith('tif') ? '.tif' : '.geojson') => ({ build, ext });

export const DATASET_CASES: DatasetCase[] = [
  // --- GeoTIFF: truncated, bit-flipped, corrupt (from public/samples)
  ds(
    'tif-truncated-header',
    'the glider sample cut to 6 bytes',
    gen('tif-truncated-header'),
    E('FormatError', /The TIFF is truncated: the file has only 6 bytes/),
  ),
  ds(
    'tif-truncated-ifd',
    'the glider sample cut inside its image directory',
    gen('tif-truncated-ifd'),
    E('FormatError', /truncated: its image directory \(16 entries at byte 8\) ends at byte 202, but the file has only 100 bytes/),
  ),
  ds(
    'tif-truncated-strip',
    'the glider sample cut inside its pixel strip',
    gen('tif-truncated-strip'),
    E('FormatError', /truncated: strip 1 of 1 lies at bytes 488–533, but the file has only 500 bytes/),
  ),
  ds(
    'tif-truncated-ilha',
    'the 3-band ilha sample cut in half',
    gen('tif-truncated-ilha'),
    E('FormatError', /truncated: strip \d+ of 140 lies at bytes/),
  ),
  ds('tif-flip-magic', 'a bit flipped in the TIFF magic number', gen('tif-flip-magic'), E('FormatError', /magic number is 46, not 42/)),
  ds(
    'tif-flip-ifd-offset',
    'a bit flipped in the first-IFD offset',
    gen('tif-flip-ifd-offset'),
    E('FormatError', /image directory is said to start at byte 524296, but the file has 534 bytes/),
  ),
  ds(
    'tif-flip-entry-count',
    'a bit flipped in the IFD entry count',
    gen('tif-flip-entry-count'),
    E('FormatError', /16400 entries at byte 8/),
  ),
  ds(
    'tif-flip-compression',
    'a bit flipped in the Compression value',
    gen('tif-flip-compression'),
    E('FormatError', /Unsupported TIFF compression 16392/),
  ),
  ds(
    'tif-corrupt-deflate',
    'garbage in the deflate stream',
    gen('tif-corrupt-deflate'),
    E('FormatError', /deflate-compressed data of strip 1 of 1 is corrupt/),
  ),
  ds(
    'tif-lzw-corrupt',
    'an LZW strip with invalid codes',
    gen('tif-lzw-corrupt'),
    E('FormatError', /LZW-compressed data of strip 1 of 1 is corrupt/),
  ),
  ds(
    'tif-lzw-short',
    'an LZW strip that ends early',
    gen('tif-lzw-short'),
    E('FormatError', /strip 1 of 1 holds 1 bytes of pixels, 4,096 are needed/),
  ),
  ds(
    'tif-packbits-short',
    'a PackBits strip that ends early',
    gen('tif-packbits-short'),
    E('FormatError', /strip 1 of 1 holds 128 bytes of pixels, 4,096 are needed/),
  ),
  ds(
    'tif-strip-out-of-range',
    'StripOffsets pointing 2 GB past the end',
    gen('tif-strip-out-of-range'),
    E('FormatError', /strip 1 of 1 lies at bytes 2147483647–/),
  ),
  ds('tif-no-strip-offsets', 'no StripOffsets tag', gen('tif-no-strip-offsets'), E('FormatError', /has no image data/)),
  ds('tif-zero-width', 'ImageWidth 0', gen('tif-zero-width'), E('FormatError', /invalid ImageWidth of 0/)),
  ds('tif-bad-predictor', 'Predictor 7', gen('tif-bad-predictor'), E('FormatError', /Unsupported TIFF predictor 7/)),
  ds('tif-planar-3', 'PlanarConfiguration 3', gen('tif-planar-3'), E('FormatError', /Invalid PlanarConfiguration 3/)),
  // --- absurd declared sizes: refused before allocating
  ds(
    'tif-huge-dims',
    'a 200-byte TIFF declaring 10⁶ × 10⁶ cells',
    gen('tif-huge-dims'),
    E('LimitError', /1,000,000 × 1,000,000 = 1,000,000,000,000 cells, over the limit of 67,108,864 cells/),
  ),
  ds(
    'tif-huge-bytes',
    '3 float64 bands of 8192 × 8192 (1.5 GiB decoded)',
    gen('tif-huge-bytes'),
    E('LimitError', /need 1,610,612,736 bytes decoded, over the limit of 1,073,741,824 bytes/),
  ),
  ds(
    'tif-huge-tile',
    'a 1 × 1 raster in 65536 × 65536 float64 tiles',
    gen('tif-huge-tile'),
    E('LimitError', /tiles of 65,536 × 65,536 pixels are too large/),
  ),
  // --- unsupported compression and sample formats
  ds(
    'tif-jpeg',
    'JPEG compression (7)',
    gen('tif-jpeg'),
    E('FormatError', /Unsupported TIFF compression 7 \(JPEG\).*gdal_translate -co COMPRESS=DEFLATE/),
  ),
  ds('tif-old-jpeg', 'old-style JPEG compression (6)', gen('tif-old-jpeg'), E('FormatError', /compression 6 \(old-style JPEG\)/)),
  ds('tif-zstd', 'ZSTD compression (50000)', gen('tif-zstd'), E('FormatError', /compression 50000 \(ZSTD\)/)),
  ds('tif-webp', 'WebP compression (50001)', gen('tif-webp'), E('FormatError', /compression 50001 \(WebP\)/)),
  ds('tif-lerc', 'LERC compression (34887)', gen('tif-lerc'), E('FormatError', /compression 34887 \(LERC\)/)),
  ds('tif-1bit', '1-bit samples', gen('tif-1bit'), E('FormatError', new RegExp(UNSUPPORTED_SAMPLE.source + '1-bit unsigned integers'))),
  ds(
    'tif-complex',
    'complex float samples (SampleFormat 6)',
    gen('tif-complex'),
    E('FormatError', /complex numbers \(SampleFormat 6, 64 bits\)/),
  ),
  ds(
    'tif-complex-int',
    'complex integer samples (SampleFormat 5)',
    gen('tif-complex-int'),
    E('FormatError', /complex numbers \(SampleFormat 5, 32 bits\)/),
  ),
  ds('tif-int64', '64-bit integers', gen('tif-int64'), E('FormatError', /64-bit signed integers/)),
  ds('tif-float24', '24-bit floats', gen('tif-float24'), E('FormatError', /24-bit floating point/)),
  ds('tif-bigtiff', 'a little-endian BigTIFF', gen('tif-bigtiff'), E('FormatError', /BigTIFF file, which is not supported.*BIGTIFF=NO/)),
  ds('tif-bigtiff-be', 'a big-endian BigTIFF', gen('tif-bigtiff-be'), E('FormatError', /BigTIFF/)),
  // --- not a TIFF, named .tif
  ds('tif-png', 'a PNG named .tif', { file: 'png.tif' }, E('FormatError', new RegExp(NOT_TIFF.source + ' a PNG image'))),
  ds('tif-text', 'a text note named .tif', { file: 'text.tif' }, E('FormatError', /looks like text starting with "This is not a GeoTIFF/)),
  ds(
    'tif-html',
    'an HTML error page saved as .tif',
    { file: 'html.tif' },
    E('FormatError', /an HTML page \(perhaps an error or login page/),
  ),
  ds('tif-empty', 'an empty .tif', { file: 'empty.tif' }, E('FormatError', /The file is empty \(0 bytes\)/)),
  ds('tif-zip', 'a ZIP archive named .tif', gen('tif-zip'), E('FormatError', /a ZIP archive \(unzip it/)),
  ds('tif-gzip', 'a gzipped TIFF named .tif', gen('tif-gzip'), E('FormatError', /gzip-compressed data \(decompress it first\)/)),
  ds('tif-pdf', 'a PDF named .tif', gen('tif-pdf'), E('FormatError', /a PDF document/)),
  ds('tif-random', '4 KB of random control bytes named .tif', gen('tif-random'), E('FormatError', /binary data that is not a TIFF/)),
  ds(
    'tif-json',
    'JSON (not GeoJSON) named .tif: the bytes decide',
    { file: 'json.tif' },
    E('FormatError', /not GeoJSON: unknown type "Topology"/),
  ),

  // --- GeoJSON that is not JSON / not a FeatureCollection
  ds('geojson-not-json', 'unquoted property name', { file: 'not-json.geojson' }, E('FormatError', /not JSON: .*at byte 66/)),
  ds('geojson-trailing-comma', 'a trailing comma', { file: 'trailing-comma.geojson' }, E('FormatError', /not JSON: .*at byte 45/)),
  ds(
    'geojson-truncated',
    'the coast sample cut at 2000 bytes',
    gen('geojson-truncated'),
    E('FormatError', /not JSON: Unterminated string, at byte 2000/),
  ),
  ds('geojson-latin1', 'Latin-1 text, not UTF-8', gen('geojson-latin1'), E('FormatError', /not JSON: the file is not UTF-8 text/)),
  ds('geojson-utf16', 'UTF-16 with a BOM', gen('geojson-utf16'), E('FormatError', /not UTF-8 text/)),
  ds(
    'geojson-topology',
    'a TopoJSON Topology',
    { file: 'topology.geojson' },
    E('FormatError', /not GeoJSON: unknown type "Topology"; a FeatureCollection is expected/),
  ),
  ds(
    'geojson-array',
    'a bare array of features',
    { file: 'array.geojson' },
    E('FormatError', /not GeoJSON: expected a JSON object with a "type" member/),
  ),
  ds(
    'geojson-long-type',
    'a 1 MB "type" string',
    gen('geojson-long-type'),
    E('FormatError', /not GeoJSON: unknown type "FeatureCollectionFeatureCollectionFeatur…"/),
  ),
  ds(
    'geojson-bare-polygon',
    'a bare Polygon geometry',
    { file: 'bare-polygon.geojson' },
    E('InputError', /bare Polygon geometry; a FeatureCollection is expected/),
  ),
  ds('geojson-no-features', '"features" is an object', { file: 'no-features.geojson' }, E('InputError', /no "features" array/)),
  ds(
    'geojson-feature-not-object',
    'features that are a number and a string',
    { file: 'feature-not-object.geojson' },
    E('InputError', /Feature 0 is not an object/),
  ),
  ds(
    'geojson-not-a-feature',
    'a geometry in the features array',
    { file: 'not-a-feature.geojson' },
    E('InputError', /Feature 0 has type "Polygon"; expected "Feature"/),
  ),
  // --- invalid geometries
  ds(
    'geojson-unclosed-ring',
    'a polygon ring not closed',
    { file: 'unclosed-ring.geojson' },
    E('InputError', /Feature 1: ring 0 is not closed/),
  ),
  ds(
    'geojson-short-ring',
    'a ring of 3 positions',
    { file: 'short-ring.geojson' },
    E('InputError', /ring 0 needs at least 4 positions, got 3/),
  ),
  ds(
    'geojson-geometry-collection',
    'a GeometryCollection',
    { file: 'geometry-collection.geojson' },
    E('InputError', /GeometryCollection is not supported/),
  ),
  ds(
    'geojson-unknown-geometry',
    'a "Circle" geometry',
    { file: 'unknown-geometry.geojson' },
    E('InputError', /unknown geometry type "Circle"/),
  ),
  ds(
    'geojson-string-coordinates',
    'coordinates ["NaN", 1]',
    { file: 'string-coordinates.geojson' },
    E('InputError', /coordinates must be finite numbers, got "NaN"/),
  ),
  ds(
    'geojson-null-coordinate',
    'a null coordinate',
    { file: 'null-coordinate.geojson' },
    E('InputError', /coordinates must be finite numbers, got null/),
  ),
  ds(
    'geojson-one-number-position',
    'a position with one number',
    { file: 'one-number-position.geojson' },
    E('InputError', /a position needs at least 2 numbers/),
  ),
  ds(
    'geojson-deep-coordinates',
    'a coordinate nested 50 000 arrays deep',
    gen('geojson-deep-coordinates'),
    E('InputError', /coordinates must be finite numbers, got an array of 1\./),
  ),
  ds(
    'geojson-huge-coordinate-array',
    'a coordinate that is an array of 200 000 numbers',
    gen('geojson-huge-coordinate-array'),
    E('InputError', /got an array of 200000\./),
  ),
  ds(
    'geojson-null-geometry',
    'a feature with geometry null',
    { file: 'null-geometry.geojson' },
    E('InputError', /Feature 0 has no geometry/),
  ),
  ds('geojson-bad-id', 'an object as feature id', { file: 'bad-id.geojson' }, E('InputError', /feature id must be a string or a number/)),
  ds(
    'geojson-properties-array',
    'properties that are an array',
    { file: 'properties-array.geojson' },
    E('InputError', /properties must be an object or null/),
  ),
  // --- prototype keys
  ds(
    'geojson-proto',
    'a "__proto__" property',
    { file: 'proto-property.geojson' },
    E('InputError', /property name '__proto__' is not allowed/),
  ),
  ds(
    'geojson-constructor',
    'a "constructor" property',
    { file: 'constructor-property.geojson' },
    E('InputError', /property name 'constructor' is not allowed/),
  ),
  ds(
    'geojson-prototype',
    'a "prototype" property',
    { file: 'prototype-property.geojson' },
    E('InputError', /property name 'prototype' is not allowed/),
  ),
  // --- zipped Shapefiles, GeoPackage, FlatGeobuf
  ds(
    'shp-truncated',
    'a zipped Shapefile whose .shp is cut inside its last record',
    gen('shp-truncated', '.zip'),
    E('FormatError', /cells\.shp is truncated: its header declares 508 bytes, but it has only 468/),
  ),
  ds(
    'shp-dbf-wrong-count',
    'a .dbf whose header declares 5 records; 3 follow',
    gen('shp-dbf-wrong-count', '.zip'),
    E('FormatError', /cells\.dbf is truncated or has a wrong record count: its header declares 5 records of 2 bytes, but it holds only 3/),
  ),
  ds(
    'shp-dbf-fewer-records',
    'a .dbf with 2 records for 3 shapes',
    gen('shp-dbf-fewer-records', '.zip'),
    E('FormatError', /cells\.dbf has 2 records, but cells\.shp holds 3 shapes/),
  ),
  ds(
    'shp-zip-bomb',
    'a zip whose .shp declares 4 GB uncompressed',
    gen('shp-zip-bomb', '.zip'),
    E(
      'LimitError',
      /members to read declare 4,294,967,476 bytes uncompressed \('cells\.shp': 4,294,967,280\); the most accepted is 536,870,912 bytes/,
    ),
  ),
  ds(
    'shp-zip-bomb-lying',
    'a zip whose .shp declares 2,000 bytes and inflates to 4 MiB',
    gen('shp-zip-bomb-lying', '.zip'),
    E('LimitError', /'cells\.shp' inflates to more than the 2,000 bytes it declares: the archive is a zip bomb or corrupt/),
  ),
  ds(
    'shp-zip-traversal',
    'a zip with a member named ../../home/user/.bashrc',
    gen('shp-zip-traversal', '.zip'),
    E('FormatError', /The ZIP archive is refused: its member "\.\.\/\.\.\/home\/user\/\.bashrc" climbs out of the archive with '\.\.'/),
  ),
  ds(
    'shp-zip-two-layers',
    'a zip with two Shapefiles',
    gen('shp-zip-two-layers', '.zip'),
    E('InputError', /holds 2 Shapefiles \(a\/cells\.shp, roads\.shp\); put one layer per archive/),
  ),
  ds(
    'shp-zip-no-shp',
    'a zip holding a GeoTIFF and a note',
    gen('shp-zip-no-shp', '.zip'),
    E('FormatError', /holds no Shapefile \(\.shp\): it has grid\.tif, notes\.txt/),
  ),
  ds('shp-no-dbf', 'a zip with .shp and .shx only', gen('shp-no-dbf', '.zip'), E('InputError', /has cells\.shp but not its \.dbf/)),
  ds(
    'gpkg-text',
    'a text note named .gpkg',
    { file: 'text.gpkg' },
    E('FormatError', /Not a GeoPackage: a GeoPackage is an SQLite database, and this file is not one \(it starts with text/),
  ),
  ds(
    'gpkg-plain-sqlite',
    'an SQLite database without the GeoPackage tables',
    { file: 'plain-sqlite.gpkg' },
    E('FormatError', /an SQLite database without the GeoPackage tables gpkg_contents, gpkg_geometry_columns, gpkg_spatial_ref_sys/),
  ),
  ds(
    'fgb-lying-header',
    'a FlatGeobuf whose header declares 122 features; 121 follow',
    gen('fgb-lying-header', '.fgb'),
    E('FormatError', /The FlatGeobuf header declares 122 features, but the file holds 121/),
  ),
  ds(
    'fgb-truncated',
    'a FlatGeobuf cut at 20,000 bytes',
    gen('fgb-truncated', '.fgb'),
    E('FormatError', /The FlatGeobuf file ends inside feature 70/),
  ),
  ds(
    'shp-lucc-acre',
    'rows 0–9 of the real Acre LUCC cellular space (csAC.zip), zipped by GDAL: it loads, and has no state column for Game of Life',
    gen('shp-lucc-acre', '.zip'),
    { valid: 'vector' },
    {
      model: 'game_of_life',
      expect: E('InputError', /no column 'state'\. Columns: object_id0, row, col, f, d, outros/),
    },
  ),

  // --- loads, but a model cannot use it: the run says why
  ds(
    'geojson-missing-state',
    "no 'state' column (it is called 'estado')",
    { file: 'missing-state.geojson' },
    { valid: 'vector' },
    {
      model: 'game_of_life',
      expect: E('InputError', /no column 'state'\. Columns: estado\. Map one with column_map, e\.g\. state=estado/),
    },
  ),
  ds(
    'geojson-null-state',
    'a null state',
    { file: 'null-state.geojson' },
    { valid: 'vector' },
    { model: 'game_of_life', expect: E('InputError', /found an empty value in cell '1-1' \(feature 4\)/) },
  ),
  ds(
    'geojson-nan-string-state',
    'states "NaN" (strings) among numbers',
    { file: 'nan-string-state.geojson' },
    { valid: 'vector' },
    { model: 'game_of_life', expect: E('InputError', /Column 'state' is not numeric/) },
  ),
  ds(
    'geojson-text-state',
    'states "alive"/"dead"',
    { file: 'text-state.geojson' },
    { valid: 'vector' },
    { model: 'forest_fire', expect: E('InputError', /Column 'state' .* must hold numbers/) },
  ),
  ds(
    'geojson-out-of-range-state',
    'a state of 7',
    { file: 'out-of-range-state.geojson' },
    { valid: 'vector' },
    { model: 'game_of_life', expect: E('InputError', /found 7 in cell '2-2' \(feature 8\)/) },
  ),
  ds(
    'geojson-empty',
    'a FeatureCollection without features',
    { file: 'empty-collection.geojson' },
    { valid: 'vector' },
    {
      model: 'game_of_life',
      expect: E(
        'InputError',
        /The layer has no features \(an empty FeatureCollection in '.*empty-collection\.geojson'\): there are no cells to simulate/,
      ),
    },
  ),
  ds(
    'geojson-script-columns',
    'columns named <img onerror> and <script>',
    { file: 'script-column.geojson' },
    { valid: 'vector' },
    { model: 'game_of_life', expect: E('InputError', /Columns: <img src=x onerror=window\.__xss=1>, <script>window\.__xss=2<\/script>/) },
  ),
  // accepted by design: the vector substrate takes points and lines too (neighbours share a vertex)
  ds(
    'geojson-mixed-geometries',
    'polygons mixed with a point and a line',
    { file: 'mixed-geometries.geojson' },
    { valid: 'vector' },
    { model: 'game_of_life', expect: 'completed' },
  ),
];

export const RECORD_CASES: RecordCase[] = [
  ['record-not-json', 'a record cut short', E('RecordError', /The record is not valid JSON/)],
  ['record-array', 'a list instead of an object', E('RecordError', /'record' must be an object/)],
  ['record-string', 'a JSON string', E('RecordError', /'record' must be an object/)],
  ['record-id-number', 'experiment_id is a number', E('RecordError', /'experiment_id' must be a string; got number/)],
  [
    'record-id-not-hex',
    'experiment_id is a path',
    E('RecordError', /'experiment_id' must be 32 lowercase hex characters; got '\.\.\/\.\.\/etc\/passwd'/),
  ],
  ['record-bad-date', "created_at 'yesterday'", E('RecordError', /'created_at' must be an ISO 8601 date/)],
  ['record-params-string', 'parameters is a string', E('RecordError', /'parameters' must be an object/)],
  ['record-logs-string', 'logs is a string', E('RecordError', /'logs' must be a list of strings/)],
  ['record-logs-numbers', 'logs holds numbers', E('RecordError', /'logs\[0\]' must be a string/)],
  ['record-unknown-field', "an extra field 'onload'", E('RecordError', /Unknown field 'onload' in the record/)],
  ['record-proto', 'a top-level "__proto__"', E('RecordError', /'record' contains the forbidden key '__proto__'/)],
  ['record-proto-params', 'a "__proto__" parameter', E('RecordError', /'parameters' contains the forbidden key '__proto__'/)],
  ['record-constructor', 'a "constructor" parameter', E('RecordError', /'parameters' contains the forbidden key 'constructor'/)],
  [
    'record-unknown-model',
    "model_name 'no_such_model'",
    E('RegistryError', /model_name 'no_such_model' is not registered.*Available: .*game_of_life/),
  ],
  [
    'record-script-model',
    'model_name is a <script>',
    E('RegistryError', /model_name '<script>alert\(document\.cookie\)<\/script>' is not registered/),
  ],
  [
    'record-newline-model',
    'model_name with a newline and a terminal escape',
    // eslint-disable-next-line no-control-regex -- the record carries a terminal escape on purpose
    E('RegistryError', /model_name 'evil\nINJECTED: all good\u001b\[2J' is not registered/),
  ],
  ['record-out-of-range', 'end_time = -5', E('ParameterError', /parameter 'end_time' = -5 is out of range \[0, 1000000\]/)],
  [
    'record-param-wrong-type',
    "end_time = 'ten'",
    E('ParameterError', /parameter 'end_time' must be a finite number in \[0, 1000000\]; got "ten"/),
  ],
  ['record-param-null-object', 'end_time is an object', E('ParameterError', /'end_time' must be a finite number .*got an object/)],
  [
    'record-seed-out-of-range',
    'a seed above 2³²−1',
    E('ParameterError', /parameter 'seed' = 99999999999 is out of range \[0, 4294967295\]/),
  ],
  ['record-end-before-start', 'end_time before start_time', E('ParameterError', /end_time \(2\) must not be before start_time \(10\)/)],
  [
    'record-band-map-not-canonical',
    "band_map names 'evil'",
    E('ParameterError', /band_map names 'evil', which is not a canonical name of this model\. Canonical names: state/),
  ],
  ['record-band-map-number', 'a band_map value that is a number', E('RecordError', /'band_map\.state' must be a string/)],
  [
    'record-bad-status',
    "status 'hacked'",
    E('RecordError', /'status' must be one of pending, running, completed, failed, cancelled; got 'hacked'/),
  ],
  ['record-bad-checksum', "source.checksum 'abc'", E('RecordError', /'source\.checksum' must be a SHA-256/)],
  ['record-bad-source-type', "source.type 'ftp'", E('RecordError', /'source\.type' must be one of .*; got 'ftp'/)],
  ['record-period-numbers', 'period [2000, 2014] as numbers', E('RecordError', /'period' must be null or a pair of strings/)],
  ['record-bad-artifact', 'an output checksum that is not a SHA-256', E('RecordError', /artifact 'output' must be a SHA-256/)],
  ['record-infinity', 'a metric of 1e999 (Infinity)', E('RecordError', /'metrics\.time_run_sec' must be a finite number/)],
  [
    'record-no-input',
    'a model that needs input, with none',
    E('InputError', /Game of Life needs an input dataset \(raster or vector\); none was given/),
  ],
].map(([id, what, expect]) => ({
  id: id as string,
  what: what as string,
  loader: 'record' as const,
  ...(id === 'record-newline-model' ? { build: 'record-newline-model' as const } : { file: `${id as string}.record.json` }),
  expect: expect as Expected,
}));

RECORD_CASES.push(
  {
    id: 'record-long-string',
    what: 'a model_name of 100 000 characters',
    loader: 'record',
    build: 'record-long-string',
    expect: E('RecordError', /'model_name' is 100000 characters long; at most 8192 are accepted/),
  },
  {
    id: 'record-deep',
    what: 'a parameter nested 40 objects deep',
    loader: 'record',
    build: 'record-deep',
    expect: E('RecordError', /'parameters\.x(\.a)+' is nested too deeply/),
  },
  {
    id: 'record-many-logs',
    what: '10 001 log lines',
    loader: 'record',
    build: 'record-many-logs',
    expect: E('RecordError', /'logs' has 10001 entries; at most 10000 are accepted/),
  },
  {
    id: 'record-many-keys',
    what: '1001 parameters',
    loader: 'record',
    build: 'record-many-keys',
    expect: E('RecordError', /'parameters' has 1001 fields; at most 1000 are accepted/),
  },
  {
    id: 'record-huge-log-line',
    what: 'one log line of 5 MB: clipped, the record still loads',
    loader: 'record',
    build: 'record-huge-log-line',
    expect: 'valid',
  },
);

const link = (id: keyof typeof generators, what: string, expect: Expected): LinkCase => ({ id, what, loader: 'link', build: id, expect });

export const LINK_CASES: LinkCase[] = [
  link('link-not-run', 'a fragment that is not run=…', E('RecordError', /does not start with "run="/)),
  link('link-bad-chars', 'a <script> where base64url is expected', E('RecordError', /characters that base64url does not use/)),
  link('link-truncated', 'a link cut to 40 characters', E('RecordError', /damaged or truncated: its data does not decompress/)),
  link('link-not-deflate', 'base64url JSON, not deflated', E('RecordError', /does not decompress/)),
  link('link-not-json', 'deflated JavaScript, not JSON', E('RecordError', /its data is not valid JSON/)),
  link('link-not-utf8', 'deflated bytes that are not UTF-8', E('RecordError', /its data is not valid JSON/)),
  link('link-bomb', '3 MB of spaces deflated to 3 KB', E('RecordError', /inflates beyond 2000000 bytes; it is refused/)),
  link(
    'link-too-long',
    'a fragment of 1.6 million characters',
    E('RecordError', /The link is too long \(1600004 characters; at most 1500000\)/),
  ),
  link('link-array', 'a JSON array', E('RecordError', /'link' must be an object/)),
  link('link-v2', 'version 2', E('RecordError', /This link has version 2; this workbench reads version 1 links/)),
  link('link-v-string', 'version "1" (a string)', E('RecordError', /This link has version "1"/)),
  link(
    'link-unknown-model',
    "model 'no_such_model'",
    E('RecordError', /names the model 'no_such_model', which this workbench does not have\. Available: .*game_of_life/),
  ),
  link('link-script-model', 'a model name that is an <img onerror>', E('RecordError', /names the model '<img src=x onerror=alert\(1\)>'/)),
  link('link-out-of-range', 'end_time = -3', E('ParameterError', /parameter 'end_time' = -3 is out of range/)),
  link(
    'link-param-wrong-type',
    'end_time = \'eval("1")\'',
    E('ParameterError', /'end_time' must be a finite number .*got "eval\(\\"1\\"\)"/),
  ),
  link('link-params-not-object', 'parameters is a string', E('RecordError', /'parameters' must be an object/)),
  link('link-proto', 'a "__proto__" parameter', E('RecordError', /forbidden key '__proto__'/)),
  link('link-constructor', 'a "constructor" band_map key', E('RecordError', /forbidden key 'constructor'/)),
  link(
    'link-long-model',
    'a model name of 5000 characters',
    E('RecordError', /The link's 'model' is too long \(5000 characters; at most 100\)/),
  ),
  link('link-long-uri', 'a source URI of 20 000 characters', E('RecordError', /source\.uri' is 20010 characters long/)),
  link('link-bad-sha', "an input checksum 'not-hex'", E('RecordError', /input checksum is not a SHA-256/)),
  link('link-unknown-field', "an extra field 'onload'", E('RecordError', /unknown field 'onload'/)),
  link('link-no-seed', 'a stochastic model without a seed', E('RecordError', /has no seed for this stochastic model/)),
  link(
    'link-embedded-too-big',
    'an embedded input of 600 KB (links carry at most 512 KiB)',
    E('RecordError', /The embedded input is larger than links may carry/),
  ),
  link(
    'link-embedded-not-b64',
    'an embedded input that is markup, not base64url',
    E('RecordError', /characters that base64url does not use/),
  ),
];

export const ALL_CASES: CorpusCase[] = [...DATASET_CASES, ...RECORD_CASES, ...LINK_CASES];
