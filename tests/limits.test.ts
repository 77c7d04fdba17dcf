/**
 * The documented limits (README, "Limits and bad input") hold exactly at their
 * boundaries, and everything above them is refused before anything large is
 * allocated: a few hundred bytes declaring a huge raster come back in
 * milliseconds with a LimitError and no memory spent; decompression bombs and
 * hostile metadata stay bounded in memory and time.
 */
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeIO } from '../src/cli/node-io.ts';
import { FormatError, LimitError, RecordError } from '../src/executor/errors.ts';
import { parseRecord, RECORD_LIMITS } from '../src/executor/record.ts';
import { readGeoJson } from '../src/io/geojson.ts';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { decodeShareLink, encodeShareLink, MAX_EMBED_BYTES, MAX_LINK_CHARS, MAX_LINK_JSON_BYTES } from '../src/app/share/share-link.ts';
import {
  MAX_COLUMNS,
  MAX_FEATURES,
  MAX_GEOJSON_BYTES,
  MAX_GEOMETRY_POINTS,
  MAX_INPUT_BYTES,
  MAX_RASTER_BYTES,
  MAX_RASTER_CELLS,
  MAX_UNZIPPED_BYTES,
  MAX_ZIP_ENTRIES,
} from '../src/io/limits.ts';
import { parseDataset } from '../src/io/dataset.ts';
import { readFlatGeobuf } from '../src/io/flatgeobuf.ts';
import { readGeoPackage } from '../src/io/geopackage-read.ts';
import { writeGeoPackage } from '../src/io/geopackage-write.ts';
import { readShapefileZip } from '../src/io/shapefile.ts';
import { zipEntries } from '../src/io/zip.ts';
import { shapefileZip, square } from './corpus/vector-build.ts';
import { ExecutorRegistry } from '../src/models/index.ts';
import {
  deflateBomb,
  fixture,
  generators,
  LINK_BASE,
  lzwBomb,
  packBitsBomb,
  prng,
  RECORD_BASE,
  sample,
  stripTiff,
  tinyTiff,
} from './corpus/build.ts';

const work = mkdtempSync(join(tmpdir(), 'dissmodel-limits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A real gc() for the memory figures (node --expose-gc, turned on from inside the test).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Time and memory (heap + array buffers, after a gc) spent by fn, and what it threw. */
async function measure(fn: () => unknown): Promise<{ ms: number; mb: number; error: unknown; value: unknown }> {
  gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  let error: unknown = null;
  let value: unknown = null;
  try {
    value = await fn();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  gc();
  const m1 = process.memoryUsage();
  const mb = (m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers)) / 1e6;
  return { ms, mb, error, value };
}

/**
 * "In milliseconds": a refusal from the header takes about 1 ms; the bound is loose so a
 * loaded machine does not fail it, and still far below what reading or allocating would take.
 */
const QUICK_MS = 300;

beforeAll(async () => {
  // warm-up: the first call compiles the reader
  await readGeoTiff(tinyTiff());
  decodeShareLink(encodeShareLink(LINK_BASE), ExecutorRegistry.specs());
});

/** A header-only strip TIFF declaring width × height × bands of `bits`-bit samples (the strip is 1 byte). */
const declared = (width: number, height: number, bits = 8, bands = 1, format = 1) =>
  stripTiff(width, height, new Uint8Array(1), { bits, spp: bands, format, byteCount: width * height * bands * (bits / 8) });

describe('raster limits: MAX_RASTER_CELLS per band and MAX_RASTER_BYTES decoded, checked on the header', () => {
  it('the constants are the documented ones', () => {
    expect(MAX_RASTER_CELLS).toBe(8192 * 8192);
    expect(MAX_RASTER_BYTES).toBe(1024 ** 3);
    expect(MAX_INPUT_BYTES).toBe(512 * 1024 ** 2);
    expect(MAX_GEOJSON_BYTES).toBe(64 * 1024 ** 2);
  });

  it.each([
    ['10⁶ × 10⁶', 1_000_000, 1_000_000, 8, 1, /1,000,000 × 1,000,000 = 1,000,000,000,000 cells, over the limit of 67,108,864/],
    ['8193 × 8192 (one column over)', 8193, 8192, 8, 1, /8,193 × 8,192 = 67,117,056 cells/],
    ['65536 × 1025', 65536, 1025, 8, 1, /cells, over the limit/],
    ['4 294 967 295 × 1', 4294967295, 1, 8, 1, /4,294,967,295 × 1/],
    ['8192 × 8192 × 3 float64 (1.5 GiB)', 8192, 8192, 64, 3, /need 1,610,612,736 bytes decoded, over the limit of 1,073,741,824/],
    ['8192 × 8192 × 5 float32', 8192, 8192, 32, 5, /need 1,342,177,280 bytes decoded/],
  ])('%s is refused in milliseconds with LimitError, nothing allocated', async (_what, w, h, bits, bands, message) => {
    const bytes = declared(w, h, bits, bands, bits >= 32 ? 3 : 1);
    expect(bytes.length).toBeLessThan(300);
    const r = await measure(() => readGeoTiff(bytes));
    expect(r.error).toBeInstanceOf(LimitError);
    expect((r.error as Error).message).toMatch(message);
    expect(r.ms).toBeLessThan(QUICK_MS);
    expect(r.mb).toBeLessThan(5);
  });

  it('at the limits themselves (8192 × 8192 uint8; 1 GiB of float64 in 2 bands) the header passes; a missing strip is then a FormatError, still before allocating', async () => {
    for (const [w, h, bits, bands] of [
      [8192, 8192, 8, 1],
      [8192, 8192, 64, 2],
    ]) {
      const r = await measure(() => readGeoTiff(declared(w, h, bits, bands, bits === 64 ? 3 : 1)));
      expect(r.error, `${w}×${h}×${bands}×${bits}`).toBeInstanceOf(FormatError);
      expect((r.error as Error).message).toMatch(/truncated: strip 1 of 1 lies at bytes/);
      expect(r.ms).toBeLessThan(QUICK_MS);
      expect(r.mb).toBeLessThan(5);
    }
  });

  it('a 4096 × 4096 uint8 raster (16 M cells, under the limits) is read', async () => {
    const w = 4096;
    const px = new Uint8Array(w * w);
    const bytes = stripTiff(w, w, px);
    const ds = await readGeoTiff(bytes);
    expect(ds.width * ds.height).toBe(w * w);
  });

  it('tiles larger than MAX_RASTER_BYTES are refused before a tile buffer is made', async () => {
    const { generators } = await import('./corpus/build.ts');
    const r = await measure(() => readGeoTiff(generators['tif-huge-tile']()));
    expect(r.error).toBeInstanceOf(LimitError);
    expect(r.ms).toBeLessThan(QUICK_MS);
  });
});

describe('decompression bombs and hostile metadata stay bounded (output never larger than the block)', () => {
  it.each([
    ['PackBits: 16 MB of runs (would inflate to 1 GB) in a 4 × 4 file', () => packBitsBomb(16 * 1024 * 1024)],
    ['LZW: 4 MB of longest-string codes (would inflate to several GB)', () => lzwBomb(4 * 1024 * 1024)],
    ['deflate: 64 MB of zeros in 64 KB', () => deflateBomb(64 * 1024 * 1024)],
  ])('%s', async (_what, make) => {
    const bytes = make();
    const r = await measure(() => readGeoTiff(bytes));
    // Only the 16 bytes the raster needs are decoded; the rest of the stream is never expanded.
    expect(r.error, String(r.error)).toBeNull();
    const ds = r.value as Awaited<ReturnType<typeof readGeoTiff>>;
    expect(ds.bands[0].data.length).toBe(16);
    console.log(`${_what}: ${bytes.length} bytes read in ${r.ms.toFixed(1)} ms, memory +${r.mb.toFixed(1)} MB`);
    // Bounds that tell "expanded" from "not expanded" on a busy machine (heap noise after a gc
    // reached 20.8 MB at load 20; the deflate bomb expanded would add 64 MB, the others far more);
    // the time bound catches a runaway decode, not speed (speed lives in npm run bench).
    expect(r.ms).toBeLessThan(10_000);
    expect(r.mb).toBeLessThan(bytes.length / 1e6 + 32);
  });

  it('a file of many bomb strips runs out of its inflate budget: LimitError, in bounded time', async () => {
    // 256 one-row strips of a 256 × 256 uint8 raster, every one pointing at the same 64 MB-of-zeros stream
    const { zlibSync } = await import('fflate');
    const bomb = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const { buildTiff } = await import('./corpus/build.ts');
    const bytes = buildTiff(
      (off) => [
        [256, 4, [256]],
        [257, 4, [256]],
        [258, 3, [8]],
        [259, 3, [8]],
        [262, 3, [1]],
        [273, 4, new Array<number>(256).fill(off)],
        [277, 3, [1]],
        [278, 4, [1]],
        [279, 4, new Array<number>(256).fill(bomb.length)],
      ],
      bomb,
    );
    const r = await measure(() => readGeoTiff(bytes));
    console.log(`256 strips × a 64 MB bomb: ${r.ms.toFixed(0)} ms, memory +${r.mb.toFixed(1)} MB: ${String(r.error)}`);
    expect(r.error).toBeInstanceOf(LimitError);
    expect((r.error as Error).message).toMatch(/inflates far beyond the size of its raster \(a decompression bomb\)/);
    expect(r.ms).toBeLessThan(2000);
  });

  it('hostile GDAL metadata is parsed in linear time (these took minutes before)', async () => {
    const hostile = [
      ['4 MB of unclosed <Item> tags', [42112, 2, '<GDALMetadata>' + '<Item name="name" sample="0">x'.repeat(130_000)]],
      [
        'an <Item> with 1 MB of attribute name characters',
        [42112, 2, '<GDALMetadata><Item ' + 'a'.repeat(1_000_000) + '>v</Item></GDALMetadata>'],
      ],
      ['GDAL_NODATA of 1 MB of NULs then a letter', [42113, 2, '\u0000'.repeat(1_000_000) + 'x']],
    ] as const;
    for (const [what, tag] of hostile) {
      const bytes = stripTiff(4, 4, new Uint8Array(16), { extra: [tag as never] });
      const r = await measure(() => readGeoTiff(bytes));
      expect(r.error, what).toBeNull();
      console.log(`${what}: ${r.ms.toFixed(1)} ms`);
      expect(r.ms, what).toBeLessThan(1000);
    }
  });
});

describe('input size: MAX_INPUT_BYTES (any file) and MAX_GEOJSON_BYTES (GeoJSON)', () => {
  it('the CLI refuses a file over 512 MiB from its size, without reading it', async () => {
    const path = join(work, 'sparse.tif');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, MAX_INPUT_BYTES + 1); // sparse: no disk space, no data
    closeSync(fd);
    const r = await measure(() => new NodeIO().read(path));
    expect(r.error).toBeInstanceOf(LimitError);
    expect((r.error as Error).message).toMatch(/is 536870913 bytes; the largest input accepted is 536870912 bytes/);
    expect(r.ms).toBeLessThan(QUICK_MS);
    expect(r.mb).toBeLessThan(5);
  });

  it('GeoJSON over maxBytes is refused before it is decoded; at the limit it is read', async () => {
    const bytes = sample('coast_10x14.geojson');
    expect(readGeoJson(bytes, { maxBytes: bytes.length }).features.length).toBe(140);
    const r = await measure(() => readGeoJson(bytes, { maxBytes: bytes.length - 1 }));
    expect(r.error).toBeInstanceOf(LimitError);
    expect((r.error as Error).message).toMatch(/The GeoJSON file is 4\d,\d{3} bytes; the largest GeoJSON accepted is/);
  });

  it('MAX_FEATURES is checked on the feature count (after parsing: the byte limit comes first in practice)', () => {
    const bytes = sample('gol_random_20x20.geojson');
    expect(() => readGeoJson(bytes, { maxFeatures: 399 })).toThrow(/400 features; the limit is 399/);
    expect(readGeoJson(bytes, { maxFeatures: 400 }).features.length).toBe(400);
    // the smallest feature a GeoJSON can hold is ~65 bytes: MAX_GEOJSON_BYTES allows about a million
    const smallest = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}},';
    expect(Math.floor(MAX_GEOJSON_BYTES / smallest.length)).toBeLessThan(MAX_FEATURES);
  });
});

describe('record limits (RECORD_LIMITS): accepted at the limit, refused one above', () => {
  const rec = (fields: Record<string, unknown>) => () => parseRecord({ ...RECORD_BASE, ...fields });
  const nested = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  it.each([
    [
      'a string of maxString characters',
      rec({ model_commit: 'x'.repeat(RECORD_LIMITS.maxString) }),
      rec({ model_commit: 'x'.repeat(RECORD_LIMITS.maxString + 1) }),
      /8193 characters long; at most 8192/,
    ],
    [
      'maxLogs log lines',
      rec({ logs: new Array(RECORD_LIMITS.maxLogs).fill('') }),
      rec({ logs: new Array(RECORD_LIMITS.maxLogs + 1).fill('') }),
      /10001 entries; at most 10000/,
    ],
    [
      'maxKeys parameters',
      rec({ parameters: Object.fromEntries(Array.from({ length: RECORD_LIMITS.maxKeys }, (_, i) => [`k${i}`, i])) }),
      rec({ parameters: Object.fromEntries(Array.from({ length: RECORD_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i])) }),
      /1001 fields; at most 1000/,
    ],
    [
      'nesting to maxDepth',
      rec({ metrics: { a: nested(RECORD_LIMITS.maxDepth - 1) } }),
      rec({ metrics: { a: nested(RECORD_LIMITS.maxDepth) } }),
      /nested too deeply/,
    ],
  ])('%s', (_what, ok, over, message) => {
    expect(ok).not.toThrow();
    expect(over).toThrow(RecordError);
    expect(over).toThrow(message);
  });
});

describe('link limits: MAX_LINK_CHARS, MAX_LINK_JSON_BYTES (inflated), MAX_EMBED_BYTES', () => {
  it('an input of exactly MAX_EMBED_BYTES embeds and decodes (it was refused by the 8192-character string limit before)', () => {
    const r = prng(11);
    const embedded = new Uint8Array(MAX_EMBED_BYTES);
    for (let i = 0; i < embedded.length; i++) embedded[i] = Math.floor(r() * 256);
    const link = encodeShareLink({ ...LINK_BASE, embedded });
    expect(link.length).toBeLessThan(MAX_LINK_CHARS);
    const back = decodeShareLink(link, ExecutorRegistry.specs());
    expect(back.embedded?.length).toBe(MAX_EMBED_BYTES);
    expect(Buffer.from(back.embedded!).equals(Buffer.from(embedded))).toBe(true);
    expect(() => encodeShareLink({ ...LINK_BASE, embedded: new Uint8Array(MAX_EMBED_BYTES + 1) })).toThrow(/cannot be embedded/);
  });

  it('a real sample embeds: the 119 KB ilha raster', () => {
    const embedded = sample('ilha_maranhao_epsg31983.tif');
    expect(decodeShareLink(encodeShareLink({ ...LINK_BASE, embedded }), ExecutorRegistry.specs()).embedded?.length).toBe(embedded.length);
  });

  it('a compression bomb is refused while inflating, never inflated past MAX_LINK_JSON_BYTES', async () => {
    const { generators } = await import('./corpus/build.ts');
    const text = new TextDecoder().decode(generators['link-bomb']());
    const r = await measure(() => decodeShareLink(text, ExecutorRegistry.specs()));
    expect((r.error as Error).message).toMatch(new RegExp(`inflates beyond ${MAX_LINK_JSON_BYTES} bytes`));
    expect(r.mb).toBeLessThan(MAX_LINK_JSON_BYTES / 1e6 + 10);
  });

  it('a fragment over MAX_LINK_CHARS is refused before decoding', async () => {
    const r = await measure(() => decodeShareLink('run=' + 'A'.repeat(MAX_LINK_CHARS), ExecutorRegistry.specs()));
    expect((r.error as Error).message).toMatch(/too long/);
    expect(r.ms).toBeLessThan(QUICK_MS);
  });

  it('tinyTiff (a valid 4 × 4) stays valid: the limits refuse only what is over them', async () => {
    expect((await readGeoTiff(tinyTiff())).width).toBe(4);
  });
});

describe('vector container limits: MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, MAX_FEATURES in Shapefile, GeoPackage and FlatGeobuf', () => {
  const cells = (n: number) =>
    shapefileZip(
      'cells',
      5,
      Array.from({ length: n }, (_, i) => ({ type: 5 as const, parts: [square(i, 0, 1)] })),
      [{ name: 'state', type: 'N', length: 1 }],
      Array.from({ length: n }, () => ['1']),
    );

  it('the constants are the documented ones', () => {
    expect(MAX_UNZIPPED_BYTES).toBe(512 * 1024 * 1024);
    expect(MAX_ZIP_ENTRIES).toBe(10_000);
    expect(MAX_COLUMNS).toBe(2048);
    expect(MAX_GEOMETRY_POINTS).toBe(16 * 1024 * 1024);
  });

  it('the members read may declare exactly maxUnzippedBytes together; one byte more is refused before inflating', () => {
    const zip = cells(3);
    const members = zipEntries(zip).filter((e) => /\.(shp|shx|dbf)$/.test(e.name));
    const total = members.reduce((s, e) => s + e.size, 0);
    expect(readShapefileZip(zip, { maxUnzippedBytes: total }).features).toHaveLength(3);
    expect(() => readShapefileZip(zip, { maxUnzippedBytes: total - 1 })).toThrow(LimitError);
    expect(() => readShapefileZip(zip, { maxUnzippedBytes: total - 1 })).toThrow(
      new RegExp(`declare ${total.toLocaleString('en-US')} bytes uncompressed`),
    );
  });

  it('a 4 GB-declaring member is refused from the central directory in milliseconds, with no memory spent', async () => {
    const r = await measure(() => parseDataset('bomb.zip', generators['shp-zip-bomb']()));
    expect(r.error).toBeInstanceOf(LimitError);
    expect(r.ms).toBeLessThan(QUICK_MS);
    expect(r.mb).toBeLessThan(20);
  });

  it('a member that inflates past its declared size is stopped at it (never holds more)', async () => {
    const zip = generators['shp-zip-bomb-lying']();
    const r = await measure(() => readShapefileZip(zip));
    expect(r.error).toBeInstanceOf(LimitError);
    expect(r.mb).toBeLessThan(20); // 4 MiB of zeros were never materialised
  });

  it('at most maxEntries members', () => {
    const zip = cells(1); // 3 members
    expect(readShapefileZip(zip, { maxEntries: 3 }).features).toHaveLength(1);
    expect(() => readShapefileZip(zip, { maxEntries: 2 })).toThrow(/has 3 members; the most accepted is 2/);
  });

  it('maxFeatures: the .dbf header count, the GeoPackage count(*), the FlatGeobuf header, accepted at the limit', async () => {
    const zip = cells(4);
    expect(readShapefileZip(zip, { maxFeatures: 4 }).features).toHaveLength(4);
    expect(() => readShapefileZip(zip, { maxFeatures: 3 })).toThrow(/declares 4 records; the limit is 3/);
    const ds = readShapefileZip(zip);
    const gpkg = await writeGeoPackage(ds);
    expect((await readGeoPackage(gpkg, { maxFeatures: 4 })).features).toHaveLength(4);
    await expect(readGeoPackage(gpkg, { maxFeatures: 3 })).rejects.toThrow(/layer 'result' has 4 features; the limit is 3/);
    const fgb = fixture('formats/acre_row0-9.fgb');
    expect(readFlatGeobuf(fgb, { maxFeatures: 121 }).features).toHaveLength(121);
    expect(() => readFlatGeobuf(fgb, { maxFeatures: 120 })).toThrow(/header declares 121 features; the limit is 120/);
  });
});
