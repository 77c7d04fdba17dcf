/**
 * The LuccME Lab1 rows: lucc_raster and lucc_vector on the bundled Acre cellular
 * space (csAC.zip, 6,574 cells) with its demand, t = 1…6 (DisSModel's benchmark
 * scheduling), each a full executeLifecycle from a MemoryIO. ms/step = the run phase
 * (as executeLifecycle times it) / 6, as DisSModel's benchmark reports `total/n_steps`
 * of `env.run()`; our run phase also rasterises (raster) and builds the output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import '../src/models/index.ts';
import { createRecord, executeLifecycle, ExecutorRegistry, MemoryIO } from '../src/executor/index.ts';
import { median } from './model-bench.ts';

const SAMPLES = resolve(import.meta.dirname, '../public/samples');
const STEPS = 6;

export interface LuccRow {
  model: string;
  cells: number;
  steps: number;
  repeats: number;
  minMs: number;
  medianMs: number;
  loadSec: number;
  saveSec: number;
}

export async function runLuccBench(repeats: number, log: (l: string) => void = () => {}): Promise<LuccRow[]> {
  const cs = new Uint8Array(readFileSync(resolve(SAMPLES, 'csAC.zip')));
  const demand = new Uint8Array(readFileSync(resolve(SAMPLES, 'examples_demand_lab1.csv')));
  const rows: LuccRow[] = [];
  for (const model of ['lucc_raster', 'lucc_vector']) {
    const cls = ExecutorRegistry.get(model);
    const ms: number[] = [];
    let loadSec = Infinity;
    let saveSec = Infinity;
    for (let k = 0; k < repeats; k++) {
      const io = new MemoryIO();
      io.inputs.set('csAC.zip', cs);
      io.inputs.set('demand.csv', demand);
      const record = createRecord({
        model_name: model,
        model_commit: 'bench',
        code_version: 'bench',
        source: { type: 'local', uri: 'csAC.zip' },
        parameters: { demand_csv: 'demand.csv', start_time: 1, n_steps: STEPS },
        output_path: `out_${model}.${cls.spec.output.extension}`,
      });
      const readings: number[] = [];
      const now = () => {
        const t = performance.now();
        readings.push(t);
        return t;
      };
      const outcome = await executeLifecycle(new cls(), record, { io, now });
      if (outcome.error !== undefined) throw outcome.error;
      const run = readings.length === 8 ? readings[5] - readings[4] : (record.metrics.time_run_sec as number) * 1000;
      ms.push(run / STEPS);
      loadSec = Math.min(loadSec, record.metrics.time_load_sec as number);
      saveSec = Math.min(saveSec, record.metrics.time_save_sec as number);
    }
    const row = { model, cells: 6574, steps: STEPS, repeats, minMs: Math.min(...ms), medianMs: median(ms), loadSec, saveSec };
    log(`${model}: ${row.minMs.toFixed(1)} ms/step (min of ${repeats}), load ${loadSec} s, save ${saveSec} s`);
    rows.push(row);
  }
  return rows;
}

/** The Lab1 section of the report. */
export function luccMarkdown(rows: readonly LuccRow[]): string {
  const lines = [
    '## LuccME Lab1 (Acre, 6,574 cells, t = 1…6)',
    '',
    '| model | ms/step (min) | ms/step (median) | repeats | load s | save s |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.model} | ${r.minMs.toFixed(1)} | ${r.medianMs.toFixed(1)} | ${r.repeats} | ${r.loadSec} | ${r.saveSec} |`),
    '',
    'DisSModel’s Python run of the same case could not be measured on this machine (no pandas/geopandas/dissmodel and no PyPI access); ' +
      'its published figures (paper.md, its own machine): raster 39.9 ms/step, vector 143.2 ms/step.',
    '',
  ];
  return lines.join('\n');
}
