/**
 * GeoTIFF strips deflated on real worker_threads (src/cli/node-deflate.ts, through src/io/deflate-host.ts):
 * writeGeoTiffAsync gives writeGeoTiff's bytes exactly — one band and several, bands converted to the
 * file's type, strips shared between the workers and this thread — and so it does when a worker is gone
 * or when the strips are too few to hand over.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { configureDeflate } from '../io/deflate-host.ts';
import { readGeoTiff } from '../io/geotiff-read.ts';
import { writeGeoTiff, writeGeoTiffAsync } from '../io/geotiff-write.ts';
import type { RasterDataset } from '../sim/dataset.ts';
import { deflatePool, deflateThreads, spawnDeflateWorkers } from './node-deflate.ts';

const workers = spawnDeflateWorkers(3);
afterAll(async () => {
  configureDeflate(null);
  await Promise.all(workers.map((w) => w.terminate()));
});

/** A float32 terrain and a uint8 class band of `rows` × `cols` (the file: float32, the classes converted). */
function terrain(rows: number, cols: number): RasterDataset {
  const n = rows * cols;
  const alt = new Float32Array(n);
  const cls = new Uint8Array(n);
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    alt[i] = 40 + 25 * Math.sin(i / 131) + (x >>> 24) / 100;
    cls[i] = alt[i] > 50 ? 1 : (x >>> 30) & 1;
  }
  return {
    kind: 'raster',
    width: cols,
    height: rows,
    bands: [
      { name: 'alt', dtype: 'float32', data: alt, nodata: null },
      { name: 'uso', dtype: 'uint8', data: cls, nodata: null },
    ],
    transform: null,
    epsg: null,
  };
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('the CLI deflate pool', () => {
  it('has threads for the idle cores, at most 4, or DISSMODEL_THREADS', () => {
    expect(deflateThreads({}, 2, 0.3)).toBe(2);
    expect(deflateThreads({}, 2, 1.2)).toBe(1);
    expect(deflateThreads({}, 2, 9)).toBe(1);
    expect(deflateThreads({}, 16, 0)).toBe(4);
    expect(deflateThreads({ DISSMODEL_THREADS: '1' }, 16, 0)).toBe(1);
    expect(deflateThreads({ DISSMODEL_THREADS: '3' }, 2, 9)).toBe(3);
  });

  it("gives writeGeoTiff's bytes, with strips encoded on the workers", async () => {
    const pool = deflatePool(workers, 0);
    configureDeflate(pool.deflate);
    // ready workers: wait until one has answered a job
    while (pool.workerStrips === 0) await writeGeoTiffAsync(terrain(400, 400));
    const sample = await readGeoTiff(new Uint8Array(readFileSync('public/samples/ilha_maranhao_epsg31983.tif')));
    for (const ds of [terrain(400, 400), terrain(1, 3), terrain(997, 211), sample]) {
      const before = pool.workerStrips;
      const ours = await writeGeoTiffAsync(ds);
      expect(same(ours, writeGeoTiff(ds)), `${ds.width} × ${ds.height}`).toBe(true);
      if (ds.height > 100) expect(pool.workerStrips, 'the workers took part').toBeGreaterThan(before);
    }
  });

  it('leaves too few bytes to this thread, and uncompressed files to writeGeoTiff', async () => {
    const pool = deflatePool(workers, 10_000_000);
    configureDeflate(pool.deflate);
    const ds = terrain(300, 300);
    expect(same(await writeGeoTiffAsync(ds), writeGeoTiff(ds))).toBe(true);
    expect(same(await writeGeoTiffAsync(ds, { compression: 'none' }), writeGeoTiff(ds, { compression: 'none' }))).toBe(true);
    expect(pool.workerStrips).toBe(0);
  });

  it('gives the same bytes when its worker has exited (this thread encodes its strips)', async () => {
    const [gone] = spawnDeflateWorkers(2);
    const pool = deflatePool([gone], 0);
    await gone.terminate();
    configureDeflate(pool.deflate);
    const ds = terrain(500, 300);
    expect(same(await writeGeoTiffAsync(ds), writeGeoTiff(ds))).toBe(true);
    expect(pool.workerStrips).toBe(0);
  });
});
