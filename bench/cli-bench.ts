/**
 * The command line end to end (issue #17): whole processes, timed from spawn to exit.
 *
 * - `dissmodel run brmangue --input public/samples/ilha_maranhao_epsg31983.tif --param end_time=20`
 *   through bin/dissmodel.js (the compiled CLI of dist-lib/ when `npm run build:lib` built it from these
 *   sources, else the TypeScript sources through tsx: the table says which), interleaved run by run with
 *   DisSModel's own CLI running BR-MANGUE on the same file (brmangue-dissmodel's raster executor under
 *   `run_cli`, bench/dissmodel_bench.py --cli) when DISSMODEL_PYTHON, DISSMODEL_SRC and
 *   DISSMODEL_BRMANGUE_SRC are set and it asks for it (`--vs-dissmodel`); medians and their ratio.
 * - `dissmodel list`: start-up of the CLI (no DisSModel counterpart).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDissmodelScript } from './dissmodel-run.ts';
import { dissmodelUnavailable, treeHolding } from './grid-bench.ts';
import { median } from './model-bench.ts';
import { CLI_LIST_TARGET_MS, CLI_SPEEDUP_TARGET, DISSMODEL_CLI_REFERENCE_SEC } from './targets.ts';

const root = resolve(import.meta.dirname, '..');
const BIN = join(root, 'bin', 'dissmodel.js');
export const CLI_SAMPLE = 'public/samples/ilha_maranhao_epsg31983.tif';
export const CLI_RUN_ARGS = ['run', 'brmangue', '--input', CLI_SAMPLE, '--param', 'end_time=20'] as const;
/**
 * DisSModel's raster executor defaults taxa_elevacao to 0.5 (ours: 0.011), so it is given ours: both
 * runs then compute the same 20 steps.
 */
export const DISSMODEL_CLI_PARAMS = ['--param', 'end_time=20', '--param', 'taxa_elevacao=0.011'] as const;

export interface CliRow {
  command: string;
  /** Seconds per whole process, every run. */
  ours: number[];
  /** DisSModel's seconds per run, or why there are none ('skipped: …'). */
  dissmodel: number[] | string;
  target: string;
  verdict: string;
}

export interface CliBench {
  rows: CliRow[];
  /** 'compiled (dist-lib)' or why the sources ran. */
  build: string;
  runs: number;
}

/** Whether bin/dissmodel.js runs dist-lib/ here (it does when the build's stamp matches the sources). */
export async function compiledCli(env = process.env): Promise<boolean> {
  if (env.DISSMODEL_FROM_SOURCE === '1') return false;
  const stampModule = new URL('../bin/source-stamp.js', import.meta.url).href;
  const { STAMP_FILE, sourceStamp } = (await import(stampModule)) as {
    STAMP_FILE: string;
    sourceStamp: (root: string) => string;
  };
  try {
    return readFileSync(join(root, STAMP_FILE), 'utf8') === sourceStamp(root);
  } catch {
    return false;
  }
}

/** One whole `node bin/dissmodel.js ARGS` process, in seconds; rejects with its stderr if it fails. */
function timeOurs(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((done, fail) =>
    execFile(process.execPath, [BIN, ...args], { cwd: root, maxBuffer: 1 << 24, timeout: 300_000 }, (err, _out, stderr) =>
      err ? fail(new Error(`dissmodel ${args.join(' ')}: ${stderr.trim() || err.message}`)) : done((performance.now() - t0) / 1000),
    ),
  );
}

/** Why DisSModel's CLI cannot run BR-MANGUE here, or null. */
export function dissmodelCliUnavailable(env = process.env): string | null {
  const core = dissmodelUnavailable(env);
  if (core !== null) return core;
  if (!treeHolding(env.DISSMODEL_BRMANGUE_SRC, 'brmangue/executors/raster_executor.py'))
    return env.DISSMODEL_BRMANGUE_SRC
      ? `DISSMODEL_BRMANGUE_SRC=${env.DISSMODEL_BRMANGUE_SRC} holds no brmangue/executors/raster_executor.py`
      : 'set DISSMODEL_BRMANGUE_SRC to a DisSModel/brmangue-dissmodel source tree (its raster executor is the CLI run)';
  return null;
}

/** One run of DisSModel's CLI on the sample (seconds), or 'skipped: …'. */
export async function timeDissmodelCli(outDir: string, k: number, env = process.env): Promise<number | string> {
  const why = dissmodelCliUnavailable(env);
  if (why !== null) return `skipped: ${why}`;
  const args = [
    '--cli',
    env.DISSMODEL_SRC!,
    env.DISSMODEL_BRMANGUE_SRC!,
    'run',
    '--input',
    join(root, CLI_SAMPLE),
    ...DISSMODEL_CLI_PARAMS,
    '--output',
    join(outDir, `dissmodel_${k}.tif`),
  ];
  const r = await runDissmodelScript(env.DISSMODEL_PYTHON!, args, env, 600_000);
  return r.ok ? r.sec : `skipped: ${r.reason}`;
}

const fmtSec = (xs: readonly number[]) => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;

export async function runCliBench(opts: { runs: number; vsDissmodel: boolean; log: (l: string) => void }): Promise<CliBench> {
  const compiled = await compiledCli();
  const build = compiled
    ? 'the compiled CLI (dist-lib/, built from these sources; a built-in run starts from its bundle, dist-lib/cli/bundle.cjs)'
    : 'the TypeScript sources through tsx (dist-lib/ is not built from these sources: `npm run build:lib` for the compiled CLI the targets are about)';
  const out = await mkdtemp(join(tmpdir(), 'dissmodel-cli-'));
  try {
    const ours: number[] = [];
    const theirs: number[] = [];
    let theirNote: string | undefined = opts.vsDissmodel ? undefined : 'not asked (npm run bench -- --vs-dissmodel)';
    // Interleaved: ours, theirs, ours, theirs… so both see the same load.
    for (let k = 0; k < opts.runs; k++) {
      ours.push(await timeOurs([...CLI_RUN_ARGS, '--output', join(out, `ours_${k}.tif`)]));
      if (theirNote === undefined) {
        const t = await timeDissmodelCli(out, k);
        if (typeof t === 'number') theirs.push(t);
        else theirNote = t;
      }
    }
    const list: number[] = [];
    for (let k = 0; k < opts.runs; k++) list.push(await timeOurs(['list']));
    const rows = [runRow(ours, theirNote ?? theirs), listRow(list)].map(sharedMachine);
    for (const r of rows) opts.log(cliLine(r));
    return { rows, build, runs: opts.runs };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** A verdict not met on a machine busier than its cores says so (the figures are then not the machine's). */
function sharedMachine(r: CliRow): CliRow {
  const load = loadavg()[0];
  const cores = availableParallelism();
  if (!r.verdict.startsWith('not met') || load <= cores) return r;
  return { ...r, verdict: `${r.verdict} (on a shared machine: load average ${load.toFixed(1)} on ${cores} cores)` };
}

function runRow(ours: number[], dissmodel: number[] | string): CliRow {
  const mine = median(ours);
  const measured = typeof dissmodel !== 'string';
  const ref = measured ? median(dissmodel) : DISSMODEL_CLI_REFERENCE_SEC;
  const ratio = ref / mine;
  const against = measured ? 'DisSModel measured here' : `DisSModel's ${DISSMODEL_CLI_REFERENCE_SEC} s recorded earlier (not run here)`;
  return {
    command: `dissmodel ${CLI_RUN_ARGS.join(' ')}`,
    ours,
    dissmodel,
    target: `≥ ${CLI_SPEEDUP_TARGET}× DisSModel`,
    verdict: `${ratio >= CLI_SPEEDUP_TARGET ? 'met' : 'not met'}: ${ratio.toFixed(1)}× ${against}`,
  };
}

function listRow(list: number[]): CliRow {
  const ms = median(list) * 1000;
  return {
    command: 'dissmodel list',
    ours: list,
    dissmodel: 'no counterpart (DisSModel’s CLI has no list)',
    target: `< ${CLI_LIST_TARGET_MS} ms`,
    verdict: `${ms < CLI_LIST_TARGET_MS ? 'met' : 'not met'}: ${ms.toFixed(0)} ms`,
  };
}

export const CLI_HEADER =
  '| command | ours s, median (min–max) | DisSModel s, median (min–max) | ratio | target | verdict |\n| --- | --- | --- | --- | --- | --- |';

export function cliLine(r: CliRow): string {
  const theirs = typeof r.dissmodel === 'string' ? r.dissmodel : fmtSec(r.dissmodel);
  const ratio = typeof r.dissmodel === 'string' ? '—' : `${(median(r.dissmodel) / median(r.ours)).toFixed(1)}×`;
  return `| \`${r.command}\` | ${fmtSec(r.ours)} | ${theirs} | ${ratio} | ${r.target} | ${r.verdict} |`;
}

export function cliMarkdown(b: CliBench): string {
  return [
    `## CLI end to end (${b.runs} whole processes each, interleaved, medians; load average ${loadavg()[0].toFixed(1)})`,
    '',
    CLI_HEADER,
    ...b.rows.map(cliLine),
    '',
    `Ours: \`node bin/dissmodel.js …\`, ${b.build}. Seconds from spawn to exit, output to a temporary folder. ` +
      `DisSModel: \`python3 bench/dissmodel_bench.py --cli …\`, i.e. brmangue-dissmodel's raster executor under DisSModel's run_cli ` +
      `(\`run --input <the same file> ${DISSMODEL_CLI_PARAMS.join(' ')} --output …\`: its executor defaults taxa_elevacao to 0.5, ours to 0.011). ` +
      'ratio = DisSModel median ÷ ours.',
    '',
  ].join('\n');
}
