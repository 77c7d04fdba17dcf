/**
 * The worker's runtime, independent of Comlink so it can be tested in Node:
 * lists executors, inspects datasets and runs records through executeLifecycle
 * with an in-memory host, throttled progress and cancellation.
 */
import { RunContext, type HostIO, type PartialState, type Phase, type Progress, type ReadOptions } from '../executor/context.ts';
import { DissError, describeError, InputError, RecordError } from '../executor/errors.ts';
import type { ExecutorClass, ExecutorSpec } from '../executor/executor.ts';
import { MemoryIO } from '../executor/memory-io.ts';
import { addLog, parseRecord, recordToJson, type ExperimentRecord } from '../executor/record.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import { runExperiment } from '../executor/run-experiment.ts';
import { detectFileFormat, parseDataset, type FileFormat } from '../io/dataset.ts';
import { fetchBytes } from '../io/fetch.ts';
import { sha256HexAsync } from '../io/sha256.ts';
import type { Dataset, TypedArray } from '../sim/dataset.ts';
import { resolveUri } from '../io/uri.ts';
import type { SimOutput } from '../sim/output.ts';
import { displayOf, displayValues } from './display.ts';
import { packVectorValues, vectorValueArrays } from './vector-values.ts';
import { geometryKey } from './geometry-key.ts';
import { meshBuffers, meshOf } from './vector-mesh.ts';
import { LiveRunControl } from './live-control.ts';
import {
  uriDisplayName,
  type BandSummary,
  type DatasetSummary,
  type InspectResult,
  type LiveCommand,
  type LiveEvent,
  type PartialOutput,
  type ProgressEvent,
  type RunRequest,
  type RunResponse,
  type WorkerError,
} from './protocol.ts';

/** Most progress messages per second sent to the page (the last step is always sent). */
export const PROGRESS_MAX_PER_SEC = 20;

export interface RuntimeOptions {
  /** Absolute URL of the folder holding bundled samples (ends with /). */
  samplesBase: string;
  /** Optional S3-compatible endpoint for s3:// URIs. */
  s3Endpoint?: string;
  now?: () => number;
}

export function toWorkerError(err: unknown, phase?: Phase): WorkerError {
  const base: WorkerError =
    err instanceof DissError
      ? { name: err.name, code: err.code, message: err.message, ...(err.field !== undefined ? { field: err.field } : {}) }
      : err instanceof Error
        ? { name: err.name, code: 'internal', message: describeError(err) }
        : { name: 'Error', code: 'internal', message: String(err) };
  if (err instanceof RangeError && /allocat|memory|array length/i.test(err.message)) {
    base.message = `Out of memory: ${err.message}. Try a smaller dataset or switch off keeping frames.`;
  }
  return phase ? { ...base, phase } : base;
}

/** Host I/O for the worker: bytes sent with the request first, then samples and http(s) by fetch. */
export function createWorkerIO(options: RuntimeOptions): MemoryIO {
  return new MemoryIO(async (uri: string, read: ReadOptions): Promise<Uint8Array> => {
    const r = resolveUri(uri, options.s3Endpoint ? { s3Endpoint: options.s3Endpoint } : {});
    switch (r.kind) {
      case 'sample': {
        const name = r.name.replace(/[\\/]/g, '');
        if (!name) throw new InputError(`'${uri}' names no sample file.`);
        return fetchBytes(new URL(encodeURIComponent(name), options.samplesBase).href, read);
      }
      case 'http':
        return fetchBytes(r.url, read);
      case 'file':
        throw new InputError(
          `'${uri}' is a file dropped in the page, but its bytes were not sent with the run. Drop or pick the file again.`,
        );
      case 'path':
        throw new InputError(`'${uri}' is a local path, which a browser cannot read. Drop the file on the page or give an http(s):// URL.`);
    }
  });
}

/** The buffers under a set of typed arrays, each once (a transfer list must not repeat a buffer). */
export function collectBuffers(arrays: Iterable<ArrayBufferView | null | undefined>): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (!a) continue;
    const b = a.buffer;
    if (b instanceof ArrayBuffer && b.byteLength > 0) seen.add(b);
  }
  return [...seen];
}

function* datasetArrays(ds: Dataset): Iterable<TypedArray> {
  if (ds.kind === 'raster') for (const b of ds.bands) yield b.data;
}

/**
 * A display whose raster bands and frames each fill a buffer of their own, so that the response can transfer them:
 * an array that is a view into a larger buffer is copied. A model may hand over views into its kernel's
 * WebAssembly memory (the coastal models' output bands), which cannot be detached, so transferring one fails the
 * whole response ("Unserializable return value"), and would move the rest of that memory if it could. A view of
 * a SharedArrayBuffer (a banded run's output: the team's memory, src/sim/bands.ts) is copied too: posted as is it
 * would share that whole memory with the page, where some APIs refuse shared views.
 */
export function ownBuffers(out: SimOutput | undefined): SimOutput | undefined {
  if (!out || out.kind === 'table') return out;
  const own = (a: TypedArray): TypedArray =>
    !(a.buffer instanceof ArrayBuffer) || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength ? a.slice() : a;
  const frames = out.frames.map((f) => ({ ...f, data: own(f.data) }));
  if (out.kind === 'vector') return { ...out, frames };
  return { ...out, frames, dataset: { ...out.dataset, bands: out.dataset.bands.map((b) => ({ ...b, data: own(b.data) })) } };
}

export function displayArrays(out: SimOutput | undefined): ArrayBufferView[] {
  if (!out) return [];
  const arrays: ArrayBufferView[] = [];
  if (out.kind !== 'table') {
    arrays.push(...datasetArrays(out.dataset));
    for (const f of out.frames) arrays.push(f.data);
  }
  return arrays;
}

function bandStats(data: TypedArray, nodata: number | null): { min: number | null; max: number | null } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || v === nodata) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: null, max: null };
}

const FORMAT_LABELS: Record<FileFormat, DatasetSummary['format']> = {
  geotiff: 'GeoTIFF',
  geojson: 'GeoJSON',
  shapefile: 'Shapefile (zipped)',
  geopackage: 'GeoPackage',
  flatgeobuf: 'FlatGeobuf',
};

/** The name a WKT gives its CRS (its first quoted string), for display. */
function wktName(wkt: string | null | undefined): string | null {
  const m = wkt ? /^\s*[A-Z_0-9]+\s*[[(]\s*"([^"]{1,120})"/i.exec(wkt) : null;
  return m ? m[1] : null;
}

export function summarize(uri: string, bytes: Uint8Array, sha256: string, ds: Dataset): DatasetSummary {
  const common = {
    uri,
    name: uriDisplayName(uri),
    size: bytes.byteLength,
    sha256,
    epsg: ds.epsg,
    crsName: ds.epsg === null ? wktName(ds.crsWkt) : null,
    ...(ds.crsWkt ? { crsWkt: ds.crsWkt } : {}),
  };
  const detected = FORMAT_LABELS[detectFileFormat(uri, bytes)];
  if (ds.kind === 'raster') {
    const bands: BandSummary[] = ds.bands.map((b) => ({ name: b.name, dtype: b.dtype, nodata: b.nodata, ...bandStats(b.data, b.nodata) }));
    const georef = ds.affine ? { rotated: true } : {};
    return { ...common, ...georef, kind: 'raster', format: 'GeoTIFF', width: ds.width, height: ds.height, transform: ds.transform, bands };
  }
  const types = new Set<string>();
  for (const f of ds.features) types.add(f.geometry?.type ?? 'null');
  return {
    ...common,
    kind: 'vector',
    format: detected,
    featureCount: ds.features.length,
    columns: [...ds.columns],
    geometryTypes: [...types],
  };
}

export class WorkbenchRuntime {
  private controller: AbortController | null = null;
  private live: LiveRunControl | null = null;
  private readonly now: () => number;

  constructor(private readonly options: RuntimeOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  listExecutors(): ExecutorSpec[] {
    // Specs are plain data (no functions), so they structured-clone as they are.
    return ExecutorRegistry.specs().map((s) => JSON.parse(JSON.stringify(s)) as ExecutorSpec);
  }

  async inspect(uri: string, bytes: Uint8Array): Promise<{ result: InspectResult; transfer: ArrayBuffer[] }> {
    try {
      if (!(bytes instanceof Uint8Array)) throw new InputError('No bytes were given for the dataset.');
      if (bytes.byteLength === 0) throw new InputError(`'${uriDisplayName(uri)}' is empty (0 bytes).`);
      const sha = await sha256HexAsync(bytes);
      const ds = await parseDataset(uri, bytes, 'auto');
      const summary = summarize(uri, bytes, sha, ds);
      const transfer = collectBuffers(datasetArrays(ds));
      // The parsed bands may be views into `bytes` itself; never hand back a shared buffer twice.
      const key = ds.kind === 'vector' ? { geometryKey: geometryKey(ds) } : {};
      // A large polygon layer's WebGL mesh, made here rather than on the page's main thread (vector-mesh.ts).
      const mesh = ds.kind === 'vector' ? meshOf(ds) : null;
      if (mesh) transfer.push(...meshBuffers(mesh));
      return { result: { ok: true, summary, dataset: ds, ...key, ...(mesh ? { mesh } : {}) }, transfer };
    } catch (e) {
      return { result: { ok: false, error: toWorkerError(e) }, transfer: [] };
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  control(command: LiveCommand): void {
    this.live?.command(command);
  }

  get running(): boolean {
    return this.controller !== null;
  }

  async run(
    request: RunRequest,
    onProgress?: (p: ProgressEvent) => void,
    onLive?: (e: LiveEvent, transfer: ArrayBuffer[]) => void,
  ): Promise<{ response: RunResponse; transfer: ArrayBuffer[] }> {
    if (this.controller) {
      throw new InputError('A run is already in progress in this worker; wait for it or cancel it.');
    }
    const record = parseRecord(request.record);
    if (!ExecutorRegistry.has(record.model_name)) {
      // Let the registry phrase the error (lists the available executors).
      try {
        ExecutorRegistry.get(record.model_name);
      } catch (e) {
        throw new RecordError(describeError(e), 'model_name');
      }
    }
    const cls = ExecutorRegistry.get(record.model_name);
    const spec = cls.spec;
    const io = createWorkerIO(this.options);
    for (const input of request.inputs ?? []) {
      if (input && typeof input.uri === 'string' && input.bytes instanceof Uint8Array) io.inputs.set(input.uri, input.bytes);
    }
    const controller = new AbortController();
    this.controller = controller;
    const t0 = this.now();
    const send = throttleProgress(onProgress, this.now, t0);
    const live = request.live
      ? new LiveRunControl({
          signal: controller.signal,
          ...(request.live.startPaused !== undefined ? { startPaused: !!request.live.startPaused } : {}),
          ...(typeof request.live.delayMs === 'number' ? { delayMs: request.live.delayMs } : {}),
          ...(typeof request.live.frameMax === 'number' && request.live.frameMax >= 1 ? { frameMax: request.live.frameMax } : {}),
          now: this.now,
          send: (e) => onLive?.(e, collectBuffers([e.frame])),
        })
      : null;
    this.live = live;
    try {
      // A page's record names no output path: the executor's name, with the id injected.
      const r = await runExperiment(cls, record, {
        io: io as HostIO,
        output: record.output_path ? null : `${spec.name}.${spec.output.extension}`,
        signal: controller.signal,
        keepFrames: request.keepFrames,
        onProgress: send.push,
        now: this.now,
        ...(live ? { live } : {}),
      });
      const outcome = r.outcome;
      send.flush();
      const response: RunResponse = {
        record,
        recordJson: '',
        status: record.status,
        timings: outcome.timings,
        ...(send.lastStep() ? { lastStep: send.lastStep()! } : {}),
      };
      if (r.error !== undefined) {
        response.error = toWorkerError(r.error, outcome.failedPhase);
        if (outcome.partial && outcome.result !== undefined && record.status === 'cancelled') {
          const partial = await savePartial(cls, record, outcome.result as SimOutput, outcome.partial);
          if (partial) {
            response.partial = partial;
            response.display = outcome.result as SimOutput;
          }
        }
      } else {
        const path = record.output_path!;
        const bytes = io.written.get(path);
        if (!bytes) throw new InputError(`The executor reported ${path} but wrote nothing there.`);
        const a = r.artifacts!;
        response.output = {
          bytes,
          name: uriDisplayName(path),
          mediaType: mediaTypeFor(path, spec.output.mediaType),
          sha256: record.artifacts.output ?? (await sha256HexAsync(bytes)),
        };
        response.profiling = { markdown: a.profilingMarkdown, name: uriDisplayName(a.profilingPath), sha256: a.profilingSha256 };
        response.display = ownBuffers(await displayOf(outcome.result, { path, bytes }, spec));
      }
      const values = displayValues(response.display);
      if (values) response.displayValues = values;
      const shown = response.display;
      const packed =
        shown?.kind === 'vector' && typeof request.inputGeometry === 'string'
          ? packVectorValues(shown.dataset, request.inputGeometry)
          : null;
      if (shown?.kind === 'vector' && packed) {
        response.display = { ...shown, dataset: { ...shown.dataset, features: [] } };
        response.displayColumns = packed;
      }
      response.recordJson = recordToJson(record);
      response.status = record.status;
      const transfer = collectBuffers([
        response.output?.bytes,
        response.partial?.bytes,
        ...displayArrays(response.display),
        ...vectorValueArrays(response.displayColumns),
      ]);
      return { response, transfer };
    } finally {
      this.controller = null;
      this.live = null;
    }
  }
}

/** `game_of_life_1a2b3c4d.tif` → `game_of_life_1a2b3c4d_partial_step12.tif`. */
export function partialPath(path: string, step: number): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  const tag = `_partial_step${step}`;
  return dot > slash ? path.slice(0, dot) + tag + path.slice(dot) : path + tag;
}

/**
 * Write a cancelled run's state reached the way the model writes its output (its own save, on a
 * copy of the record, into memory), and say so in the record: the record stays "cancelled", its
 * artifacts name no output, and a log line names the partial file, its step and its SHA-256.
 */
export async function savePartial(
  cls: ExecutorClass,
  record: ExperimentRecord,
  result: SimOutput,
  at: PartialState,
): Promise<PartialOutput | null> {
  const copy = structuredClone(record);
  copy.output_path = partialPath(record.output_path ?? `${cls.spec.name}.${cls.spec.output.extension}`, at.step);
  copy.logs = [];
  const io = new MemoryIO(async () => {
    throw new InputError('Saving a partial result reads nothing.');
  });
  try {
    await new cls().save(result, copy, new RunContext({ io }));
  } catch (e) {
    addLog(record, `The partial state after step ${at.step} of ${at.total} could not be written: ${describeError(e)}`);
    return null;
  }
  const path = copy.output_path!;
  const bytes = io.written.get(path);
  if (!bytes) return null;
  const sha256 = copy.artifacts.output ?? (await sha256HexAsync(bytes));
  const name = uriDisplayName(path);
  addLog(
    record,
    `Partial result (cancelled, not a completed output): ${name}, the state after step ${at.step} of ${at.total}, SHA-256 ${sha256}`,
  );
  return {
    status: 'cancelled',
    step: at.step,
    total: at.total,
    bytes,
    name,
    mediaType: mediaTypeFor(path, cls.spec.output.mediaType),
    sha256,
  };
}

const MEDIA_TYPES: Record<string, string> = {
  tif: 'image/tiff',
  tiff: 'image/tiff',
  geojson: 'application/geo+json',
  json: 'application/json',
  csv: 'text/csv',
};

/** The media type of the file actually written (an executor may write GeoJSON for vector input). */
export function mediaTypeFor(path: string, fallback: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? fallback;
}

/**
 * Progress throttle: at most PROGRESS_MAX_PER_SEC messages a second; a phase
 * change and the last step (step === total) always go through; a held-back
 * message is sent on flush().
 */
export function throttleProgress(
  sink: ((p: ProgressEvent) => void) | undefined,
  now: () => number,
  t0: number,
  maxPerSec = PROGRESS_MAX_PER_SEC,
): { push: (p: Progress) => void; flush: () => void; sent: () => number; lastStep: () => { step: number; total: number } | null } {
  const interval = 1000 / maxPerSec;
  let last = -Infinity;
  let lastPhase: Phase | null = null;
  let pending: ProgressEvent | null = null;
  let count = 0;
  let lastStep: { step: number; total: number } | null = null;
  const emit = (e: ProgressEvent) => {
    pending = null;
    count++;
    try {
      sink?.(e);
    } catch {
      // A page that went away must not break the run.
    }
  };
  return {
    push(p: Progress) {
      if (p.step !== undefined && p.total !== undefined) lastStep = { step: p.step, total: p.total };
      const t = now();
      const e: ProgressEvent = { ...p, elapsedMs: t - t0 };
      const isLast = p.step !== undefined && p.total !== undefined && p.step >= p.total;
      if (p.phase !== lastPhase || isLast || t - last >= interval) {
        lastPhase = p.phase;
        last = t;
        emit(e);
      } else {
        pending = e;
      }
    },
    flush() {
      if (pending) emit(pending);
    },
    sent: () => count,
    lastStep: () => lastStep,
  };
}
