/**
 * The Node half of the benchmark: model rows through executeLifecycle, the
 * GeoTIFF/SHA-256 figures, and peak memory.
 */
import { benchIo, type IoResult } from './io-bench.ts';
import { benchModelRow, SIZES, type ModelRowResult } from './model-bench.ts';
import { BENCH_MODELS, type BenchModel } from './synthetic.ts';
import { verdictFor, type Verdict } from './targets.ts';

export type Row = ModelRowResult & Verdict & { host: string };

export interface MemoryPeak {
  /** Peak resident set size of the process (getrusage maxRSS), MB. */
  maxRssMB: number;
  /** High-water of heapUsed sampled every 20 ms and between rows, MB. */
  heapUsedMB: number;
  /** High-water of external + arrayBuffers (typed arrays live there), MB. */
  arrayBuffersMB: number;
}

export interface NodeBenchOptions {
  sizes?: readonly number[];
  models?: readonly BenchModel[];
  repeats?: number;
  /** Raster side for the I/O figures; 0 = skip them. */
  ioSize?: number;
  /** Repeats of each I/O figure (default: repeats). */
  ioRepeats?: number;
  /** Override steps (tests). */
  steps?: number;
  /** Time budget per row, seconds (see benchModelRow). */
  budgetSec?: number;
  log?: (line: string) => void;
}

export interface NodeBenchResult {
  rows: Row[];
  io: IoResult | null;
  memory: MemoryPeak;
}

/** Attach verdicts: forest fire is compared with the Game of Life row of the same size and host. */
export function withVerdicts(results: ModelRowResult[], host: string): Row[] {
  return results.map((r) => {
    const gol = results.find((g) => g.model === 'game_of_life' && g.size === r.size);
    return { ...r, ...verdictFor(r, gol ? gol.cellsPerSec : null), host };
  });
}

export async function runNodeBench(opts: NodeBenchOptions = {}): Promise<NodeBenchResult> {
  const sizes = opts.sizes ?? SIZES;
  const models = opts.models ?? BENCH_MODELS;
  const repeats = opts.repeats ?? 3;
  const log = opts.log ?? (() => {});
  let heap = 0;
  let ab = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    ab = Math.max(ab, m.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  try {
    const results: ModelRowResult[] = [];
    for (const size of sizes) {
      for (const model of models) {
        const r = await benchModelRow({
          model,
          size,
          repeats,
          ...(opts.steps ? { steps: opts.steps } : {}),
          ...(opts.budgetSec !== undefined ? { budgetSec: opts.budgetSec } : {}),
        });
        sample();
        log(`  node ${model} ${size}²: ${r.minMs.toFixed(3)} ms/step (${r.steps} steps × ${r.repeats})`);
        results.push(r);
      }
    }
    let io: IoResult | null = null;
    if (opts.ioSize) {
      log(`  node GeoTIFF/SHA-256 on ${opts.ioSize}² float32...`);
      io = await benchIo(opts.ioSize, opts.ioRepeats ?? repeats);
      sample();
    }
    return {
      rows: withVerdicts(results, 'node'),
      io,
      memory: { maxRssMB: process.resourceUsage().maxRSS / 1024, heapUsedMB: heap / 1048576, arrayBuffersMB: ab / 1048576 },
    };
  } finally {
    clearInterval(timer);
  }
}
