/**
 * The bench page: `window.runBench(config)` runs the model rows in a module
 * Web Worker (the same benchModelRow as Node) and resolves with the results.
 */
import type { ModelRowResult } from '../model-bench.ts';
import type { BenchModel } from '../synthetic.ts';

export interface BrowserBenchConfig {
  sizes: number[];
  models: BenchModel[];
  repeats: number;
  /** Time budget per row, seconds (see benchModelRow). */
  budgetSec?: number;
}

export type WorkerMessage =
  { type: 'row'; row: ModelRowResult } | { type: 'done'; rows: ModelRowResult[] } | { type: 'error'; message: string };

const logEl = document.getElementById('log')!;

/** High-water of the page's performance.memory (Chromium; main thread only), read by the driver. */
const pageMemory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
const w = window as unknown as { benchPageHeapPeak: number };
w.benchPageHeapPeak = 0;
if (pageMemory) setInterval(() => (w.benchPageHeapPeak = Math.max(w.benchPageHeapPeak, pageMemory.usedJSHeapSize)), 100);

function runBench(config: BrowserBenchConfig): Promise<ModelRowResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === 'row') {
        logEl.textContent += `\n${m.row.model} ${m.row.size}²: ${m.row.minMs.toFixed(3)} ms/step`;
        console.log(`bench-row ${JSON.stringify(m.row)}`);
      } else if (m.type === 'done') {
        worker.terminate();
        resolve(m.rows);
      } else {
        worker.terminate();
        reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'worker error'));
    };
    worker.postMessage(config);
  });
}

(window as unknown as { runBench: typeof runBench; benchReady: boolean }).runBench = runBench;
(window as unknown as { benchReady: boolean }).benchReady = true;
