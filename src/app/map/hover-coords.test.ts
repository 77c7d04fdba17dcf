import { describe, expect, it } from 'vitest';
import { allocate } from '../../sim/dataset.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import { bandValues, coordsText } from './hover-coords.ts';
import { paintNodata } from './layer-style.ts';
import { projectionFor } from '../../worker/proj.ts';

describe('hover readout', () => {
  it('gives lon/lat and, for a projected CRS, the coordinates in it (round trip through the projection)', () => {
    const p = projectionFor(31983)!;
    const [lng, lat] = p.toLngLat(580000, 9720000);
    expect(coordsText(lng, lat, 31983, false)).toBe(`lon ${lng.toFixed(5)}, lat ${lat.toFixed(5)} · EPSG:31983 x 580000.0, y 9720000.0`);
    expect(coordsText(lng, lat, 4326, false)).toBe(`lon ${lng.toFixed(5)}, lat ${lat.toFixed(5)}`);
    expect(coordsText(lng, lat, 31983, true)).toBe('');
  });

  it('lists every band at a cell, nodata named', () => {
    const a = allocate('float32', 4) as Float32Array;
    a.set([1.5, 2, -9999, 4]);
    const b = allocate('uint8', 4) as Uint8Array;
    b.set([7, 8, 9, 10]);
    const ds = {
      kind: 'raster',
      width: 2,
      height: 2,
      bands: [
        { name: 'alt', dtype: 'float32', nodata: -9999, data: a },
        { name: 'uso', dtype: 'uint8', nodata: null, data: b },
      ],
    } as unknown as RasterDataset;
    expect(bandValues(ds, 1, 0)).toBe('alt=nodata, uso=9');
    expect(bandValues(ds, 0, 0, 'uso')).toBe('alt=1.5');
    expect(bandValues(ds, 2, 0)).toBe('');
  });

  it('paints the transparent (nodata) pixels of an image in the chosen colour, and only those', () => {
    const img = { data: new Uint8ClampedArray([10, 20, 30, 255, 0, 0, 0, 0]), width: 2, height: 1 } as unknown as ImageData;
    paintNodata(img, '#ff00ff');
    expect(Array.from(img.data)).toEqual([10, 20, 30, 255, 255, 0, 255, 255]);
  });
});
