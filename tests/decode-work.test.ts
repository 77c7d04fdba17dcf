/**
 * The GeoTIFF reader's work is bounded by the image, not by what the file declares:
 * a tile's rows below the image's bottom edge are never inflated (a 1-row image in
 * 65536 × 16384 tiles took 26 s and 1.3 GB before), a tiling far wider than the image
 * is refused before anything is inflated, and missing (sparse) tiles read as the band's
 * nodata only when the band's type can hold it (else 0, as GDAL reads them).
 */
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LimitError } from '../src/executor/errors.ts';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { buildTiff, prng, type Tag } from './corpus/build.ts';

/** A one-band uint8 tiled TIFF; `tiles` are the stored (compressed or raw) tile bodies, in order. */
function tiledTiff(
  width: number,
  height: number,
  tileW: number,
  tileH: number,
  tiles: Uint8Array[],
  opts: { compression?: number; extra?: Tag[] } = {},
): Uint8Array {
  const data = new Uint8Array(tiles.reduce((n, t) => n + t.length, 0));
  const rel: number[] = [];
  let at = 0;
  for (const t of tiles) {
    rel.push(at);
    data.set(t, at);
    at += t.length;
  }
  return buildTiff(
    (off) => [
      [256, 4, [width]],
      [257, 4, [height]],
      [258, 3, [8]],
      [259, 3, [opts.compression ?? 8]],
      [262, 3, [1]],
      [277, 3, [1]],
      [322, 4, [tileW]],
      [323, 4, [tileH]],
      [324, 4, tiles.map((t, i) => (t.length ? off + rel[i] : 0))],
      [325, 4, tiles.map((t) => t.length)],
      [339, 3, [1]],
      ...(opts.extra ?? []),
    ],
    data,
  );
}

describe('decode work is bounded by the image', () => {
  it("a tile's rows below the image are never inflated: a stream that breaks after the image's rows still reads", async () => {
    // A 512 × 300 image in one 512 × 4096 tile of incompressible bytes. The stored stream is cut
    // a little after the image's 300 rows: inflating the overhang (3796 rows outside the image)
    // would run into the cut and fail.
    const rnd = prng(11);
    const full = new Uint8Array(512 * 4096).map(() => Math.floor(rnd() * 256));
    const stream = zlibSync(full, { level: 6 });
    const cut = stream.subarray(0, 512 * 300 + 3 * 65536);
    const ds = await readGeoTiff(tiledTiff(512, 300, 512, 4096, [cut]));
    expect([ds.width, ds.height]).toEqual([512, 300]);
    expect(Array.from(ds.bands[0].data)).toEqual(Array.from(full.subarray(0, 512 * 300)));
  });

  it('the 1-row image in 8 tiles of 65536 × 16384 (1 GiB each when padded) reads its 65,536 cells', async () => {
    // Each tile stream is 1 GiB of zeros when inflated whole; only its first row is in the image.
    const firstRow = new Uint8Array(8192).fill(1);
    const tile = zlibSync(firstRow, { level: 9 }); // a valid stream of one row: all a 1-row image needs
    const ds = await readGeoTiff(
      tiledTiff(
        65536,
        1,
        8192,
        16384 * 8,
        Array.from({ length: 8 }, () => tile),
      ),
    );
    expect(ds.bands[0].data.length).toBe(65536);
    expect(ds.bands[0].data.every((v) => v === 1)).toBe(true);
  });

  it('tiles far wider than the image are refused before anything is inflated, with a re-tiling hint', async () => {
    // 1 × 4096 image in 16384 × 16 tiles: every decoded row is 16384 cells wide for 1 cell of image.
    const tiles = Array.from({ length: 256 }, () => new Uint8Array(1));
    const file = tiledTiff(1, 4096, 16384, 16, tiles);
    const e = await readGeoTiff(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toMatch(/tiles of 16,384 × 16 pixels are far larger than its 1 × 4,096 raster/);
    expect((e as Error).message).toMatch(/gdal_translate -co TILED=YES/);
  });

  it('ordinary tilings still read: a 300 × 200 image in 256 × 256 tiles overhanging both edges', async () => {
    const img = new Uint8Array(300 * 200).map((_, i) => (i * 31) % 256);
    const tiles: Uint8Array[] = [];
    for (let ty = 0; ty < 1; ty++) {
      for (let tx = 0; tx < 2; tx++) {
        const t = new Uint8Array(256 * 256);
        for (let r = 0; r < 256; r++) {
          for (let c = 0; c < 256; c++) {
            const x = tx * 256 + c;
            const y = ty * 256 + r;
            if (x < 300 && y < 200) t[r * 256 + c] = img[y * 300 + x];
          }
        }
        tiles.push(zlibSync(t));
      }
    }
    const ds = await readGeoTiff(tiledTiff(300, 200, 256, 256, tiles));
    expect(Array.from(ds.bands[0].data)).toEqual(Array.from(img));
  });
});

describe('sparse tiles', () => {
  const present = new Uint8Array(16 * 16).fill(5);
  const file = (nodata: string) => tiledTiff(32, 16, 16, 16, [present, new Uint8Array(0)], { compression: 1, extra: [[42113, 2, nodata]] });

  it('a missing tile reads as the nodata value when the band can hold it', async () => {
    const ds = await readGeoTiff(file('7'));
    expect(ds.bands[0].nodata).toBe(7);
    expect(ds.bands[0].data[0]).toBe(5);
    expect(ds.bands[0].data[16]).toBe(7);
    expect(ds.bands[0].data[16 * 32 - 1]).toBe(7);
  });

  it('a nodata the band cannot hold (-9999 on uint8) reads as 0 in missing tiles, never wrapped to 241', async () => {
    const ds = await readGeoTiff(file('-9999'));
    expect(ds.bands[0].nodata).toBe(-9999);
    const missing = Array.from({ length: 16 }, (_, r) => ds.bands[0].data[r * 32 + 20]);
    expect(missing).toEqual(new Array(16).fill(0));
    expect(ds.bands[0].data[0]).toBe(5);
  });
});
