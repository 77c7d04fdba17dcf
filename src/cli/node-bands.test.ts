/**
 * Banded runs on real worker_threads (src/cli/node-bands.ts → src/sim/bands.ts): Game of Life and the
 * forest fire give the same output bytes and the same per-step series on 2, 3 and 5 threads as on one,
 * on grids whose row count does not divide by the thread count, whose rows end inside a word, with
 * fewer rows than threads, and one row (never banded).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliChild } from '../../tests/cli-child.ts';
import { executeLifecycle } from '../executor/lifecycle.ts';
import { MemoryIO } from '../executor/memory-io.ts';
import { createRecord, getOutputSha256, type ExperimentRecord } from '../executor/record.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import { writeGeoTiff } from '../io/geotiff-write.ts';
import { bandCount, bandRows, configureBands, openBands, startBandWorkers } from '../sim/bands.ts';
import { lifeBands } from '../models/game-of-life/bands.ts';
import { fireBands } from '../models/forest-fire/bands.ts';
import { packPlanes } from '../sim/bit-planes.ts';
import type { SimOutput } from '../sim/output.ts';
import '../models/index.ts';
import { bandThreadsFrom, useNodeBands } from './node-bands.ts';

/** A seeded xorshift grid of codes 0…k−1 with the given probabilities of 1 (and 2). */
function grid(rows: number, cols: number, seed: number, p1: number, p2 = 0): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const u = x / 4294967296;
    out[i] = u < p1 ? 1 : u < p1 + p2 ? 2 : 0;
  }
  return out;
}

const tif = (rows: number, cols: number, data: Uint8Array) =>
  writeGeoTiff({
    kind: 'raster',
    width: cols,
    height: rows,
    bands: [{ name: 'state', dtype: 'uint8', data, nodata: null }],
    transform: null,
    epsg: null,
  });

async function run(model: string, input: Uint8Array, parameters: ExperimentRecord['parameters']) {
  const io = new MemoryIO();
  io.inputs.set('grid.tif', input);
  const record = createRecord({ model_name: model, source: { type: 'local', uri: 'grid.tif' }, parameters });
  const cls = ExecutorRegistry.get(model);
  const outcome = await executeLifecycle(new cls(), record, { io });
  expect(record.status, record.logs.join('\n')).toBe('completed');
  return {
    sha: getOutputSha256(record),
    series: (outcome.result as SimOutput).series,
    workers: record.metrics.band_workers,
    logs: record.logs,
  };
}

const CASES: { model: string; parameters: ExperimentRecord['parameters']; p1: number; p2: number }[] = [
  { model: 'game_of_life', parameters: { end_time: 25 }, p1: 0.35, p2: 0 },
  { model: 'forest_fire', parameters: { end_time: 25, neighborhood: 'moore' }, p1: 0.01, p2: 0.2 },
  { model: 'forest_fire', parameters: { end_time: 25, neighborhood: 'von_neumann' }, p1: 0.02, p2: 0.1 },
];
// rows × cols: rows not divisible by the threads, a row of one partial word, rows ending mid-word, 2 and 3 rows (fewer than 5 threads).
const SIZES: [number, number][] = [
  [97, 45],
  [64, 64],
  [41, 130],
  [3, 100],
  [2, 33],
  [1, 70],
];

afterAll(() => configureBands(null));

describe('banded runs on worker_threads', () => {
  it('give the single-thread output bytes and series on 2, 3 and 5 threads, any grid shape', { timeout: 240_000 }, async () => {
    const inputs = SIZES.flatMap(([rows, cols], i) =>
      CASES.map((c, j) => ({ rows, cols, c, input: tif(rows, cols, grid(rows, cols, 7 + 31 * i + j, c.p1, c.p2)) })),
    );
    useNodeBands(1);
    const single = [];
    for (const t of inputs) single.push(await run(t.c.model, t.input, t.c.parameters));
    for (const s of single) expect(s.workers).toBeUndefined();
    for (const threads of [2, 3, 5]) {
      useNodeBands(threads, 0);
      for (const [k, t] of inputs.entries()) {
        const banded = await run(t.c.model, t.input, t.c.parameters);
        const label = `${t.c.model} ${JSON.stringify(t.c.parameters)} ${t.rows}×${t.cols} on ${threads} threads`;
        expect(banded.workers, label).toBe(t.rows < 2 ? undefined : Math.min(threads, t.rows));
        expect(banded.sha, label).toBe(single[k].sha);
        expect(banded.series, label).toEqual(single[k].series);
        if (t.rows >= 2)
          expect(banded.logs.join('\n')).toContain(`in row bands on ${Math.min(threads, t.rows)} threads (WebAssembly kernel)`);
      }
    }
    // On the larger grids the life must change and the fire spread, or the comparison proves little.
    for (const [k, t] of inputs.entries()) {
      if (t.rows < 41) continue;
      const counts = Object.values(single[k].series.values)[0];
      expect(new Set(counts).size, `${t.c.model} ${t.rows}×${t.cols}`).toBeGreaterThan(3);
    }
  });

  it('a team steps the WebAssembly kernel over one shared memory, or the JavaScript one over buffers: the same planes and counts', async () => {
    useNodeBands(2, 0);
    const [rows, cols] = [53, 77];
    for (const [name, pair, perSet] of [
      ['game_of_life', lifeBands, 1],
      ['forest_fire', fireBands, 2],
    ] as const) {
      const cells = grid(rows, cols, 5, 0.3, perSet === 2 ? 0.2 : 0);
      const runs = [];
      for (const kernel of [pair, { js: pair.js }]) {
        const team = (await openBands({ name, kernel, rows, cols, planes: perSet }))!;
        packPlanes(cells, team.sets[0], perSet === 2 ? [1, 2] : [1], new Int32Array(2));
        const counts: number[] = [];
        let from: 0 | 1 = 0;
        for (let s = 0; s < 12; s++) {
          counts.push(team.step(from, 1));
          from = from === 0 ? 1 : 0;
        }
        runs.push({ engine: team.engine, counts, words: team.sets[from].map((g) => Array.from(g.words)) });
        team.close();
      }
      expect(runs.map((r) => r.engine)).toEqual(['wasm', 'js']);
      expect(runs[0].counts).toEqual(runs[1].counts);
      expect(runs[0].words).toEqual(runs[1].words);
      expect(new Set(runs[0].counts).size).toBeGreaterThan(3);
    }
  });

  it(
    'a run started while the workers are still warming up (loading every kernel) waits for them: the same bytes',
    { timeout: 120_000 },
    async () => {
      const input = tif(97, 45, grid(97, 45, 5, 0.02, 0.1));
      useNodeBands(1);
      const one = await run('forest_fire', input, { end_time: 9 });
      useNodeBands(2, 1); // fresh workers: the warm is slow (each loads and compiles every kernel)
      const warming = startBandWorkers();
      const two = await run('forest_fire', input, { end_time: 9 });
      await warming;
      expect(two.workers).toBe(2);
      expect(two.sha).toBe(one.sha);
      expect(two.series).toEqual(one.series);
    },
  );

  it('a grid below minCells steps in one thread; threads come from --threads, then DISSMODEL_THREADS', async () => {
    useNodeBands(2, 64 * 64 + 1);
    const r = await run('game_of_life', tif(64, 64, grid(64, 64, 3, 0.3)), { end_time: 3 });
    expect(r.workers).toBeUndefined();
    expect(bandThreadsFrom('3', {})).toBe(3);
    expect(bandThreadsFrom(undefined, { DISSMODEL_THREADS: '2' })).toBe(2);
    expect(bandThreadsFrom(undefined, {})).toBeGreaterThanOrEqual(1);
    expect(() => bandThreadsFrom('0', {})).toThrow('--threads must be a whole number of threads from 1 to 256, not "0"');
    expect(() => bandThreadsFrom(undefined, { DISSMODEL_THREADS: 'two' })).toThrow('DISSMODEL_THREADS must be');
  });

  it(
    'dissmodel run --threads 2 bands a 600 × 600 grid, records 2 workers, writes the bytes of --threads 1 and exits',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bands-cli-'));
      writeFileSync(join(dir, 'big.tif'), tif(600, 600, grid(600, 600, 11, 0.3)));
      const records: Record<string, { metrics: Record<string, unknown>; artifacts: Record<string, string> }> = {};
      for (const threads of ['1', '2']) {
        const r = await cliChild(
          ['run', 'game_of_life', '--input', 'big.tif', '--output', `t${threads}/`, '--param', 'end_time=20', '--threads', threads],
          {
            cwd: dir,
          },
        );
        expect(r.code, r.stderr).toBe(0);
        const file = readdirSync(join(dir, `t${threads}`)).find((f) => f.endsWith('.record.json'))!;
        records[threads] = JSON.parse(readFileSync(join(dir, `t${threads}`, file), 'utf8'));
      }
      expect(records['1'].metrics.band_workers).toBeUndefined();
      expect(records['2'].metrics.band_workers).toBe(2);
      expect(records['2'].artifacts.output).toBe(records['1'].artifacts.output);
      const bad = await cliChild(['run', 'game_of_life', '--input', 'big.tif', '--threads', 'many'], { cwd: dir });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--threads must be a whole number of threads from 1 to 256, not "many"');
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('cuts the rows into contiguous bands that differ by at most one row, 16 per thread of at least 4 rows', () => {
    expect(bandCount(4000, 2)).toBe(32);
    expect(bandCount(41, 2)).toBe(10);
    expect(bandCount(3, 5)).toBe(5);
    for (const [rows, n] of [
      [10, 3],
      [4000, 2],
      [5, 5],
      [7, 4],
    ]) {
      const bands = Array.from({ length: n }, (_, k) => bandRows(rows, n, k));
      expect(bands[0][0]).toBe(0);
      expect(bands[n - 1][1]).toBe(rows);
      for (let k = 1; k < n; k++) expect(bands[k][0]).toBe(bands[k - 1][1]);
      const sizes = bands.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});
