/**
 * The readers with the host's inflate (Node's zlib, src/cli/node-inflate.ts, as the CLI runs them) give
 * what they give with fflate alone: the same datasets for every bundled sample and GDAL-made fixture,
 * and the same error or the same bounded result for corrupt streams, bombs and streams longer or
 * shorter than the block. The fast path is really taken on deflate files (counted), and a bomb costs
 * it no more than the block it fills.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zlibSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeInflate } from '../src/cli/node-inflate.ts';
import { configureInflate, type HostInflate } from '../src/io/inflate.ts';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { deflateBomb, generators, stripTiff } from './corpus/build.ts';
import { terrainFloat32 } from '../bench/synthetic.ts';
import { streamInflate } from '../src/worker/stream-inflate.ts';

const root = resolve(import.meta.dirname, '..');
const tifs = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.tif'))
    .map((f) => join(dir, f));

let used = 0;
/** Node's zlib (the CLI) or the DecompressionStream of the page's worker (Node has it too). */
let inflate: HostInflate = nodeInflate;
const counted = async (raw: Uint8Array, zlib: boolean, max: number) => {
  const out = await inflate(raw, zlib, max);
  if (out) used++;
  return out;
};
afterEach(() => configureInflate(null));

/** The dataset, or the error's class and message, read with and without the host inflate. */
async function both(bytes: Uint8Array) {
  const read = async () => {
    try {
      return await readGeoTiff(bytes);
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  configureInflate(null);
  const fflate = await read();
  configureInflate(counted);
  const host = await read();
  configureInflate(null);
  return { fflate, host };
}

describe.each([
  ['node:zlib', nodeInflate],
  ['DecompressionStream', streamInflate],
])('readGeoTiff with the host inflate (%s)', (_name, host: HostInflate) => {
  beforeEach(() => {
    inflate = host;
  });

  it('reads every bundled sample and fixture GeoTIFF exactly as with fflate', async () => {
    const files = [...tifs('public/samples'), ...tifs('tests/fixtures/georef')];
    expect(files.length).toBeGreaterThan(10);
    used = 0;
    for (const f of files) {
      const { fflate, host } = await both(new Uint8Array(readFileSync(join(root, f))));
      expect(typeof fflate, f).toBe('object');
      expect(host, f).toEqual(fflate);
    }
    expect(used).toBeGreaterThan(0);
  });

  it('reads what the writer deflates (float32, several strips) exactly as with fflate, through the host inflate', async () => {
    used = 0;
    const { fflate, host } = await both(writeGeoTiff(terrainFloat32(300)));
    expect(host).toEqual(fflate);
    expect(used).toBeGreaterThan(1);
  });

  it('decides corrupt, short, long and bomb streams as fflate does', async () => {
    const block = new Uint8Array(16).map((_, i) => i * 7);
    const cases: [string, Uint8Array][] = [
      ['corrupt', generators['tif-corrupt-deflate']()],
      ['64 MB bomb', deflateBomb(64 * 1024 * 1024)],
      ['longer than the block', stripTiff(4, 4, zlibSync(new Uint8Array(64).fill(3)), { compression: 8 })],
      ['shorter than the block', stripTiff(4, 4, zlibSync(block.subarray(0, 9)), { compression: 8 })],
      ['truncated', stripTiff(4, 4, zlibSync(block).subarray(0, 12), { compression: 8 })],
      [
        'bad checksum',
        stripTiff(
          4,
          4,
          zlibSync(block).map((b, i, a) => (i === a.length - 1 ? b ^ 1 : b)),
          { compression: 8 },
        ),
      ],
      ['exact', stripTiff(4, 4, zlibSync(block), { compression: 8 })],
    ];
    for (const [what, bytes] of cases) {
      const { fflate, host } = await both(bytes);
      expect(host, what).toEqual(fflate);
    }
  });

  it('stops a bomb at the size asked for, without expanding it', async () => {
    const bomb = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const before = process.memoryUsage().rss;
    expect(await host(bomb, true, 4096)).toBeNull();
    expect(await host(bomb.subarray(2, bomb.length - 4), false, 4096)).toBeNull(); // the same stream as raw deflate
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024); // 64 MB expanded would show
    expect(await host(zlibSync(new Uint8Array(4096).fill(1)), true, 4096)).toEqual(new Uint8Array(4096).fill(1));
  });
});
