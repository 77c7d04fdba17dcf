/**
 * One worker of the sweep pool: receives a record, runs it with runRecord
 * (output, record and profiling written exactly as `dissmodel run` does) and
 * posts back the finished record and the last value of each series.
 */
import { parentPort } from 'node:worker_threads';
import { describeError, ExecutorRegistry, parseRecordJson, recordToJson } from '../executor/index.ts';
import '../models/index.ts';
import { runRecord, type Out } from './commands.ts';
import { loadModelFile } from './model-source.ts';
import { useNodeInflate } from './node-inflate.ts';
import { useNodeSha256 } from './node-sha256.ts';

useNodeInflate();
useNodeSha256();

export interface SweepTask {
  index: number;
  record: string;
  output: string;
  /** Model files to import first (`dissmodel sweep --model FILE`). */
  modelFiles: string[];
}

export interface SweepTaskResult {
  index: number;
  code: number;
  record: string;
  recordPath: string | null;
  /** Last value of each series the model reports (population, flooded_cells…). */
  last: Record<string, number>;
  errors: string[];
}

const port = parentPort;
if (!port) throw new Error('sweep-worker-main must run in a worker thread');

port.on('message', async (task: SweepTask) => {
  const errors: string[] = [];
  const io: Out = { out: () => {}, err: (l) => errors.push(l) };
  let result: SweepTaskResult;
  try {
    for (const file of task.modelFiles) await loadModelFile(file);
    const record = parseRecordJson(task.record);
    const cls = ExecutorRegistry.get(record.model_name);
    const r = await runRecord(cls, record, task.output, io);
    const last: Record<string, number> = {};
    const series = (r.outcome?.result as { series?: { values: Record<string, number[]> } } | undefined)?.series;
    for (const [k, v] of Object.entries(series?.values ?? {})) if (v.length) last[k] = v[v.length - 1];
    result = { index: task.index, code: r.code, record: recordToJson(record), recordPath: r.recordPath ?? null, last, errors };
  } catch (e) {
    errors.push(describeError(e));
    result = { index: task.index, code: 1, record: task.record, recordPath: null, last: {}, errors };
  }
  port.postMessage(result);
});
port.postMessage({ ready: true });
