/**
 * One platform stack for a test file: real redis-server, s3rver with the Ilha sample uploaded as
 * {@link ILHA_INPUT}, and `serve`, started before the file's tests and stopped after them; workers
 * start on demand (with extra variables) and are SIGKILLed at the end.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PlatformClient } from '../../src/platform/client.ts';
import { S3Client } from '../../src/platform/s3.ts';
import {
  API_KEY,
  ROOT,
  S3_KEY,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  startWorkerProcess,
  type RedisHandle,
  type S3Handle,
  type ServeHandle,
  type WorkerHandle,
} from './stack.ts';

export const ILHA_INPUT = 's3://dissmodel-inputs/ilha_maranhao.tif';

export interface PlatformStack {
  redis: RedisHandle;
  s3: S3Handle;
  serve: ServeHandle;
  env: Record<string, string>;
  client: PlatformClient;
  store: S3Client;
  /** Starts one more worker process on the stack (stopped after the file). */
  worker(extra?: Record<string, string>): Promise<WorkerHandle>;
  /** SIGKILLs every worker started so far. */
  stopWorkers(): Promise<void>;
}

/** Registers the stack's beforeAll/afterAll; its fields are there once the file's tests run. */
export function usePlatformStack(extraEnv: Record<string, string>): PlatformStack {
  const workers: WorkerHandle[] = [];
  const stack = {
    async worker(extra: Record<string, string> = {}) {
      const w = await startWorkerProcess({ ...stack.env, ...extra });
      workers.push(w);
      return w;
    },
    async stopWorkers() {
      for (const w of workers) await w.stop('SIGKILL');
    },
  } as PlatformStack;

  beforeAll(async () => {
    stack.redis = await startRedis();
    stack.s3 = await startS3();
    stack.env = stackEnv(stack.redis, stack.s3, extraEnv);
    stack.serve = await startServe(stack.env);
    stack.client = new PlatformClient(stack.serve.url, API_KEY);
    stack.store = new S3Client({ endpoint: stack.s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
    await stack.store.put(
      'dissmodel-inputs',
      'ilha_maranhao.tif',
      await readFile(join(ROOT, 'public/samples/ilha_maranhao_epsg31983.tif')),
    );
  }, 60_000);

  afterAll(async () => {
    await stack.stopWorkers();
    await stack.serve?.server.close();
    await stack.s3?.stop();
    await stack.redis?.stop();
  });

  return stack;
}
