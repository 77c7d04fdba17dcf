/**
 * The platform end to end ("Done when" of issue 12): redis-server, s3rver,
 * `dissmodel serve` and two `dissmodel worker` processes; 40 jobs through the
 * DisSModel Platform API — among them the exact body the BR-MANGUE QGIS plugin
 * posts — one worker SIGKILLed mid-run; all 40 complete, and every record
 * re-run by the CLI (`dissmodel reproduce`, reading the same s3:// input through
 * the signed client) gives the same output SHA-256. Then the CLI's own
 * `submit --wait`, `status`, `fetch` and `sweep --server` against the stack.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reproduceCommand } from '../../src/cli/commands.ts';
import { sha256HexAsync } from '../../src/executor/index.ts';
import { PlatformClient } from '../../src/platform/client.ts';
import type { JobResponse } from '../../src/platform/jobs.ts';
import { S3Client, parseS3Uri } from '../../src/platform/s3.ts';
import {
  API_KEY,
  mkdtemp,
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

const run = promisify(execFile);
let redis: RedisHandle;
let s3: S3Handle;
let serve: ServeHandle;
let env: Record<string, string>;
let client: PlatformClient;
let store: S3Client;
const workers: WorkerHandle[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  env = stackEnv(redis, s3);
  serve = await startServe(env);
  client = new PlatformClient(serve.url, API_KEY);
  store = new S3Client({ endpoint: s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
  await store.put('dissmodel-inputs', 'ilha_maranhao.tif', await readFile(join(ROOT, 'public/samples/ilha_maranhao_epsg31983.tif')));
  workers.push(await startWorkerProcess(env), await startWorkerProcess(env));
  // The CLI runs below read s3:// through the same signed client.
  for (const k of ['DISSMODEL_S3_ENDPOINT', 'DISSMODEL_S3_ACCESS_KEY_ID', 'DISSMODEL_S3_SECRET_ACCESS_KEY']) {
    saved[k] = process.env[k];
    process.env[k] = env[k];
  }
}, 90_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  for (const w of workers) await w.stop('SIGKILL');
  await serve?.server.close();
  await s3?.stop();
  await redis?.stop();
});

/** payload_builder.build_payload of the QGIS plugin, with its dialog's defaults, sent as task.py sends it. */
const QGIS_BODY =
  '{"model_name": "brmangue", "input_dataset": "s3://dissmodel-inputs/ilha_maranhao.tif", "input_format": "auto", "parameters": {"end_time": 88, "resolution": 100.0}}';

const silent = { out: () => undefined, err: (l: string) => process.stderr.write(l + '\n') };
const download = async (uri: string) => {
  const { bucket, key } = parseS3Uri(uri);
  return store.get(bucket, key);
};

describe('the platform end to end', () => {
  const ids: string[] = [];
  let longId = '';

  it('40 jobs, one worker killed mid-run: all complete, and each equals a CLI run of its record', async () => {
    const res = await fetch(`${serve.url}/submit_job`, {
      method: 'POST',
      headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
      body: QGIS_BODY,
    });
    expect(res.ok).toBe(true);
    const qgis = (await res.json()) as { job_id: string };
    ids.push(qgis.job_id);
    longId = (
      await client.submit({
        model_name: 'brmangue',
        input_dataset: 's3://dissmodel-inputs/ilha_maranhao.tif',
        parameters: { end_time: 300 },
        priority: 'high',
      })
    ).job_id;
    ids.push(longId);
    const small: Parameters<PlatformClient['submit']>[0][] = [];
    for (let i = 0; i < 10; i++)
      small.push({ model_name: 'game_of_life', input_dataset: 'sample:gol_glider_64x64.tif', parameters: { end_time: 5 + i } });
    for (let i = 0; i < 10; i++)
      small.push({
        model_name: 'forest_fire_prob',
        input_dataset: 'sample:gol_random_20x20.geojson',
        parameters: { seed: i + 1, end_time: 5 },
        priority: 'low',
      });
    for (let i = 0; i < 8; i++) small.push({ model_name: 'sir', input_dataset: '', parameters: { end_time: 20 + i } });
    for (let i = 0; i < 6; i++)
      small.push({ model_name: 'flood_benchmark', input_dataset: 'sample:flood_8x10.tif', parameters: { end_time: 3 + i } });
    for (let i = 0; i < 4; i++)
      small.push({ model_name: 'brmangue', input_dataset: 's3://dissmodel-inputs/ilha_maranhao.tif', parameters: { end_time: 2 + i } });
    for (const body of small) ids.push((await client.submit(body)).job_id);
    expect(new Set(ids).size).toBe(40);

    // Kill the worker that runs the long job, mid-run.
    await until(
      'the long job to run',
      async () => {
        const j = await client.job(longId);
        return j.status === 'running' && (j.progress?.step ?? 0) >= 10;
      },
      120_000,
      100,
    );
    const where = (await serve.server.store.get(longId))?.worker ?? '';
    const victim = workers.find((w) => where.endsWith(`:${w.pid}`));
    expect(victim, `worker of the long job (${where})`).toBeDefined();
    await victim!.stop('SIGKILL');

    const final: JobResponse[] = [];
    for (const id of ids) final.push(await client.wait(id, { intervalMs: 200 }));
    expect(final.map((j) => j.status)).toEqual(new Array(40).fill('completed'));
    expect(final[1].attempts).toBe(2);

    for (const j of final) {
      const output = await download(j.output_path!);
      const recordText = new TextDecoder().decode(await download(j.record_path!));
      const record = JSON.parse(recordText) as { artifacts: Record<string, string>; status: string };
      expect(record.status).toBe('completed');
      expect(await sha256HexAsync(output)).toBe(j.output_sha256);
      expect(record.artifacts.output).toBe(j.output_sha256);
      expect(record.artifacts.profiling).toBe(await sha256HexAsync(await download(j.profiling_path!)));
      // The CLI re-runs the same record (same input bytes, checked) and must write the same output bytes.
      const dir = await mkdtemp(join(tmpdir(), 'dissmodel-e2e-cli-'));
      await writeFile(join(dir, 'platform.record.json'), recordText);
      expect(
        // The store is on loopback: the consent `--allow-private-network` gives on the command line.
        await reproduceCommand(join(dir, 'platform.record.json'), { output: join(dir, 'cli') + '/', allowPrivateNetwork: true }, silent),
        `CLI reproduce of ${j.experiment_id}`,
      ).toBe(0);
    }
    // The QGIS plugin reads these fields when the job completes (task.py).
    expect(final[0]).toMatchObject({ model_name: 'brmangue', status: 'completed' });
    expect(final[0].output_path).toMatch(/^s3:\/\/dissmodel-outputs\/runs\/[0-9a-f]{32}\/simulacao_[0-9a-f]{8}\.tif$/);
  }, 420_000);

  it('POST /experiments/{id}/reproduce queues the record again: a new experiment, the same output bytes', async () => {
    const original = await client.job(ids[0]);
    const res = await fetch(`${serve.url}/experiments/${ids[0]}/reproduce`, { method: 'POST', headers: { 'X-API-Key': API_KEY } });
    const again = (await res.json()) as JobResponse;
    expect(again.experiment_id).not.toBe(ids[0]);
    expect(again.logs).toContain(`Reproducing experiment=${ids[0]}`);
    const done = await client.wait(again.experiment_id, { intervalMs: 200 });
    expect(done.status).toBe('completed');
    expect(done.output_sha256).toBe(original.output_sha256);
    expect(done.input_sha256).toBe(original.input_sha256);
  }, 120_000);

  it("the CLI's submit --wait, status and fetch, and sweep --server", async () => {
    const cli = (args: string[]) =>
      run(process.execPath, [join(ROOT, 'bin/dissmodel.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, DISSMODEL_SERVER: serve.url, DISSMODEL_API_KEY: API_KEY },
      });
    const submitted = await cli(['submit', 'game_of_life', '--input', 'sample:gol_glider_64x64.tif', '--param', 'end_time=12', '--wait']);
    const id = submitted.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const status = await cli(['status', id]);
    expect(status.stdout).toMatch(new RegExp(`^${id}  completed output sha256 [0-9a-f]{64}`));
    const dir = await mkdtemp(join(tmpdir(), 'dissmodel-fetch-'));
    await cli(['fetch', id, '--output', dir]);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([`profiling_${id.slice(0, 8)}.md`, `simulacao_${id.slice(0, 8)}.record.json`, `simulacao_${id.slice(0, 8)}.tif`]);
    const sha = status.stdout.match(/sha256 ([0-9a-f]{64})/)![1];
    expect(await sha256HexAsync(await readFile(join(dir, `simulacao_${id.slice(0, 8)}.tif`)))).toBe(sha);

    const sweepDir = await mkdtemp(join(tmpdir(), 'dissmodel-sweep-'));
    const sweep = await cli([
      'sweep',
      'forest_fire_prob',
      '--input',
      'sample:gol_random_20x20.geojson',
      '--param',
      'prob_combustion=0.01,0.05',
      '--seeds',
      '2',
      '--server',
      serve.url,
      '--output',
      sweepDir,
    ]);
    expect(sweep.stdout).toMatch(/✅ 4\/4 completed/);
    const csv = (
      await readFile(
        join(
          sweepDir,
          (await readdir(sweepDir)).find((f) => f.endsWith('.csv'))!,
        ),
        'utf8',
      )
    )
      .trim()
      .split('\n');
    expect(csv[0]).toBe('run,experiment_id,prob_combustion,seed,status,output_sha256,output_path,error');
    expect(csv.slice(1).map((l) => l.split(',')[4])).toEqual(['completed', 'completed', 'completed', 'completed']);
  }, 180_000);
});
