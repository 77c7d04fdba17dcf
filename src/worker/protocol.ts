/**
 * The contract between the page and the simulation worker: what crosses the
 * Comlink boundary. Types only (plus tiny pure helpers), so both sides import
 * it without pulling the other's runtime in.
 */
import type { Phase, StepSummary } from '../executor/context.ts';
import type { ErrorCode } from '../executor/errors.ts';
import type { ExecutorSpec } from '../executor/executor.ts';
import type { Timings } from '../executor/lifecycle.ts';
import type { ExperimentRecord, RecordStatus } from '../executor/record.ts';
import type { Dataset, DType, GeoTransform } from '../sim/dataset.ts';
import type { ValueSummary } from './display.ts';
import type { VectorValues } from './vector-values.ts';
import type { VectorMesh } from './vector-mesh.ts';
import type { SimOutput } from '../sim/output.ts';

/** An error as it crosses the boundary: the typed error's code, message and field survive. */
export interface WorkerError {
  name: string;
  /** DissError code, or 'internal' for an unexpected error, 'crash' when the worker died. */
  code: ErrorCode | 'internal' | 'crash';
  message: string;
  field?: string;
  /** Lifecycle phase the error happened in (runs only). */
  phase?: Phase;
}

export interface BandSummary {
  name: string;
  dtype: DType;
  nodata: number | null;
  /** Over valid cells (nodata and NaN skipped); null when no valid cell. */
  min: number | null;
  max: number | null;
}

/** What the dataset panel shows about a dataset, computed in the worker. */
export interface DatasetSummary {
  uri: string;
  /** File name for display (last path segment of the URI). */
  name: string;
  /** Bytes. */
  size: number;
  sha256: string;
  kind: 'raster' | 'vector';
  /** Human-readable format name. */
  format: 'GeoTIFF' | 'GeoJSON' | 'Shapefile (zipped)' | 'GeoPackage' | 'FlatGeobuf';
  epsg: number | null;
  /** The CRS's name when the file states it only as WKT (no EPSG code): shown, never used to reproject. */
  crsName?: string | null;
  /** The CRS as WKT when it has no EPSG code (custom projections), for its label. */
  crsWkt?: string | null;
  /** Raster: a rotated grid (kept in outputs, drawn at a neutral place). */
  rotated?: boolean;
  /** Raster: width × height and bands. */
  width?: number;
  height?: number;
  transform?: GeoTransform | null;
  bands?: BandSummary[];
  /** Vector: features, columns and geometry types. */
  featureCount?: number;
  columns?: string[];
  geometryTypes?: string[];
}

export type InspectResult =
  /** `geometryKey`: a vector dataset's geometryKey, hashed here rather than on the page's main thread. */
  | {
      ok: true;
      summary: DatasetSummary;
      dataset: Dataset;
      geometryKey?: string;
      /** A large polygon layer's WebGL mesh (vector-mesh.ts), transferred. */
      mesh?: VectorMesh;
    }
  | { ok: false; error: WorkerError };

export interface RunInput {
  uri: string;
  /** Transferred to the worker: the caller's buffer is detached afterwards (send a copy). */
  bytes: Uint8Array;
}

export interface RunRequest {
  /** Untrusted: parsed with parseRecord in the worker. */
  record: unknown;
  inputs?: RunInput[];
  /** Keep per-step frames of the display layer for the step slider. */
  keepFrames: boolean;
  /** Run controls and a live map: pause/step/speed through WorkerApi.control, frames to `onLive`. */
  live?: LiveRequest;
  /**
   * The geometryKey of the page's input (a vector dataset): a vector display output on the same
   * cells comes back without its features (RunResponse.displayColumns, vector-values.ts).
   */
  inputGeometry?: string;
}

/** What a controlled run starts with. */
export interface LiveRequest {
  /** Stop before the first step (Setup), showing the initial state. */
  startPaused?: boolean;
  /** Milliseconds to wait after each step (speed); 0 = full speed. */
  delayMs?: number;
  /**
   * Most cells along either side of a live frame (the map's size in device pixels): a larger grid
   * whose model can read its state coarsely (LayerPreview) sends every k-th row and column while it
   * runs (display only: a paused state, the frames kept and the output stay whole).
   */
  frameMax?: number;
}

/** A command to the run in progress. */
export type LiveCommand =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'step'; steps?: number }
  | { kind: 'speed'; delayMs: number }
  /** The page drew the last live frame it got in `ms` (its arrival to the map's next idle): the worker spaces frames by it. */
  | { kind: 'drawn'; ms: number };

/** From a controlled run: the state reached (a copy of the display layer) and whether it is paused there. */
export interface LiveEvent {
  /** Steps executed (0 = the initial state). */
  step: number;
  total: number;
  paused: boolean;
  /** The display layer after `step` steps (absent on a bare pause/resume notice). */
  frame?: ArrayBufferView;
  /** Set when `frame` holds every `stride`-th row and column of the grid only: its shape. */
  sampled?: { stride: number; width: number; height: number };
}

/** A cancelled run's state at the step it reached, written as the model writes its output; never a completed output. */
export interface PartialOutput {
  /** Always "cancelled": the record's status. */
  status: 'cancelled';
  step: number;
  total: number;
  bytes: Uint8Array;
  /** e.g. game_of_life_1a2b3c4d_partial_step12.tif */
  name: string;
  mediaType: string;
  sha256: string;
}

/** A progress message (throttled to ≤ 20/s, the last step always sent). */
export interface ProgressEvent {
  phase: Phase;
  step?: number;
  total?: number;
  summary?: StepSummary;
  /** Milliseconds since the run started (worker clock). */
  elapsedMs: number;
}

/** What WorkerApi.bandThreads answers. */
export interface BandInfo {
  threads: number;
  isolated: boolean;
}

export interface RunResponse {
  /** The record after the lifecycle (completed, failed or cancelled), as a plain object. */
  record: ExperimentRecord;
  /** recordToJson(record): DisSModel's field order, what the record.json download holds. */
  recordJson: string;
  status: RecordStatus;
  timings: Timings;
  error?: WorkerError;
  /** Present when the run completed. */
  output?: {
    bytes: Uint8Array;
    /** Download name, e.g. game_of_life_1a2b3c4d.tif (the record's output_path). */
    name: string;
    mediaType: string;
    sha256: string;
  };
  profiling?: { markdown: string; name: string; sha256: string };
  /** Display-ready result (typed arrays transferred, not copied); for a cancelled controlled run, its partial state. */
  display?: SimOutput;
  /** A raster display layer's distinct values (or range) over all its frames, for the page's colour scale (display.ts). */
  displayValues?: ValueSummary;
  /**
   * When present, `display.dataset` has no features: they are the page's input's (RunRequest.inputGeometry)
   * with these ids and values (unpackVectorValues). The output file's bytes are unaffected.
   */
  displayColumns?: VectorValues;
  /** A cancelled controlled run's state reached (LiveRequest runs only). */
  partial?: PartialOutput;
  /** The last step reported (progress messages travel on their own channel and may arrive after the response). */
  lastStep?: { step: number; total: number };
}

/** The API the worker exposes through Comlink. */
export interface WorkerApi {
  /** Specs of every registered executor, in registration order. */
  listExecutors(): ExecutorSpec[];
  /** Parse a dataset (bytes transferred) and summarise it; also returns it display-ready. */
  inspect(uri: string, bytes: Uint8Array): Promise<InspectResult>;
  /** Run one record through executeLifecycle. */
  run(request: RunRequest, onProgress?: (p: ProgressEvent) => void, onLive?: (e: LiveEvent) => void): Promise<RunResponse>;
  /** Pause, resume, step or change the speed of the controlled run in progress (ignored when none). */
  control(command: LiveCommand): void;
  /** Abort the run in progress (if any); it ends with status "cancelled" within one step. */
  cancel(): void;
  /**
   * Threads of a large Game of Life / forest-fire raster run (row bands, src/sim/bands.ts; the output
   * bytes do not depend on it): `threads` sets them (1 = one thread, null = the cores), and the answer
   * says what runs use now and whether the page is cross-origin isolated (needed for more than one).
   */
  bandThreads(threads?: number | null): BandInfo;
  /** Liveness probe for the page's watchdog. */
  ping(): number;
  /** Why the grid models' WebAssembly kernels cannot run in this worker (it then runs their JavaScript kernels), or null when they run. */
  wasmUnavailable(): string | null;
  /** Test hook: make the worker fail the way a crashed or killed worker does. */
  debugCrash(mode: 'throw' | 'hang' | 'close'): void;
}

/** The display name of a URI: its last path segment without query. */
export function uriDisplayName(uri: string): string {
  const noScheme = uri.replace(/^(sample|file):/, '');
  const path = noScheme.split(/[?#]/)[0] ?? noScheme;
  const seg = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  try {
    return decodeURIComponent(seg) || uri;
  } catch {
    return seg || uri;
  }
}
