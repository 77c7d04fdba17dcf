/**
 * The fuzz test's sandbox: runs one loader on one input and reports what came
 * out — a valid result (after checking its invariants and that it round-trips)
 * or an error (with whether it is a typed DissError). Runs in a worker thread
 * with a heap limit, so a hang or a memory blow-up is reported by the parent
 * with the input that caused it instead of taking the test run down.
 */
import { parentPort } from 'node:worker_threads';
import { DissError } from '../../src/executor/errors.ts';
import { resolveParams } from '../../src/executor/params.ts';
import { parseRecord, parseRecordJson, recordToJson, type ExperimentRecord } from '../../src/executor/record.ts';
import { ExecutorRegistry } from '../../src/executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../src/io/geojson.ts';
import { readGeoTiff } from '../../src/io/geotiff-read.ts';
import { decodeShareLink, encodeShareLink } from '../../src/app/share/share-link.ts';
import { allocate, type RasterDataset, type VectorDataset } from '../../src/sim/dataset.ts';
import '../../src/models/index.ts';

export type JobKind = 'tiff' | 'geojson' | 'record' | 'record-json' | 'link';

export interface Job {
  id: number;
  kind: JobKind;
  bytes?: Uint8Array;
  text?: string;
  value?: unknown;
}

export interface Reply {
  id: number;
  outcome: 'valid' | 'error';
  error?: { name: string; code: string | null; message: string; length: number; typed: boolean };
  /** An invariant a valid result broke, or prototype pollution. */
  violation?: string;
  ms: number;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

function forbiddenKeyIn(v: unknown, path = '$', depth = 0): string | null {
  if (depth > 64 || typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return null;
  for (const k of Object.keys(v)) {
    if (FORBIDDEN.has(k)) return `${path}.${k}`;
    const inner = forbiddenKeyIn((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
    if (inner) return inner;
  }
  return null;
}

function checkRaster(ds: RasterDataset): string | null {
  if (!Number.isInteger(ds.width) || !Number.isInteger(ds.height) || ds.width < 1 || ds.height < 1)
    return `bad size ${ds.width}×${ds.height}`;
  if (ds.bands.length < 1) return 'no bands';
  for (const b of ds.bands) {
    if (b.data.length !== ds.width * ds.height) return `band ${b.name}: ${b.data.length} values for ${ds.width}×${ds.height}`;
    if (b.data.constructor !== allocate(b.dtype, 0).constructor) return `band ${b.name}: ${b.data.constructor.name} is not ${b.dtype}`;
    if (typeof b.name !== 'string' || b.name === '') return 'a band without a name';
  }
  if (
    ds.transform &&
    ![ds.transform.originX, ds.transform.originY, ds.transform.pixelWidth, ds.transform.pixelHeight].every(Number.isFinite)
  ) {
    return 'a non-finite transform';
  }
  return null;
}

function checkVector(ds: VectorDataset): string | null {
  if (new Set(ds.columns).size !== ds.columns.length) return 'duplicate columns';
  for (const f of ds.features) {
    if (Object.getPrototypeOf(f.properties) !== null) return 'a property bag with a prototype';
    for (const [k, v] of Object.entries(f.properties)) {
      if (FORBIDDEN.has(k)) return `forbidden property ${k}`;
      if (v !== null && typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v)))
        return `property ${k} holds ${typeof v}`;
    }
  }
  // canonical writing is stable: write → read → write gives the same bytes
  const a = writeGeoJson(ds);
  const b = writeGeoJson(readGeoJson(a));
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) return 'writeGeoJson(readGeoJson(writeGeoJson(ds))) differs';
  return null;
}

function checkRecord(rec: ExperimentRecord): string | null {
  const k = forbiddenKeyIn(rec);
  if (k) return `forbidden key at ${k}`;
  const json = recordToJson(rec);
  if (recordToJson(parseRecordJson(json)) !== json) return 'record does not round-trip';
  return null;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function check(job: Job): Promise<string | null> {
  switch (job.kind) {
    case 'tiff': {
      // reduced limits: the fuzz explores structure, tests/limits.test.ts the limits themselves
      const ds = await readGeoTiff(job.bytes!, { maxCells: 1 << 22, maxBytes: 1 << 26 });
      return checkRaster(ds);
    }
    case 'geojson':
      return checkVector(readGeoJson(job.bytes!));
    case 'record':
      return checkRecord(parseRecord(job.value));
    case 'record-json':
      return checkRecord(parseRecordJson(job.text!));
    case 'link': {
      const exp = decodeShareLink(job.text!, ExecutorRegistry.specs());
      if (!ExecutorRegistry.has(exp.model)) return `unregistered model ${exp.model}`;
      const k = forbiddenKeyIn({ ...exp, embedded: null });
      if (k) return `forbidden key at ${k}`;
      // parameters are valid for the model's schema as they are
      resolveParams(ExecutorRegistry.get(exp.model).spec.params, exp.parameters, { drawSeed: () => 0 });
      const again = decodeShareLink(encodeShareLink(exp), ExecutorRegistry.specs());
      if (
        JSON.stringify({ ...again, embedded: null }) !== JSON.stringify({ ...exp, embedded: null }) ||
        !sameBytes(again.embedded, exp.embedded)
      ) {
        return 'link does not round-trip';
      }
      return null;
    }
  }
}

const port = parentPort!;
process.on('unhandledRejection', (reason) => port.postMessage({ unhandledRejection: String(reason) }));

port.on('message', async (job: Job) => {
  const t0 = performance.now();
  let reply: Reply;
  try {
    const violation = await check(job);
    reply = { id: job.id, outcome: 'valid', ms: 0, ...(violation ? { violation } : {}) };
  } catch (e) {
    const err = e as Error;
    reply = {
      id: job.id,
      outcome: 'error',
      ms: 0,
      error: {
        name: err?.name ?? typeof e,
        code: e instanceof DissError ? e.code : null,
        message: String(err?.message ?? e).slice(0, 500),
        length: String(err?.message ?? e).length,
        typed: e instanceof DissError,
      },
    };
  }
  const polluted =
    ({} as Record<string, unknown>).polluted !== undefined || Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTO_KEYS;
  if (polluted) reply.violation = 'Object.prototype was modified';
  reply.ms = performance.now() - t0;
  port.postMessage(reply);
});

port.postMessage({ ready: true });
