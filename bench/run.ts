/**
 * `npm run bench` — models at 100², 500², 1000², 2000² in Node and in a Web
 * Worker in headless Chromium, GeoTIFF/SHA-256 throughput, peak memory.
 * Writes bench/results/latest.md and latest.json.
 * `npm run bench -- --quick`: 100² and 500², 1 repeat, Node only (small I/O
 * raster); writes latest-quick.md/json so the full results stay.
 * `--no-browser` skips the Chromium rows; `--browser` adds them to --quick.
 * `--platform`: the platform's jobs/s and latency instead (bench/platform-bench.ts).
 * `--kernels`: only the kernel-only table, JavaScript vs WebAssembly (bench/kernel-bench.ts); every mode prints it with the grid table.
 * Full mode: up to 5 repeats per row within a 6 s budget per row (at least
 * one), so the whole run stays well under 10 minutes on 2 cores.
 * Every mode ends with the grid table of issue #17 (bench/grid-bench.ts, one run per row) and the CLI
 * end to end (bench/cli-bench.ts); `--grid` / `--vs-dissmodel` print only those two, with 3 runs per grid
 * row (`--pairs N` sets it) and DisSModel beside ours with `--vs-dissmodel`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { runBrowserBench, type BrowserMemory } from './browser-bench.ts';
import { luccMarkdown, runLuccBench } from './lucc-bench.ts';
import { QUICK_SIZES, SIZES } from './model-bench.ts';
import { runNodeBench, withVerdicts, type Row } from './node-bench.ts';
import { loaded, markdown, type Report } from './report.ts';
import type { CliBench } from './cli-bench.ts';
import type { GridRow } from './grid-bench.ts';
import { BENCH_MODELS, type BenchModel } from './synthetic.ts';
import { nonLinearNotes } from './targets.ts';

const args = process.argv.slice(2);
// `--platform`: only the platform's section (redis-server, s3rver, serve and workers), then exit.
if (args.includes('--platform')) await import('./platform-bench.ts');
// `--fluidity`: only the page-fluidity rows of issue #16 (bench/fluidity-run.ts), then exit.
if (args.includes('--fluidity')) await import('./fluidity-run.ts');
const quick = args.includes('--quick');
const gridOnly = args.includes('--grid') || args.includes('--vs-dissmodel');
const pairsArg = args.indexOf('--pairs');
const gridPairs = pairsArg >= 0 ? Math.max(1, Number(args[pairsArg + 1]) || 1) : gridOnly && !quick ? 3 : 1;

/** The kernel-only table of issue #17 (bench/kernel-bench.ts), JavaScript vs WebAssembly, printed row by row; its markdown. */
async function kernelSection(): Promise<string> {
  const { runKernelBench, kernelMarkdown, KERNEL_HEADER } = await import('./kernel-bench.ts');
  const repeats = quick ? 2 : 5;
  process.stdout.write(KERNEL_HEADER + '\n');
  const k = runKernelBench({ sizes: quick ? [256, 1000] : [1000, 2000, 4000], repeats, log: (l) => process.stdout.write(l + '\n') });
  return kernelMarkdown(k.rows, k.skipped, repeats, loadavg()[0]);
}

/** `--grid-models=a,b`: those grid rows only; an unknown name is refused with the known ones. */
function gridModels(list: string | undefined): BenchModel[] | undefined {
  if (list === undefined) return undefined;
  const names = list.split(',');
  for (const n of names)
    if (!(BENCH_MODELS as readonly string[]).includes(n))
      throw new Error(`--grid-models: no bench model "${n}" (${BENCH_MODELS.join(', ')})`);
  return names as BenchModel[];
}

/** The grid table of issue #17, the kernel table and the CLI end to end: printed row by row, returned as Markdown. */
async function gridSection(): Promise<{ md: string; rows: GridRow[]; cli: CliBench }> {
  const { runGridBench, gridMarkdown, GRID_HEADER } = await import('./grid-bench.ts');
  const { runCliBench, cliMarkdown, CLI_HEADER } = await import('./cli-bench.ts');
  const vsDissmodel = args.includes('--vs-dissmodel');
  const out = (l: string) => process.stdout.write(l + '\n');
  out(`Grid models (${gridPairs} run(s) per row${vsDissmodel ? ', DisSModel interleaved' : ''})…`);
  out(GRID_HEADER);
  const grid = await runGridBench({
    quick,
    vsDissmodel,
    pairs: gridPairs,
    log: out,
    // `--grid-models=game_of_life,forest_fire`: only those rows.
    models: gridModels(args.find((a) => a.startsWith('--grid-models='))?.slice('--grid-models='.length)),
  });
  const gridMd = gridMarkdown(grid.rows, grid.skipped, gridPairs);
  out('Kernels alone, JavaScript and WebAssembly…');
  const kernelMd = await kernelSection();
  out('CLI end to end…');
  out(CLI_HEADER);
  const cli = await runCliBench({ runs: quick ? 3 : 5, vsDissmodel, log: out });
  return { md: gridMd + '\n' + kernelMd + '\n' + cliMarkdown(cli), rows: grid.rows, cli };
}

// `--kernels`: only the kernel-only table, then exit.
if (args.includes('--kernels')) {
  const md = await kernelSection();
  const dir = resolve(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, quick ? 'kernels-quick.md' : 'kernels.md'), md);
  process.stdout.write('\n' + md);
  process.exit(0);
}

// `--grid` / `--vs-dissmodel`: only the grid table, the kernel table and the CLI rows of issue #17, then exit.
if (gridOnly) {
  const t0 = performance.now();
  const { md } = await gridSection();
  const dir = resolve(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, quick ? 'grid-quick.md' : 'grid.md'), md);
  process.stdout.write('\n' + md + `\nWall time: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  process.exit(0);
}
const browserOn = quick ? args.includes('--browser') : !args.includes('--no-browser');
const sizes = quick ? [...QUICK_SIZES] : [...SIZES];
const repeats = quick ? 1 : 5;
const budgetSec = quick ? undefined : 6;
const ioRepeats = quick ? 1 : 3;
const ioSize = quick ? 1024 : 4096;
const log = (l: string) => process.stdout.write(l + '\n');

const cores = availableParallelism();
const load = { start: loadavg()[0], max: loadavg()[0], cores };
const loadTimer = setInterval(() => (load.max = Math.max(load.max, loadavg()[0])), 1000);
loadTimer.unref();

const t0 = performance.now();
// The grid rows first: each is a process of its own whose peak RSS (getrusage) starts at this process's peak,
// which Linux hands on through fork and exec, and this process is smallest before the rows below.
const grid = await gridSection();
log(
  `Node ${process.version}: ${sizes.map((s) => `${s}²`).join(', ')} × up to ${repeats} repeat(s)${budgetSec ? ` (${budgetSec} s per row)` : ''}; load average ${load.start.toFixed(2)} on ${cores} cores`,
);
const node = await runNodeBench({ sizes, repeats, ioSize, ioRepeats, log, ...(budgetSec ? { budgetSec } : {}) });
let rows: Row[] = node.rows;
log('LuccME Lab1 (lucc_raster, lucc_vector)…');
const lucc = await runLuccBench(quick ? 1 : 3, log);
let browser = 'not run (--quick / --no-browser)';
let browserSkipped: string | undefined;
let browserMemory: BrowserMemory | undefined;
if (browserOn) {
  log('Chromium (module Web Worker)…');
  try {
    const b = await runBrowserBench({ sizes, models: [...BENCH_MODELS], repeats, ...(budgetSec ? { budgetSec } : {}) }, log);
    browser = b.browser;
    browserSkipped = b.skipped;
    browserMemory = b.memory;
    if (b.skipped) log(`Browser rows skipped: ${b.skipped}`);
    rows = rows.concat(withVerdicts(b.rows, 'chromium worker'));
  } catch (e) {
    browserSkipped = `the browser run failed: ${(e as Error).message.split('\n')[0]}`;
    log(`Browser rows skipped: ${browserSkipped}`);
  }
}

clearInterval(loadTimer);
load.max = Math.max(load.max, loadavg()[0]);
if (loaded(load)) {
  // Say on every row that falls short that the CPUs were shared.
  const note = ` (and by a shared machine: load average up to ${load.max.toFixed(1)} on ${cores} cores)`;
  rows = rows.map((r) => (r.verdict.startsWith('not met') ? { ...r, verdict: r.verdict + note } : r));
}

const report: Report = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'cpu'} · ${cores} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · Node ${process.version}`,
  mode: quick ? 'quick' : 'full',
  method:
    'Method: each row is a full executeLifecycle (validate → load → run → save) of the registered executor on a seeded synthetic raster ' +
    '(writeGeoTiff, uncompressed, held by a MemoryIO); ms/step = the run phase as executeLifecycle times it (its clock read at full resolution; ' +
    'record.metrics.time_run_sec is the same figure rounded to 1 ms) / steps, with steps chosen for a run phase of ≳ 50 ms at 1000²+. ' +
    'The run phase includes per-run set-up (band → model arrays, output dataset) and per-step progress/series/await. ' +
    `min and median over up to ${repeats} repeat(s)${budgetSec ? ` within ${budgetSec} s per row` : ''}; cells/s uses the best repeat.`,
  rows,
  io: node.io,
  memory: node.memory,
  browser,
  ...(browserSkipped ? { browserSkipped } : {}),
  ...(browserMemory ? { browserMemory } : {}),
  load,
  nonLinear: nonLinearNotes(rows),
  wallSec: (performance.now() - t0) / 1000,
};
const md = markdown(report) + '\n' + luccMarkdown(lucc) + '\n' + grid.md;
const dir = resolve(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });
// A quick run does not overwrite the full results.
const stem = quick ? 'latest-quick' : 'latest';
await writeFile(join(dir, `${stem}.md`), md);
await writeFile(join(dir, `${stem}.json`), JSON.stringify({ ...report, lucc, grid: grid.rows, cli: grid.cli }, null, 2) + '\n');
log('');
log(md);
log(`Written: ${join(dir, stem + '.md')}, ${stem}.json`);
