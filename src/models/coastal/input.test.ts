import { describe, expect, it } from 'vitest';
import type { HostIO } from '../../executor/context.ts';
import type { CanonicalField } from '../../executor/executor.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256 } from '../../executor/record.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import type { RasterBand, RasterDataset } from '../../sim/dataset.ts';
import { BrMangueExecutor } from '../brmangue/executor.ts';
import { FloodBenchmarkExecutor } from '../flood-benchmark/executor.ts';
import { rasterWhere, readCodes } from '../kit/index.ts';
import { coastalRaster, readElevation, type CoastalReading } from './input.ts';
import { CoastalRaster } from './raster-kernel.ts';
import { CoastalWasm } from './raster-kernel-wasm.ts';
import { wasmUnavailable } from '../../sim/wasm/runtime.ts';

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

const MASK: CanonicalField = { name: 'mask', description: 'study area', required: false };

/**
 * `ds` with uso and solo as int16 bands (a GeoTIFF's int16 codes, as the benchmark's inputs) and alt float32,
 * and with `mask` a uint8 mask band (every fifth cell outside); each band an array of its own.
 */
function withInt16Codes(ds: RasterDataset, mask: boolean): RasterDataset {
  const bands: RasterBand[] = ds.bands.map((b) =>
    b.name === 'alt' ? { ...b, data: Float32Array.from(b.data) } : { ...b, dtype: 'int16', data: Int16Array.from(b.data) },
  );
  if (mask) {
    const n = ds.width * ds.height;
    bands.push({ name: 'mask', dtype: 'uint8', data: Uint8Array.from({ length: n }, (_, i) => +(i % 5 !== 2)), nodata: null });
  }
  return { ...ds, bands };
}

/** `ds` with its bands as float32 views one after the other in one buffer, from byte `at` (a GeoTIFF read as views of its bytes). */
function packed(ds: RasterDataset, at = 8): RasterDataset {
  const n = ds.width * ds.height;
  const buffer = new ArrayBuffer(at + 4 * n * ds.bands.length + 8);
  const bands = ds.bands.map((b, k) => {
    const data = new Float32Array(buffer, at + 4 * n * k, n);
    data.set(b.data);
    return { ...b, dtype: 'float32' as const, data };
  });
  return { ...ds, bands };
}

/** A coast of w × h cells (seeded): sea columns with 0 and -0, land rising with noise, solo codes; `nodata` in a few cells. */
function coast(w: number, h: number, nodata: number | null): RasterDataset {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const uso = Array.from({ length: w * h }, (_, i) => (i % w < 4 ? 3 : [1, 2, 4, 5, 8][Math.floor(rand() * 5)]));
  const alt = Array.from({ length: w * h }, (_, i) => (i % w < 4 ? (i % 3 === 0 ? -0 : 0) : (i % w) * 0.01 + rand() * 0.02));
  const solo = Array.from({ length: w * h }, () => [0, 3, 4, 9][Math.floor(rand() * 4)]);
  if (nodata !== null) for (const i of [5, 40, 41, w * h - 1]) [uso, alt, solo][i % 3][i] = nodata;
  const ds = { ...raster([], [], []), width: w, height: h };
  ds.bands = ['uso', 'alt', 'solo'].map((name, k) => ({ name, dtype: 'float32', data: Float32Array.from([uso, alt, solo][k]), nodata }));
  return ds;
}

describe('coastalRaster with the bands’ memory to reuse (the run owns the input’s bytes)', () => {
  it('makes alt in the uso and alt bands’ own bytes, with the arrays and census of a fresh read', () => {
    for (const nodata of [null, -9999]) {
      for (const mangrove of [false, true]) {
        const reading: CoastalReading = { ...READING, fields: mangrove ? FIELDS : FIELDS.slice(0, 2) };
        const fresh = coastalRaster(coast(23, 17, nodata), {}, reading, 'always');
        const ds = packed(coast(23, 17, nodata));
        const uso = ds.bands[0].data;
        const reused = coastalRaster(ds, {}, reading, 'always', true, 'js');
        expect(reused.engine).toBe('js');
        expect(reused.alt.buffer).toBe(uso.buffer);
        expect(reused.alt.byteOffset).toBe(uso.byteOffset);
        expect(plainBits(reused.alt)).toEqual(plainBits(fresh.alt));
        expect([Array.from(reused.uso), Array.from(reused.solo ?? []), Array.from(reused.mask ?? [])]).toEqual([
          Array.from(fresh.uso),
          Array.from(fresh.solo ?? []),
          Array.from(fresh.mask ?? []),
        ]);
        const options = { rate: 0.011, padLower: !mangrove, mangrove, tide: 0.05, accretion: false };
        const a = new CoastalRaster({ ...reused }, options);
        const b = new CoastalRaster({ ...fresh, census: undefined }, options);
        for (let t = 1; t <= 12; t++) expect(a.step(t)).toEqual(b.step(t));
        expect([Array.from(a.uso), plainBits(a.alt)]).toEqual([Array.from(b.uso), plainBits(b.alt)]);
      }
    }
  });

  it('reads into fresh arrays, leaving the bands as they were, when alt cannot take their bytes', () => {
    const base = coast(5, 4, null);
    const unaligned = packed(base, 12); // uso at a byte offset that is not a multiple of 8
    const swapped = packed({ ...base, bands: [base.bands[1], base.bands[0], base.bands[2]] }); // alt stored before uso
    for (const ds of [unaligned, swapped, base]) {
      const before = ds.bands.map((b) => Array.from(b.data));
      const got = coastalRaster(ds, {}, READING, 'always', true, 'js');
      expect(got.alt.buffer).not.toBe(ds.bands[0].data.buffer);
      expect(ds.bands.map((b) => Array.from(b.data))).toEqual(before);
    }
  });

  it.skipIf(wasmUnavailable() !== null)(
    "reads into the WebAssembly kernel's memory, stepped there, and lets the bands go (engine 'wasm')",
    () => {
      for (const nodata of [null, -9999]) {
        for (const mangrove of [false, true]) {
          const reading: CoastalReading = { ...READING, fields: mangrove ? FIELDS : FIELDS.slice(0, 2) };
          const fresh = coastalRaster(coast(23, 17, nodata), {}, reading, 'always', false, 'js');
          for (const reuse of [false, true]) {
            const ds = packed(coast(23, 17, nodata));
            const before = ds.bands.map((b) => Array.from(b.data));
            const got = coastalRaster(ds, {}, reading, 'always', reuse, 'wasm');
            expect(got.engine).toBe('wasm');
            const engine = CoastalWasm.of(got.alt);
            expect(engine).toBeDefined();
            expect(engine!.uso).toBe(got.uso);
            expect(engine!.solo).toBe(got.solo);
            expect(engine!.mask).toBe(got.mask);
            // with reuse the bands' buffer is detached (its memory let go); without, the bands are as they were
            if (reuse) expect(ds.bands.map((b) => b.data.length)).toEqual(ds.bands.map(() => 0));
            else expect(ds.bands.map((b) => Array.from(b.data))).toEqual(before);
            expect(plainBits(got.alt)).toEqual(plainBits(fresh.alt));
            expect([Array.from(got.uso), Array.from(got.solo ?? []), Array.from(got.mask ?? [])]).toEqual([
              Array.from(fresh.uso),
              Array.from(fresh.solo ?? []),
              Array.from(fresh.mask ?? []),
            ]);
            const options = { rate: 0.011, padLower: !mangrove, mangrove, tide: 0.05, accretion: false };
            const a = new CoastalRaster({ ...got, adopt: true }, options);
            const b = new CoastalRaster({ ...fresh, census: undefined }, options);
            expect(a.alt).toBe(got.alt); // stepped in place: no copy into a memory of its own
            for (let t = 1; t <= 12; t++) expect(a.step(t)).toEqual(b.step(t));
            expect([Array.from(a.uso), plainBits(a.alt)]).toEqual([Array.from(b.uso), plainBits(b.alt)]);
          }
        }
      }
    },
  );

  it.skipIf(wasmUnavailable() !== null)(
    'reads int16 code bands into the WebAssembly memory (copied, checked and counted there) as a fresh read does',
    () => {
      for (const nodata of [null, -9999]) {
        for (const mangrove of [false, true]) {
          for (const withMask of [false, true]) {
            const reading: CoastalReading = {
              ...READING,
              fields: [...(mangrove ? FIELDS : FIELDS.slice(0, 2)), ...(withMask ? [MASK] : [])],
            };
            const make = () => withInt16Codes(coast(23, 17, nodata), withMask);
            const fresh = coastalRaster(make(), {}, reading, 'always', false, 'js');
            const ds = make();
            const got = coastalRaster(ds, {}, reading, 'always', true, 'wasm');
            expect(CoastalWasm.of(got.alt)).toBeDefined();
            const read = ds.bands.filter((b) => b.name !== 'mask' && (mangrove || b.name !== 'solo'));
            expect(read.map((b) => b.data.length)).toEqual(read.map(() => 0)); // let go
            expect(plainBits(got.alt)).toEqual(plainBits(fresh.alt));
            expect([Array.from(got.uso), Array.from(got.solo ?? []), Array.from(got.mask ?? [])]).toEqual([
              Array.from(fresh.uso),
              Array.from(fresh.solo ?? []),
              Array.from(fresh.mask ?? []),
            ]);
            const census = { ...got.census! };
            const own = { ...fresh.census! };
            expect([census.flooded, census.migrated, census.soil, census.negativeZeros]).toEqual([
              own.flooded,
              own.migrated,
              own.soil,
              own.negativeZeros,
            ]);
            expect([Array.from(got.census!.rowLo), Array.from(got.census!.rowHi)]).toEqual([
              Array.from(fresh.census!.rowLo),
              Array.from(fresh.census!.rowHi),
            ]);
            const options = { rate: 0.011, padLower: !mangrove, mangrove, tide: 0.05, accretion: false };
            const a = new CoastalRaster({ ...got, adopt: true }, options);
            const b = new CoastalRaster({ ...fresh, census: undefined }, options);
            for (let t = 1; t <= 12; t++) expect(a.step(t)).toEqual(b.step(t));
            expect([Array.from(a.uso), plainBits(a.alt), Array.from(a.solo ?? [])]).toEqual([
              Array.from(b.uso),
              plainBits(b.alt),
              Array.from(b.solo ?? []),
            ]);
          }
        }
      }
    },
  );

  it.skipIf(wasmUnavailable() !== null)("names the readers' first bad value for int16 code bands read into the WebAssembly memory", () => {
    const cases: [number[], number[], number[], RegExp][] = [
      [[3, 1, 2, 1, 11, 2], [0, 9500, 1, 1, 2, 3], [3, 4, 4, 4, 4, 4], /'uso'.*found 11 at row 1, column 1/],
      [[3, 1, -1, 1, 2, 2], [0, 1, 1, 1, 1, 9500], [3, 4, 4, 4, 4, 4], /'uso'.*found -1 at row 0, column 2/],
      [[3, 1, 2, 1, 2, 2], [0, 1, 1, 1, NaN, 9500], [3, 4, 4, 4, 4, 4], /'alt'.*found NaN at row 1, column 1/],
      [[3, 1, 2, 1, 2, 2], [0, 1, 1, 1, 2, 9000.5], [3, 4, 4, 4, 4, 4], /'alt'.*found 9000\.5 at row 1, column 2/], // the last cell
    ];
    for (const [uso, alt, solo, message] of cases) {
      const fresh = withInt16Codes(raster(uso, alt, solo), false);
      expect(() => coastalRaster(fresh, {}, READING, 'always', false, 'js')).toThrow(message);
      const ds = withInt16Codes(raster(uso, alt, solo), false);
      expect(() => coastalRaster(ds, {}, READING, 'always', true, 'wasm')).toThrow(message);
      // a bad code is found before the bands are let go
      if (message.source.startsWith("'uso'")) expect(ds.bands.map((b) => b.data.length)).toEqual([6, 6, 6]);
    }
  });

  it("names the readers' first bad value, as a fresh read does (a bad code before any byte is overwritten)", () => {
    const cases: [number[], number[], number[], RegExp][] = [
      [[3, 1, 2, 1, 2.5, 2], [0, 9500, 1, 1, 2, 3], [3, 4, 4, 4, 4, 4], /'uso'.*found 2\.5 at row 1, column 1/],
      [[3, 1, 2, 1, 2, 2], [0, 1, 1, 1, 1, 3], [3, 4, 4, 4, 40000, 4], /'solo'.*found 40000 at row 1, column 1/],
      [[3, 1, 2, 1, 2, 2], [0, 1, 1, 1, NaN, 9500], [3, 4, 4, 4, 40000, 4], /'alt'.*found NaN at row 1, column 1/],
      [[3, 1, 2, 1, 2, 2], [0, 1, -600, 1, 2, 3], [3, 4, 4, 4, 4, 4], /'alt'.*\[-500, 9000\] m; found -600 at row 0, column 2/],
      [[3, 1, 2, 1, 2, 2], [0, 1, 1, 1, 2, 9000.5], [3, 4, 4, 4, 4, 4], /'alt'.*found 9000\.5 at row 1, column 2/], // the last cell
    ];
    for (const [uso, alt, solo, message] of cases) {
      const fresh = raster(uso, alt, solo);
      expect(() => coastalRaster(fresh, {}, READING, 'always')).toThrow(message);
      const ds = packed(raster(uso, alt, solo));
      let thrown: unknown;
      try {
        coastalRaster(ds, {}, READING, 'always', true);
      } catch (e) {
        thrown = e;
      }
      let want: unknown;
      try {
        coastalRaster(fresh, {}, READING, 'always');
      } catch (e) {
        want = e;
      }
      expect(String(thrown)).toBe(String(want));
      if (!message.source.startsWith("'alt'"))
        expect(ds.bands.map((b) => Array.from(b.data))).toEqual(fresh.bands.map((b) => Array.from(b.data)));
    }
  });
});

describe('a run on a host with fresh reads (HostIO.freshReads)', () => {
  it('writes the same output as on MemoryIO, the bytes it read reused or let go (flood and BR-MANGUE)', async () => {
    for (const [cls, name, fields] of [
      [FloodBenchmarkExecutor, 'flood_benchmark', 2],
      [BrMangueExecutor, 'brmangue', 3],
    ] as const) {
      const ds = coast(31, 19, null);
      ds.bands = ds.bands.slice(0, fields);
      const bytes = writeGeoTiff(ds, { compression: 'none' });
      const run = async (io: HostIO) => {
        const record = createRecord({ model_name: name, source: { type: 'local', uri: 'coast.tif' }, parameters: { end_time: 8 } });
        const outcome = await executeLifecycle(new cls(), record, { io });
        expect(record.status).toBe('completed');
        return { sha: getOutputSha256(record), outcome };
      };
      const memory = new MemoryIO();
      memory.inputs.set('coast.tif', bytes);
      const read: Uint8Array[] = [];
      const fresh: HostIO = {
        freshReads: true,
        read: async () => (read.push(bytes.slice()), read[read.length - 1]),
        write: async (path) => path,
      };
      const want = await run(memory);
      const got = await run(fresh);
      expect(got.sha).toBe(want.sha);
      expect(memory.inputs.get('coast.tif')).toEqual(bytes); // MemoryIO's bytes, read by the run, are as they were
      if (wasmUnavailable() === null) {
        // the kernel steps in its WebAssembly memory, read straight into it: the bytes read were let go
        expect(read[0].byteLength).toBe(0);
      } else expect(read[0]).not.toEqual(bytes); // the fresh read's were reused
      if (wasmUnavailable() !== null && name === 'flood_benchmark') {
        // the benchmark's output alt is the model's float64 array: made in the bytes read
        const out = got.outcome.result;
        expect(out?.kind === 'raster' && out.dataset.bands[1].data.buffer).toBe(read[0].buffer);
      }
    }
  });
});

describe('CoastalRaster.narrowAltToFloat32 (the output of BR-MANGUE)', () => {
  it('gives Float32Array.from(alt) in alt’s own bytes, and the grid refuses to step or read alt after it', () => {
    for (const engine of ['js', 'wasm'] as const) {
      if (engine === 'wasm' && wasmUnavailable() !== null) continue;
      const layers = coastalRaster(coast(23, 17, -9999), {}, READING, 'always', false, engine);
      const grid = new CoastalRaster(
        { ...layers, adopt: true },
        { rate: 0.011, padLower: false, mangrove: true, tide: 0.05, accretion: false },
      );
      for (let t = 1; t <= 6; t++) grid.step(t);
      const alt = grid.alt;
      const want = Float32Array.from(alt);
      const got = grid.narrowAltToFloat32();
      expect(got.buffer).toBe(alt.buffer);
      expect(got.byteOffset).toBe(alt.byteOffset);
      expect(new Uint8Array(got.buffer, got.byteOffset, got.byteLength)).toEqual(new Uint8Array(want.buffer));
      expect(() => grid.step(7)).toThrow(/narrowed/);
      expect(() => grid.alt).toThrow(/narrowed/);
    }
  });
});
