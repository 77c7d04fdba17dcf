/**
 * The grid table of issue #17: for each grid model at 1000², 2000², 4000² (`--quick`: 256², 1000²),
 * ms/step wall and kernel, the host's share, cells/s, the speed-up on 2 workers, peak RSS; with
 * `--vs-dissmodel`, DisSModel itself on the same grid sizes, interleaved run by run, and the ratio.
 *
 * DisSModel runs when DISSMODEL_PYTHON (a Python with numpy) and DISSMODEL_SRC (a DisSModel source tree,
 * e.g. a clone of DisSModel/dissmodel) are set; else the comparison says it was skipped and why.
 * Each row is a process of its own (bench/grid-row.ts), so its peak RSS is its own.
 *
 * The main columns run on one thread (DISSMODEL_THREADS=1). For the models stepped in row bands (Game of
 * Life, forest fire: src/sim/bands.ts) each pair also runs the row on BENCH_THREADS threads
 * (DISSMODEL_THREADS of the bench, default the cores), and the workers column gives the speed-up
 * (one-thread wall ÷ banded wall, medians) and whether the output SHA-256 was the same.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { bandThreadsFrom } from '../src/cli/node-bands.ts';
import { median } from './model-bench.ts';
import { BENCH_MODELS, type BenchModel } from './synthetic.ts';

export interface GridRow {
  model: BenchModel;
  size: number;
  steps: number;
  status: string;
  wallMsPerStep: number;
  kernelMsPerStep: number;
  peakRssMB: number;
  baselineRssMB: number;
  stateMB: number;
  /** The same row on BENCH_THREADS threads (banded models only), or why there is none. */
  banded: { workers: number; wallMsPerStep: number; sameBytes: boolean } | string;
  /** DisSModel's ms/step for the same model and size (median of the pairs), or why there is none. */
  dissmodel?: number | string;
  pairs: number;
}

const here = resolve(import.meta.dirname);
/** Threads of the banded runs: DISSMODEL_THREADS, else the cores. */
export const BENCH_THREADS = bandThreadsFrom(undefined);
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
  for (const model of opts.models ?? BENCH_MODELS) {
    for (const size of sizes) {
      const steps = gridSteps(model, size);
      const ours: Record<string, unknown>[] = [];
      const theirs: number[] = [];
      let theirNote: string | undefined;
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
          const out = lastJson(
            await run(process.env.DISSMODEL_PYTHON!, [
              join(here, 'dissmodel_bench.py'),
              process.env.DISSMODEL_SRC!,
              model,
              String(size),
              String(Math.min(steps, 20)),
            ]),
          );
          if (typeof out.ms_per_step === 'number') theirs.push(out.ms_per_step);
          else theirNote = String(out.skipped ?? 'no figure');
        }
      }
      const pick = (k: string) => median(ours.map((o) => Number(o[k])));
      const gridRow: GridRow = {
        model,
        size,
        steps,
        status: String(ours[0]?.status),
        wallMsPerStep: pick('wallMsPerStep'),
        kernelMsPerStep: pick('kernelMsPerStep'),
        peakRssMB: Math.max(...ours.map((o) => Number(o.peakRssMB))),
        baselineRssMB: pick('baselineRssMB'),
        stateMB: pick('stateMB'),
        pairs: ours.length,
        banded: banded.length
          ? {
              workers: Math.min(...banded.map((o) => Number(o.bandWorkers))),
              wallMsPerStep: median(banded.map((o) => Number(o.wallMsPerStep))),
              sameBytes: [...ours, ...banded].every((o) => o.outputSha256 === ours[0].outputSha256),
            }
          : BANDED.includes(model)
            ? `one thread (DISSMODEL_THREADS=${BENCH_THREADS})`
            : 'not banded (order-dependent sums)',
        ...(why !== null ? {} : { dissmodel: theirNote ?? median(theirs) }),
      };
      rows.push(gridRow);
      opts.log(gridLine(gridRow));
    }
  }
  return why === null ? { rows } : { rows, skipped: why };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

export const GRID_HEADER =
  `| model | size | steps | wall ms/step | kernel ms/step | host / kernel | cells/s (wall) | ${BENCH_THREADS} workers | peak RSS MB (above start) | state MB | DisSModel ms/step | ratio |\n` +
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';

/** The speed-up on the banded run, its ms/step and threads; a ≠ when its output bytes differed (a bug). */
function bandedCell(r: GridRow): string {
  if (typeof r.banded === 'string') return r.banded;
  const b = r.banded;
  return `${f(r.wallMsPerStep / b.wallMsPerStep, 2)}× (${f(b.wallMsPerStep, 2)} ms/step, ${b.workers} thr${b.sameBytes ? '' : ', OUTPUT DIFFERS'})`;
}

export function gridLine(r: GridRow): string {
  const host = (r.wallMsPerStep - r.kernelMsPerStep) / r.kernelMsPerStep;
  const theirs = typeof r.dissmodel === 'number' ? f(r.dissmodel) : (r.dissmodel ?? 'skipped');
  const ratio = typeof r.dissmodel === 'number' ? `${f(r.dissmodel / r.wallMsPerStep)}×` : '—';
  return (
    `| ${r.model} | ${r.size}² | ${r.steps} | ${f(r.wallMsPerStep, 2)} | ${f(r.kernelMsPerStep, 2)} | ${f(host * 100, 0)} % | ` +
    `${((r.size * r.size) / (r.wallMsPerStep / 1000) / 1e9).toFixed(2)} G | ${bandedCell(r)} | ` +
    `${f(r.peakRssMB, 0)} (${f(r.peakRssMB - r.baselineRssMB, 0)}) | ${f(r.stateMB, 0)} | ${theirs} | ${ratio} |`
  );
}

export function gridMarkdown(rows: GridRow[], skipped: string | undefined, pairs: number): string {
  return [
    `## Grid models, wall and kernel (${pairs} run(s) per row, medians; load average ${loadavg()[0].toFixed(1)})`,
    '',
    GRID_HEADER,
    ...rows.map(gridLine),
    '',
    "wall = the run phase through executeLifecycle / steps (set-up, summaries, progress and output included); kernel = time inside the models' execute(); " +
      "host / kernel = (wall − kernel) / kernel. Peak RSS is the row's own process (Node + tsx included; in brackets: above its start). " +
      `${BENCH_THREADS} workers: the same row stepped in row bands on ${BENCH_THREADS} threads (src/sim/bands.ts; workers started before the timed run), speed-up = one-thread wall ÷ banded wall (medians), its wall ms/step, the threads it used; ` +
      'the output SHA-256 is checked equal to the one-thread run. The coastal models are not banded (their flux sums depend on the cell order).',
    `DisSModel: ${skipped ? `comparison skipped — ${skipped}.` : 'its own raster models (bench/dissmodel_bench.py), interleaved with ours run by run; ratio = DisSModel ms/step ÷ our wall ms/step.'}`,
    '',
  ].join('\n');
}
