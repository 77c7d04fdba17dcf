/**
 * From a JobRequest to a queued job, and from a stored job to a JobResponse.
 *
 * The experiment id is the BullMQ job id, so adding the same experiment twice
 * queues it once. Everything a run depends on is fixed at submission — a seed
 * the request leaves out is drawn here and written into the record — so a
 * retry after a crash runs exactly the same record.
 */
import type { Job, Queue } from 'bullmq';
import {
  drawSeed,
  ExecutorRegistry,
  getOutputSha256,
  newRunRecord,
  parseRecord,
  profilingPathFor,
  recordPathFor,
  id8,
  RegistryError,
  type ExecutorClass,
  type ExperimentRecord,
  type JsonValue,
} from '../executor/index.ts';
import { MODEL_COMMIT_PREFIX, modelSourceOf } from '../cli/model-source.ts';
import { CODE_VERSION } from '../version.ts';
import type { JobRequest, Priority } from './schemas.ts';
import type { StoredJob } from './store.ts';

/** What a queued job carries: the record to run, fixed at submission. */
export interface JobData {
  record: ExperimentRecord;
  /** The input's expected SHA-256 (request's input_sha256, or the original's on reproduce). */
  expected_input_sha256?: string;
}

/** BullMQ priorities: lower runs first. */
export const PRIORITY: Record<Priority, number> = { high: 1, normal: 5, low: 10 };

export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function modelCommitFor(cls: ExecutorClass): string {
  const source = modelSourceOf(cls);
  return source ? MODEL_COMMIT_PREFIX + source.sha256 : 'platform';
}

/**
 * An object key a request may name: no `..` or `.` segment, no leading slash, no
 * backslash or control character — so no key can point outside its bucket on a
 * store that keeps objects as files (s3rver, a MinIO on a file system).
 */
export function checkObjectKey(key: string, what: string): void {
  let decoded = key;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    /* keep the raw key: it is checked as it is */
  }
  for (const k of [key, decoded]) {
    const control = [...k].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
    if (k.startsWith('/') || k.includes('\\') || control || k.split('/').some((seg) => seg === '..' || seg === '.'))
      throw new RequestError(
        400,
        `${what}: the key '${key.slice(0, 200)}' has a '..' or '.' segment, a leading '/', a backslash or a control character.`,
      );
  }
}

/** A bundled sample's name: one file name, not hidden, no path. */
export const SAMPLE_NAME = /^[\w-][\w.-]*$/;

/** Inputs a server may read: s3:// and bundled samples; http(s) when enabled; never a server-side path. */
export function checkInputUri(uri: string, allowHttp: boolean): void {
  if (uri === '') return;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (s3) return checkObjectKey(s3[2], 'input_dataset');
  const sample = /^sample:(.*)$/.exec(uri);
  if (sample) {
    if (SAMPLE_NAME.test(sample[1])) return;
    throw new RequestError(
      400,
      `input_dataset '${uri.slice(0, 200)}' is not a bundled sample's name (letters, digits, '_', '-', '.'; no path).`,
    );
  }
  if (/^https?:\/\//i.test(uri)) {
    if (allowHttp) return;
    throw new RequestError(
      400,
      `http(s) inputs are disabled on this server (DISSMODEL_ALLOW_HTTP_INPUTS); upload the file with POST /data/upload and give its s3:// URI.`,
    );
  }
  throw new RequestError(
    400,
    `input_dataset '${uri.slice(0, 200)}' is not an s3://bucket/key or sample:NAME URI; a server never reads its own files. Upload the file with POST /data/upload.`,
  );
}

export function buildJobRecord(req: JobRequest, allowHttp: boolean): { record: ExperimentRecord; cls: ExecutorClass } {
  if (!ExecutorRegistry.has(req.model_name))
    throw new RequestError(404, `Model '${req.model_name}' not found. Available: ${ExecutorRegistry.list().join(', ')}.`);
  const cls = ExecutorRegistry.get(req.model_name);
  checkInputUri(req.input_dataset, allowHttp);
  if (req.input_dataset === '' && !cls.spec.inputs.includes('none'))
    throw new RequestError(400, `Model '${req.model_name}' needs an input (${cls.spec.inputs.join(' or ')}); input_dataset is empty.`);
  const parameters: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(req.parameters ?? {})) if (v !== null) parameters[k] = v;
  for (const [k, p] of Object.entries(cls.spec.params)) if (p.type === 'seed' && parameters[k] === undefined) parameters[k] = drawSeed();
  const record = newRunRecord({
    model_name: cls.spec.name,
    model_commit: modelCommitFor(cls),
    code_version: CODE_VERSION,
    source: { uri: req.input_dataset },
    input_format: req.input_format === 'tiff' ? 'raster' : req.input_format,
    parameters,
    column_map: req.column_map ?? {},
    band_map: req.band_map ?? {},
  });
  if (req.experiment_id) record.experiment_id = req.experiment_id;
  // The same bounds as every record crossing a boundary (sizes, depth, keys).
  return { record: parseRecord(JSON.parse(JSON.stringify(record))), cls };
}

export function jobOptions(priority: Priority, attempts: number, backoffMs: number) {
  return {
    priority: PRIORITY[priority],
    attempts,
    backoff: { type: 'exponential' as const, delay: backoffMs },
    removeOnComplete: false,
    removeOnFail: false,
  };
}

/** Queue a record; a record whose id is already queued or done is not queued again. */
export async function enqueue(
  queue: Queue<JobData>,
  data: JobData,
  priority: Priority,
  attempts: number,
  backoffMs: number,
): Promise<void> {
  await queue.add('run', data, { ...jobOptions(priority, attempts, backoffMs), jobId: data.record.experiment_id });
}

export interface JobResponse {
  job_id: string;
  experiment_id: string;
  status: string;
  model_name: string;
  created_at: string;
  output_path: string | null;
  output_sha256: string | null;
  input_sha256: string | null;
  logs: string[];
  model_commit: string;
  code_version: string;
  progress: { phase?: string; step?: number; total?: number } | null;
  attempts: number;
  record_path: string | null;
  profiling_path: string | null;
  error: string | null;
}

/**
 * A stored job as the API shows it. The queue has the last word on a job the
 * store still shows pending or running: one BullMQ failed (too many stalls, or
 * its worker died after the last attempt) is failed, with BullMQ's reason.
 */
export async function toResponse(stored: StoredJob, job: Job<JobData> | undefined): Promise<JobResponse> {
  const r = stored.record;
  let status: string = r.status;
  let error: string | null = null;
  let progress: JobResponse['progress'] = null;
  if (job && (status === 'pending' || status === 'running')) {
    const state = await job.getState();
    if (state === 'failed') {
      status = 'failed';
      error = job.failedReason ?? 'failed';
    } else if (state === 'active') status = 'running';
  }
  // The last step reported, whatever the status: a completed job's is its last step (a page whose last poll of
  // the running job saw an earlier one shows where the run ended), a failed or cancelled one's where it stopped.
  const p = job?.progress;
  if (p && typeof p === 'object') progress = p as JobResponse['progress'];
  if (status === 'failed' && !error) error = r.logs[r.logs.length - 1] ?? null;
  const completed = status === 'completed';
  return {
    job_id: r.experiment_id,
    experiment_id: r.experiment_id,
    status,
    model_name: r.model_name,
    created_at: r.created_at,
    output_path: r.output_path,
    output_sha256: getOutputSha256(r),
    input_sha256: r.source.checksum || null,
    logs: error && !r.logs.includes(error) ? [...r.logs, error] : r.logs,
    model_commit: r.model_commit,
    code_version: r.code_version,
    progress,
    attempts: stored.attempts,
    record_path: completed ? (stored.record_uri ?? (r.output_path ? recordPathFor(r.output_path) : null)) : null,
    profiling_path: completed ? (stored.profiling_uri ?? profilingPathFor(r.output_path, id8(r))) : null,
    error,
  };
}

export { RegistryError };
