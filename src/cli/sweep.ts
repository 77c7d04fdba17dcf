/**
 * `dissmodel sweep MODEL --param k=a,b,c … [--seeds N | --seed-list 1,2]`:
 * a grid of parameter values (× seeds) planned by planSweep, run on a pool of
 * worker_threads (size --jobs, else os.availableParallelism()). Each run is a
 * normal `run`: output, record and profiling under --output DIR. The parent
 * prints a table and writes DIR/sweep_<id8>.csv.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { onInterrupt, removeStaleTemps } from './cleanup.ts';
import {
  newExperimentId,
  ParameterError,
  parseRecordJson,
  parseValueList,
  planSweep,
  splitAssignment,
  type ExecutorClass,
  type ExperimentRecord,
  type ParamValue,
} from '../executor/index.ts';
import { buildRecord, type ModelOptions, type Out, type RunOptions } from './commands.ts';
import { modelSourceOf } from './model-source.ts';
import type { SweepTask, SweepTaskResult } from './sweep-worker-main.ts';

export interface SweepOptions extends Omit<RunOptions, 'param'>, ModelOptions {
  /** `key=a,b,c` (repeatable): the values swept for key. */
  param?: string[];
  seeds?: number;
  seedList?: string;
  jobs?: number;
}

export interface SweepRow {
  index: number;
  params: Record<string, ParamValue>;
  seed: number | null;
  status: string;
  sha256: string;
  timeSec: number;
  last: Record<string, number>;
  outputPath: string;
  recordPath: string;
  experimentId: string;
  error: string;
}

export interface SweepResult {
  code: number;
  rows: SweepRow[];
  csvPath: string | null;
  wallSec: number;
  jobs: number;
}

/** `key=a,b,c` → grid; each value parsed as a CLI scalar (int, float, bool, else text). */
export function parseGrid(params: string[]): Record<string, ParamValue[]> {
  const grid: Record<string, ParamValue[]> = {};
  for (const p of params) {
    const [k, v] = splitAssignment(p);
    const values = parseValueList(v);
    if (values.length === 0) throw new ParameterError(`--param ${k}= gives no values.`, k);
    grid[k] = [...(grid[k] ?? []), ...values];
  }
  return grid;
}

export function parseSeeds(opts: SweepOptions): number[] | null {
  if (opts.seeds !== undefined && opts.seedList !== undefined) throw new ParameterError('give --seeds N or --seed-list, not both.');
  if (opts.seeds !== undefined) {
    const n = Number(opts.seeds);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new ParameterError(`--seeds must be a whole number ≥ 1; got ${opts.seeds}.`);
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  if (opts.seedList !== undefined) {
    return opts.seedList.split(',').map((s) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n) || n < 0 || n > 4294967295)
        throw new ParameterError(`--seed-list: '${s}' is not a seed (a whole number in [0, 2^32 − 1]).`);
      return n;
    });
  }
  return null;
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Run every record on `jobs` workers; results in plan order. */
async function runPool(
  tasks: SweepTask[],
  jobs: number,
  onDone: (r: SweepTaskResult) => void,
  signal?: AbortSignal,
): Promise<SweepTaskResult[]> {
  const results: SweepTaskResult[] = new Array(tasks.length);
  let next = 0;
  const workers = new Set<Worker>();
  // Ctrl-C: no new run starts, the workers stop where they are (the caller removes their temporary files).
  signal?.addEventListener('abort', () => {
    next = tasks.length;
    for (const w of workers) void w.terminate();
  });
  // From the sources a worker thread registers tsx first (loader hooks are per thread); compiled, it runs as is.
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './sweep-worker.js' : './sweep-worker-main.js', import.meta.url);
  const one = () =>
    new Promise<void>((resolve) => {
      // workerData must be an object: geotiff's `web-worker` dependency, imported in a
      // worker thread, destructures threads.workerData and throws when it is undefined.
      const w = new Worker(workerUrl, { workerData: {} });
      workers.add(w);
      w.on('exit', () => {
        workers.delete(w);
        resolve();
      });
      let current: SweepTask | null = null;
      const feed = () => {
        if (next >= tasks.length) {
          current = null;
          void w.terminate().then(() => resolve());
          return;
        }
        current = tasks[next++];
        w.postMessage(current);
      };
      w.on('message', (m: SweepTaskResult | { ready: true }) => {
        if ('ready' in m) return feed();
        results[m.index] = m;
        onDone(m);
        feed();
      });
      // A worker that dies (an uncaught error, out of memory) fails its current run;
      // the other workers take the remaining ones.
      w.on('error', (e) => {
        if (current) {
          const r: SweepTaskResult = {
            index: current.index,
            code: 1,
            record: current.record,
            recordPath: null,
            last: {},
            errors: [`worker died: ${String(e)}`],
          };
          results[current.index] = r;
          onDone(r);
          current = null;
        }
        resolve();
      });
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, one));
  for (const t of tasks) {
    if (results[t.index]) continue;
    results[t.index] = { index: t.index, code: 1, record: t.record, recordPath: null, last: {}, errors: ['not run: every worker died'] };
    onDone(results[t.index]);
  }
  return results;
}

export async function sweepCommand(cls: ExecutorClass, opts: SweepOptions, io: Out): Promise<SweepResult> {
  const t0 = performance.now();
  const model = cls.spec.name;
  const source = modelSourceOf(cls);
  const grid = parseGrid(opts.param ?? []);
  const seeds = parseSeeds(opts);
  const base = await buildRecord(cls, { ...opts, input: opts.input ?? '', param: [] });
  const records = planSweep(cls.spec, base, grid, seeds);
  const jobs = Math.max(1, Math.floor(opts.jobs ?? availableParallelism()));
  const sweepId = newExperimentId().slice(0, 8);
  const dir = opts.output ?? join('outputs', `sweep_${sweepId}`);
  await mkdir(dir, { recursive: true });
  io.out(`▶ Sweep ${sweepId}: ${records.length} run(s) of ${model} on ${Math.min(jobs, records.length)} worker(s) → ${dir}`);
  const modelFiles = source ? [source.path] : [];
  const tasks: SweepTask[] = records.map((r, index) => ({ index, record: JSON.stringify(r), output: dir, modelFiles }));
  let done = 0;
  const ac = new AbortController();
  onInterrupt(() => ac.abort());
  const results = await runPool(
    tasks,
    jobs,
    (r) => {
      done++;
      if (ac.signal.aborted) return;
      io.progress?.({ phase: 'run', step: done, total: records.length });
      if (r.code !== 0) io.err(`✖ run ${r.index + 1}: ${r.errors.join(' ') || 'failed'}`);
    },
    ac.signal,
  );
  if (ac.signal.aborted) {
    // The workers are stopped: their temporary files (this process's) go; the runs that completed stay.
    removeStaleTemps(dir, true);
    // A run stopped mid-save may have written its output but not its record: its artefacts go too.
    const unfinished = records.filter((_, i) => results[i]?.code !== 0).map((r) => `_${r.experiment_id.slice(0, 8)}.`);
    for (const name of await readdir(dir).catch(() => [] as string[]))
      if (unfinished.some((tag) => name.includes(tag))) await rm(join(dir, name), { force: true });
    const completed = results.filter((r) => r && r.code === 0).length;
    io.err(`✖ Cancelled: ${completed} of ${records.length} run(s) had completed (kept in ${dir}); no table was written.`);
    return { code: 130, rows: [], csvPath: '', wallSec: (performance.now() - t0) / 1000, jobs };
  }
  const keys = Object.keys(grid);
  const rows: SweepRow[] = results.map((r, i) => {
    let rec: ExperimentRecord;
    try {
      rec = parseRecordJson(r.record);
    } catch {
      rec = records[i];
    }
    const params: Record<string, ParamValue> = {};
    for (const k of keys) params[k] = rec.parameters[k] as ParamValue;
    const seed = typeof rec.parameters.seed === 'number' ? rec.parameters.seed : null;
    return {
      index: i + 1,
      params,
      seed,
      status: r.code === 0 ? rec.status : `${rec.status === 'running' || rec.status === 'pending' ? 'failed' : rec.status}`,
      sha256: rec.artifacts.output ?? '',
      timeSec: Number(rec.metrics.time_total_sec ?? NaN),
      last: r.last,
      outputPath: r.code === 0 ? (rec.output_path ?? '') : '',
      recordPath: r.recordPath ?? '',
      experimentId: rec.experiment_id,
      error: r.errors.join(' '),
    };
  });
  const seriesKeys = [...new Set(rows.flatMap((r) => Object.keys(r.last)))];
  const seeded = rows.some((r) => r.seed !== null);
  const header = ['#', ...keys, ...(seeded ? ['seed'] : []), 'status', 'output sha256', 'time s', ...seriesKeys.map((k) => `last ${k}`)];
  const table = rows.map((r) => [
    String(r.index),
    ...keys.map((k) => String(r.params[k])),
    ...(seeded ? [String(r.seed ?? '')] : []),
    r.status,
    r.sha256 ? r.sha256.slice(0, 16) + '…' : '—',
    Number.isFinite(r.timeSec) ? r.timeSec.toFixed(3) : '—',
    ...seriesKeys.map((k) => (r.last[k] === undefined ? '' : String(r.last[k]))),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  io.out(header.map((h, c) => h.padEnd(widths[c])).join('  '));
  for (const row of table) io.out(row.map((v, c) => v.padEnd(widths[c])).join('  '));

  const csvHeader = [
    'run',
    'experiment_id',
    ...keys,
    'seed',
    'status',
    'output_sha256',
    'time_total_sec',
    ...seriesKeys.map((k) => `last_${k}`),
    'output_path',
    'record_path',
    'error',
  ];
  const csvRows = rows.map((r) => [
    r.index,
    r.experimentId,
    ...keys.map((k) => r.params[k]),
    r.seed ?? '',
    r.status,
    r.sha256,
    Number.isFinite(r.timeSec) ? r.timeSec : '',
    ...seriesKeys.map((k) => r.last[k] ?? ''),
    r.outputPath,
    r.recordPath,
    r.error,
  ]);
  const csv = [csvHeader, ...csvRows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
  const csvPath = join(dir, `sweep_${sweepId}.csv`);
  await writeFile(csvPath, csv);
  const wallSec = (performance.now() - t0) / 1000;
  const ok = rows.filter((r) => r.status === 'completed').length;
  io.out(
    `${ok === rows.length ? '✅' : '❌'} ${ok}/${rows.length} completed in ${wallSec.toFixed(2)} s (${(rows.length / wallSec).toFixed(2)} runs/s, ${Math.min(jobs, records.length)} worker(s))`,
  );
  io.out(`   table: ${csvPath}`);
  return { code: ok === rows.length ? 0 : 1, rows, csvPath, wallSec, jobs };
}
