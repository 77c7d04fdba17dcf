/**
 * The bad-input corpus (tests/corpus/): every case through the loaders gives its
 * specific typed error, and through the CLI (`node bin/dissmodel.js …` in a child
 * process) exits non-zero with exactly one readable stderr line naming the problem,
 * leaving no output and no temporary file behind. Includes a 100 MB GeoJSON,
 * generated on the fly, refused quickly by the GeoJSON size limit.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunContext } from '../src/executor/context.ts';
import { DissError } from '../src/executor/errors.ts';
import { executeLifecycle } from '../src/executor/lifecycle.ts';
import { MemoryIO } from '../src/executor/memory-io.ts';
import { createRecord, parseRecordJson, type ExperimentRecord } from '../src/executor/record.ts';
import { ExecutorRegistry } from '../src/executor/registry.ts';
import { inferSpec } from '../src/executor/reproduce.ts';
import { parseDataset } from '../src/io/dataset.ts';
import { readGeoJson } from '../src/io/geojson.ts';
import { decodeShareLink } from '../src/app/share/share-link.ts';
import { MAX_GEOJSON_BYTES } from '../src/io/limits.ts';
import '../src/models/index.ts';
import { writeLargeGeoJson, LARGE_GEOJSON_BYTES } from './corpus/build.ts';
import {
  ALL_CASES,
  DATASET_CASES,
  LINK_CASES,
  RECORD_CASES,
  caseBytes,
  type CorpusCase,
  type DatasetCase,
  type Expected,
  type RecordCase,
} from './corpus/cases.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/dissmodel.js');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The error a call throws (or null when it returns). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return null;
  } catch (e) {
    return e;
  }
}

function expectTyped(err: unknown, want: Expected, id: string): void {
  expect(err, `${id}: expected ${want.error}, got no error`).not.toBeNull();
  expect(err, `${id}: ${String(err)}`).toBeInstanceOf(DissError);
  const e = err as DissError;
  expect(e.name, `${id}: ${e.message}`).toBe(want.error);
  expect(e.code, id).toBe(want.code);
  expect(e.message, id).toMatch(want.message);
  // readable: not empty, not a stack, not a megabyte of echoed input
  expect(e.message.length, id).toBeGreaterThan(15);
  expect(e.message.length, `${id}: message of ${e.message.length} characters`).toBeLessThan(1200);
  expect(e.message, id).not.toMatch(/\n\s+at /);
}

/** parseRecordJson → inferSpec → the executor's validate: what `dissmodel reproduce` does before any I/O. */
async function loadRecord(bytes: Uint8Array): Promise<ExperimentRecord> {
  const record = parseRecordJson(new TextDecoder().decode(bytes));
  const cls = ExecutorRegistry.get(inferSpec(record, ExecutorRegistry.specs()).name);
  await new cls().validate(record, new RunContext({ io: new MemoryIO() }), () => 1);
  return record;
}

/** A run of `model` on the case's bytes through executeLifecycle (what the worker and the CLI do). */
async function runOn(c: DatasetCase, model: string) {
  const io = new MemoryIO();
  io.inputs.set(c.name, caseBytes(c));
  const record = createRecord({ model_name: model, source: { uri: c.name }, parameters: { end_time: 3 } });
  return executeLifecycle(new (ExecutorRegistry.get(model))(), record, { io, drawSeed: () => 42 });
}

describe('the corpus manifest', () => {
  it('has unique ids, and every case has bytes', () => {
    const ids = ALL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL_CASES) expect(caseBytes(c), c.id).toBeInstanceOf(Uint8Array);
    const committed = new Set(readdirSync(join(root, 'tests/corpus/files')));
    const used = new Set(ALL_CASES.flatMap((c) => (c.file ? [c.file] : [])));
    expect(
      [...committed].filter((f) => !used.has(f)),
      'committed files no case uses',
    ).toEqual([]);
    console.log(`corpus: ${DATASET_CASES.length} datasets, ${RECORD_CASES.length} records, ${LINK_CASES.length} links`);
  });
});

describe('every corpus case through the loaders gives its typed error', () => {
  it.each(DATASET_CASES.map((c) => [c.id, c] as const))('dataset %s', async (id, c) => {
    const t0 = performance.now();
    const err = await thrown(() => parseDataset(c.name, caseBytes(c)));
    const ms = performance.now() - t0;
    expect(ms, `${id} took ${ms.toFixed(0)} ms`).toBeLessThan(2000);
    if ('valid' in c.expect) {
      expect(err, `${id}: ${String(err)}`).toBeNull();
      const ds = await parseDataset(c.name, caseBytes(c));
      expect(ds.kind).toBe(c.expect.valid);
    } else {
      expectTyped(err, c.expect, id);
    }
    if (c.run) {
      const outcome = await runOn(c, c.run.model);
      if (c.run.expect === 'completed') {
        expect(outcome.error, `${id}: ${String(outcome.error)}`).toBeUndefined();
        expect(outcome.record.status).toBe('completed');
      } else {
        expect(outcome.record.status, id).toBe('failed');
        expectTyped(outcome.error, c.run.expect, id);
        // the record keeps the reason and the timings of the phases that ran
        expect(outcome.record.logs.at(-1)).toContain(outcome.failedPhase!);
        expect(outcome.record.metrics.time_total_sec).toBeTypeOf('number');
      }
    }
  });

  it.each(RECORD_CASES.map((c) => [c.id, c] as const))('record %s', async (id, c) => {
    const err = await thrown(() => loadRecord(caseBytes(c)));
    if (c.expect === 'valid') expect(err, `${id}: ${String(err)}`).toBeNull();
    else expectTyped(err, c.expect, id);
  });

  it('a record with a 5 MB log line loads with the line clipped', async () => {
    const c = RECORD_CASES.find((r) => r.id === 'record-huge-log-line')!;
    const rec = await loadRecord(caseBytes(c));
    expect(rec.logs[0].length).toBeLessThan(8200);
  });

  it.each(LINK_CASES.map((c) => [c.id, c] as const))('link %s', async (id, c) => {
    const text = new TextDecoder().decode(caseBytes(c));
    const t0 = performance.now();
    const err = await thrown(() => decodeShareLink(text, ExecutorRegistry.specs()));
    expect(performance.now() - t0, id).toBeLessThan(2000);
    expectTyped(err, c.expect, id);
  });

  it('left Object.prototype alone (__proto__ / constructor cases)', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// the CLI

interface CliResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** At most this many CLI processes at a time (each costs about a CPU-second to start). */
const CLI_SLOTS = 2;
let busy = 0;
const waiting: Array<() => void> = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (busy >= CLI_SLOTS) await new Promise<void>((r) => waiting.push(r));
  busy++;
  try {
    return await fn();
  } finally {
    busy--;
    waiting.shift()?.();
  }
}

function cli(args: string[], cwd = work, timeout = 60_000): Promise<CliResult> {
  return slot(() => spawnCli(args, cwd, timeout));
}

function spawnCli(args: string[], cwd: string, timeout: number): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
      done({
        code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
        signal: e?.signal ?? null,
        stdout,
        stderr,
        ms: performance.now() - t0,
      });
      if (process.env.CORPUS_TIMES) console.log(`cli ${(performance.now() - t0).toFixed(0)} ms ${args.slice(0, 3).join(' ')}`);
    });
  });
}

/** Files left in a directory (none when it does not exist). */
const leftIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

function expectOneLine(r: CliResult, message: RegExp, id: string): void {
  expect(r.signal, id).toBeNull();
  expect(r.code, `${id}: stdout ${r.stdout}\nstderr ${r.stderr}`).not.toBe(0);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, `${id}: stderr was ${JSON.stringify(r.stderr)}`).toHaveLength(1);
  expect(lines[0], id).toMatch(/^✖ /);
  // the line carries the message with control characters shown escaped (\n, \u001b)
  // eslint-disable-next-line no-control-regex -- the terminal escape is what this check looks for
  const shown = message.source.replace(/\\n|\n/g, '\\\\n').replace(/\\u001b|\u001b/g, '\\\\u001b');
  expect(lines[0], id).toMatch(new RegExp(shown, message.flags));
  // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(lines[0].length, id).toBeLessThan(2100);
}

describe('every corpus case through the CLI: exit ≠ 0, one stderr line, nothing written', () => {
  const input = join(work, 'in');
  beforeAll(() => {
    mkdirSync(input, { recursive: true });
    for (const c of [...DATASET_CASES, ...RECORD_CASES]) writeFileSync(join(input, fileName(c)), caseBytes(c));
  });
  const fileName = (c: CorpusCase): string => (c.loader === 'dataset' ? c.name : `${c.id}.record.json`);

  it.concurrent.each(DATASET_CASES.map((c) => [c.id, c] as const))('run on %s', async (id, c) => {
    const out = join(work, 'out', id);
    const model = c.run?.model ?? 'game_of_life';
    const r = await cli(['run', model, '--input', join(input, c.name), '--output', join(out, 'out.tif'), '--param', 'end_time=3']);
    // the input is untouched
    expect(Buffer.compare(readFileSync(join(input, c.name)), Buffer.from(caseBytes(c))), `${id}: input changed`).toBe(0);
    if (c.run?.expect === 'completed') {
      expect(r.stderr, id).toBe('');
      expect(r.code, id).toBe(0);
      const files = leftIn(out).sort();
      expect(files, id).toHaveLength(3);
      expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
      return;
    }
    const want = c.run && 'valid' in c.expect ? (c.run.expect as Expected) : (c.expect as Expected);
    expectOneLine(r, want.message, id);
    expect(r.stderr, id).toMatch(/during (load|run)/);
    expect(leftIn(out), `${id}: files left in the output directory`).toEqual([]);
  });

  // Records: one case per error class and path (each CLI process costs a CPU-second; every
  // record case goes through the same parse → infer → validate as the loader test above).
  const RECORDS_VIA_CLI = [
    'record-not-json',
    'record-array',
    'record-proto',
    'record-constructor',
    'record-unknown-model',
    'record-script-model',
    'record-out-of-range',
    'record-seed-out-of-range',
    'record-band-map-not-canonical',
    'record-bad-checksum',
    'record-long-string',
    'record-no-input',
  ];
  it.concurrent.each(RECORD_CASES.filter((c) => RECORDS_VIA_CLI.includes(c.id)).map((c) => [c.id, c] as const))(
    'reproduce %s',
    async (id, c: RecordCase) => {
      const out = join(work, 'rec-out', id);
      const r = await cli(['reproduce', join(input, fileName(c)), '--output', out + '/']);
      expectOneLine(r, (c.expect as Expected).message, id);
      expect(leftIn(out), id).toEqual([]);
    },
  );

  it('a newline and an ANSI escape in a record cannot split or drive the terminal', async () => {
    const r = await cli(['reproduce', join(input, 'record-newline-model.record.json')]);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain("'evil\\nINJECTED: all good\\u001b[2J'");
    expect(r.stderr).not.toContain('\u001b');
  });
});

// ---------------------------------------------------------------------------
// 100 MB of GeoJSON features

describe('a 100 MB GeoJSON FeatureCollection', () => {
  const path = join(work, 'large', 'features-100mb.geojson');
  let written = { bytes: 0, features: 0 };
  beforeAll(async () => {
    written = await writeLargeGeoJson(path);
  }, 60_000);

  it('is refused by readGeoJson before it is decoded or parsed (LimitError in milliseconds)', () => {
    expect(statSync(path).size).toBeGreaterThanOrEqual(LARGE_GEOJSON_BYTES);
    const buf = readFileSync(path);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const err = (() => {
      try {
        readGeoJson(bytes);
        return null;
      } catch (e) {
        return e;
      }
    })();
    const ms = performance.now() - t0;
    const heapMB = (process.memoryUsage().heapUsed - heap0) / 1e6;
    console.log(
      `100 MB GeoJSON (${written.features} features, ${written.bytes} bytes): refused in ${ms.toFixed(2)} ms, heap +${heapMB.toFixed(1)} MB`,
    );
    expectTyped(
      err,
      {
        error: 'LimitError',
        code: 'limit',
        message: new RegExp(`largest GeoJSON accepted is ${MAX_GEOJSON_BYTES.toLocaleString('en-US')} bytes \\(64 MiB\\)`),
      },
      'large',
    );
    expect(ms).toBeLessThan(300);
    expect(heapMB).toBeLessThan(20);
  });

  it('is refused by the CLI with one line, quickly, and nothing is written', async () => {
    const out = join(work, 'large-out');
    const r = await cli(['run', 'game_of_life', '--input', path, '--output', join(out, 'out.tif')]);
    console.log(`CLI on the 100 MB GeoJSON: exit ${r.code} in ${r.ms.toFixed(0)} ms`);
    expectOneLine(r, /The GeoJSON file is 10\d,\d{3},\d{3} bytes; the largest GeoJSON accepted is 67,108,864 bytes/, 'large');
    expect(r.ms).toBeLessThan(20_000);
    expect(leftIn(out)).toEqual([]);
  });
});
