/**
 * `dissmodel worker`: BullMQ workers that run queued records with the same
 * executors and the same runExperiment as the CLI, then put the artefacts in
 * the store under `runs/<experiment_id>/` (output, profiling, record.json last).
 *
 * - A worker that dies mid-run stops renewing its job's lock; another worker's
 *   stalled-job check puts the job back and runs it again (at most maxStalled
 *   times). The final record's `metrics.attempts` says how many runs it took.
 * - A deterministic failure (bad parameters, input, checksum, model error) is
 *   failed at once (UnrecoverableError); a transient one (S3 or network down)
 *   is retried with exponential back-off up to `attempts` times, each time with
 *   a log line, and never marked completed without its artefacts.
 * - A run longer than DISSMODEL_JOB_TIMEOUT_MS is stopped and failed with a
 *   log naming the time-out (not retried: it would time out again).
 * - Nothing is uploaded before the run has completed; a retry first removes
 *   whatever an earlier, interrupted attempt left under runs/<id>/.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  CancelledError,
  describeError,
  ExecutorRegistry,
  getOutputSha256,
  NetworkError,
  parseRecord,
  type Progress,
} from '../executor/index.ts';
import { verifiedIO } from '../io/verified-io.ts';
import { runExperiment } from '../executor/run-experiment.ts';
import { s3ClientOf, type PlatformConfig } from './config.ts';
import type { JobData } from './jobs.ts';
import { parseS3Uri, s3Uri, type S3Client } from './s3.ts';
import { ServerIO } from './server-io.ts';
import { RecordStore } from './store.ts';

export interface RunningWorker {
  worker: Worker<JobData>;
  close(): Promise<void>;
}

const log = (line: string): void => {
  process.stderr.write(`[dissmodel worker ${process.pid}] ${line}\n`);
};

const mediaType = (path: string): string =>
  path.endsWith('.tif')
    ? 'image/tiff'
    : path.endsWith('.json') || path.endsWith('.geojson')
      ? 'application/json'
      : path.endsWith('.md')
        ? 'text/markdown'
        : path.endsWith('.csv')
          ? 'text/csv'
          : 'application/octet-stream';

/** Remove what an interrupted attempt may have left under runs/<id>/. */
async function clearRun(s3: S3Client, bucket: string, id: string): Promise<number> {
  const keys = await s3.list(bucket, `runs/${id}/`);
  for (const k of keys) await s3.delete(bucket, k);
  return keys.length;
}

export async function startWorker(config: PlatformConfig, options: { concurrency?: number } = {}): Promise<RunningWorker> {
  const s3 = s3ClientOf(config);
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const storeRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const sub = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const store = new RecordStore(storeRedis);
  const running = new Map<string, AbortController>();
  const who = `${hostname()}:${process.pid}`;
  await sub.subscribe(store.cancelChannel);
  sub.on('message', (_channel: string, id: string) => running.get(id)?.abort());

  const process_ = async (job: Job<JobData>) => {
    const id = job.id as string;
    const attempt = Math.max(1, job.attemptsStarted);
    const stored = await store.get(id);
    if (!stored) throw new UnrecoverableError(`No record stored for experiment ${id}.`);
    if (stored.record.status === 'cancelled') return { cancelled: true };
    const data = job.data;
    const cls = ExecutorRegistry.has(data.record.model_name) ? ExecutorRegistry.get(data.record.model_name) : null;
    const previous = stored.attempts;
    await store.update(id, (j) => {
      j.attempts = attempt;
      j.worker = who;
      j.record.status = 'running';
      j.record.logs.push(
        attempt > 1 && previous >= 1 && previous < attempt && !j.record.logs.some((l) => l.includes(`Attempt ${previous} failed`))
          ? `Attempt ${attempt} on ${who} (attempt ${previous} stopped without finishing: its worker was lost)`
          : `Attempt ${attempt} on ${who}`,
      );
    });
    log(`${id} attempt ${attempt}: ${data.record.model_name} on ${data.record.source.uri || '(no input)'}`);
    const fail = async (message: string, final: boolean) => {
      await store.update(id, (j) => {
        j.record.logs.push(final ? message : `${message}; retrying (attempt ${attempt} of ${config.attempts})`);
        if (final) j.record.status = 'failed';
      });
      log(`${id} attempt ${attempt}/${config.attempts}: ${message}${final ? ' — job failed' : ' — will retry'}`);
    };
    if (!cls) {
      await fail(
        `Model '${data.record.model_name}' is not registered on this worker (start it with the same --model files as the server).`,
        true,
      );
      throw new UnrecoverableError(`model ${data.record.model_name} not registered`);
    }
    if (attempt > 1) {
      const removed = await clearRun(s3, config.outputBucket, id).catch(() => 0);
      if (removed) log(`${id}: removed ${removed} object(s) an earlier attempt left under runs/${id}/`);
    }

    const record = parseRecord(JSON.parse(JSON.stringify(data.record)));
    record.metrics.attempts = attempt;
    const io = new ServerIO(s3, config.allowHttpInputs, config.allowPrivateInputs);
    const expected = new Map<string, string>();
    if (data.expected_input_sha256 && record.source.uri) expected.set(record.source.uri, data.expected_input_sha256);
    const ac = new AbortController();
    running.set(id, ac);
    // The per-job time-out stops the run as a cancel does, and fails the job naming it.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, config.jobTimeoutMs);
    let lastProgress = 0;
    // The last update sent: awaited before the job ends, so a completed job never reports an older step.
    let progressSent: Promise<unknown> = Promise.resolve();
    const onProgress = (p: Progress) => {
      const now = Date.now();
      if (p.step === undefined || (now - lastProgress < 200 && p.step !== p.total)) return;
      lastProgress = now;
      progressSent = job.updateProgress({ phase: p.phase, step: p.step, total: p.total ?? 0 }).catch(() => undefined);
    };
    let r;
    try {
      r = await runExperiment(cls, record, {
        io: verifiedIO(io, expected),
        output: `s3://${config.outputBucket}/runs/${id}/`,
        outputIsDir: true,
        signal: ac.signal,
        onProgress,
      });
    } finally {
      clearTimeout(timer);
      running.delete(id);
    }
    await progressSent;
    if (r.error !== undefined && timedOut) {
      const message =
        `Timed out: the job ran longer than ${config.jobTimeoutMs / 1000} s (DISSMODEL_JOB_TIMEOUT_MS=${config.jobTimeoutMs}) ` +
        `and was stopped during ${r.failedStep ?? 'run'}; nothing was saved`;
      await fail(message, true);
      throw new UnrecoverableError(message);
    }
    if (r.error !== undefined) {
      if (r.error instanceof CancelledError || ac.signal.aborted) {
        await store.update(id, (j) => {
          j.record.status = 'cancelled';
          j.record.logs.push(`Cancelled during ${r.failedStep ?? 'run'}; nothing was saved`);
        });
        log(`${id}: cancelled`);
        return { cancelled: true };
      }
      const message = `Failed during ${r.failedStep ?? 'run'}: ${describeError(r.error)}`;
      const transient = r.error instanceof NetworkError;
      const final = !transient || attempt >= config.attempts;
      await fail(message, final);
      throw transient ? new Error(message) : new UnrecoverableError(message);
    }

    // Upload: the output and profiling first, the record last (its presence marks a complete run).
    const entries = [...io.files.entries()].sort(([a], [b]) => Number(a.endsWith('.record.json')) - Number(b.endsWith('.record.json')));
    const uploaded: string[] = [];
    try {
      for (const [uri, bytes] of entries) {
        const { bucket, key } = parseS3Uri(uri);
        await s3.put(bucket, key, bytes, mediaType(key));
        uploaded.push(key);
      }
    } catch (e) {
      const message = `Saving the artefacts to ${s3.config.endpoint} failed: ${describeError(e)}`;
      for (const key of uploaded) await s3.delete(config.outputBucket, key).catch(() => undefined);
      const final = attempt >= config.attempts;
      await fail(message, final);
      throw final ? new UnrecoverableError(message) : new Error(message);
    }
    if (!r.artifacts) throw new Error('runExperiment completed without artefacts');
    const recordUri = r.artifacts.recordPath;
    const profilingUri = r.artifacts.profilingPath;
    const current = await store.get(id);
    if (current?.record.status === 'cancelled') {
      await clearRun(s3, config.outputBucket, id).catch(() => 0);
      return { cancelled: true };
    }
    await store.update(id, (j) => {
      const logs = j.record.logs;
      j.record = r.record;
      j.record.logs = [...logs, ...r.record.logs.filter((l) => !logs.includes(l))];
      j.record_uri = recordUri;
      j.profiling_uri = profilingUri;
      delete j.worker;
    });
    log(`${id}: completed, output ${getOutputSha256(r.record)}`);
    return { output_sha256: getOutputSha256(r.record), record_uri: recordUri };
  };

  const worker = new Worker<JobData>(config.queueName, process_, {
    connection,
    concurrency: options.concurrency ?? config.concurrency,
    lockDuration: config.lockMs,
    stalledInterval: config.stalledIntervalMs,
    maxStalledCount: config.maxStalled,
    autorun: true,
  });
  worker.on('error', (e) => log(`queue error: ${describeError(e)}`));
  worker.on('failed', (job, err) => {
    if (job && /stalled more than allowable limit/i.test(err.message))
      void store
        .update(job.id as string, (j) => {
          j.record.status = 'failed';
          j.record.logs.push(`Failed: its worker died ${config.maxStalled + 1} times mid-run; not retried again`);
        })
        .catch(() => undefined);
  });
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      sub.disconnect();
      storeRedis.disconnect();
      connection.disconnect();
    },
  };
}

export { s3Uri };
