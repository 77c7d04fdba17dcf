/**
 * The grid table of issue #17: for each grid model at 1000², 2000², 4000² (`--quick`: 256², 1000²),
 * ms/step wall (the run phase), step (the step loop) and kernel, the host's share per step, the set-up per
 * run, cells/s, the speed-up on 2 workers, peak RSS; with `--vs-dissmodel`, DisSModel itself on the same
 * grid sizes, interleaved run by run, and the ratios.
 *
 * DisSModel runs when DISSMODEL_PYTHON (a Python with numpy) and DISSMODEL_SRC (a DisSModel source tree,
 * e.g. a clone of DisSModel/dissmodel) are set; else the comparison says it was skipped and why. Its
 * forest fire and BR-MANGUE live in other repositories: DISSMODEL_CA_SRC (DisSModel/dissmodel-ca) and
 * DISSMODEL_BRMANGUE_SRC (DisSModel/brmangue-dissmodel), run on the same synthetic GeoTIFF as our row.
 * A DisSModel row that cannot run (a tree or module missing, an exception) says 'skipped: <reason>'.
 * Each row is a process of its own (bench/grid-row.ts), so its peak RSS is its own.
 *
 * The main columns run on one thread (DISSMODEL_THREADS=1). For the models stepped in row bands (Game of
 * Life, forest fire: src/sim/bands.ts) each pair also runs the row on BENCH_THREADS threads
 * (DISSMODEL_THREADS of the bench, default the cores), and the workers column gives the speed-up
 * (one-thread wall ÷ banded wall, medians) and whether the output SHA-256 was the same.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dissmodelMsPerStep } from './dissmodel-run.ts';
import { bandThreadsFrom } from '../src/cli/node-bands.ts';
import { median } from './model-bench.ts';
import { BENCH_MODELS, type BenchModel } from './synthetic.ts';

export interface GridRow {
  model: BenchModel;
  size: number;
  steps: number;
  status: string;
  /** The run phase / steps: set-up, step loop and output. */
  wallMsPerStep: number;
  /** `Environment.run` / steps: the step loop with its summaries, series, progress and yields. */
  stepMsPerStep: number;
  kernelMsPerStep: number;
  peakRssMB: number;
  baselineRssMB: number;
  stateMB: number;
  /** The same row on BENCH_THREADS threads (banded models only), or why there is none. */
  banded: { workers: number; wallMsPerStep: number; stepMsPerStep: number; sameBytes: boolean } | string;
  /** DisSModel's ms/step for the same model and size (median of the pairs), or why there is none. */
  dissmodel?: number | string;
  pairs: number;
}

const here = resolve(import.meta.dirname);
/** Threads of the banded runs: DISSMODEL_THREADS, else the cores (not the CLI's default, 1 with WebAssembly). */
export const BENCH_THREADS = process.env.DISSMODEL_THREADS ? bandThreadsFrom(undefined) : availableParallelism();
const BANDED: readonly BenchModel[] = ['game_of_life', 'forest_fire'];

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((done, fail) =>
    execFile(file, args, { env, maxBuffer: 1 << 24, timeout: 1_800_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : done(stdout),
    ),
  );
}

const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

/** Steps per row: a run phase of ≳ 0.2 s of kernel at the large sizes, few enough for the machine. */
export function gridSteps(model: BenchModel, size: number): number {
  const cells = size * size;
  const base = model === 'game_of_life' || model === 'forest_fire' ? 1e9 : 100e6;
  return Math.max(5, Math.min(500, Math.round(base / cells)));
}

/** Why DisSModel cannot be run here, or null when it can. */
export function dissmodelUnavailable(env = process.env): string | null {
  if (!env.DISSMODEL_PYTHON || !env.DISSMODEL_SRC)
    return 'set DISSMODEL_PYTHON (a Python with numpy, geopandas and libpysal) and DISSMODEL_SRC (a DisSModel source tree)';
  if (!existsSync(join(env.DISSMODEL_SRC, 'dissmodel', 'core')))
    return `DISSMODEL_SRC=${env.DISSMODEL_SRC} holds no dissmodel/core package`;
  return null;
}

/** The DisSModel repository that holds each model's raster version outside DisSModel's core benchmarks. */
const MODEL_TREES: Partial<Record<BenchModel, { variable: string; file: string; repo: string }>> = {
  forest_fire: { variable: 'DISSMODEL_CA_SRC', file: 'dissmodel_ca/models/fire_model_raster.py', repo: 'DisSModel/dissmodel-ca' },
  brmangue: { variable: 'DISSMODEL_BRMANGUE_SRC', file: 'brmangue/models/raster/flood_model.py', repo: 'DisSModel/brmangue-dissmodel' },
};

/** A repository or its src/: the folder holding `file`, or null. */
export function treeHolding(dir: string | undefined, file: string): string | null {
  if (!dir) return null;
  for (const d of [dir, join(dir, 'src')]) if (existsSync(join(d, file))) return d;
  return null;
}

/** Why DisSModel's version of `model` cannot be run here (its repository's tree not given), or null. */
export function modelTreeUnavailable(model: BenchModel, env = process.env): string | null {
  const t = MODEL_TREES[model];
  if (!t || treeHolding(env[t.variable], t.file)) return null;
  return env[t.variable]
    ? `${t.variable}=${env[t.variable]} holds no ${t.file}`
    : `set ${t.variable} to a ${t.repo} source tree (its raster ${model} is not in DisSModel's core benchmarks)`;
}

/**
 * Steps DisSModel runs for a row: game_of_life and flood_benchmark run DisSModel's own benchmark modules on
 * their own grids, capped at 20 steps (their cost per step does not depend on the state); forest_fire and
 * brmangue run our synthetic grid, whose coast is scaled to the step count, so they run our steps.
 */
export function dissmodelSteps(model: BenchModel, steps: number): number {
  return MODEL_TREES[model] ? steps : Math.min(steps, 20);
}

/**
 * DisSModel's ms/step for one row, or 'skipped: <reason>'. forest_fire and brmangue get `tif`, the
 * synthetic GeoTIFF our row runs.
 */
export async function dissmodelRow(
  model: BenchModel,
  size: number,
  steps: number,
  tif: string | undefined,
  env = process.env,
): Promise<number | string> {
  const why = dissmodelUnavailable(env) ?? modelTreeUnavailable(model, env);
  if (why !== null) return `skipped: ${why}`;
  const args = [env.DISSMODEL_SRC!, model, String(size), String(dissmodelSteps(model, steps)), ...(tif ? [tif] : [])];
  return dissmodelMsPerStep(env.DISSMODEL_PYTHON!, args, env);
}

/** A temporary folder for the rows' GeoTIFFs, removed at the latest when the process exits. */
async function inputFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dissmodel-grid-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The synthetic input of a row as the GeoTIFF our row reads (same bytes: grid-row.ts writes its own so), made
 * by a child process: a row forked from this process inherits its peak RSS (Linux counts the image before
 * exec in the new program's ru_maxrss), so this process must never hold a 4000² input itself — it did, and
 * BR-MANGUE 4000²'s row read a baseline of 443 MB instead of 97.
 */
async function writeInput(dir: string, model: BenchModel, size: number, steps: number): Promise<string> {
  const file = join(dir, `${model}_${size}_${steps}.tif`);
  await run(process.execPath, ['--import', 'tsx', join(here, 'grid-row.ts'), '--write-input', model, String(size), String(steps), file]);
  return file;
}

export async function runGridBench(opts: {
  quick: boolean;
  vsDissmodel: boolean;
  pairs: number;
  log: (l: string) => void;
  /** Only these models (default all). */
  models?: readonly BenchModel[];
}): Promise<{ rows: GridRow[]; skipped?: string }> {
  const sizes = opts.quick ? [256, 1000] : [1000, 2000, 4000];
  const why = opts.vsDissmodel ? dissmodelUnavailable() : 'not asked (npm run bench -- --vs-dissmodel)';
  const rows: GridRow[] = [];
  const inputs = why === null ? await inputFolder() : undefined;
  for (const model of opts.models ?? BENCH_MODELS) {
    for (const size of sizes) {
      const steps = gridSteps(model, size);
      const ours: Record<string, unknown>[] = [];
      const theirs: number[] = [];
      let theirNote: string | undefined;
      const tif =
        inputs && MODEL_TREES[model] && modelTreeUnavailable(model) === null ? await writeInput(inputs, model, size, steps) : undefined;
      // Interleaved: ours, theirs, ours, theirs… so both see the same load.
      const banded: Record<string, unknown>[] = [];
      const row = (threads: number) =>
        run(process.execPath, ['--import', 'tsx', join(here, 'grid-row.ts'), model, String(size), String(steps)], {
          ...process.env,
          DISSMODEL_THREADS: String(threads),
        }).then(lastJson);
      for (let k = 0; k < opts.pairs; k++) {
        ours.push(await row(1));
        if (BANDED.includes(model) && BENCH_THREADS > 1) banded.push(await row(BENCH_THREADS));
        if (why === null && theirNote === undefined) {
          const out = await dissmodelRow(model, size, steps, tif);
          if (typeof out === 'number') theirs.push(out);
          else theirNote = out;
        }
      }
      if (tif) await rm(tif, { force: true });
      const pick = (k: string) => median(ours.map((o) => Number(o[k])));
      const gridRow: GridRow = {
        model,
        size,
        steps,
        status: String(ours[0]?.status),
        wallMsPerStep: pick('wallMsPerStep'),
        stepMsPerStep: pick('stepMsPerStep'),
        kernelMsPerStep: pick('kernelMsPerStep'),
        peakRssMB: Math.max(...ours.map((o) => Number(o.peakRssMB))),
        baselineRssMB: pick('baselineRssMB'),
        stateMB: pick('stateMB'),
        pairs: ours.length,
        banded: banded.length
          ? {
              workers: Math.min(...banded.map((o) => Number(o.bandWorkers))),
              wallMsPerStep: median(banded.map((o) => Number(o.wallMsPerStep))),
              stepMsPerStep: median(banded.map((o) => Number(o.stepMsPerStep))),
              sameBytes: [...ours, ...banded].every((o) => o.outputSha256 === ours[0].outputSha256),
            }
          : BANDED.includes(model)
            ? `one thread (DISSMODEL_THREADS=${BENCH_THREADS})`
            : 'not banded (see ARCHITECTURE.md)',
        ...(why !== null ? {} : { dissmodel: theirNote ?? median(theirs) }),
      };
      rows.push(gridRow);
      opts.log(gridLine(gridRow));
    }
  }
  if (inputs) await rm(inputs, { recursive: true, force: true });
  return why === null ? { rows } : { rows, skipped: why };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

export const GRID_HEADER =
  `| model | size | steps | wall ms/step | step ms/step | kernel ms/step | host per step / kernel | set-up ms/run | cells/s (step) | ${BENCH_THREADS} workers (step; wall) | peak RSS MB (above start) | state MB | RSS above start / state | targets | DisSModel ms/step | ratio (step; wall) |\n` +
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';

/**
 * Issue #17's targets: host work per step ≤ 10 % of kernel time on every row; ≥ 50× DisSModel per step
 * (its `env.run()` against our step loop) where DisSModel ran; for a 4000² run (RSS_TARGET_SIZE and up:
 * below it a few MB of the engine's own growth outweigh the state), peak RSS above the start ≤ 3 × the
 * state's bytes.
 */
export const HOST_TARGET = 0.1;
export const RATIO_TARGET = 50;
export const RSS_TARGET = 3;
export const RSS_TARGET_SIZE = 4000;

/** "ok", or which target the row misses; `ratio` is NaN when DisSModel did not run. */
export function gridVerdict(size: number, host: number, rssRatio: number, ratio = NaN): string {
  if (!Number.isFinite(host) || !Number.isFinite(rssRatio)) return '—';
  const misses = [
    ...(host > HOST_TARGET ? [`host > ${HOST_TARGET * 100} %`] : []),
    ...(ratio < RATIO_TARGET ? [`< ${RATIO_TARGET}× DisSModel`] : []),
    ...(size >= RSS_TARGET_SIZE && rssRatio > RSS_TARGET ? [`RSS > ${RSS_TARGET}× state`] : []),
  ];
  return misses.length ? misses.join(', ') : 'ok';
}

/** The speed-up of the banded run (step loop; run phase), its step ms/step and threads; a warning when its output bytes differed (a bug). */
function bandedCell(r: GridRow): string {
  if (typeof r.banded === 'string') return r.banded;
  const b = r.banded;
  return (
    `${f(r.stepMsPerStep / b.stepMsPerStep, 2)}×; ${f(r.wallMsPerStep / b.wallMsPerStep, 2)}× ` +
    `(${f(b.stepMsPerStep, 2)} ms/step, ${b.workers} thr${b.sameBytes ? '' : ', OUTPUT DIFFERS'})`
  );
}

export function gridLine(r: GridRow): string {
  const host = (r.stepMsPerStep - r.kernelMsPerStep) / r.kernelMsPerStep;
  const setUpMs = (r.wallMsPerStep - r.stepMsPerStep) * r.steps;
  const theirs = typeof r.dissmodel === 'number' ? f(r.dissmodel) : (r.dissmodel ?? 'skipped');
  const ratio = typeof r.dissmodel === 'number' ? r.dissmodel / r.stepMsPerStep : NaN;
  const ratioCell = typeof r.dissmodel === 'number' ? `${f(ratio)}×; ${f(r.dissmodel / r.wallMsPerStep)}×` : '—';
  const rss = (r.peakRssMB - r.baselineRssMB) / r.stateMB;
  return (
    `| ${r.model} | ${r.size}² | ${r.steps} | ${f(r.wallMsPerStep, 2)} | ${f(r.stepMsPerStep, 2)} | ${f(r.kernelMsPerStep, 2)} | ${f(host * 100, 0)} % | ` +
    `${f(setUpMs, 0)} | ${((r.size * r.size) / (r.stepMsPerStep / 1000) / 1e9).toFixed(2)} G | ${bandedCell(r)} | ` +
    `${f(r.peakRssMB, 0)} (${f(r.peakRssMB - r.baselineRssMB, 0)}) | ${f(r.stateMB, 0)} | ${f(rss, 1)}× | ${gridVerdict(r.size, host, rss, ratio)} | ${theirs} | ${ratioCell} |`
  );
}

/** What DisSModel runs on each row (bench/dissmodel_bench.py says it in full). */
export const DISSMODEL_ROWS =
  "game_of_life and flood_benchmark: DisSModel's benchmarks/*.py on their own random grids of the size, ≤ 20 steps; " +
  "forest_fire: dissmodel-ca's raster FireModel, brmangue: brmangue-dissmodel's raster FloodModel + MangroveModel " +
  '(sea-level rise 0.011, tide 6), both on the synthetic GeoTIFF our row runs, with our steps; ms/step = env.run() / steps. ' +
  "dissmodel-ca's raster fire spreads to 8 neighbours (focal_sum_mask's default), ours runs its default von_neumann.";

export function gridMarkdown(rows: GridRow[], skipped: string | undefined, pairs: number): string {
  return [
    `## Grid models, wall and kernel (${pairs} run(s) per row, medians; load average ${loadavg()[0].toFixed(1)})`,
    '',
    GRID_HEADER,
    ...rows.map(gridLine),
    '',
    'wall = the run phase through executeLifecycle / steps (set-up, step loop and output); step = the time inside Environment.run / steps ' +
      "(the step loop with its summaries, series, progress and yields: what DisSModel's benchmarks time, its env.run()); kernel = time inside the models' execute(); " +
      "host per step / kernel = (step − kernel) / kernel; set-up ms/run = (wall − step) × steps: the bands read into the model's arrays and checked, the output built. " +
      "Peak RSS is the row's own process (Node + tsx included; in brackets: above its start, " +
      'once the modules are loaded: the input file as read, bands, model arrays, output and its checksum). ' +
      `State = the model's input bands in their own types (cells × bytes per cell). Targets (issue #17): host per step ≤ ${HOST_TARGET * 100} % of kernel, ≥ ${RATIO_TARGET}× DisSModel per step, ` +
      `RSS above start ≤ ${RSS_TARGET}× state from ${RSS_TARGET_SIZE}² (bench/README.md). ` +
      `${BENCH_THREADS} workers: the same row stepped in row bands on ${BENCH_THREADS} threads, each with the WebAssembly kernel over one shared memory (src/sim/bands.ts; workers started before the timed run), speed-up = one-thread ÷ banded ms/step (medians) of the step loop, then of the run phase; the banded step ms/step, the threads it used; ` +
      'the output SHA-256 is checked equal to the one-thread run. The coastal models are not banded (ARCHITECTURE.md, "One large grid on all cores").',
    `DisSModel: ${skipped ? `comparison skipped — ${skipped}.` : 'its own raster models (bench/dissmodel_bench.py), interleaved with ours run by run; ratio = DisSModel ms/step ÷ our step ms/step (both the step loop), then ÷ our wall ms/step (our set-up included, theirs not).'}`,
    ...(skipped ? [] : [DISSMODEL_ROWS]),
    '',
  ].join('\n');
}
