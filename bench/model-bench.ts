/**
 * Model throughput through each executor's real run phase: a seeded synthetic
 * raster is encoded with writeGeoTiff, handed to a MemoryIO, and the record
 * goes through executeLifecycle (validate → load → run → save). ms/step is
 * record.metrics.time_run_sec / steps, so it includes the run phase's fixed
 * per-run work (reading bands into the model's arrays, building the output
 * dataset) amortised over the steps, and the per-step progress/series/await.
 *
 * Pure (no Node, no DOM): the browser worker imports this same function.
 */
import '../src/models/index.ts';
import { createRecord, executeLifecycle, ExecutorRegistry, MemoryIO } from '../src/executor/index.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { benchInput, type BenchModel } from './synthetic.ts';

export const SIZES = [100, 500, 1000, 2000] as const;
export const QUICK_SIZES = [100, 500] as const;

/**
 * Steps per model and size: enough for a run phase of ≳ 50 ms at the large
 * sizes (time_run_sec has 1 ms resolution), few enough that the whole bench
 * (Node + Chromium, 3 repeats, plus load/save of each run) stays < 10 min on 2 cores.
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
}

/** One table row: `repeats` full lifecycles on the same input bytes. */
export async function benchModelRow(opts: ModelRowOptions): Promise<ModelRowResult> {
  const { model, size, repeats } = opts;
  const steps = opts.steps ?? stepsFor(model, size);
  const cls = ExecutorRegistry.get(model);
  const bytes = writeGeoTiff(benchInput(model, size, steps), { compression: 'none' });
  const uri = `bench_${model}_${size}.tif`;
  const ms: number[] = [];
  let totalSec = Infinity;
  let status = 'completed';
  for (let k = 0; k < repeats; k++) {
    const io = new MemoryIO();
    io.inputs.set(uri, bytes);
    const record = createRecord({
      model_name: model,
      model_commit: 'bench',
      code_version: 'bench',
      source: { type: 'local', uri },
      parameters: { start_time: 1, end_time: steps },
      output_path: `out_${model}_${size}.tif`,
    });
    const outcome = await executeLifecycle(new cls(), record, { io, drawSeed: () => 42 });
    if (outcome.error !== undefined || record.status !== 'completed') {
      status = `${record.status}: ${record.logs[record.logs.length - 1] ?? ''}`;
      break;
    }
    const run = record.metrics.time_run_sec as number;
    ms.push((run * 1000) / steps);
    totalSec = Math.min(totalSec, record.metrics.time_total_sec as number);
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
  };
}
