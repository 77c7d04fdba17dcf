/**
 * Run one record in a worker and return the outcome — never throws. This is
 * the seam other features plug into (run history, share links, parameter
 * sweeps on a pool): give it a record and inputs, get the result back.
 */
import type { ExperimentRecord } from '../../executor/record.ts';
import { asWorkerError, type SimWorker } from '../../worker/client.ts';
import type { LiveEvent, LiveRequest, ProgressEvent, RunInput, RunResponse, WorkerError } from '../../worker/protocol.ts';
import type { RunStatus } from '../store.ts';
import type { VectorDataset } from '../../sim/dataset.ts';
import { geometryKey } from '../../worker/geometry-key.ts';
import { unpackVectorValues } from '../../worker/vector-values.ts';

export interface RunOutcome {
  status: Exclude<RunStatus, 'idle' | 'running'>;
  response?: RunResponse;
  error?: WorkerError;
}

export interface RunOptions {
  /** Input bytes by URI; copies are sent (the caller's arrays stay usable). */
  inputs?: { uri: string; bytes: Uint8Array }[];
  keepFrames?: boolean;
  onProgress?: (p: ProgressEvent) => void;
  /** A controlled run (pause / step / speed through SimWorker.control) with live frames to `onLive`. */
  live?: LiveRequest;
  onLive?: (e: LiveEvent) => void;
  /**
   * The page's input dataset, when vector: an output drawn on the same cells comes back as
   * values only (vector-values.ts) and is put back on these features' geometry objects.
   */
  inputCells?: VectorDataset;
}

export async function runExperiment(worker: SimWorker, record: ExperimentRecord, options: RunOptions = {}): Promise<RunOutcome> {
  const inputs: RunInput[] = (options.inputs ?? []).map((i) => ({ uri: i.uri, bytes: i.bytes.slice() }));
  try {
    const response = await worker.run(
      {
        record: JSON.parse(JSON.stringify(record)) as unknown,
        inputs,
        keepFrames: options.keepFrames ?? false,
        ...(options.live ? { live: options.live } : {}),
        ...(options.inputCells ? { inputGeometry: geometryKey(options.inputCells) } : {}),
      },
      options.onProgress,
      options.onLive,
    );
    restoreDisplay(response, options.inputCells);
    const status = response.status === 'completed' ? 'completed' : response.status === 'cancelled' ? 'cancelled' : 'failed';
    return { status, response, ...(response.error ? { error: response.error } : {}) };
  } catch (e) {
    const error = asWorkerError(e);
    return { status: error.code === 'cancelled' ? 'cancelled' : 'failed', error };
  }
}

/** Put a display output sent as values only (RunResponse.displayColumns) back on the input's features. */
function restoreDisplay(response: RunResponse, cells: VectorDataset | undefined): void {
  const packed = response.displayColumns;
  const display = response.display;
  if (!packed) return;
  delete response.displayColumns;
  const dataset = display?.kind === 'vector' && cells ? unpackVectorValues(display.dataset, packed, cells) : null;
  // Not on these cells (cannot happen: the worker packs only for their key): nothing to draw rather than a wrong map.
  if (display?.kind === 'vector' && dataset) response.display = { ...display, dataset };
  else delete response.display;
}
