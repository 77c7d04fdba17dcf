/**
 * Resource ceilings (issue 18): every input kind accepted within the documented limits
 * is loaded in a child process whose peak resident memory (VmHWM, /proc/self/status)
 * and wall time are measured; the test fails above the stated bound
 *
 *   peak RSS − baseline RSS ≤ K × decoded bytes + C,   load time ≤ T
 *
 * (README: Limits and bad input, "Resource ceilings"). Inputs are generated here,
 * deterministically, a few MB each, so the whole test stays well under a minute.
 *
 * Extension point: a new input kind adds a row to KINDS (a generator and the loader kind
 * measure.ts knows); the Shapefile zip, GeoPackage and FlatGeobuf rows are the last added.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zlibSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeShareLink } from '../src/app/share/share-link.ts';
import { serialize as serializeFgb } from 'flatgeobuf/lib/mjs/geojson.js';
import { writeGeoPackage } from '../src/io/geopackage-write.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import type { VectorDataset } from '../src/sim/dataset.ts';
import { shapefileZip, square, type ShpShape } from './corpus/vector-build.ts';
import { LINK_BASE, buildTiff, codecTiff, prng, type Tag } from './corpus/build.ts';

const root = resolve(import.meta.dirname, '..');
const measure = join(root, 'tests/ceilings/measure.ts');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-ceilings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bounds, stated in the README. */
export const CEILINGS = {
  /** Rasters: peak memory above the baseline per decoded byte (file bytes + cells + a decode buffer). */
  rasterK: 4,
  /** Text kinds (GeoJSON, TOML, records, links): per file byte (a JSON document as objects is ~6×, README). */
  textK: 12,
  /**
   * Share links: per link character. Decoding a link with an embedded input costs far more
   * than its text (base64 → inflate → JSON → base64 of the input, each held at once: about
   * 90 MB for a 0.7 MB link); the link's own cap (1,500,000 characters) bounds it.
   */
  linkK: 128,
  /**
   * Binary vector formats (Shapefile zip, GeoPackage, FlatGeobuf): per decoded byte — the
   * uncompressed members of a zip, the file itself otherwise. Each feature becomes a GeoJSON
   * geometry object with its properties (a 5-point square: ~130 bytes of Shapefile, ~1 KB of
   * objects), and a GeoPackage is opened as a whole SQLite database in sql.js's heap.
   */
  vectorK: 16,
  /** Constant allowance above the baseline, bytes. */
  constant: 48 * 1024 * 1024,
  /** Longest load of one input, ms (a few MB each; generous for a shared 2-core machine). */
  timeMs: 10_000,
};

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function rasterOf(w: number, h: number, dtype: 'uint8' | 'uint16' | 'float32') {
  const r = prng(w + h);
  const n = w * h;
  const data = dtype === 'uint8' ? new Uint8Array(n) : dtype === 'uint16' ? new Uint16Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.floor(r() * 4);
  return {
    kind: 'raster' as const,
    width: w,
    height: h,
    transform: null,
    epsg: null,
    bands: [{ name: 'state', dtype, data, nodata: null }],
  };
}

/** A tiled uint8 TIFF (deflate or none), tiles of `t` × `t`. */
function tiledTiff(w: number, h: number, t: number, deflate: boolean): Uint8Array {
  const r = prng(7);
  const tiles: Uint8Array[] = [];
  for (let ty = 0; ty < Math.ceil(h / t); ty++)
    for (let tx = 0; tx < Math.ceil(w / t); tx++) {
      const px = new Uint8Array(t * t);
      for (let i = 0; i < px.length; i++) px[i] = Math.floor(r() * 4);
      tiles.push(deflate ? zlibSync(px, { level: 6 }) : px);
    }
  const total = tiles.reduce((n, x) => n + x.length, 0);
  const data = new Uint8Array(total);
  const offsets: number[] = [];
  let at = 0;
  for (const x of tiles) {
    offsets.push(at);
    data.set(x, at);
    at += x.length;
  }
  return buildTiff(
    (off): Tag[] => [
      [256, 4, [w]],
      [257, 4, [h]],
      [258, 3, [8]],
      [259, 3, [deflate ? 8 : 1]],
      [262, 3, [1]],
      [277, 3, [1]],
      [322, 4, [t]],
      [323, 4, [t]],
      [324, 4, offsets.map((o) => o + off)],
      [325, 4, tiles.map((x) => x.length)],
      [339, 3, [1]],
    ],
    data,
  );
}

function squares(n: number): Uint8Array {
  const side = Math.ceil(Math.sqrt(n));
  const features: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = i % side;
    const y = Math.floor(i / side);
    features.push(
      `{"type":"Feature","properties":{"state":${i % 2}},"geometry":{"type":"Polygon","coordinates":[[[${x},${y}],[${x + 1},${y}],[${x + 1},${y + 1}],[${x},${y + 1}],[${x},${y}]]]}}`,
    );
  }
  return enc(`{"type":"FeatureCollection","features":[${features.join(',')}]}`);
}

/** `n` unit squares in rows, with an integer `state` and a float `alt`, as a VectorDataset (the vector kinds' content). */
function squareLayer(n: number): VectorDataset {
  const side = Math.ceil(Math.sqrt(n));
  const features: VectorDataset['features'] = [];
  for (let i = 0; i < n; i++) {
    const x = i % side;
    const y = Math.floor(i / side);
    features.push({
      id: null,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x, y + 1],
            [x + 1, y + 1],
            [x + 1, y],
            [x, y],
          ],
        ],
      },
      properties: { state: i % 2, alt: (i % 97) / 8 },
    });
  }
  return { kind: 'vector', features, columns: ['state', 'alt'], epsg: 31983 };
}

/** The same squares as a zipped Shapefile (tests/corpus/vector-build.ts). */
function shapefileOf(n: number): Uint8Array {
  const side = Math.ceil(Math.sqrt(n));
  const shapes: ShpShape[] = [];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    shapes.push({ type: 5, parts: [square(i % side, Math.floor(i / side), 1)] });
    rows.push([String(i % 2), ((i % 97) / 8).toFixed(3)]);
  }
  return shapefileZip(
    'cells',
    5,
    shapes,
    [
      { name: 'state', type: 'N', length: 1 },
      { name: 'alt', type: 'N', length: 8, decimals: 3 },
    ],
    rows,
  );
}

/** The same squares as FlatGeobuf (the flatgeobuf package's serializer, with its spatial index). */
function flatGeobufOf(n: number): Uint8Array {
  const layer = squareLayer(n);
  return serializeFgb(
    {
      type: 'FeatureCollection',
      features: layer.features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: f.properties })),
    } as never,
    31983,
  );
}

interface Kind {
  id: string;
  loader: 'geotiff' | 'geojson' | 'toml' | 'record' | 'link' | 'shapefile' | 'geopackage' | 'flatgeobuf';
  ext: string;
  make: () => Uint8Array | Promise<Uint8Array>;
}

const KINDS: Kind[] = [
  {
    id: 'geotiff strips, uncompressed, uint16 2048²',
    loader: 'geotiff',
    ext: 'tif',
    make: () => writeGeoTiff(rasterOf(2048, 2048, 'uint16'), { compression: 'none' }),
  },
  {
    id: 'geotiff strips, deflate, float32 1024²',
    loader: 'geotiff',
    ext: 'tif',
    make: () => writeGeoTiff(rasterOf(1024, 1024, 'float32')),
  },
  { id: 'geotiff strip, LZW, uint16 2048×1024', loader: 'geotiff', ext: 'tif', make: () => codecTiff('lzw', 2048, 1024) },
  { id: 'geotiff strip, LZW + predictor, uint16 2048×1024', loader: 'geotiff', ext: 'tif', make: () => codecTiff('lzw', 2048, 1024, true) },
  { id: 'geotiff strip, PackBits, uint16 2048×1024', loader: 'geotiff', ext: 'tif', make: () => codecTiff('packbits', 2048, 1024) },
  { id: 'geotiff tiles 256², deflate, uint8 2048²', loader: 'geotiff', ext: 'tif', make: () => tiledTiff(2048, 2048, 256, true) },
  { id: 'geotiff tiles 512², uncompressed, uint8 4096²', loader: 'geotiff', ext: 'tif', make: () => tiledTiff(4096, 4096, 512, false) },
  { id: 'geojson, 40,000 squares', loader: 'geojson', ext: 'geojson', make: () => squares(40_000) },
  {
    id: 'toml, 20,000 parameters',
    loader: 'toml',
    ext: 'toml',
    make: () =>
      enc('[model]\nclass = "sir"\n[model.parameters]\n' + Array.from({ length: 20_000 }, (_, i) => `p${i} = ${i}.5`).join('\n') + '\n'),
  },
  {
    id: 'record, 1,000 log lines of 5,000 characters',
    loader: 'record',
    ext: 'json',
    make: () => enc(JSON.stringify({ model_name: 'sir', logs: Array.from({ length: 1000 }, (_, i) => `${i}:${'x'.repeat(5000)}`) })),
  },
  {
    id: 'share link, 512 KiB embedded input',
    loader: 'link',
    ext: 'txt',
    make: () => {
      const r = prng(3);
      const embedded = new Uint8Array(512 * 1024 - 1024).map(() => Math.floor(r() * 256));
      return enc(encodeShareLink({ ...LINK_BASE, embedded }));
    },
  },
  // The LUCC issue's vector formats: decoded = the uncompressed members (zip) or the file (measure.ts)
  { id: 'shapefile zip, 40,000 squares', loader: 'shapefile', ext: 'zip', make: () => shapefileOf(40_000) },
  { id: 'geopackage, 40,000 squares', loader: 'geopackage', ext: 'gpkg', make: () => writeGeoPackage(squareLayer(40_000)) },
  { id: 'flatgeobuf (indexed), 40,000 squares', loader: 'flatgeobuf', ext: 'fgb', make: () => flatGeobufOf(40_000) },
];

interface Measured {
  kind: string;
  decoded: number;
  peakKiB: number;
  ms: number;
}

function child(kind: string, file = ''): Promise<Measured & { wallMs: number }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--import', 'tsx', measure, kind, file], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return fail(new Error(`${kind}: ${stderr || err.message}`));
      done({ ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured), wallMs: performance.now() - t0 });
    });
  });
}

describe('resource ceilings: peak memory ≤ K × decoded + C and bounded time, per input kind', () => {
  let baselineKiB = 0;
  it('baseline: the loaders imported, nothing loaded', async () => {
    const b = await child('baseline');
    baselineKiB = b.peakKiB;
    console.log(`baseline peak RSS ${(b.peakKiB / 1024).toFixed(0)} MiB`);
    expect(b.peakKiB).toBeGreaterThan(0);
  }, 60_000);

  it.each(KINDS.map((k) => [k.id, k] as const))(
    '%s',
    async (id, k) => {
      const file = join(work, `${id.replace(/[^a-z0-9]+/gi, '_')}.${k.ext}`);
      const bytes = await k.make();
      writeFileSync(file, bytes);
      const m = await child(k.loader, file);
      const extraBytes = (m.peakKiB - baselineKiB) * 1024;
      const k_ =
        k.loader === 'geotiff'
          ? CEILINGS.rasterK
          : k.loader === 'link'
            ? CEILINGS.linkK
            : k.loader === 'shapefile' || k.loader === 'geopackage' || k.loader === 'flatgeobuf'
              ? CEILINGS.vectorK
              : CEILINGS.textK;
      const bound = k_ * m.decoded + CEILINGS.constant;
      console.log(
        `${id}: file ${(bytes.length / 1e6).toFixed(2)} MB, decoded ${(m.decoded / 1e6).toFixed(2)} MB, ` +
          `peak +${(extraBytes / 1e6).toFixed(1)} MB (bound ${(bound / 1e6).toFixed(0)} MB), load ${m.ms.toFixed(0)} ms`,
      );
      expect(extraBytes, `${id}: peak RSS above the baseline`).toBeLessThanOrEqual(bound);
      expect(m.ms, `${id}: load time`).toBeLessThanOrEqual(CEILINGS.timeMs);
    },
    60_000,
  );
});
