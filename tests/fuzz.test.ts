/**
 * Property-based fuzzing of every loader of untrusted input — readGeoTiff,
 * readGeoJson, parseRecord / parseRecordJson and decodeShareLink — with
 * structure-aware mutations of real files (IFD fields, JSON subtrees, link
 * payloads) on top of byte-level ones. Each input runs in a worker thread with a
 * heap limit and a per-case deadline, and must give either a typed DissError or a
 * valid result that keeps its invariants and round-trips; never a hang, a crash,
 * a raw exception, prototype pollution or an unhandled rejection.
 *
 * Bounded: a fixed seed and a few thousand cases (about 10–20 s). FUZZ_SEED=<n> and
 * FUZZ_SCALE=<k> (k × the runs) explore further.
 *
 * (The small fuzz tests next to the readers stay: bit flips of two written TIFFs,
 * JSON error positions, and arbitrary JSON shapes at five GeoJSON members.)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { getDecoder } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DissError } from '../src/executor/errors.ts';
import { lzwDecode, packBitsDecode } from '../src/io/geotiff-read.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { encodeShareLink, LINK_PREFIX, type SharedExperiment } from '../src/app/share/share-link.ts';
import {
  buildTiff,
  codecTiff,
  LINK_BASE,
  lzwEncode,
  packBitsEncode,
  prng,
  RECORD_BASE,
  sample,
  tinyTiff,
  ifdEntries,
} from './corpus/build.ts';
import type { Job, JobKind, Reply } from './fuzz/worker.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20250107);
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));
const runs = (n: number) => Math.round(n * SCALE);
/** A case slower than this is a hang. */
const DEADLINE_MS = 5_000;

// ---------------------------------------------------------------------------
// the sandbox

const rejections: unknown[] = [];
const onRejection = (r: unknown) => rejections.push(r);

class Sandbox {
  private worker!: Worker;
  private next = 0;
  private waiting = new Map<number, (r: Reply) => void>();
  private failure: ((e: Error) => void) | null = null;
  stats = { jobs: 0, valid: 0, errors: 0, slowest: 0, restarts: 0, byKind: {} as Record<string, { valid: number; errors: number }> };

  async start(): Promise<void> {
    this.worker = new Worker(new URL('./fuzz/worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 768 } });
    await new Promise<void>((ready, fail) => {
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          this.worker.off('message', onMsg);
          ready();
        }
      };
      this.worker.on('message', onMsg);
      this.worker.once('error', fail);
    });
    this.worker.on('message', (m: Reply & { unhandledRejection?: string }) => {
      if (m.unhandledRejection !== undefined) {
        rejections.push(`in the worker: ${m.unhandledRejection}`);
        return;
      }
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
    this.worker.on('error', (e) => this.failure?.(new Error(`the worker crashed: ${e.message}`)));
    this.worker.on('exit', (code) => this.failure?.(new Error(`the worker exited with code ${code}`)));
  }

  /** Run one job; a crash or a case over the deadline fails with the input described. */
  /** The last job sent (kept when it fails). */
  last: { kind: JobKind; input: Omit<Job, 'id' | 'kind'> } | null = null;

  async run(kind: JobKind, input: Omit<Job, 'id' | 'kind'>, describe: () => string): Promise<Reply> {
    const id = this.next++;
    this.last = { kind, input };
    this.stats.jobs++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<Reply>((resolve, reject) => {
        this.waiting.set(id, resolve);
        this.failure = reject;
        timer = setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms (a hang)`)), DEADLINE_MS);
        this.worker.postMessage({ id, kind, ...input });
      });
    } catch (e) {
      this.failure = null;
      this.stats.restarts++;
      await this.worker.terminate().catch(() => undefined);
      await this.start();
      keepFailure({ kind, input });
      throw new Error(`${kind}: ${(e as Error).message} on ${describe()}`, { cause: e });
    } finally {
      clearTimeout(timer);
      this.failure = null;
    }
  }

  async stop(): Promise<void> {
    this.failure = null;
    await this.worker.terminate();
  }
}

/**
 * `npm run fuzz -- --minutes N` (scripts/fuzz.mjs) sets FUZZ_SAVE_DIR: each failing input is
 * written there as `fuzz-<kind>-<seed>-<sha256 prefix>.<ext>`, a new corpus file to add to
 * tests/corpus/cases.ts with the error it must give once it is fixed.
 */
function keepFailure(job: { kind: JobKind; input: Omit<Job, 'id' | 'kind'> } | null): void {
  const dir = process.env.FUZZ_SAVE_DIR;
  if (!dir || !job) return;
  const { kind, input } = job;
  const bytes = input.bytes ?? new TextEncoder().encode(input.text ?? JSON.stringify(input.value ?? null));
  const ext = kind === 'tiff' ? 'tif' : kind === 'geojson' ? 'geojson' : kind === 'link' ? 'txt' : 'json';
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-${kind}-${SEED}-${hash}.${ext}`);
  writeFileSync(file, bytes);
  console.log(`fuzz: kept the failing input as ${file}`);
}

const sandbox = new Sandbox();
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
  process.off('unhandledRejection', onRejection);
  console.log(`fuzz (seed ${SEED}): ${JSON.stringify(sandbox.stats)}`);
});

/** The property every case must have; a failing input is kept as a corpus file when FUZZ_SAVE_DIR is set. */
function expectSafe(kind: JobKind, r: Reply, what: () => string): void {
  try {
    checkSafe(kind, r, what);
  } catch (e) {
    keepFailure(sandbox.last);
    throw e;
  }
}

function checkSafe(kind: JobKind, r: Reply, what: () => string): void {
  const k = (sandbox.stats.byKind[kind] ??= { valid: 0, errors: 0 });
  if (r.outcome === 'valid') k.valid++;
  else k.errors++;
  if (r.outcome === 'valid') {
    sandbox.stats.valid++;
    expect(r.violation, `${what()}: a valid result broke an invariant`).toBeUndefined();
  } else {
    sandbox.stats.errors++;
    expect(r.error!.typed, `${what()}: ${r.error!.name}: ${r.error!.message}`).toBe(true);
    expect(r.error!.length, what()).toBeGreaterThan(0);
    // readable: the message does not echo a megabyte of the input back
    expect(r.error!.length, `${what()}: a message of ${r.error!.length} characters`).toBeLessThan(2000);
    expect(r.violation, what()).toBeUndefined();
  }
  sandbox.stats.slowest = Math.max(sandbox.stats.slowest, Math.round(r.ms));
}

const hex = (b: Uint8Array, n = 64) =>
  Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join('') + (b.length > n ? `… (${b.length} bytes)` : '');
const clip = (s: string, n = 300) => (s.length > n ? s.slice(0, n) + `… (${s.length} chars)` : s);

// ---------------------------------------------------------------------------
// GeoTIFF

/** A 3 × 3 tiled (2 × 2 tiles), uncompressed, 2-band planar float32 file: tiles, planes and sparse tiles to mutate. */
function tiledTiff(): Uint8Array {
  const tile = new Uint8Array(2 * 2 * 4).map((_, i) => (i * 37) & 0xff);
  const tiles = 4 * 2; // 2 × 2 tiles × 2 planes
  const data = new Uint8Array(tile.length * tiles);
  for (let t = 0; t < tiles; t++) data.set(tile, t * tile.length);
  return buildTiff(
    (off) => [
      [256, 4, [3]],
      [257, 4, [3]],
      [258, 3, [32, 32]],
      [259, 3, [1]],
      [262, 3, [1]],
      [277, 3, [2]],
      [284, 3, [2]],
      [322, 4, [2]],
      [323, 4, [2]],
      [324, 4, Array.from({ length: tiles }, (_, t) => off + t * tile.length)],
      [325, 4, Array.from({ length: tiles }, (_, t) => (t === 3 ? 0 : tile.length))],
      [339, 3, [3, 3]],
      [42113, 2, '-9999'],
      [
        42112,
        2,
        '<GDALMetadata><Item name="name" sample="0">a</Item><Item name="DESCRIPTION" sample="1" role="description">b</Item></GDALMetadata>',
      ],
    ],
    data,
  );
}

const TIFF_SEEDS: Array<[string, Uint8Array]> = [
  ['gol_glider_64x64.tif', sample('gol_glider_64x64.tif')],
  ['fire_forest_50x50.tif', sample('fire_forest_50x50.tif')],
  ['coast_10x14.tif', sample('coast_10x14.tif')],
  ['flood_8x10.tif', sample('flood_8x10.tif')],
  ['tiny uncompressed', tinyTiff()],
  ['lzw', codecTiff('lzw', 37, 23)],
  ['lzw + predictor 2', codecTiff('lzw', 19, 11, true)],
  ['packbits', codecTiff('packbits', 29, 17)],
  ['packbits + predictor 2', codecTiff('packbits', 13, 7, true)],
  ['tiled planar float32', tiledTiff()],
  [
    'deflate float64 3 bands, georeferenced',
    writeGeoTiff({
      kind: 'raster',
      width: 9,
      height: 7,
      transform: { originX: 500000, originY: 9700000, pixelWidth: 30, pixelHeight: 30 },
      epsg: 31983,
      bands: ['a', 'b', 'c'].map((name, k) => ({
        name,
        dtype: 'float64' as const,
        data: Float64Array.from({ length: 63 }, (_, i) => Math.sin(i + k)),
        nodata: -9999,
      })),
    }),
  ],
];

const U32_VALUES = [0, 1, 2, 3, 7, 8, 255, 256, 4095, 4096, 65535, 65536, 2 ** 24, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];

type TiffMutation =
  | { k: 'flip'; at: number; bit: number }
  | { k: 'byte'; at: number; v: number }
  | { k: 'truncate'; at: number }
  | { k: 'field'; entry: number; field: 0 | 1 | 2 | 3; v: number; rel: boolean }
  | { k: 'run'; at: number; len: number; v: number }
  | { k: 'insert'; at: number; bytes: Uint8Array }
  | { k: 'append'; bytes: Uint8Array };

const tiffMutation: fc.Arbitrary<TiffMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('byte' as const), at: fc.nat(), v: fc.nat({ max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('field' as const),
      entry: fc.nat({ max: 40 }),
      field: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
      v: fc.oneof(fc.constantFrom(...U32_VALUES), fc.nat()),
      rel: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('run' as const),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 64 }),
      v: fc.constantFrom(0, 0xff, 0x80, 0x7f),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
);

function mutateTiff(seed: Uint8Array, muts: TiffMutation[]): Uint8Array {
  let b = seed.slice();
  for (const m of muts) {
    if (b.length === 0) break;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (m.k) {
      case 'flip':
        b[m.at % b.length] ^= 1 << m.bit;
        break;
      case 'byte':
        b[m.at % b.length] = m.v;
        break;
      case 'truncate':
        b = b.slice(0, m.at % b.length);
        break;
      case 'run':
        b.fill(m.v, m.at % b.length, (m.at % b.length) + m.len);
        break;
      case 'insert': {
        const at = m.at % b.length;
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'append': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b);
        out.set(m.bytes, b.length);
        b = out;
        break;
      }
      case 'field': {
        // an IFD entry of the (little-endian) seed: tag, type, count or value/offset
        if (b.length < 8 || b[0] !== 0x49) break;
        const ifd = dv.getUint32(4, true);
        if (ifd + 2 > b.length) break;
        const n = dv.getUint16(ifd, true);
        if (n === 0) break;
        const p = ifd + 2 + (m.entry % n) * 12;
        if (p + 12 > b.length) break;
        if (m.field === 0) dv.setUint16(p, m.v & 0xffff, true);
        else if (m.field === 1) dv.setUint16(p + 2, m.rel ? m.v % 19 : m.v & 0xffff, true);
        else if (m.field === 2) dv.setUint32(p + 4, m.rel ? m.v % 64 : m.v >>> 0, true);
        else dv.setUint32(p + 8, m.rel ? (b.length + (m.v % 64) - 32) >>> 0 : m.v >>> 0, true);
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------
// JSON trees (GeoJSON, records, link payloads)

/** Hostile values to graft into a JSON document. `__MARK__` keys become "__proto__" in the text. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      0,
      -0,
      1e308,
      -1e308,
      2 ** 53 + 1,
      0.1,
      '',
      'NaN',
      'Infinity',
      '1e999',
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"; DROP TABLE x; --',
      '\u0000\u001b[2J\n\r',
      '\ud800',
      'a'.repeat(10_000),
      [],
      {},
      [[]],
      JSON.parse('['.repeat(40) + '1' + ']'.repeat(40)),
      { __MARK__: { polluted: 1 } },
      { constructor: { prototype: { polluted: 1 } } },
      { prototype: 1 },
      { type: 'Feature', properties: null, geometry: null },
      { type: 'Point', coordinates: [0, 0] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      { type: 'MultiPolygon', coordinates: [] },
      { type: 'GeometryCollection', geometries: [] },
      Array.from({ length: 2000 }, (_, i) => i),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double().filter((x) => Number.isFinite(x)) },
);

type TreeMutation =
  | { k: 'replace'; path: number[]; v: unknown }
  | { k: 'delete'; path: number[] }
  | { k: 'rename'; path: number[]; to: string }
  | { k: 'duplicate'; path: number[] };

const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('replace' as const), path: fc.array(fc.nat(), { maxLength: 8 }), v: hostile }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('rename' as const),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
      to: fc.constantFrom(
        '__MARK__',
        'constructor',
        'prototype',
        'type',
        'Type',
        'features',
        'coordinates',
        'properties',
        'geometry',
        'id',
        'x',
        '',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('duplicate' as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }) }) },
);

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Walk `path` (indices modulo the children) to a (parent, key) pair; the deepest reachable one. */
function locate(root: unknown, path: number[]): { parent: Container; key: string | number } | null {
  let node = root;
  let found: { parent: Container; key: string | number } | null = null;
  for (const step of path) {
    if (!isContainer(node)) break;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[step % keys.length];
    found = { parent: node, key };
    node = (node as Record<string | number, unknown>)[key];
  }
  return found;
}

/** Apply tree mutations to a copy of `doc` and serialise it (with "__proto__" keys put in the text). */
function mutateTree(doc: unknown, muts: TreeMutation[]): string {
  const root = { doc: structuredClone(doc) } as Record<string, unknown>;
  for (const m of muts) {
    const at =
      m.k === 'replace' && m.path.length === 0 ? { parent: root, key: 'doc' } : (locate(root.doc, m.path) ?? { parent: root, key: 'doc' });
    const parent = at.parent as Record<string | number, unknown>;
    switch (m.k) {
      case 'replace':
        parent[at.key] = structuredClone(m.v);
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(at.key as number, 1);
        else if (parent !== root) delete parent[at.key];
        break;
      case 'rename':
        if (!Array.isArray(parent) && parent !== root && m.to !== at.key) {
          parent[m.to] = parent[at.key];
          delete parent[at.key];
        }
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(at.key as number, 0, structuredClone(parent[at.key as number]));
        break;
    }
  }
  return (JSON.stringify(root.doc) ?? 'null').replaceAll('"__MARK__"', '"__proto__"');
}

type TextMutation =
  | { k: 'cut'; at: number }
  | { k: 'set'; at: number; c: string }
  | { k: 'insert'; at: number; s: string }
  | { k: 'delete'; at: number; len: number };
const textMutation = (alphabet: string[]): fc.Arbitrary<TextMutation> =>
  fc.oneof(
    fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ k: fc.constant('set' as const), at: fc.nat(), c: fc.constantFrom(...alphabet) }),
    fc.record({ k: fc.constant('insert' as const), at: fc.nat(), s: fc.constantFrom(...alphabet) }),
    fc.record({ k: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  );

function mutateText(text: string, muts: TextMutation[]): string {
  let t = text;
  for (const m of muts) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.k === 'cut') t = t.slice(0, at);
    else if (m.k === 'set') t = t.slice(0, at) + m.c + t.slice(at + 1);
    else if (m.k === 'insert') t = t.slice(0, at) + m.s + t.slice(at);
    else t = t.slice(0, at) + t.slice(at + m.len);
  }
  return t;
}

const enc = (s: string) => new TextEncoder().encode(s);

const GEOJSON_SEEDS: Array<[string, unknown]> = [
  ['coast_10x14.geojson', JSON.parse(new TextDecoder().decode(sample('coast_10x14.geojson')))],
  ['gol_random_20x20.geojson', JSON.parse(new TextDecoder().decode(sample('gol_random_20x20.geojson')))],
  [
    'mixed',
    {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::31983' } },
      features: [
        {
          type: 'Feature',
          id: 1,
          properties: { state: 1, name: 'a', nested: { x: [1, 2] } },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
                [0, 0],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          id: 'b',
          properties: null,
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [1, 0],
                  [2, 0],
                  [2, 1],
                  [1, 0],
                ],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { state: 0 },
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [0, 0],
                [3, 3],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { state: true },
          geometry: {
            type: 'MultiPoint',
            coordinates: [
              [5, 5],
              [6, 6, 7],
            ],
          },
        },
      ],
    },
  ],
];

const RECORD_SEEDS: Array<[string, unknown]> = [
  ['base', RECORD_BASE],
  [
    'full',
    {
      ...RECORD_BASE,
      model_name: 'brmangue',
      resolved_spec: { model: { class: 'brmangue', parameters: { end_time: 8, taxa_elevacao: 0.5 } } },
      source: { type: 'local', uri: 'coast.tif', collection: 'x', version: '1', checksum: 'c'.repeat(64) },
      band_map: { uso: 'landuse', alt: '2' },
      column_map: { uso: 'USO' },
      parameters: { end_time: 8, taxa_elevacao: 0.5, crs: 'EPSG:31983', interactive: false },
      period: ['2000', '2014'],
      output_path: 'out/x.tif',
      artifacts: { output: 'a'.repeat(64), profiling: 'b'.repeat(64) },
      metrics: { time_run_sec: 1.25, series: { flooded: [1, 2, 3] } },
      logs: ['Loaded GeoTIFF', 'Saved to out/x.tif'],
    },
  ],
];

const glider = sample('gol_glider_64x64.tif');
const LINK_SEEDS: Array<[string, SharedExperiment]> = [
  ['game_of_life', LINK_BASE],
  [
    'forest_fire_prob + embedded',
    {
      ...LINK_BASE,
      model: 'forest_fire_prob',
      parameters: { seed: 7, end_time: 5 },
      embedded: glider,
      source: { uri: 'file:glider.tif', sha256: 'd'.repeat(64), name: 'glider.tif' },
    },
  ],
  ['sir (no input)', { ...LINK_BASE, model: 'sir', parameters: {}, source: null }],
  ['brmangue + band_map', { ...LINK_BASE, model: 'brmangue', parameters: { end_time: 3 }, band_map: { uso: '1', alt: '2' } }],
];
const linkPayload = (exp: SharedExperiment): Record<string, unknown> => ({
  v: 1,
  ...exp,
  embedded: exp.embedded ? Buffer.from(exp.embedded).toString('base64url') : null,
});
const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

// ---------------------------------------------------------------------------

describe('fuzz: mutated inputs give a typed error or a valid result, never a hang, crash or raw exception', () => {
  it('readGeoTiff on structure-aware mutations of 11 seed files (all codecs, strips/tiles, planar)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: TIFF_SEEDS.length - 1 }),
        fc.array(tiffMutation, { minLength: 1, maxLength: 5 }),
        async (which, muts) => {
          const bytes = mutateTiff(TIFF_SEEDS[which][1], muts);
          const what = () => `${TIFF_SEEDS[which][0]} with ${JSON.stringify(muts)} → ${hex(bytes)}`;
          expectSafe('tiff', await sandbox.run('tiff', { bytes }, what), what);
        },
      ),
      { numRuns: runs(3000), seed: SEED, endOnFailure: true },
    );
  });

  it('readGeoJson on JSON-tree mutations (hostile subtrees, renamed/deleted/duplicated members) and text mutations', async () => {
    const punct = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '-',
      '.',
      'e',
      '0',
      'null',
      '1e999',
      '"__proto__":',
      '\u00e9',
      '\ufeff',
      '\u0000',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: GEOJSON_SEEDS.length - 1 }),
        fc.array(treeMutation, { minLength: 1, maxLength: 4 }),
        fc.array(textMutation(punct), { maxLength: 2 }),
        async (which, muts, textMuts) => {
          const text = mutateText(mutateTree(GEOJSON_SEEDS[which][1], muts), textMuts);
          const what = () => `${GEOJSON_SEEDS[which][0]} with ${clip(JSON.stringify(muts))} ${JSON.stringify(textMuts)}`;
          expectSafe('geojson', await sandbox.run('geojson', { bytes: enc(text) }, what), what);
        },
      ),
      { numRuns: runs(1200), seed: SEED + 1, endOnFailure: true },
    );
  });

  it('parseRecord on mutated record objects (as the worker receives them)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: RECORD_SEEDS.length - 1 }),
        fc.array(treeMutation, { minLength: 1, maxLength: 4 }),
        async (which, muts) => {
          // through JSON text so "__proto__" keys are real own keys, as JSON.parse and structured clone make them
          const value = JSON.parse(mutateTree(RECORD_SEEDS[which][1], muts)) as unknown;
          const what = () => `${RECORD_SEEDS[which][0]} with ${clip(JSON.stringify(muts))}`;
          expectSafe('record', await sandbox.run('record', { value }, what), what);
        },
      ),
      { numRuns: runs(2000), seed: SEED + 2, endOnFailure: true },
    );
  });

  it('parseRecordJson on text mutations of record files', async () => {
    const alphabet = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\u0000',
      '\\ud800',
      'null',
      '1e999',
      '-',
      '"__proto__":{},',
      '"constructor":',
      '\n',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: RECORD_SEEDS.length - 1 }),
        fc.array(treeMutation, { maxLength: 2 }),
        fc.array(textMutation(alphabet), { minLength: 1, maxLength: 4 }),
        async (which, muts, textMuts) => {
          const text = mutateText(mutateTree(RECORD_SEEDS[which][1], muts), textMuts);
          const what = () => `${RECORD_SEEDS[which][0]}: ${clip(text)}`;
          expectSafe('record-json', await sandbox.run('record-json', { text }, what), what);
        },
      ),
      { numRuns: runs(1500), seed: SEED + 3, endOnFailure: true },
    );
  });

  it('decodeShareLink on mutated payloads (re-deflated) and mutated fragments', async () => {
    const fragmentAlphabet = [...B64URL, '=', '%', '#', '+', '/', ' ', 'run=', '\u00e9'];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: LINK_SEEDS.length - 1 }),
        fc.oneof(
          fc.record({ k: fc.constant('payload' as const), muts: fc.array(treeMutation, { minLength: 1, maxLength: 4 }) }),
          fc.record({
            k: fc.constant('fragment' as const),
            muts: fc.array(textMutation(fragmentAlphabet), { minLength: 1, maxLength: 4 }),
          }),
          fc.record({
            k: fc.constant('deflated' as const),
            flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 3 }),
          }),
        ),
        async (which, m) => {
          const exp = LINK_SEEDS[which][1];
          let text: string;
          if (m.k === 'payload')
            text = LINK_PREFIX + Buffer.from(deflateSync(enc(mutateTree(linkPayload(exp), m.muts)))).toString('base64url');
          else if (m.k === 'fragment') text = mutateText('#' + encodeShareLink(exp), m.muts);
          else {
            const z = deflateSync(enc(JSON.stringify(linkPayload(exp))));
            for (const [at, bit] of m.flips) z[at % z.length] ^= 1 << bit;
            text = LINK_PREFIX + Buffer.from(z).toString('base64url');
          }
          const what = () => `${LINK_SEEDS[which][0]} ${clip(JSON.stringify(m))}: ${clip(text, 200)}`;
          expectSafe('link', await sandbox.run('link', { text }, what), what);
        },
      ),
      { numRuns: runs(1500), seed: SEED + 4, endOnFailure: true },
    );
  });

  it('saw both outcomes for every loader, and no unhandled rejection anywhere', () => {
    // the mutations reach both sides of every loader (not only its first check)
    for (const kind of ['tiff', 'geojson', 'record', 'record-json', 'link']) {
      expect(sandbox.stats.byKind[kind]?.valid, `${kind}: valid results`).toBeGreaterThan(5);
      expect(sandbox.stats.byKind[kind]?.errors, `${kind}: errors`).toBeGreaterThan(50);
    }
    expect(sandbox.stats.slowest).toBeLessThan(DEADLINE_MS);
    expect(rejections).toEqual([]);
  });
});

describe('fuzz: the bounded LZW and PackBits decoders', () => {
  const lzwRef = getDecoder(5, { tileWidth: 1, tileHeight: 1, predictor: 1, bitsPerSample: [8], planarConfiguration: 1 } as never);
  const packRef = getDecoder(32773, { tileWidth: 1, tileHeight: 1, predictor: 1, bitsPerSample: [8], planarConfiguration: 1 } as never);

  async function reference(dec: Promise<unknown>, bytes: Uint8Array): Promise<Uint8Array | null> {
    const warn = console.warn;
    console.warn = () => undefined; // geotiff.js warns when a stream runs off the end
    try {
      const d = (await dec) as { decode(b: ArrayBufferLike): Promise<ArrayBufferLike> };
      return new Uint8Array(await d.decode(bytes.slice().buffer));
    } catch {
      return null;
    } finally {
      console.warn = warn;
    }
  }

  it('decode what geotiff.js decodes, byte for byte (valid streams with and without clear codes, and garbage)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            k: fc.constant('data' as const),
            seed: fc.nat(),
            len: fc.integer({ min: 0, max: 12_000 }),
            alphabet: fc.integer({ min: 1, max: 256 }),
            clearAt: fc.constantFrom(600, 3000, 4000, 4093),
          }),
          fc.record({ k: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 400 }) }),
        ),
        async (c) => {
          let data: Uint8Array | null = null;
          let lzw: Uint8Array;
          let pack: Uint8Array;
          if (c.k === 'data') {
            const r = prng(c.seed);
            data = new Uint8Array(c.len);
            for (let i = 0; i < c.len; i++) data[i] = r() < 0.7 && i > 0 ? data[i - 1] : Math.floor(r() * c.alphabet);
            lzw = lzwEncode(data, c.clearAt);
            pack = packBitsEncode(data);
          } else {
            lzw = c.bytes;
            pack = c.bytes;
          }
          const refL = await reference(lzwRef, lzw);
          const refP = await reference(packRef, pack);
          if (data) {
            expect(Array.from(lzwDecode(lzw, data.length))).toEqual(Array.from(data));
            expect(Array.from(packBitsDecode(pack, data.length))).toEqual(Array.from(data));
            expect(refL && Array.from(refL)).toEqual(Array.from(data));
          }
          for (const [ours, ref] of [
            [() => lzwDecode(lzw, refL?.length ?? 0), refL],
            [() => packBitsDecode(pack, refP?.length ?? 0), refP],
          ] as const) {
            if (!ref) continue;
            let got: Uint8Array | null = null;
            try {
              got = ours();
            } catch {
              // we refuse codes beyond the table that geotiff.js lets through
            }
            if (got) expect(Array.from(got), 'same bytes as geotiff.js').toEqual(Array.from(ref));
          }
          // bounded: never more than asked for (or a plain Error, which readGeoTiff turns into a FormatError)
          for (const f of [() => lzwDecode(lzw, 10), () => packBitsDecode(pack, 10)]) {
            let n = 0;
            try {
              n = f().length;
            } catch (e) {
              expect(e).toBeInstanceOf(Error);
            }
            expect(n).toBeLessThanOrEqual(10);
          }
        },
      ),
      { numRuns: runs(250), seed: SEED + 5 },
    );
  });

  it('an LZW code beyond the table is a FormatError through readGeoTiff, not a raw Error', async () => {
    const { readGeoTiff } = await import('../src/io/geotiff-read.ts');
    const bytes = codecTiff('lzw', 8, 8);
    const e = ifdEntries(bytes).get(273)!;
    const off = new DataView(bytes.buffer).getUint32(e.pos + 8, true);
    bytes[off + 2] = 0xff; // a 9-bit code of 511+ right after the first
    await expect(readGeoTiff(bytes)).rejects.toBeInstanceOf(DissError);
  });
});
