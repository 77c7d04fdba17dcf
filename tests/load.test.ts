/**
 * Load: a sweep-like batch of 100 small runs through executeLifecycle, and 20
 * runs queued back to back through the worker's runtime (the code the page's
 * Web Worker runs), with every record kept and memory measured (heap and RSS
 * after a real gc, before and after): memory stays bounded — what is kept grows
 * by the records only — and every run completes with its own id.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { executeLifecycle } from '../src/executor/lifecycle.ts';
import { MemoryIO } from '../src/executor/memory-io.ts';
import { createRecord, parseRecordJson, recordToJson, type ExperimentRecord } from '../src/executor/record.ts';
import { ExecutorRegistry } from '../src/executor/registry.ts';
import '../src/models/index.ts';
import { WorkbenchRuntime } from '../src/worker/runtime.ts';
import { sample } from './corpus/build.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function memory(): { heap: number; rss: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1e6, rss: m.rss / 1e6, buffers: m.arrayBuffers / 1e6 };
}
const mb = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MB`;

const INPUTS = new Map([
  ['sample:gol_glider_64x64.tif', sample('gol_glider_64x64.tif')],
  ['sample:fire_forest_50x50.tif', sample('fire_forest_50x50.tif')],
  ['sample:gol_random_20x20.geojson', sample('gol_random_20x20.geojson')],
]);

/** Run i of the batch: Game of Life, probabilistic fire (seeded) or SIR, on raster and vector inputs. */
function recordFor(i: number): ExperimentRecord {
  switch (i % 4) {
    case 0:
      return createRecord({
        model_name: 'game_of_life',
        source: { type: 'sample', uri: 'sample:gol_glider_64x64.tif' },
        parameters: { end_time: 5 + (i % 20) },
      });
    case 1:
      return createRecord({
        model_name: 'forest_fire_prob',
        source: { type: 'sample', uri: 'sample:fire_forest_50x50.tif' },
        parameters: { seed: i, end_time: 10 },
      });
    case 2:
      return createRecord({
        model_name: 'game_of_life',
        source: { type: 'sample', uri: 'sample:gol_random_20x20.geojson' },
        parameters: { end_time: 3 },
      });
    default:
      return createRecord({ model_name: 'sir', parameters: { end_time: 20 + i } });
  }
}

async function runOne(i: number): Promise<ExperimentRecord> {
  const record = recordFor(i);
  const io = new MemoryIO();
  for (const [uri, bytes] of INPUTS) io.inputs.set(uri, bytes);
  const cls = ExecutorRegistry.get(record.model_name);
  record.output_path = `out/run_${i}.${cls.spec.output.extension}`;
  const outcome = await executeLifecycle(new cls(), record, { io, drawSeed: () => 1 });
  if (outcome.error) throw outcome.error;
  // what a sweep keeps: the record (as JSON, as the history stores it), not the data
  return parseRecordJson(recordToJson(record));
}

describe('load: 100 small runs through executeLifecycle (a sweep)', () => {
  it('all complete, every record is kept with its own id, memory stays bounded', async () => {
    for (let i = 0; i < 8; i++) await runOne(1000 + i); // warm-up: code compiled, caches filled
    const before = memory();
    const t0 = performance.now();
    const kept: ExperimentRecord[] = [];
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) {
      kept.push(await runOne(i));
      if (i % 25 === 24) samples.push(memory().heap);
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = memory();
    const recordBytes = kept.reduce((n, r) => n + recordToJson(r).length, 0);
    console.log(
      `100 runs in ${seconds.toFixed(1)} s; heap ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB (${mb(after.heap - before.heap)}), ` +
        `rss ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MB (${mb(after.rss - before.rss)}), array buffers ${mb(after.buffers - before.buffers)}; ` +
        `heap every 25 runs: ${samples.map((h) => h.toFixed(1)).join(', ')} MB; records kept: ${(recordBytes / 1e3).toFixed(0)} kB of JSON`,
    );

    expect(kept).toHaveLength(100);
    expect(kept.every((r) => r.status === 'completed')).toBe(true);
    expect(new Set(kept.map((r) => r.experiment_id)).size).toBe(100);
    expect(kept.every((r) => /^[0-9a-f]{64}$/.test(r.artifacts.output ?? ''))).toBe(true);
    expect(kept.every((r) => typeof r.metrics.time_total_sec === 'number')).toBe(true);
    // same record → same bytes: runs 0 and 80 are both Game of Life with end_time 5
    expect(kept[80].artifacts.output).toBe(kept[0].artifacts.output);
    // Bounded: what stays is the records (a few kB each); a leak of one output per run would be megabytes.
    expect(after.heap - before.heap).toBeLessThan(40);
    expect(after.buffers - before.buffers).toBeLessThan(20);
    // no steady climb: the last quarter does not grow over the second
    expect(samples[3] - samples[1]).toBeLessThan(20);
  });
});

describe('load: 20 runs queued back to back through the worker runtime', () => {
  it('run one after another on one runtime (as the page queues them), all complete and are kept', async () => {
    const runtime = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:9/samples/' });
    const queue = Array.from({ length: 20 }, (_, i) => recordFor(i));
    await runtime.run({
      record: JSON.parse(JSON.stringify(recordFor(99))),
      inputs: [...INPUTS].map(([uri, bytes]) => ({ uri, bytes })),
      keepFrames: true,
    });
    const before = memory();
    const history: ExperimentRecord[] = [];
    // queued: each starts when the previous ends; a run asked for while one is going is refused, never interleaved
    const start = (rec: ExperimentRecord) =>
      runtime.run({
        record: JSON.parse(JSON.stringify(rec)),
        inputs: [...INPUTS].map(([uri, bytes]) => ({ uri, bytes: bytes.slice() })),
        keepFrames: true,
      });
    const keep = ({ response }: Awaited<ReturnType<typeof start>>) => {
      history.push(parseRecordJson(response.recordJson));
    };
    let chain = start(queue[0]).then(keep);
    await expect(start(queue[1])).rejects.toThrow(/already in progress/);
    for (const rec of queue.slice(1)) chain = chain.then(() => start(rec)).then(keep);
    await chain;
    const after = memory();
    console.log(
      `20 queued worker-runtime runs: heap ${mb(after.heap - before.heap)}, rss ${mb(after.rss - before.rss)}, array buffers ${mb(after.buffers - before.buffers)}`,
    );
    expect(history).toHaveLength(20);
    expect(history.every((r) => r.status === 'completed')).toBe(true);
    expect(new Set(history.map((r) => r.experiment_id)).size).toBe(20);
    expect(after.heap - before.heap).toBeLessThan(40);
  });
});
