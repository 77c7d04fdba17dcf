/**
 * Model throughput through each executor's real run phase: a seeded synthetic
 * raster is encoded with writeGeoTiff, handed to a MemoryIO, and the record
 * goes through executeLifecycle (validate → load → run → save). ms/step is the
 * run phase as executeLifecycle times it (its own clock, ctx.now, read at full
 * resolution; record.metrics.time_run_sec is the same figure rounded to 1 ms)
 * divided by the steps, so it includes the run phase's fixed per-run work
 * (reading bands into the model's arrays, building the output dataset)
 * amortised over the steps, and the per-step progress/series/await.
 *
 * Pure (no Node, no DOM): the browser worker imports this same function.
 */
import '../src/models/index.ts';
import { createRecord, executeLifecycle, ExecutorRegistry, getOutputSha256, MemoryIO, type HostIO } from '../src/executor/index.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { benchInput, type BenchModel } from './synthetic.ts';

export const SIZES = [100, 500, 1000, 2000] as const;
export const QUICK_SIZES = [100, 500] as const;

/**
 * Steps per model and size: enough for a run phase of ≳ 50 ms at the large
 * sizes (so timer jitter and the per-run set-up stay small against it), few
 * enough that the whole bench (Node + Chromium, up to 5 repeats under a per-row
 * time budget, plus load/save of each run) stays < 10 min on 2 cores.
 */
export function stepsFor(model: BenchModel, size: number): number {
  const cells = size * size;
  const base = model === 'game_of_life' || model === 'forest_fire' ? 400e6 : 100e6;
  return Math.max(5, Math.min(2000, Math.round(base / cells)));
}

export interface ModelRowResult {
  model: BenchModel;
  size: number;
  cells: number;
  steps: number;
  repeats: number;
  /** ms per step of each repeat. */
  msPerStep: number[];
  minMs: number;
  medianMs: number;
  /** cells × steps / s at the minimum (best) time. */
  cellsPerSec: number;
  /** Whole lifecycle of the best repeat (s), for context. */
  totalSec: number;
  status: string;
  /** Threads the run stepped on (record.metrics.band_workers; 1 where the model does not band). */
  bandWorkers: number;
  /** The last repeat's output SHA-256 (banded and single-thread runs must agree). */
  outputSha256: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface ModelRowOptions {
  model: BenchModel;
  size: number;
  repeats: number;
  steps?: number;
  /**
   * Time budget of the row in seconds (whole lifecycles): after the first
   * repeat, no further repeat starts once the budget would be exceeded, so a
   * slow or loaded machine still finishes the bench (the table shows how many
   * repeats ran). Default: unlimited.
   */
  budgetSec?: number;
  /**
   * The host's I/O and the input's URI on it (default: the synthetic input encoded here, held by a MemoryIO that
   * keeps the outputs). The grid rows pass a host that reads the input from a file and keeps nothing, as the CLI.
   */
  host?: { io: () => HostIO; uri: string };
}

/**
 * A clock for executeLifecycle that remembers its readings: the lifecycle reads
 * it once at the start and once at the end of each phase, in phase order, so
 * readings 4 and 5 bracket the run phase. Falls back to time_run_sec if the
 * readings do not match it (another reader, a changed lifecycle).
 */
function runPhaseSec(readings: number[], recorded: number): number {
  if (readings.length === 8) {
    const precise = (readings[5] - readings[4]) / 1000;
    if (Math.abs(precise - recorded) <= 0.0006) return precise;
  }
  return recorded;
}

function memoryHost(bytes: Uint8Array, uri: string): { io: () => HostIO; uri: string } {
  return {
    uri,
    io: () => {
      const io = new MemoryIO();
      io.inputs.set(uri, bytes);
      return io;
    },
  };
}

/** One table row: `repeats` full lifecycles on the same input bytes. */
export async function benchModelRow(opts: ModelRowOptions): Promise<ModelRowResult> {
  const { model, size, repeats } = opts;
  const steps = opts.steps ?? stepsFor(model, size);
  const cls = ExecutorRegistry.get(model);
  const host = opts.host ?? memoryHost(writeGeoTiff(benchInput(model, size, steps), { compression: 'none' }), `bench_${model}_${size}.tif`);
  const uri = host.uri;
  const ms: number[] = [];
  let totalSec = Infinity;
  let status = 'completed';
  let bandWorkers = 1;
  let outputSha256 = '';
  const t0 = performance.now();
  for (let k = 0; k < repeats; k++) {
    if (k > 0 && opts.budgetSec !== undefined) {
      const spent = (performance.now() - t0) / 1000;
      if (spent + spent / k > opts.budgetSec) break;
    }
    const io = host.io();
    const record = createRecord({
      model_name: model,
      model_commit: 'bench',
      code_version: 'bench',
      source: { type: 'local', uri },
      parameters: { start_time: 1, end_time: steps },
      output_path: `out_${model}_${size}.tif`,
    });
    const readings: number[] = [];
    const now = () => {
      const t = performance.now();
      readings.push(t);
      return t;
    };
    const outcome = await executeLifecycle(new cls(), record, { io, drawSeed: () => 42, now });
    if (outcome.error !== undefined || record.status !== 'completed') {
      status = `${record.status}: ${record.logs[record.logs.length - 1] ?? ''}`;
      break;
    }
    const run = runPhaseSec(readings, record.metrics.time_run_sec as number);
    ms.push((run * 1000) / steps);
    totalSec = Math.min(totalSec, record.metrics.time_total_sec as number);
    bandWorkers = typeof record.metrics.band_workers === 'number' ? record.metrics.band_workers : 1;
    outputSha256 = getOutputSha256(record) ?? '';
  }
  const minMs = ms.length ? Math.min(...ms) : NaN;
  return {
    model,
    size,
    cells: size * size,
    steps,
    repeats: ms.length,
    msPerStep: ms,
    minMs,
    medianMs: ms.length ? median(ms) : NaN,
    cellsPerSec: (size * size) / (minMs / 1000),
    totalSec,
    status,
    bandWorkers,
    outputSha256,
  };
}
