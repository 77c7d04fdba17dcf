/**
 * `dissmodel serve` against real Redis and a real S3-compatible server, no
 * workers: the DisSModel Platform API's paths, fields and errors, and that a
 * refused request queues nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/executor/errors.ts';
import { S3Client } from '../../src/platform/s3.ts';
import {
  API_KEY,
  ROOT,
  S3_KEY,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  type RedisHandle,
  type S3Handle,
  type ServeHandle,
} from './stack.ts';

let redis: RedisHandle;
let s3: S3Handle;
let serve: ServeHandle;

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  serve = await startServe(stackEnv(redis, s3));
});

afterAll(async () => {
  await serve?.server.close();
  await s3?.stop();
  await redis?.stop();
});

const call = async (method: string, path: string, body?: unknown, key: string | null = API_KEY) => {
  const res = await fetch(serve.url + path, {
    method,
    headers: { ...(key === null ? {} : { 'x-api-key': key }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** The body the BR-MANGUE QGIS plugin posts (payload_builder.build_payload, its default end_time 88). */
const QGIS_BODY = {
  model_name: 'brmangue',
  input_dataset: 's3://dissmodel-inputs/ilha_maranhao.tif',
  input_format: 'auto',
  parameters: { end_time: 88, resolution: 100.0 },
};

describe('the S3 client signs its requests (SigV4) and s3rver checks them', () => {
  it('puts, lists, gets and deletes an object; presigned GETs work', async () => {
    const c = new S3Client({ endpoint: s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
    const bytes = new TextEncoder().encode('hello, store');
    await c.put('dissmodel-inputs', 'a dir/x+y.txt', bytes);
    expect(await c.list('dissmodel-inputs', 'a dir/')).toEqual(['a dir/x+y.txt']);
    expect(new TextDecoder().decode(await c.get('dissmodel-inputs', 'a dir/x+y.txt'))).toBe('hello, store');
    expect(await (await fetch(await c.presign('dissmodel-inputs', 'a dir/x+y.txt'))).text()).toBe('hello, store');
    await c.delete('dissmodel-inputs', 'a dir/x+y.txt');
    expect(await c.exists('dissmodel-inputs', 'a dir/x+y.txt')).toBe(false);
  });

  it('an unknown access key is refused by the server', async () => {
    const bad = new S3Client({ endpoint: s3.endpoint, accessKeyId: 'NOT-A-KEY', secretAccessKey: S3_KEY });
    await expect(bad.put('dissmodel-inputs', 'k', new Uint8Array(1))).rejects.toThrow(/403 InvalidAccessKeyId/);
    await expect(bad.list('dissmodel-inputs', '')).rejects.toBeInstanceOf(NetworkError);
  });

  // s3rver checks the access key of a V4 signature but not the signature itself, so the
  // signer (aws4fetch, configured as S3Client configures it) is checked against AWS's own
  // published example of a presigned URL (S3 API reference, "Authenticating Requests:
  // Using Query Parameters").
  it("the signer reproduces AWS's published SigV4 example", async () => {
    const aws = new AwsClient({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      service: 's3',
      region: 'us-east-1',
      retries: 0,
    });
    const signed = await aws.sign('https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Expires=86400', {
      method: 'GET',
      aws: { signQuery: true, datetime: '20130524T000000Z' },
    });
    expect(new URL(signed.url).searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });
});

describe('refused requests: a reason, and nothing queued', () => {
  it('401 without a key or with a wrong one', async () => {
    expect(await call('POST', '/submit_job', QGIS_BODY, null)).toEqual({ status: 401, json: { detail: 'Missing X-API-Key header' } });
    expect(await call('POST', '/submit_job', QGIS_BODY, 'wrong')).toEqual({ status: 401, json: { detail: 'Invalid API key' } });
    expect((await call('GET', '/models', undefined, 'wrong')).status).toBe(401);
    expect((await call('GET', '/jobs', undefined, null)).status).toBe(401);
  });

  it.each([
    ['no model_name', { input_dataset: 'sample:flood_8x10.tif' }, /model_name/],
    ['a priority that is not low|normal|high', { ...QGIS_BODY, priority: 'urgent' }, /priority/],
    ['an input_format DisSModel does not know', { ...QGIS_BODY, input_format: 'shapefile' }, /input_format/],
    ['a nested parameter', { ...QGIS_BODY, parameters: { end_time: { a: { b: 1 } } } }, /parameters/],
    ['a field JobRequest does not have', { ...QGIS_BODY, run_as: 'root' }, /additional properties/],
    ['a string over 8192 characters', { ...QGIS_BODY, input_dataset: 's3://b/' + 'k'.repeat(9000) }, /input_dataset/],
    ['a path on the server', { ...QGIS_BODY, input_dataset: '/etc/passwd' }, /never reads its own files/],
    ['an http input while they are disabled', { ...QGIS_BODY, input_dataset: 'http://127.0.0.1:1/x.tif' }, /disabled/],
    ['no input for a model that needs one', { ...QGIS_BODY, input_dataset: '' }, /needs an input/],
    [
      'a parameter out of range',
      { model_name: 'game_of_life', input_dataset: 'sample:gol_glider_64x64.tif', experiment_id: 'zz' },
      /experiment_id/,
    ],
  ])('400 for %s', async (_what, body, reason) => {
    const r = await call('POST', '/submit_job', body);
    expect(r.status).toBe(400);
    expect(String(r.json.detail)).toMatch(reason);
  });

  it('400 for a body that is not JSON, 413 for one over 1 MiB', async () => {
    expect((await call('POST', '/submit_job', '{"model_name": ')).status).toBe(400);
    const big = await call('POST', '/submit_job', JSON.stringify({ ...QGIS_BODY, parameters: { x: 'a'.repeat(2 * 1024 * 1024) } }));
    expect(big.status).toBe(413);
  });

  it('404 for an unknown model or experiment', async () => {
    const r = await call('POST', '/submit_job', { ...QGIS_BODY, model_name: 'no_such_model' });
    expect(r.status).toBe(404);
    expect(String(r.json.detail)).toMatch(/Model 'no_such_model' not found. Available: .*brmangue/);
    expect((await call('GET', '/models/no_such_model')).status).toBe(404);
    expect(await call('GET', '/job/0123456789abcdef0123456789abcdef')).toEqual({
      status: 404,
      json: { detail: "Experiment '0123456789abcdef0123456789abcdef' not found" },
    });
  });

  it('none of them queued or stored anything', async () => {
    const counts = await serve.server.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await serve.server.store.count()).toBe(0);
  });
});

describe('the Platform API', () => {
  it('health, models, a model, and the OpenAPI document', async () => {
    expect((await call('GET', '/health', undefined, null)).json.status).toBe('healthy');
    const models = (await call('GET', '/models')).json.models as { name: string }[];
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['brmangue', 'game_of_life', 'sir']));
    const one = await call('GET', '/models/brmangue');
    expect(one.json.model_name).toBe('brmangue');
    const doc = (await call('GET', '/openapi.json', undefined, null)).json as {
      paths: Record<string, unknown>;
      components: { schemas: { JobRequest: { properties: object }; JobResponse: { required: string[] } } };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/models',
        '/submit_job',
        '/job/{experiment_id}',
        '/jobs',
        '/experiments/{experiment_id}/reproduce',
        '/data/upload',
        '/download',
      ]),
    );
    expect(Object.keys(doc.components.schemas.JobRequest.properties)).toEqual(
      expect.arrayContaining(['model_name', 'input_dataset', 'input_format', 'parameters', 'column_map', 'band_map', 'priority']),
    );
    expect(doc.components.schemas.JobResponse.required).toEqual([
      'job_id',
      'experiment_id',
      'status',
      'model_name',
      'created_at',
      'output_path',
      'output_sha256',
      'input_sha256',
      'logs',
    ]);
  });

  it("the QGIS plugin's body is queued as a pending job; job_id is the experiment id", async () => {
    const r = await call('POST', '/submit_job', QGIS_BODY);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'pending', model_name: 'brmangue', output_path: null, output_sha256: null, input_sha256: null });
    expect(r.json.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.json.experiment_id).toBe(r.json.job_id);
    const job = await serve.server.queue.getJob(String(r.json.job_id));
    expect(job?.data.record.parameters).toMatchObject({ end_time: 88, resolution: 100 });
    expect(job?.opts.priority).toBe(5);
    const polled = await call('GET', `/job/${r.json.job_id}`);
    expect(polled.json.status).toBe('pending');
  });

  it('a resubmission with the same experiment_id is the same job (queued once); priorities map to BullMQ', async () => {
    const body = { model_name: 'sir', input_dataset: '', experiment_id: 'ab'.repeat(16), priority: 'high' };
    const a = await call('POST', '/submit_job', body);
    const b = await call('POST', '/submit_job', body);
    expect(a.status).toBe(200);
    expect(b.json.experiment_id).toBe(a.json.experiment_id);
    expect(b.json.created_at).toBe(a.json.created_at);
    const job = await serve.server.queue.getJob('ab'.repeat(16));
    expect(job?.opts.priority).toBe(1);
    const ids = (await serve.server.queue.getJobs(['prioritized', 'waiting'])).map((j) => j.id).filter((id) => id === 'ab'.repeat(16));
    expect(ids).toHaveLength(1);
  });

  it('a seed the request leaves out is drawn at submission (a retry runs the same record)', async () => {
    const r = await call('POST', '/submit_job', { model_name: 'forest_fire_prob', input_dataset: 'sample:gol_random_20x20.geojson' });
    const job = await serve.server.queue.getJob(String(r.json.job_id));
    expect(typeof job?.data.record.parameters.seed).toBe('number');
  });

  it('DELETE cancels a queued job: it leaves the queue; a cancelled job cannot be completed', async () => {
    const r = await call('POST', '/submit_job', { model_name: 'sir', input_dataset: '' });
    const id = String(r.json.job_id);
    expect(await call('DELETE', `/job/${id}`)).toEqual({ status: 200, json: { message: 'Experiment cancelled', experiment_id: id } });
    expect((await call('GET', `/job/${id}`)).json.status).toBe('cancelled');
    expect(await serve.server.queue.getJob(id)).toBeUndefined();
    const listed = (await call('GET', '/jobs?status=cancelled')).json.experiments as { experiment_id: string }[];
    expect(listed.map((e) => e.experiment_id)).toContain(id);
  });

  it('POST /data/upload stores a file in the inputs bucket; /download gives a working presigned URL', async () => {
    const bytes = await readFile(join(ROOT, 'public/samples/flood_8x10.tif'));
    const form = new FormData();
    form.set('label', 'my data');
    form.set('file', new Blob([bytes]), 'flood 8x10.tif');
    const res = await fetch(serve.url + '/data/upload', { method: 'POST', headers: { 'x-api-key': API_KEY }, body: form });
    const up = (await res.json()) as { uri: string; checksum: string; label: string };
    expect(res.status).toBe(200);
    expect(up.uri).toBe('s3://dissmodel-inputs/inputs/my_data/flood_8x10.tif');
    const dl = (await call('GET', `/download?uri=${encodeURIComponent(up.uri)}`)).json as { url: string; expires_in_hours: number };
    expect(dl.expires_in_hours).toBe(1);
    expect(Buffer.from(await (await fetch(dl.url)).arrayBuffer()).equals(bytes)).toBe(true);
    expect((await call('GET', `/download?uri=${encodeURIComponent('s3://someone-else/x')}`)).status).toBe(400);
    expect((await call('GET', '/download?uri=/etc/passwd')).status).toBe(400);
  });
});
