/**
 * The platform's sub-commands of `dissmodel`: `serve`, `worker`, `submit`,
 * `status`, `fetch` (registered by program.ts), and the `--server` form of
 * `sweep`. Models of one's own come from `--model FILE` / `--package NAME`,
 * loaded at start-up exactly as the CLI loads them; a request can only name a
 * model already registered — nothing a request names is ever installed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { describeError } from '../executor/errors.ts';
import type { ExecutorClass } from '../executor/executor.ts';
import type { ExperimentRecord } from '../executor/record.ts';
import type { Out, RunOptions } from '../cli/commands.ts';
import type { SweepOptions } from '../cli/sweep.ts';
import type { PlatformClient } from './client.ts';
import type { JobResponse } from './jobs.ts';
import type { Priority } from './schemas.ts';

// Imported when a command runs, so defining these commands costs `dissmodel list` nothing.
const executor = () => import('../executor/index.ts');
const platformConfig = async () => (await import('./config.ts')).loadConfig();

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface ModelLoadOptions {
  model?: string[];
  package?: string[];
}

/** Register the models a server or worker offers besides the built-in ones. */
async function loadModels(opts: ModelLoadOptions): Promise<void> {
  // A server or worker offers every built-in model: import the ones the compiled CLI only listed.
  await (await executor()).ExecutorRegistry.loadAll();
  const { loadModelFile, loadModelPackage } = await import('../cli/model-source.ts');
  for (const f of opts.model ?? []) await loadModelFile(f);
  for (const p of opts.package ?? []) await loadModelPackage(p);
}

const stopOn = (close: () => Promise<void>) => {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

interface ClientOptions {
  server?: string;
  apiKey?: string;
}

async function clientOf(opts: ClientOptions): Promise<PlatformClient> {
  const server = opts.server ?? process.env.DISSMODEL_SERVER;
  if (!server) throw new Error('Give the server: --server URL (or DISSMODEL_SERVER).');
  const { PlatformClient } = await import('./client.ts');
  return new PlatformClient(server, opts.apiKey ?? process.env.DISSMODEL_API_KEY ?? '');
}

const describeJob = (j: JobResponse): string => {
  // the step while the job runs; an ended job's line says how it ended (the API reports its last step too)
  const running = j.status === 'running' || j.status === 'pending';
  const p = running && j.progress && j.progress.total ? ` ${j.progress.phase ?? ''} step ${j.progress.step}/${j.progress.total}` : '';
  const sha = j.output_sha256 ? ` output sha256 ${j.output_sha256}` : '';
  return `${j.experiment_id}  ${j.status}${p}${sha}${j.attempts > 1 ? `  (${j.attempts} attempts)` : ''}${j.status === 'failed' && j.error ? `  — ${j.error}` : ''}`;
};

/** A JobRequest for a record built as the CLI builds it. */
function requestOf(record: ExperimentRecord, priority: Priority) {
  return {
    experiment_id: record.experiment_id,
    model_name: record.model_name,
    input_dataset: record.source.uri,
    input_format: record.input_format as 'auto' | 'raster' | 'vector',
    parameters: record.parameters as Record<string, string | number | boolean>,
    column_map: record.column_map,
    band_map: record.band_map,
    priority,
  };
}

/** `sweep --server URL`: the planned records as jobs, one table gathered from the server. */
export async function serverSweep(cls: ExecutorClass, opts: SweepOptions & ClientOptions & { output?: string }, io: Out): Promise<number> {
  const client = await clientOf(opts);
  const { planSweep } = await executor();
  const { buildRecord } = await import('../cli/commands.ts');
  const { parseGrid, parseSeeds } = await import('../cli/sweep.ts');
  const base = await buildRecord(cls, { ...opts, input: opts.input ?? '', param: [] });
  const records = planSweep(cls.spec, base, parseGrid(opts.param ?? []), parseSeeds(opts));
  io.out(`▶ Sweep of ${records.length} run(s) of ${cls.spec.name} on ${opts.server ?? process.env.DISSMODEL_SERVER}`);
  const t0 = performance.now();
  for (const r of records) await client.submit(requestOf(r, 'normal'));
  const results: JobResponse[] = [];
  for (const r of records) results.push(await client.wait(r.experiment_id, { intervalMs: 300 }));
  const keys = Object.keys(parseGrid(opts.param ?? []));
  const header = ['run', 'experiment_id', ...keys, 'seed', 'status', 'output_sha256', 'output_path', 'error'];
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = results.map((j, i) => [
    i + 1,
    j.experiment_id,
    ...keys.map((k) => records[i].parameters[k]),
    records[i].parameters.seed ?? '',
    j.status,
    j.output_sha256 ?? '',
    j.output_path ?? '',
    j.status === 'completed' ? '' : (j.error ?? ''),
  ]);
  for (const row of rows) io.out(row.map((v) => String(v)).join('  '));
  const csv = [header, ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
  const dir = opts.output ?? 'outputs';
  await mkdir(dir, { recursive: true });
  const csvPath = join(dir, `sweep_${records[0]?.experiment_id.slice(0, 8) ?? 'empty'}.csv`);
  await writeFile(csvPath, csv);
  const ok = results.filter((j) => j.status === 'completed').length;
  io.out(`${ok === results.length ? '✅' : '❌'} ${ok}/${results.length} completed in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  io.out(`   table: ${csvPath}`);
  return ok === results.length ? 0 : 1;
}

export function registerPlatformCommands(program: Command, io: Out): void {
  program
    .command('serve')
    .description('the platform API (DisSModel Platform compatible) on a BullMQ queue; configured by DISSMODEL_* variables (.env.example)')
    .option('--host <host>', 'address to listen on (default DISSMODEL_HOST or 127.0.0.1)')
    .option('--port <port>', 'port (default DISSMODEL_PORT or 8000)', (v) => Number(v))
    .option(
      '--cors-origin <origin>',
      'let pages from this origin call the API from a browser (repeatable; adds to DISSMODEL_CORS_ORIGINS; default none)',
      collect,
    )
    .option('--model <file>', 'also offer the executors this model file registers (repeatable)', collect)
    .option('--package <name>', 'also offer the executors this installed package registers (repeatable)', collect)
    .action(async (opts: ModelLoadOptions & { host?: string; port?: number; corsOrigin?: string[] }) => {
      await loadModels(opts);
      const config = await platformConfig();
      if (opts.host) config.host = opts.host;
      if (opts.port !== undefined) config.port = opts.port;
      if (opts.corsOrigin) {
        const { parseOrigins } = await import('./config.ts');
        config.corsOrigins = [...config.corsOrigins, ...parseOrigins(opts.corsOrigin.join(','))];
      }
      if (config.apiKeys.length === 0) io.err('⚠ DISSMODEL_API_KEYS is empty: every authenticated request will be refused (401).');
      // Fastify and BullMQ load only here, so runCli programs and the other commands stay light.
      const { buildServer } = await import('./server.ts');
      const server = await buildServer(config);
      const address = await server.app.listen({ host: config.host, port: config.port });
      io.out(`dissmodel serve listening on ${address}`);
      if (config.corsOrigins.length) io.out(`  browsers may call it from: ${config.corsOrigins.join(', ')}`);
      stopOn(() => server.close());
      await new Promise(() => undefined);
    });

  program
    .command('worker')
    .description('run queued jobs: the same executors and runExperiment as the CLI; artefacts to runs/<experiment_id>/ in the store')
    .option('-c, --concurrency <n>', 'jobs run at once by this process (default DISSMODEL_WORKER_CONCURRENCY or 1)', (v) => Number(v))
    .option('--model <file>', 'also run the executors this model file registers (repeatable)', collect)
    .option('--package <name>', 'also run the executors this installed package registers (repeatable)', collect)
    .action(async (opts: ModelLoadOptions & { concurrency?: number }) => {
      await loadModels(opts);
      const config = await platformConfig();
      const { startWorker } = await import('./worker.ts');
      const w = await startWorker(config, opts.concurrency ? { concurrency: opts.concurrency } : {});
      io.err(`dissmodel worker ${process.pid} ready (concurrency ${opts.concurrency ?? config.concurrency}, queue ${config.queueName})`);
      stopOn(() => w.close());
      await new Promise(() => undefined);
    });

  const clientOptions = (c: Command) =>
    c
      .option('-s, --server <url>', 'platform URL (default DISSMODEL_SERVER)')
      .option('-k, --api-key <key>', 'X-API-Key (default DISSMODEL_API_KEY)');

  clientOptions(
    program
      .command('submit')
      .description('submit a job to a platform server; prints its experiment id')
      .argument('<model>', 'registered model name on the server')
      .option('-i, --input <uri>', 'input: s3://bucket/key or sample:NAME (omit for models without input)')
      .option('-p, --param <key=value>', 'parameter (repeatable)', collect)
      .option('--column-map <canonical=real>', 'rename a vector column (repeatable)', collect)
      .option('--band-map <canonical=real>', 'map a raster band (repeatable)', collect)
      .option('--format <format>', 'auto | tiff | raster | vector', 'auto')
      .option('--priority <p>', 'low | normal | high', 'normal')
      .option('--input-sha256 <hex>', 'refuse the job unless the input has this SHA-256')
      .option('-w, --wait', 'wait until it ends; exit 0 only when completed'),
  ).action(async (model: string, opts: ClientOptions & RunOptions & { priority: string; wait?: boolean; inputSha256?: string }) => {
    const { PRIORITIES } = await import('./schemas.ts');
    const { parseScalar, splitAssignment } = await executor();
    if (!(PRIORITIES as readonly string[]).includes(opts.priority))
      throw new Error(`--priority must be low, normal or high, not '${opts.priority}'.`);
    const client = await clientOf(opts);
    const map = (list?: string[]) => Object.fromEntries((list ?? []).map((s) => splitAssignment(s)));
    const params: Record<string, string | number | boolean> = {};
    for (const p of opts.param ?? []) {
      const [k, v] = splitAssignment(p);
      params[k] = parseScalar(v) as string | number | boolean;
    }
    const j = await client.submit({
      model_name: model,
      input_dataset: opts.input ?? '',
      input_format: (opts.format ?? 'auto') as 'auto',
      parameters: params,
      column_map: map(opts.columnMap),
      band_map: map(opts.bandMap),
      priority: opts.priority as Priority,
      ...(opts.inputSha256 ? { input_sha256: opts.inputSha256 } : {}),
    });
    io.out(j.experiment_id);
    if (!opts.wait) return;
    let last = '';
    const final = await client.wait(j.experiment_id, {
      onUpdate: (u) => {
        const line = describeJob(u);
        if (line !== last) io.err(line);
        last = line;
      },
    });
    process.exitCode = final.status === 'completed' ? 0 : 1;
  });

  clientOptions(program.command('status').description("a job's status, progress and output SHA-256").argument('<experiment_id>')).action(
    async (id: string, opts: ClientOptions) => {
      const j = await (await clientOf(opts)).job(id);
      io.out(describeJob(j));
      process.exitCode = j.status === 'failed' ? 1 : 0;
    },
  );

  clientOptions(
    program
      .command('fetch')
      .description("download a completed job's output, record and profiling (the output's SHA-256 is checked)")
      .argument('<experiment_id>')
      .option('-o, --output <dir>', 'directory (default outputs/<experiment_id>)'),
  ).action(async (id: string, opts: ClientOptions & { output?: string }) => {
    const client = await clientOf(opts);
    const { TERMINAL } = await import('./client.ts');
    const { getOutputSha256, parseRecordJson, sha256HexAsync } = await executor();
    const j = await client.job(id);
    if (!TERMINAL.has(j.status) || j.status !== 'completed')
      throw new Error(`Experiment ${id} is ${j.status}; only a completed one can be fetched.`);
    if (!j.output_path || !j.record_path || !j.profiling_path) throw new Error(`Experiment ${id} lists no artefacts.`);
    const dir = opts.output ?? join('outputs', id);
    await mkdir(dir, { recursive: true });
    const output = await client.download(j.output_path);
    const got = await sha256HexAsync(output);
    if (got !== j.output_sha256)
      throw new Error(`The downloaded output's SHA-256 is ${got}, the record says ${j.output_sha256}; nothing saved.`);
    const recordBytes = await client.download(j.record_path);
    const record = parseRecordJson(new TextDecoder().decode(recordBytes));
    if (getOutputSha256(record) !== got) throw new Error(`The record's output SHA-256 differs from the output's; nothing saved.`);
    const profiling = await client.download(j.profiling_path);
    for (const [uri, bytes] of [
      [j.output_path, output],
      [j.record_path, recordBytes],
      [j.profiling_path, profiling],
    ] as const) {
      const path = join(dir, basename(uri));
      await writeFile(path, bytes);
      io.out(path);
    }
  });
}

export { describeError };
