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
