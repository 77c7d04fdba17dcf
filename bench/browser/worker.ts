/** Module worker: runs the model rows with the same function as the Node bench. */
import { benchModelRow, type ModelRowResult } from '../model-bench.ts';
import type { BrowserBenchConfig, WorkerMessage } from './main.ts';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<BrowserBenchConfig>) => {
  const { sizes, models, repeats, budgetSec } = e.data;
  const rows: ModelRowResult[] = [];
  try {
    for (const size of sizes) {
      for (const model of models) {
        const row = await benchModelRow({ model, size, repeats, ...(budgetSec !== undefined ? { budgetSec } : {}) });
        rows.push(row);
        post({ type: 'row', row });
      }
    }
    post({ type: 'done', rows });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
