import { describe, expect, it } from 'vitest';
import type { CanonicalField } from '../../executor/executor.ts';
import type { RasterBand, RasterDataset } from '../../sim/dataset.ts';
import { rasterWhere, readCodes } from '../kit/index.ts';
import { coastalRaster, readElevation, type CoastalReading } from './input.ts';
import { CoastalRaster } from './raster-kernel.ts';

const FIELDS: CanonicalField[] = [
  { name: 'uso', description: 'land use', position: 1 },
  { name: 'alt', description: 'elevation', position: 2 },
  { name: 'solo', description: 'soil', position: 3 },
];
const READING: CoastalReading = { fields: FIELDS, uso: { min: 0, max: 10 }, altRange: [-500, 9000], nodata: 'outside' };

function raster(
  uso: number[],
  alt: number[],
  solo: number[],
  nodata: number | null = null,
  type: 'float32' | 'float64' = 'float32',
): RasterDataset {
  const A = type === 'float32' ? Float32Array : Float64Array;
  const band = (name: string, v: number[]): RasterBand => ({ name, dtype: type, data: A.from(v), nodata });
  return {
    kind: 'raster',
    width: 3,
    height: 2,
    transform: { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: 1 },
    epsg: null,
    bands: [band('uso', uso), band('alt', alt), band('solo', solo)],
  };
}

/** What the readers give one by one (the path every non-band input takes). */
function oneByOne(ds: RasterDataset, mask: Uint8Array | null, float32: boolean) {
  const where = rasterWhere(ds.width);
  return {
    uso: readCodes(ds.bands[0].data, { name: 'uso', min: 0, max: 10 }, mask, where),
    alt: readElevation(ds.bands[1].data, { name: 'alt', float32, min: -500, max: 9000 }, mask, where),
    solo: readCodes(ds.bands[2].data, { name: 'solo', min: -32768, max: 32767 }, mask, where),
  };
}

describe('coastalRaster reads bands in one pass, as the readers one by one', () => {
  it('gives the same arrays (including -0 and float32-rounded elevations)', () => {
    const ds = raster([3, 1, 2, 10, 0, 8], [0, -0, 1.5, 0.1, -500, 9000], [3, 9, 0, 4, -7, 32767]);
    const got = coastalRaster(ds, {}, READING, 'always');
    const want = oneByOne(ds, null, true);
    expect(plainBits(got.alt)).toEqual(plainBits(want.alt));
    expect(Array.from(got.uso)).toEqual(Array.from(want.uso));
    expect(Array.from(got.solo!)).toEqual(Array.from(want.solo));
    const ds64 = raster([3, 1, 2, 10, 0, 8], [0, -0, 1.1, 0.1, -500, 9000], [3, 9, 0, 4, -7, 32767], null, 'float64');
    expect(Array.from(coastalRaster(ds64, {}, READING, 'always').alt)).toEqual(Array.from(oneByOne(ds64, null, true).alt));
  });

  it('takes the values of cells outside the study area as the readers do, unchecked', () => {
    const ds = raster([3, -9999, 2, 1, 2, 2], [0, -9999, 1, 1, 2, 3], [3, -9999, 4, 4, 4, 4], -9999);
    const got = coastalRaster(ds, {}, READING, 'always');
    expect(Array.from(got.mask!)).toEqual([1, 0, 1, 1, 1, 1]);
    const want = oneByOne(ds, got.mask, true);
    expect([Array.from(got.uso), Array.from(got.alt), Array.from(got.solo!)]).toEqual([
      Array.from(want.uso),
      Array.from(want.alt),
      Array.from(want.solo),
    ]);
  });

  it("names the readers' first bad value: uso before alt, whatever the cells' order", () => {
    const read = (ds: RasterDataset) => () => coastalRaster(ds, {}, READING, 'always');
    expect(read(raster([3, 1, 2, 1, 2.5, 2], [0, 9500, 1, 1, 2, 3], [3, 4, 4, 4, 4, 4]))).toThrow(/'uso'.*found 2\.5 at row 1, column 1/);
    expect(read(raster([3, 1, 2, 1, 2, 2], [0, 1, 1, 1, NaN, 3], [3, 4, 4, 4, 4, 4]))).toThrow(/'alt'.*found NaN at row 1, column 1/);
    expect(read(raster([3, 1, 2, 1, 2, 2], [0, 1, 1, 1, 1, 3], [3, 4, 4, 4, 40000, 4]))).toThrow(/'solo'.*found 40000 at row 1, column 1/);
    expect(read(raster([3, 1, 11, 1, 2, 2], [0, 1, 1, 1, 1, 3], [3, 4, 4, 4, 4, 4]))).toThrow(
      /'uso'.*\[0, 10\].*found 11 at row 0, column 2/,
    );
  });
});

const plainBits = (a: Float64Array) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe("the reader's census is the kernel's own", () => {
  it('gives the same steps as a kernel that counts for itself (flood and mangrove, with and without cells outside)', () => {
    const w = 23;
    const h = 17;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const nodata of [null, -9999]) {
      const uso = Array.from({ length: w * h }, (_, i) => (i % w < 4 ? 3 : [1, 2, 4, 5, 8][Math.floor(rand() * 5)]));
      const alt = Array.from({ length: w * h }, (_, i) => (i % w < 4 ? (i % 3 === 0 ? -0 : 0) : (i % w) * 0.01 + rand() * 0.02));
      const solo = Array.from({ length: w * h }, () => [0, 3, 4, 9][Math.floor(rand() * 4)]);
      if (nodata !== null) for (const i of [5, 40, 41, 200]) uso[i] = nodata;
      const ds = { ...raster([], [], []), width: w, height: h };
      ds.bands = ['uso', 'alt', 'solo'].map((name, k) => ({
        name,
        dtype: 'float32',
        data: Float32Array.from([uso, alt, solo][k]),
        nodata,
      }));
      for (const mangrove of [false, true]) {
        // the flood reads no solo (so its census has no mangrove flags), the mangrove does
        const reading: CoastalReading = { ...READING, fields: mangrove ? FIELDS : FIELDS.slice(0, 2) };
        const layers = coastalRaster(ds, {}, reading, 'always');
        expect(layers.census?.mangrove).toBe(mangrove);
        const options = { rate: 0.011, padLower: !mangrove, mangrove, tide: 0.05, accretion: false };
        const a = new CoastalRaster({ ...layers }, options);
        const b = new CoastalRaster({ ...layers, census: undefined }, options);
        for (let t = 1; t <= 12; t++) expect(a.step(t)).toEqual(b.step(t));
        expect([Array.from(a.uso), plainBits(a.alt), Array.from(a.solo ?? [])]).toEqual([
          Array.from(b.uso),
          plainBits(b.alt),
          Array.from(b.solo ?? []),
        ]);
      }
    }
  });
});
