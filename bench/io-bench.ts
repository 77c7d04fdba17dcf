/**
 * GeoTIFF read/write and SHA-256 throughput (MB/s of raster data) on a
 * seeded float32 raster, and the time to load + hash one from disk in Node
 * (what SimulationExecutor.load does: read bytes, SHA-256, parse).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { createSha256, sha256Hex, sha256HexAsync } from '../src/io/sha256.ts';
import { median } from './model-bench.ts';
import { terrainFloat32 } from './synthetic.ts';

export interface IoRow {
  name: string;
  /** MB (10^6 bytes) processed per run: the raster's decoded size unless noted. */
  mb: number;
  minSec: number;
  medianSec: number;
  mbPerSec: number;
  note: string;
}

export interface IoResult {
  size: number;
  rawMB: number;
  fileMB: { none: number; deflate: number };
  rows: IoRow[];
  /** Load (read file + SHA-256 + parse) of the uncompressed GeoTIFF from disk, seconds (best). */
  loadHashSec: number;
  loadHashDeflateSec: number;
}

async function time(repeats: number, fn: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

export async function benchIo(size: number, repeats: number): Promise<IoResult> {
  const ds = terrainFloat32(size);
  const raw = size * size * 4;
  const rawMB = raw / 1e6;
  const rows: IoRow[] = [];
  const add = (name: string, mb: number, secs: number[], note = '') => {
    const min = Math.min(...secs);
    rows.push({ name, mb, minSec: min, medianSec: median(secs), mbPerSec: mb / min, note });
  };
  let none: Uint8Array = new Uint8Array(0);
  let deflate: Uint8Array = new Uint8Array(0);
  add('GeoTIFF write, uncompressed', rawMB, await time(repeats, () => (none = writeGeoTiff(ds, { compression: 'none' }))));
  add(
    'GeoTIFF write, deflate',
    rawMB,
    await time(repeats, () => (deflate = writeGeoTiff(ds, { compression: 'deflate' }))),
    `file ${(deflate.length / 1e6).toFixed(1)} MB`,
  );
  add('GeoTIFF read, uncompressed', rawMB, await time(repeats, () => readGeoTiff(none)));
  add('GeoTIFF read, deflate', rawMB, await time(repeats, () => readGeoTiff(deflate)), `file ${(deflate.length / 1e6).toFixed(1)} MB`);
  add('SHA-256 (Web Crypto, sha256HexAsync)', none.length / 1e6, await time(repeats, () => sha256HexAsync(none)), 'over the file bytes');
  add('SHA-256 (@noble/hashes, sha256Hex)', none.length / 1e6, await time(repeats, () => sha256Hex(none)), 'over the file bytes');
  const CHUNK = 1 << 20;
  add(
    'SHA-256 (streaming, createSha256)',
    none.length / 1e6,
    await time(repeats, () => {
      const h = createSha256();
      for (let o = 0; o < none.length; o += CHUNK) h.update(none.subarray(o, Math.min(none.length, o + CHUNK)));
      return h.digestHex();
    }),
    '1 MiB chunks, @noble/hashes',
  );

  const dir = await mkdtemp(join(tmpdir(), 'dissmodel-bench-'));
  let loadHashSec: number;
  let loadHashDeflateSec: number;
  try {
    const pNone = join(dir, 'none.tif');
    const pDeflate = join(dir, 'deflate.tif');
    await writeFile(pNone, none);
    await writeFile(pDeflate, deflate);
    const load = async (p: string) => {
      const buf = await readFile(p);
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      await sha256HexAsync(bytes);
      await readGeoTiff(bytes);
    };
    const a = await time(repeats, () => load(pNone));
    const b = await time(repeats, () => load(pDeflate));
    loadHashSec = Math.min(...a);
    loadHashDeflateSec = Math.min(...b);
    add('Load + hash from disk, uncompressed', rawMB, a, 'readFile + SHA-256 + parse');
    add('Load + hash from disk, deflate', rawMB, b, 'readFile + SHA-256 + inflate + parse');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { size, rawMB, fileMB: { none: none.length / 1e6, deflate: deflate.length / 1e6 }, rows, loadHashSec, loadHashDeflateSec };
}
