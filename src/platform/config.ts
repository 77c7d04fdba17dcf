/**
 * The platform's configuration, from environment variables (documented in
 * .env.example), so `serve`, `worker` and docker-compose share one source.
 */
import { S3Client, type S3Config } from './s3.ts';

export interface PlatformConfig {
  host: string;
  port: number;
  /** Accepted X-API-Key values; empty refuses every authenticated request. */
  apiKeys: string[];
  redisUrl: string;
  queueName: string;
  s3: S3Config;
  /** Where `POST /data/upload` puts inputs. */
  inputBucket: string;
  /** Where workers put `runs/<experiment_id>/`. */
  outputBucket: string;
  /** Base URL that presigned links point at, when clients see S3 under another address (default: s3.endpoint). */
  publicS3Endpoint: string;
  /** Accept http(s):// inputs (the server fetches them: off by default). */
  allowHttpInputs: boolean;
  /** Let http(s) inputs reach loopback, private and link-local addresses (off: public addresses only). */
  allowPrivateInputs: boolean;
  /** Page origins allowed to call the API from a browser (CORS); empty: none, `*`: any. */
  corsOrigins: string[];
  /** Most jobs one API key may have queued or running at once (429 beyond). */
  maxJobsPerKey: number;
  /** A job running longer than this fails, naming the time-out, ms. */
  jobTimeoutMs: number;
  /** Uploads (POST /data/upload) received at once; each is held in memory up to MAX_INPUT_BYTES. */
  maxUploads: number;
  /** A request (an upload included) must arrive whole within this time, ms; a slow client cannot hold a place for ever. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed, ms (a stalled upload frees its place). */
  idleTimeoutMs: number;
  concurrency: number;
  /** How many times a job is tried when a transient error (S3, network) stops it. */
  attempts: number;
  /** A worker holds a job's lock this long without renewing it before the job counts as stalled, ms. */
  lockMs: number;
  /** How often workers look for stalled jobs, ms. */
  stalledIntervalMs: number;
  /** A job whose worker died this many times is failed (not retried forever). */
  maxStalled: number;
  /** First retry delay after a transient failure, ms (exponential). */
  backoffMs: number;
}

const int = (v: string | undefined, fallback: number, name: string): number => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not '${v}'.`);
  return n;
};

/**
 * CORS origins, comma-separated: each an exact `scheme://host[:port]` (what a
 * browser sends in Origin), or `*` for any. A path, a trailing slash or a
 * wildcard inside a name is refused, so a typo never opens the API more than meant.
 */
export function parseOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (o === '*') continue;
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new Error(`DISSMODEL_CORS_ORIGINS: '${o}' is not an origin such as https://workbench.example.org.`);
    }
    if (!/^https?:$/.test(u.protocol) || u.origin !== o)
      throw new Error(
        `DISSMODEL_CORS_ORIGINS: '${o}' is not an origin (scheme://host[:port], no path or trailing slash); did you mean '${u.origin}'?`,
      );
  }
  return origins;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const endpoint = env.DISSMODEL_S3_ENDPOINT ?? 'http://127.0.0.1:9000';
  return {
    host: env.DISSMODEL_HOST ?? '127.0.0.1',
    port: int(env.DISSMODEL_PORT, 8000, 'DISSMODEL_PORT'),
    apiKeys: (env.DISSMODEL_API_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    redisUrl: env.DISSMODEL_REDIS_URL ?? 'redis://127.0.0.1:6379',
    queueName: env.DISSMODEL_QUEUE ?? 'dissmodel-jobs',
    s3: {
      endpoint,
      accessKeyId: env.DISSMODEL_S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.DISSMODEL_S3_SECRET_ACCESS_KEY ?? '',
      region: env.DISSMODEL_S3_REGION ?? 'us-east-1',
      timeoutMs: int(env.DISSMODEL_S3_TIMEOUT_MS, 30_000, 'DISSMODEL_S3_TIMEOUT_MS'),
    },
    inputBucket: env.DISSMODEL_S3_INPUT_BUCKET ?? 'dissmodel-inputs',
    outputBucket: env.DISSMODEL_S3_OUTPUT_BUCKET ?? 'dissmodel-outputs',
    publicS3Endpoint: env.DISSMODEL_S3_PUBLIC_ENDPOINT ?? endpoint,
    allowHttpInputs: /^(1|true|yes)$/i.test(env.DISSMODEL_ALLOW_HTTP_INPUTS ?? ''),
    allowPrivateInputs: /^(1|true|yes)$/i.test(env.DISSMODEL_ALLOW_PRIVATE_INPUTS ?? ''),
    corsOrigins: parseOrigins(env.DISSMODEL_CORS_ORIGINS ?? ''),
    maxJobsPerKey: Math.max(1, int(env.DISSMODEL_MAX_JOBS_PER_KEY, 100, 'DISSMODEL_MAX_JOBS_PER_KEY')),
    jobTimeoutMs: Math.max(1000, int(env.DISSMODEL_JOB_TIMEOUT_MS, 3_600_000, 'DISSMODEL_JOB_TIMEOUT_MS')),
    maxUploads: Math.max(1, int(env.DISSMODEL_MAX_UPLOADS, 4, 'DISSMODEL_MAX_UPLOADS')),
    requestTimeoutMs: Math.max(1000, int(env.DISSMODEL_REQUEST_TIMEOUT_MS, 600_000, 'DISSMODEL_REQUEST_TIMEOUT_MS')),
    idleTimeoutMs: Math.max(1000, int(env.DISSMODEL_IDLE_TIMEOUT_MS, 60_000, 'DISSMODEL_IDLE_TIMEOUT_MS')),
    concurrency: Math.max(1, int(env.DISSMODEL_WORKER_CONCURRENCY, 1, 'DISSMODEL_WORKER_CONCURRENCY')),
    attempts: Math.max(1, int(env.DISSMODEL_JOB_ATTEMPTS, 3, 'DISSMODEL_JOB_ATTEMPTS')),
    lockMs: Math.max(1000, int(env.DISSMODEL_LOCK_MS, 30_000, 'DISSMODEL_LOCK_MS')),
    stalledIntervalMs: Math.max(500, int(env.DISSMODEL_STALLED_INTERVAL_MS, 30_000, 'DISSMODEL_STALLED_INTERVAL_MS')),
    maxStalled: Math.max(1, int(env.DISSMODEL_MAX_STALLED, 2, 'DISSMODEL_MAX_STALLED')),
    backoffMs: int(env.DISSMODEL_RETRY_BACKOFF_MS, 2000, 'DISSMODEL_RETRY_BACKOFF_MS'),
  };
}

/** The signed S3 client of a configuration; a clear error when keys are missing. */
export function s3ClientOf(config: PlatformConfig): S3Client {
  if (!config.s3.accessKeyId || !config.s3.secretAccessKey)
    throw new Error('Set DISSMODEL_S3_ACCESS_KEY_ID and DISSMODEL_S3_SECRET_ACCESS_KEY (the S3 store needs signed requests).');
  return new S3Client(config.s3);
}
