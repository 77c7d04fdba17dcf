/**
 * Executors that accept both raster and vector input write a GeoTIFF or a
 * GeoJSON depending on the input, but hosts pre-set `record.output_path` from
 * the spec's single output extension. Before saving, a path whose extension
 * belongs to the other kind is switched to this kind's (and logged), so a
 * GeoJSON never lands in a `.tif` file and vice versa.
 */
import { addLog, type ExperimentRecord } from '../../executor/record.ts';
import { extensionOf } from '../../io/dataset.ts';

const EXTENSIONS = { raster: ['tif', 'tiff'], vector: ['geojson', 'json'] } as const;

export function alignOutputPath(record: ExperimentRecord, kind: 'raster' | 'vector'): void {
  const path = record.output_path;
  if (!path) return;
  const ext = extensionOf(path);
  const other = kind === 'raster' ? EXTENSIONS.vector : EXTENSIONS.raster;
  if (!(other as readonly string[]).includes(ext) || !path.toLowerCase().endsWith('.' + ext)) return;
  const next = path.slice(0, path.length - ext.length) + EXTENSIONS[kind][0];
  addLog(record, `The output is ${kind === 'raster' ? 'a GeoTIFF' : 'GeoJSON'}: writing ${next} instead of ${path}.`);
  record.output_path = next;
}
