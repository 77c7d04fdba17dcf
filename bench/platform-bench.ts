/**
 * `npm run bench -- --platform`: the platform's throughput and latency on this
 * machine — jobs/s for 1,000 small jobs with 1 and 2 worker processes, the
 * end-to-end latency of one small job (submit → completed, polled every 5 ms),
 * and the per-job overhead against the same record run by runExperiment in
 * process (the CLI's path without its process start) and by a `dissmodel run`
 * process. Starts its own redis-server, s3rver, serve and workers on loopback
 * and stops them after. Writes bench/results/platform.md.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import '../src/models/index.ts';
import { runRecord } from '../src/cli/commands.ts';
import { ExecutorRegistry, newRunRecord } from '../src/executor/index.ts';
import { PlatformClient } from '../src/platform/client.ts';
import {
  API_KEY,
  mkdtemp,
  ROOT,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  startWorkerProcess,
  until,
  type WorkerHandle,
} from '../tests/platform/stack.ts';

const log = (l: string) => process.stdout.write(l + '\n');
const N = Number(process.env.DISSMODEL_BENCH_JOBS ?? 1000);
const JOB = { model_name: 'game_of_life', input_dataset: 'sample:gol_glider_64x64.tif', parameters: { end_time: 1 } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const redis = await startRedis();
const s3 = await startS3();
const workers: WorkerHandle[] = [];
let serve: Awaited<ReturnType<typeof startServe>> | undefined;
const rows: string[] = [];
try {
  // The bench queues all N jobs at once: its key's cap on queued + running jobs is raised to match.
  const env = stackEnv(redis, s3, {
    DISSMODEL_LOCK_MS: '30000',
    DISSMODEL_STALLED_INTERVAL_MS: '30000',
    DISSMODEL_MAX_JOBS_PER_KEY: String(10 * N),
  });
  serve = await startServe(env);
  const client = new PlatformClient(serve.url, API_KEY);
  const queue = serve.server.queue;

  const throughput = async (workerCount: number) => {
    await queue.obliterate({ force: true });
    for (let i = 0; i < workerCount; i++) workers.push(await startWorkerProcess(env));
    const t0 = performance.now();
    for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: Math.min(50, N - i) }, () => client.submit(JOB)));
    const submitted = (performance.now() - t0) / 1000;
    await until(
      'all jobs',
      async () => (await queue.getJobCounts('completed', 'failed')).completed + (await queue.getJobCounts('failed')).failed >= N,
      1_800_000,
      100,
    );
    const wall = (performance.now() - t0) / 1000;
    const failed = (await queue.getJobCounts('failed')).failed;
    for (const w of workers.splice(0)) await w.stop();
    log(
      `${N} jobs, ${workerCount} worker(s): ${(N / wall).toFixed(1)} jobs/s (${wall.toFixed(1)} s; submitting took ${submitted.toFixed(1)} s; ${failed} failed)`,
    );
    rows.push(
      `| ${N} small jobs, ${workerCount} worker process(es) | ${(N / wall).toFixed(1)} jobs/s | ${wall.toFixed(1)} s wall, ${failed} failed |`,
    );
  };
  await throughput(1);
  await throughput(2);

  // Latency of one job with an idle worker.
  workers.push(await startWorkerProcess(env));
  const latencies: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const { job_id } = await client.submit(JOB);
    await client.wait(job_id, { intervalMs: 5 });
    latencies.push(performance.now() - t0);
  }
  for (const w of workers.splice(0)) await w.stop();
  const platformMs = median(latencies.slice(1));

  // The same record in process (the CLI's runRecord) and as a `dissmodel run` process.
  const cls = ExecutorRegistry.get('game_of_life');
  const dir = await mkdtemp(join(tmpdir(), 'dissmodel-bench-'));
  const inProcess: number[] = [];
  for (let i = 0; i < 7; i++) {
    const record = newRunRecord({
      model_name: 'game_of_life',
      model_commit: 'bench',
      code_version: 'bench',
      source: { uri: JOB.input_dataset },
      parameters: JOB.parameters,
    });
    const t0 = performance.now();
    await runRecord(cls, record, dir + '/', { out: () => undefined, err: () => undefined });
    inProcess.push(performance.now() - t0);
  }
  const cliMs = median(inProcess.slice(1));
  const proc: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/dissmodel.js'), 'run', 'game_of_life', '--input', JOB.input_dataset, '--param', 'end_time=1', '--output', dir + '/'],
      { cwd: ROOT },
    );
    proc.push(performance.now() - t0);
  }
  const procMs = median(proc);
  log(
    `one small job: platform ${platformMs.toFixed(1)} ms submit→completed; in-process runRecord ${cliMs.toFixed(1)} ms; dissmodel run process ${procMs.toFixed(0)} ms`,
  );
  rows.push(`| one small job, submit → completed (median of 6) | ${platformMs.toFixed(1)} ms | polled every 5 ms |`);
  rows.push(
    `| the same record, CLI path in process (runRecord) | ${cliMs.toFixed(1)} ms | overhead per job on the platform ≈ ${(platformMs - cliMs).toFixed(1)} ms |`,
  );
  rows.push(`| the same record, a \`dissmodel run\` process | ${procMs.toFixed(0)} ms | mostly Node + tsx start-up |`);
} finally {
  for (const w of workers) await w.stop('SIGKILL');
  await serve?.server.close();
  await s3.stop();
  await redis.stop();
}
const md = [
  `# Platform benchmark`,
  '',
  `Node ${process.version}, load average ${loadavg()[0].toFixed(2)} at the end; job: game_of_life on sample:gol_glider_64x64.tif, end_time 1.`,
  '',
  '| what | figure | notes |',
  '|---|---|---|',
  ...rows,
  '',
].join('\n');
await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeFile(join(ROOT, 'bench/results/platform.md'), md);
log(md);
process.exit(0);
