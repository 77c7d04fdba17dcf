/**
 * The page's server client (src/app/server) against a real `serve` and one
 * worker: its messages for a refused key, an unknown model, an unreachable
 * server and a failed job; a job's request from a page record; and that a
 * result whose output does not have the server's SHA-256 is never shown.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunRecord } from '../../src/executor/run-record.ts';
import { ServerApi, ServerError, isTerminal, type ServerJob } from '../../src/app/server/api.ts';
import { fetchServerResult, parseTableCsv } from '../../src/app/server/result.ts';
import { jobRequestFor } from '../../src/app/server/run.ts';
import { S3Client, parseS3Uri } from '../../src/platform/s3.ts';
import {
  API_KEY,
  ROOT,
  S3_KEY,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  startWorkerProcess,
  until,
  type RedisHandle,
  type S3Handle,
  type ServeHandle,
  type WorkerHandle,
} from './stack.ts';

let redis: RedisHandle;
let s3: S3Handle;
let serve: ServeHandle;
let worker: WorkerHandle;
let api: ServerApi;

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  const env = stackEnv(redis, s3);
  serve = await startServe(env);
  worker = await startWorkerProcess(env);
  api = new ServerApi(serve.url, API_KEY);
}, 60_000);

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await serve?.server.close();
  await s3?.stop();
  await redis?.stop();
});

const finished = (id: string) =>
  until(
    `job ${id}`,
    async () => {
      const j = await api.job(id);
      return isTerminal(j.status) ? j : null;
    },
    60_000,
    100,
  );

const sirRecord = (params: Record<string, number>) =>
  newRunRecord({ model_name: 'sir', model_commit: 'workbench', code_version: 'test', source: { uri: '' }, parameters: params });

describe("the page's server client", () => {
  it('says what is wrong: a refused key, an unknown model, an unreachable server', async () => {
    const bad = new ServerApi(serve.url, 'wrong');
    await expect(bad.job('0'.repeat(32))).rejects.toThrow('The server refused the API key (401: Invalid API key). Check the API key');
    const e = await api.submit({ model_name: 'my_model', input_dataset: '', parameters: {}, column_map: {}, band_map: {} }).catch((x) => x);
    expect(e).toBeInstanceOf(ServerError);
    expect((e as ServerError).status).toBe(404);
    expect((e as Error).message).toMatch(/^The server does not offer this model \(404\): Model 'my_model' not found. Available: /);
    const gone = new ServerApi('http://127.0.0.1:9', API_KEY, 2000);
    await expect(gone.job('0'.repeat(32))).rejects.toThrow(/^Cannot reach the server at http:\/\/127\.0\.0\.1:9 .*DISSMODEL_CORS_ORIGINS/);
  });

  it('a page record becomes a job with its experiment id; the result is the server record and the checked output', async () => {
    const record = sirRecord({ end_time: 30 });
    const req = await jobRequestFor(api, record, null);
    expect(req).toMatchObject({ experiment_id: record.experiment_id, model_name: 'sir', input_dataset: '', parameters: { end_time: 30 } });
    const job = await finished((await api.submit(req)).job_id);
    expect(job.status).toBe('completed');
    const result = await fetchServerResult(api, job, null, null);
    expect(result.output?.sha256).toBe(job.output_sha256);
    expect(result.record.experiment_id).toBe(record.experiment_id);
    expect(result.recordJson).toBe(new TextDecoder().decode(await api.download(job.record_path!)));
    // A table output is decoded without a worker: the sweep's metrics come from its last row.
    expect(result.display?.kind).toBe('table');
    if (result.display?.kind === 'table') {
      expect(result.display.table.rows).toHaveLength(31);
      expect(result.display.table.columns).toEqual(expect.arrayContaining(['time', 'susceptible']));
    }

    // The same job with its output replaced in the store: refused, nothing shown.
    const store = new S3Client({ endpoint: s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
    const { bucket, key } = parseS3Uri(job.output_path!);
    await store.put(bucket, key, new TextEncoder().encode('time,susceptible\n0,1\n'));
    await expect(fetchServerResult(api, job, null, null)).rejects.toThrow(
      /The output downloaded from the server has SHA-256 [0-9a-f]{64}, the server says [0-9a-f]{64}: it is not shown\./,
    );
  });

  it('a dropped second input (a demand CSV) is uploaded with the dataset, and the job runs on the uploaded bytes', async () => {
    const csv = new Uint8Array(readFileSync(join(ROOT, 'public/samples/clue_s_demand_12x10.csv')));
    const sha = createHash('sha256').update(csv).digest('hex');
    const grid = new Uint8Array(readFileSync(join(ROOT, 'public/samples/clue_s_12x10.geojson')));
    const record = newRunRecord({
      model_name: 'clue_s_vector',
      model_commit: 'workbench',
      code_version: 'test',
      source: { uri: 'sample:clue_s_12x10.geojson' },
      parameters: { demand_csv: 'file:my_demand.csv' },
    });
    const input = {
      source: { kind: 'sample' as const, uri: 'sample:clue_s_12x10.geojson', file: 'clue_s_12x10.geojson', id: 0 },
      bytes: grid,
      sha256: createHash('sha256').update(grid).digest('hex'),
      name: 'clue_s_12x10.geojson',
    };
    const extras = { demand_csv: { uri: 'file:my_demand.csv', name: 'my_demand.csv', bytes: csv, sha256: sha, fromSample: false } };
    const req = await jobRequestFor(api, record, input, undefined, extras);
    expect(req.input_dataset).toBe('sample:clue_s_12x10.geojson');
    expect(String(req.parameters.demand_csv)).toMatch(/^s3:\/\/.*my_demand\.csv$/);
    const job = await finished((await api.submit(req)).job_id);
    expect(job.status, job.logs?.join('\n')).toBe('completed');
    const result = await fetchServerResult(api, job, null, null);
    expect(result.record.parameters.demand_csv).toBe(req.parameters.demand_csv);
    expect(result.record.artifacts.input_demand_csv).toBe(sha);
  });

  it("a failed job's reason reaches the page", async () => {
    const req = await jobRequestFor(api, sirRecord({ end_time: 5 }), null);
    const job: ServerJob = await finished(
      (await api.submit({ ...req, input_dataset: 's3://dissmodel-inputs/missing.csv', model_name: 'game_of_life', parameters: {} })).job_id,
    );
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/Failed during load/);
  });

  it('reads the CSV tables the models write (nan and inf as pandas writes them)', () => {
    expect(parseTableCsv('time,x\n0,1.5\n1,nan\n2,inf\n3,-inf\n')).toEqual({
      columns: ['time', 'x'],
      rows: [
        [0, 1.5],
        [1, Number.NaN],
        [2, Infinity],
        [3, -Infinity],
      ],
    });
  });
});
