/** The largest inputs the readers accept: checked before anything large is allocated (README: Limits and bad input). */

/** Largest raster accepted (cells per band), refused before allocation. */
export const MAX_RASTER_CELLS = 64 * 1024 * 1024; // 8192 x 8192
/** Largest total decoded raster size in bytes (all bands). */
export const MAX_RASTER_BYTES = 1024 * 1024 * 1024; // 1 GiB
/** Largest input file accepted, in bytes. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** Largest number of vector features accepted. */
export const MAX_FEATURES = 2_000_000;
/**
 * Largest GeoJSON file accepted, in bytes, refused before it is decoded. JSON.parse
 * holds the whole document as objects at once, about 6× the file size (64 MiB of
 * polygon features ≈ 400 MB of heap and a few seconds), which a browser worker
 * can still afford; MAX_INPUT_BYTES of GeoJSON would not be.
 */
export const MAX_GEOJSON_BYTES = 64 * 1024 * 1024;
/** Longest wait for an HTTP(S) input's response headers, ms (README: Limits and bad input). */
export const FETCH_CONNECT_TIMEOUT_MS = 30_000;
/** Longest wait for the next bytes of an HTTP(S) input's body, ms. */
export const FETCH_IDLE_TIMEOUT_MS = 60_000;
/**
 * Largest total uncompressed size of the ZIP members a reader inflates (a zipped
 * Shapefile's .shp + .shx + .dbf + .prj + .cpg), checked against the sizes the archive
 * declares before inflating and against the bytes actually produced while inflating.
 */
export const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;
/** Most members accepted in a ZIP archive's central directory. */
export const MAX_ZIP_ENTRIES = 10_000;
/** Largest number of fields (columns) accepted in a dBASE table or a GeoPackage layer. */
export const MAX_COLUMNS = 2_048;
/** Largest number of points in one vector geometry (Shapefile record, WKB, FlatGeobuf feature). */
export const MAX_GEOMETRY_POINTS = 16 * 1024 * 1024;
/** Largest --toml file the CLI reads, in bytes (a model.toml is a few hundred bytes). */
export const MAX_TOML_BYTES = 1024 * 1024;
/** Largest record.json the CLI reads, in bytes (10,000 log lines of 8192 characters fit, a 5 MB log line too). */
export const MAX_RECORD_BYTES = 96 * 1024 * 1024;
/** Largest model file (--model, a TOML package's module) the CLI reads, in bytes. */
export const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;
