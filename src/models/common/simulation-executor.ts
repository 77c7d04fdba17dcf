/**
 * SimulationExecutor: the shared load/save of every model in the catalogue.
 * load reads the input bytes through the host, records their SHA-256 and
 * parses them (GeoTIFF or GeoJSON); save encodes the output canonically,
 * writes it through the host and records its SHA-256. Models implement run().
 */
import { defaultOutputPath } from '../../executor/artifacts.ts';
import type { RunContext } from '../../executor/context.ts';
import { InputError } from '../../executor/errors.ts';
import { ModelExecutor } from '../../executor/executor.ts';
import { addLog, setOutputSha256, type ExperimentRecord } from '../../executor/record.ts';
import { parseDataset } from '../../io/dataset.ts';
import { writeGeoJson } from '../../io/geojson.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import type { Dataset } from '../../sim/dataset.ts';
import type { SimOutput } from '../../sim/output.ts';
import { encodeTable } from './table.ts';

export abstract class SimulationExecutor extends ModelExecutor<Dataset | null, SimOutput> {
  async load(record: ExperimentRecord, ctx: RunContext): Promise<Dataset | null> {
    if (this.spec.inputs.includes('none') && !record.source.uri) return null;
    const uri = record.source.uri;
    const bytes = await ctx.io.read(uri, { signal: ctx.signal });
    record.source.checksum = await sha256HexAsync(bytes);
    ctx.checkAbort();
    const ds = await parseDataset(uri, bytes, record.input_format);
    if (!this.spec.inputs.includes(ds.kind)) {
      throw new InputError(`${this.spec.title} takes ${this.spec.inputs.join(' or ')} input, but '${uri}' is a ${ds.kind} dataset.`);
    }
    addLog(
      record,
      ds.kind === 'raster'
        ? `Loaded GeoTIFF: shape=(${ds.height}, ${ds.width}) bands=${ds.bands.map((b) => b.name).join(',')} crs=${ds.epsg ? 'EPSG:' + ds.epsg : 'none'}`
        : `Loaded GeoJSON: ${ds.features.length} features, columns=${ds.columns.join(',')}`,
    );
    return ds;
  }

  async save(result: SimOutput, record: ExperimentRecord, ctx: RunContext): Promise<ExperimentRecord> {
    let bytes: Uint8Array;
    let ext: string;
    if (result.kind === 'raster') {
      bytes = writeGeoTiff(result.dataset);
      ext = 'tif';
    } else if (result.kind === 'vector') {
      bytes = writeGeoJson(result.dataset);
      ext = 'geojson';
    } else {
      bytes = encodeTable(result.table, this.spec.output.extension === 'json' ? 'json' : 'csv');
      ext = this.spec.output.extension;
    }
    const path = outputPathForKind(record.output_path, ext) ?? defaultOutputPath(record, ext);
    if (record.output_path && path !== record.output_path) {
      addLog(
        record,
        `The output is ${ext === 'tif' ? 'a GeoTIFF' : ext === 'geojson' ? 'GeoJSON' : ext.toUpperCase()}: writing ${path} instead of ${record.output_path}`,
      );
    }
    const sha = await sha256HexAsync(bytes);
    record.output_path = await ctx.io.write(path, bytes);
    setOutputSha256(record, sha);
    addLog(record, `Saved to ${record.output_path}`);
    record.status = 'completed';
    return record;
  }
}

const KNOWN_EXT = /\.(tif|tiff|geojson|json|csv)$/i;
const SAME_KIND: Record<string, string[]> = { tif: ['tif', 'tiff'], geojson: ['geojson', 'json'], csv: ['csv'], json: ['json'] };

/**
 * The output file's extension follows what was produced: a host names the
 * output after `spec.output.extension` before it knows whether a model that
 * takes raster or vector input will write a GeoTIFF or GeoJSON.
 */
export function outputPathForKind(path: string | null, ext: string): string | null {
  if (path === null) return null;
  const m = KNOWN_EXT.exec(path);
  if (!m) return path;
  return (SAME_KIND[ext] ?? [ext]).includes(m[1].toLowerCase()) ? path : path.slice(0, m.index) + '.' + ext;
}
