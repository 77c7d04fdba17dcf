/**
 * SimulationExecutor: the one base class of the models. It supplies the
 * executor phases every model shares — load (bytes → SHA-256 → GeoTIFF or
 * GeoJSON), save (canonical GeoTIFF / GeoJSON / CSV → SHA-256 → host) — and a
 * run that dispatches on the loaded dataset: a model implements `runRaster`,
 * `runVector` and/or `runNoInput`, each getting its parameters typed from the
 * spec (`ParamsOf<P>`) and a {@link Sim} (the record, the host context, the
 * canonical inputs and the time loop).
 */
import { defaultOutputPath } from '../../executor/artifacts.ts';
import type { RunContext } from '../../executor/context.ts';
import { InputError } from '../../executor/errors.ts';
import { extraInputArtifact, ModelExecutor, type CanonicalField, type ExecutorSpec } from '../../executor/executor.ts';
import type { ParamSchema, ParamsOf } from '../../executor/params.ts';
import { addLog, setOutputSha256, type ExperimentRecord } from '../../executor/record.ts';
import { parseDataset } from '../../io/dataset.ts';
import { writeGeoJson } from '../../io/geojson.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { openBands, type BandRequest, type BandTeam } from '../../sim/bands.ts';
import type { Dataset, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import type { SimOutput } from '../../sim/output.ts';
import type { VectorGrid } from '../../sim/vector.ts';
import { rasterBands, vectorCells } from './inputs.ts';
import { simulate, type Schedule, type Trajectory } from './loop.ts';
import { encodeTable, nonFiniteValues } from './table.ts';

/**
 * Datasets read by a load from a host with fresh reads (HostIO.freshReads) whose memory no run has taken yet:
 * the lifecycle hands each to one run and drops it after (lifecycle.ts), so that run may overwrite its bands.
 */
const reusable = new WeakSet<Dataset>();

/** What a run hook works with: the record, the host context, the canonical inputs, the time loop. */
export class Sim {
  constructor(
    readonly spec: ExecutorSpec,
    readonly record: ExperimentRecord,
    readonly ctx: RunContext,
    private readonly extras: ReadonlyMap<string, Uint8Array> = new Map(),
  ) {}

  /** The bytes of an extra input the spec declares (read and checksummed by load), or null when none was given. */
  input(name: string): Uint8Array | null {
    return this.extras.get(name) ?? null;
  }

  /** The URI of an extra input, as given in its parameter. */
  inputUri(name: string): string {
    const extra = this.spec.extraInputs?.find((e) => e.name === name);
    const uri = extra ? this.record.parameters[extra.param] : undefined;
    return typeof uri === 'string' ? uri : '';
  }

  log(message: string): void {
    addLog(this.record, message);
  }

  /** The spec's bands of a raster, by canonical name (through the record's band_map). */
  bands(ds: RasterDataset) {
    return rasterBands(ds, this.spec.bands ?? [], this.record.band_map);
  }

  /** A vector layer's cells with the spec's columns (or `required`) checked, through the record's column_map. */
  cells(ds: VectorDataset, required: readonly CanonicalField[] = this.spec.columns ?? []): VectorGrid {
    return vectorCells(ds, required, this.record.column_map);
  }

  /** Run the time loop (see loop.ts). */
  simulate<M>(schedule: Schedule<M>): Promise<Trajectory<M>> {
    return simulate(this.ctx, this.record, schedule);
  }

  /**
   * Runs `body` with the host's band workers attached to a bit-packed grid (src/sim/bands.ts), or with
   * null where the grid steps in this thread (no host, one thread, a small grid), and releases them
   * after. A banded run records its thread count in `metrics.band_workers` (the output bytes do not
   * depend on it); a one-thread run's record is unchanged (DisSModel's metrics only).
   */
  async withBands<T>(req: BandRequest, body: (team: BandTeam | null) => Promise<T>): Promise<T> {
    const team = await openBands(req);
    if (team) {
      this.metrics({ band_workers: team.workers });
      this.log(
        `Stepping the ${req.rows} rows in row bands on ${team.workers} threads (${team.engine === 'wasm' ? 'WebAssembly' : 'JavaScript'} kernel)`,
      );
    }
    try {
      return await body(team);
    } finally {
      team?.close();
    }
  }

  /**
   * Whether this run may overwrite the memory of `ds`'s bands once it has read them (and build its own arrays
   * there instead of beside them): true for the dataset this executor's load read from a host whose reads are
   * fresh (HostIO.freshReads: bytes nothing else holds), which nothing reads after the run phase — and only the
   * first time it is asked. After that the bands' values are the model's to change: read them before, never after.
   */
  reuseInput(ds: Dataset): boolean {
    return reusable.delete(ds);
  }

  /** Record final figures in `record.metrics`. */
  metrics(values: Readonly<Record<string, number>>): void {
    Object.assign(this.record.metrics, values);
  }
}

export abstract class SimulationExecutor<P extends ParamSchema = ParamSchema> extends ModelExecutor<Dataset | null, SimOutput, P> {
  /** The model on a raster (the spec lists 'raster' in its inputs). */
  protected runRaster?(ds: RasterDataset, p: ParamsOf<P>, sim: Sim): SimOutput | Promise<SimOutput>;
  /** The model on a vector layer (the spec lists 'vector'). */
  protected runVector?(ds: VectorDataset, p: ParamsOf<P>, sim: Sim): SimOutput | Promise<SimOutput>;
  /** The model without an input dataset (the spec lists 'none'). */
  protected runNoInput?(p: ParamsOf<P>, sim: Sim): SimOutput | Promise<SimOutput>;

  /** Extra inputs read by load (see ExtraInput), by name. */
  private readonly extras = new Map<string, Uint8Array>();

  async run(data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const sim = new Sim(this.spec, record, ctx, this.extras);
    const p = this.params(record);
    if (data === null) {
      if (!this.runNoInput) throw new InputError(`${this.spec.title} needs an input dataset (${this.spec.inputs.join(' or ')}).`);
      return this.runNoInput(p, sim);
    }
    if (data.kind === 'raster' && this.runRaster) return this.runRaster(data, p, sim);
    if (data.kind === 'vector' && this.runVector) return this.runVector(data, p, sim);
    throw new InputError(`${this.spec.title} takes ${this.spec.inputs.join(' or ')} input, not a ${data.kind} dataset.`);
  }

  async load(record: ExperimentRecord, ctx: RunContext): Promise<Dataset | null> {
    await this.loadExtras(record, ctx);
    return this.loadDataset(record, ctx);
  }

  /** Each extra input given: its bytes, their SHA-256 in `artifacts["input_<param>"]`, a log line. */
  private async loadExtras(record: ExperimentRecord, ctx: RunContext): Promise<void> {
    for (const extra of this.spec.extraInputs ?? []) {
      const uri = record.parameters[extra.param];
      if (typeof uri !== 'string' || uri === '') continue;
      const bytes = await ctx.io.read(uri, { signal: ctx.signal });
      const sha = await sha256HexAsync(bytes);
      record.artifacts[extraInputArtifact(extra)] = sha;
      this.extras.set(extra.name, bytes);
      addLog(record, `Loaded ${extra.title}: ${uri} (${bytes.length} bytes, sha256 ${sha})`);
      ctx.checkAbort();
    }
  }

  private async loadDataset(record: ExperimentRecord, ctx: RunContext): Promise<Dataset | null> {
    if (this.spec.inputs.includes('none')) {
      if (!record.source.uri) return null;
      if (this.spec.inputs.length === 1) {
        // a model that reads no dataset: a source given anyway is ignored, and said so
        addLog(record, `${this.spec.title} takes no input dataset; ignored '${record.source.uri}'.`);
        return null;
      }
    }
    const uri = record.source.uri;
    const bytes = await ctx.io.read(uri, { signal: ctx.signal });
    record.source.checksum = await sha256HexAsync(bytes);
    ctx.checkAbort();
    const ds = await parseDataset(uri, bytes, record.input_format);
    if (!this.spec.inputs.includes(ds.kind)) {
      throw new InputError(`${this.spec.title} takes ${this.spec.inputs.join(' or ')} input, but '${uri}' is a ${ds.kind} dataset.`);
    }
    if (ctx.io.freshReads === true) reusable.add(ds);
    if (ds.kind === 'vector' && ds.features.length === 0) {
      throw new InputError(`The layer has no features (an empty FeatureCollection in '${uri}'): there are no cells to simulate.`);
    }
    addLog(
      record,
      ds.kind === 'raster'
        ? `Loaded GeoTIFF: shape=(${ds.height}, ${ds.width}) bands=${ds.bands.map((b) => b.name).join(',')} crs=${ds.epsg ? 'EPSG:' + ds.epsg : ds.geoKeys ? 'custom (no EPSG code, kept)' : 'none'}` +
            (ds.affine ? ' grid=rotated (kept)' : '') +
            (ds.pixelIsPoint ? ' raster_type=PixelIsPoint (kept)' : '')
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
      // GeoPackage (DisSModel's vector output, layer 'result') when the output is named .gpkg; GeoJSON otherwise.
      if (record.output_path && /\.gpkg$/i.test(record.output_path)) {
        const { writeGeoPackage } = await import('../../io/geopackage-write.ts'); // SQLite: only for a .gpkg
        bytes = await writeGeoPackage(result.dataset, { layer: 'result' });
        ext = 'gpkg';
      } else {
        bytes = writeGeoJson(result.dataset);
        ext = 'geojson';
      }
    } else {
      bytes = encodeTable(result.table, this.spec.output.extension === 'json' ? 'json' : 'csv');
      // A diverged model (NaN, ±inf) is the model's arithmetic, kept as is, but never silent.
      const bad = nonFiniteValues(result.table);
      if (bad.count > 0) {
        addLog(
          record,
          `Warning: ${bad.count} of ${result.table.rows.length * result.table.columns.length} values are not finite (NaN or ±inf) in ${bad.columns.join(', ')}: ` +
            `the model diverged (try a smaller dt or other parameters); they are written as nan/inf/-inf.`,
        );
      }
      ext = this.spec.output.extension;
    }
    const path = outputPathForKind(record.output_path, ext) ?? defaultOutputPath(record, ext);
    if (record.output_path && path !== record.output_path) {
      addLog(
        record,
        `The output is ${ext === 'tif' ? 'a GeoTIFF' : ext === 'geojson' ? 'GeoJSON' : ext === 'gpkg' ? 'a GeoPackage' : ext.toUpperCase()}: writing ${path} instead of ${record.output_path}`,
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

const KNOWN_EXT = /\.(tif|tiff|geojson|json|csv|gpkg)$/i;
const SAME_KIND: Record<string, string[]> = {
  tif: ['tif', 'tiff'],
  geojson: ['geojson', 'json'],
  csv: ['csv'],
  json: ['json'],
  gpkg: ['gpkg'],
};

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
