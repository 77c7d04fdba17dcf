/**
 * Kernel-only speed of the bit-parallel grid models (issue #17): Game of Life and forest fire (Moore and
 * von Neumann) at 1000², 2000², 4000² (`--quick`: 256², 1000²), each with its JavaScript and its
 * WebAssembly kernel, on one core. The model (GameOfLifeRaster / FireRaster, `engine` forced) is
 * built from the bench's seeded input, warmed up, then `execute()` — the step and the buffer swap,
 * nothing of the host — is timed over a run of steps; the engines alternate repeat by repeat so that
 * both see the same machine load. cells/s = cells / best ms per step.
 */
import { FireRaster } from '../src/models/forest-fire/model.ts';
import { GameOfLifeRaster } from '../src/models/game-of-life/model.ts';
import { Environment, type Model } from '../src/sim/scheduler.ts';
import { wasmUnavailable } from '../src/sim/wasm/runtime.ts';
import { median } from './model-bench.ts';
import { fireInput, golInput } from './synthetic.ts';

export type KernelCase = 'game_of_life' | 'forest_fire moore' | 'forest_fire von_neumann';
export const KERNEL_CASES: readonly KernelCase[] = ['game_of_life', 'forest_fire moore', 'forest_fire von_neumann'];
type Engine = 'js' | 'wasm';

export interface KernelRow {
  kernel: KernelCase;
  size: number;
  engine: Engine;
  steps: number;
  bestMsPerStep: number;
  medianMsPerStep: number;
}

function build(kernel: KernelCase, size: number, engine: Engine): Model {
  const env = new Environment();
  if (kernel === 'game_of_life') return new GameOfLifeRaster(env, size, size, golInput(size).bands[0].data as Uint8Array, { engine });
  const nbh = kernel === 'forest_fire moore' ? 'moore' : 'von_neumann';
  return new FireRaster(env, size, size, fireInput(size).bands[0].data as Uint8Array, nbh, { engine });
}

/** Steps per timed run: ≈ 10⁹ cell updates (≈ 0.1–0.4 s), at least 10. */
export const kernelSteps = (size: number): number => Math.max(10, Math.round(1e9 / (size * size)));

export function runKernelBench(opts: { sizes: number[]; repeats: number; log?: (line: string) => void }): {
  rows: KernelRow[];
  skipped?: string;
} {
  const engines: Engine[] = wasmUnavailable() === null ? ['js', 'wasm'] : ['js'];
  const rows: KernelRow[] = [];
  for (const kernel of KERNEL_CASES) {
    for (const size of opts.sizes) {
      const steps = kernelSteps(size);
      const models = new Map(engines.map((e) => [e, build(kernel, size, e)]));
      const times = new Map<Engine, number[]>(engines.map((e) => [e, []]));
      for (const m of models.values()) for (let s = 0; s < Math.min(steps, 50); s++) m.execute(); // warm-up (JIT tiers)
      for (let k = 0; k < opts.repeats; k++) {
        for (const [engine, m] of models) {
          const t = performance.now();
          for (let s = 0; s < steps; s++) m.execute();
          times.get(engine)!.push((performance.now() - t) / steps);
        }
      }
      for (const engine of engines) {
        const ms = times.get(engine)!;
        const row = { kernel, size, engine, steps, bestMsPerStep: Math.min(...ms), medianMsPerStep: median(ms) };
        rows.push(row);
        opts.log?.(kernelLine(row, rows));
      }
    }
  }
  const why = wasmUnavailable();
  return why === null ? { rows } : { rows, skipped: why };
}

export const KERNEL_HEADER =
  '| kernel | size | engine | steps | ms/step (best) | cells/s (best) | cells/s (median) | WASM ÷ JS |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- |';

const gcells = (size: number, ms: number) => `${((size * size) / ms / 1e6).toFixed(2)} G`;

export function kernelLine(r: KernelRow, all: KernelRow[]): string {
  const js = all.find((x) => x.kernel === r.kernel && x.size === r.size && x.engine === 'js');
  const ratio = r.engine === 'wasm' && js ? `${(js.bestMsPerStep / r.bestMsPerStep).toFixed(2)}×` : '—';
  return (
    `| ${r.kernel} | ${r.size}² | ${r.engine} | ${r.steps} | ${r.bestMsPerStep.toFixed(3)} | ` +
    `${gcells(r.size, r.bestMsPerStep)} | ${gcells(r.size, r.medianMsPerStep)} | ${ratio} |`
  );
}

export function kernelMarkdown(rows: KernelRow[], skipped: string | undefined, repeats: number, load: number): string {
  return [
    `## Kernels only, one core (${repeats} repeat(s) per row; load average ${load.toFixed(1)})`,
    '',
    KERNEL_HEADER,
    ...rows.map((r) => kernelLine(r, rows)),
    '',
    "Time inside the model's execute() (the kernel step and the buffer swap), after a warm-up; the engines alternate repeat by repeat. " +
      'Target (issue #17): ≥ 5 G cells/s for Game of Life and forest fire.' +
      (skipped ? ` WebAssembly rows skipped: ${skipped}.` : ''),
    '',
  ].join('\n');
}
