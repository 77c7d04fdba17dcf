/** `dissmodel-workbench/io`: GeoTIFF and GeoJSON read/write, datasets, URIs, fetch, verified reads, input limits. */
export * from '../io/dataset.ts';
export * from '../io/fetch.ts';
export * from '../io/geojson.ts';
export * from '../io/geotiff-read.ts';
export * from '../io/geotiff-write.ts';
export * from '../io/limits.ts';
export * from '../io/sha256.ts';
export * from '../io/uri.ts';
export * from '../io/verified-io.ts';
