/**
 * One row of the grid table (bench/grid-bench.ts), in a process of its own so that its peak RSS is its
 * own: `node --import tsx bench/grid-row.ts MODEL SIZE STEPS` prints one JSON line. Wall ms/step is the
 * run phase through executeLifecycle (benchModelRow); kernel ms/step is the time inside the models'
 * execute() — every Model registered on an Environment is timed — so wall − kernel is the host's work
 * per step (summaries, frames, progress, and the run's set-up and output spread over its steps).
 * Threads: DISSMODEL_THREADS (default the cores), used by the models that step in row bands (Game of
 * Life, forest fire); the band workers are started before the timed run (their start-up is not in it).
 */
import { benchModelRow } from './model-bench.ts';
import { benchInput, type BenchModel } from './synthetic.ts';
import { Environment, type Model } from '../src/sim/scheduler.ts';
import { startBandWorkers } from '../src/sim/bands.ts';
import { bandThreadsFrom, useNodeBands } from '../src/cli/node-bands.ts';

const [model, sizeArg, stepsArg] = process.argv.slice(2) as [BenchModel, string, string];
const size = Number(sizeArg);
const steps = Number(stepsArg);

let kernelMs = 0;
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

useNodeBands(bandThreadsFrom(undefined));
const t0 = performance.now();
await startBandWorkers();
const workerStartMs = performance.now() - t0;

const baselineKB = process.resourceUsage().maxRSS;
const stateBytes = benchInput(model, size, steps).bands.reduce((n, b) => n + b.data.byteLength, 0);
const r = await benchModelRow({ model, size, repeats: 1, steps });
console.log(
  JSON.stringify({
    model,
    size,
    steps,
    status: r.status,
    wallMsPerStep: r.medianMs,
    kernelMsPerStep: kernelMs / steps,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    baselineRssMB: baselineKB / 1024,
    stateMB: stateBytes / 2 ** 20,
    bandWorkers: r.bandWorkers,
    workerStartMs,
    outputSha256: r.outputSha256,
  }),
);
