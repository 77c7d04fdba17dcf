/**
 * "Run on server": the Run button's record sent to a platform server as a job
 * — the dataset uploaded (a dropped file) or named (a bundled sample, a URL),
 * then POST /submit_job with the page's experiment id and the input's SHA-256 —
 * and the job followed until it ends (ServerRunWatcher polls it). The page's
 * run state (progress, status, result) is the same as for a local run.
 */
import { create } from 'zustand';
import type { ExperimentRecord } from '../../executor/record.ts';
import type { WorkerError } from '../../worker/protocol.ts';
import type { DatasetSource, ExtraFile } from '../store.ts';
import { useWorkbench } from '../store.ts';
import { ServerApi, ServerError, type ServerJob, type SubmitRequest } from './api.ts';
import { useServerSettings } from './settings.ts';

export interface ActiveServerRun {
  /** The page's run id (useWorkbench run.id). */
  runId: number;
  jobId: string;
  api: ServerApi;
  /** Set once the person asked to cancel. */
  cancelling: boolean;
}

interface ServerRunState {
  active: ActiveServerRun | null;
  /** What the page is doing before the job exists (uploading, submitting), or the job's last poll. */
  stage: 'uploading' | 'submitting' | null;
  /** Stops the upload or the submission while there is no job yet. */
  abort: AbortController | null;
  job: ServerJob | null;
  set(p: Partial<Omit<ServerRunState, 'set'>>): void;
}

export const useServerRun = create<ServerRunState>()((set) => ({
  active: null,
  stage: null,
  abort: null,
  job: null,
  set: (p) => set(p),
}));

export interface ServerInput {
  source: DatasetSource;
  bytes: Uint8Array;
  sha256: string;
  name: string;
}

export const asError = (e: unknown, phase?: WorkerError['phase']): WorkerError => ({
  name: e instanceof Error ? e.name : 'Error',
  code: e instanceof ServerError ? 'network' : 'internal',
  message: e instanceof Error ? e.message : String(e),
  ...(phase ? { phase } : {}),
});

/** The JobRequest of a page record; a dropped file is uploaded first. */
export async function jobRequestFor(
  api: ServerApi,
  record: ExperimentRecord,
  input: ServerInput | null,
  signal?: AbortSignal,
  extras: Readonly<Record<string, ExtraFile>> = {},
): Promise<SubmitRequest> {
  const upload = async (name: string, bytes: Uint8Array, sha256: string) => {
    const up = await api.upload(name, bytes, 'workbench', signal);
    if (up.checksum !== sha256)
      throw new ServerError(`The server stored ${name} with SHA-256 ${up.checksum}, not ${sha256}: the upload was damaged.`, 0);
    return up.uri;
  };
  let uri = '';
  if (input) uri = input.source.kind === 'file' ? await upload(input.name, input.bytes, input.sha256) : input.source.uri;
  // A dropped second input (a demand CSV…) is uploaded too, and the job names it by its stored URI.
  const parameters = { ...record.parameters };
  for (const [param, file] of Object.entries(extras)) {
    if (file.uri.startsWith('file:')) parameters[param] = await upload(file.name, file.bytes, file.sha256);
  }
  return {
    experiment_id: record.experiment_id,
    model_name: record.model_name,
    input_dataset: uri,
    input_format: 'auto',
    parameters,
    column_map: record.column_map,
    band_map: record.band_map,
    priority: 'normal',
    ...(input ? { input_sha256: input.sha256 } : {}),
  };
}

/** Start a server run for the page's run `runId`; its end is handled by ServerRunWatcher. */
export async function startServerRun(
  runId: number,
  record: ExperimentRecord,
  input: ServerInput | null,
  extras: Readonly<Record<string, ExtraFile>> = {},
): Promise<void> {
  const { url, apiKey } = useServerSettings.getState();
  const api = new ServerApi(url, apiKey);
  const abort = new AbortController();
  useServerRun.getState().set({
    active: null,
    job: null,
    abort,
    stage: input?.source.kind === 'file' || Object.values(extras).some((f) => f.uri.startsWith('file:')) ? 'uploading' : 'submitting',
  });
  try {
    const req = await jobRequestFor(api, record, input, abort.signal, extras);
    useServerRun.getState().set({ stage: 'submitting' });
    const job = await api.submit(req, abort.signal);
    if (useWorkbench.getState().run.id !== runId) return; // replaced meanwhile
    useServerRun.getState().set({ active: { runId, jobId: job.job_id, api, cancelling: false }, job, stage: null, abort: null });
  } catch (e) {
    const stage = useServerRun.getState().stage;
    useServerRun.getState().set({ stage: null, abort: null });
    if (abort.signal.aborted) {
      // The submission may have arrived before it was stopped: the id is known, so cancel it there too.
      if (stage === 'submitting') void api.cancel(record.experiment_id).catch(() => undefined);
      const message =
        stage === 'submitting'
          ? 'Cancelled while submitting; had the job reached the server, it was cancelled there too.'
          : 'Cancelled during the upload; nothing was queued.';
      useWorkbench.getState().finishRun(runId, { status: 'cancelled', error: { name: 'CancelledError', code: 'cancelled', message } });
    } else useWorkbench.getState().finishRun(runId, { status: 'failed', error: asError(e, 'validate') });
  }
}

/** DELETE /job/{id}; the watcher sees the job end as cancelled. */
export async function cancelServerRun(): Promise<void> {
  const pending = useServerRun.getState().abort;
  if (pending) return void pending.abort();
  const active = useServerRun.getState().active;
  if (!active || active.cancelling) return;
  useServerRun.getState().set({ active: { ...active, cancelling: true } });
  try {
    await active.api.cancel(active.jobId);
  } catch (e) {
    // A job that ended meanwhile cannot be cancelled: the watcher shows how it ended.
    if (!(e instanceof ServerError && e.status === 400)) {
      useServerRun.getState().set({ active: null });
      useWorkbench.getState().finishRun(active.runId, { status: 'failed', error: asError(e) });
    }
  }
}
