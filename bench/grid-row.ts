/**
 * One row of the grid table (bench/grid-bench.ts), in a process of its own so that its peak RSS is its
 * own: `node --import tsx bench/grid-row.ts MODEL SIZE STEPS` prints one JSON line. Three times per step:
 * wall, the run phase through executeLifecycle (benchModelRow); step, the time inside `Environment.run`
 * (the step loop with its summaries, series, progress and yields: what DisSModel's benchmarks time, its
 * `env.run()`); kernel, the time inside the models' execute() — every Model registered on an Environment
 * is timed. So step − kernel is the host's work per step, and wall − step the run's set-up (the bands read
 * into the model's arrays, the output built) spread over its steps.
 *
 * Memory: the synthetic input is made and encoded (an uncompressed GeoTIFF) by a child process
 * (`--write-input`), so that this process's peak RSS holds only what a CLI run holds: the file's bytes as
 * read, the bands, the model's arrays, the output band, the encoded output and its SHA-256. The host reads
 * the file when the executor asks for it and keeps nothing it writes (as the CLI: written, then dropped),
 * and the checksums use Node's SHA-256, as the CLI's do.
 *
 * Threads: DISSMODEL_THREADS (default the cores), used by the models that step in row bands (Game of
 * Life, forest fire); the band workers are started before the timed run (their start-up is not in it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchModelRow } from './model-bench.ts';
import { benchInput, type BenchModel } from './synthetic.ts';
import { useNodeSha256 } from '../src/cli/node-sha256.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { Environment, type Model } from '../src/sim/scheduler.ts';
import { startBandWorkers } from '../src/sim/bands.ts';
import { bandThreadsFrom, useNodeBands } from '../src/cli/node-bands.ts';

const args = process.argv.slice(2);
if (args[0] === '--write-input') {
  const [, model, size, steps, path] = args as [string, BenchModel, string, string, string];
  writeFileSync(path, writeGeoTiff(benchInput(model, Number(size), Number(steps)), { compression: 'none' }));
  process.exit(0);
}

useNodeSha256(); // as the CLI: checksums by Node's hash, in place (Web Crypto's digest copies its input)

const [model, sizeArg, stepsArg] = args as [BenchModel, string, string];
const size = Number(sizeArg);
const steps = Number(stepsArg);

let kernelMs = 0;
let stepMs = 0;
const envRun = Environment.prototype.run;
Environment.prototype.run = async function (this: Environment, ...args: Parameters<Environment['run']>) {
  const t = performance.now();
  try {
    await envRun.apply(this, args);
  } finally {
    stepMs += performance.now() - t;
  }
};
const register = Environment.prototype.register;
Environment.prototype.register = function (this: Environment, m: Model) {
  const execute = m.execute.bind(m);
  m.execute = () => {
    const t = performance.now();
    execute();
    kernelMs += performance.now() - t;
  };
  register.call(this, m);
};

/** The state's bytes: the model's input bands in their own types (bench/README.md, "state bytes"). */
const stateBytes = size * size * benchInput(model, 2, steps).bands.reduce((n, b) => n + b.data.BYTES_PER_ELEMENT, 0);
const dir = mkdtempSync(join(tmpdir(), 'grid-row-'));
const file = join(dir, `${model}_${size}.tif`);
try {
  execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--write-input', model, sizeArg, stepsArg, file]);
  useNodeBands(bandThreadsFrom(undefined));
  const t0 = performance.now();
  await startBandWorkers();
  const workerStartMs = performance.now() - t0;
  const baselineKB = process.resourceUsage().maxRSS;
  let written = 0;
  const io = () => ({
    freshReads: true, // each read a buffer of its own, as the CLI's NodeIO (the run may reuse its memory)
    read: async () => readFileSync(file),
    write: async (path: string, bytes: Uint8Array) => {
      written = bytes.length;
      return path;
    },
  });
  const r = await benchModelRow({ model, size, repeats: 1, steps, host: { io, uri: file } });
  console.log(
    JSON.stringify({
      model,
      size,
      steps,
      status: r.status,
      wallMsPerStep: r.medianMs,
      stepMsPerStep: stepMs / steps,
      kernelMsPerStep: kernelMs / steps,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      baselineRssMB: baselineKB / 1024,
      stateMB: stateBytes / 2 ** 20,
      outputMB: written / 2 ** 20,
      bandWorkers: r.bandWorkers,
      workerStartMs,
      outputSha256: r.outputSha256,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
