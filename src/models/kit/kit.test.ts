import { describe, expect, expectTypeOf, it } from 'vitest';
import { RunContext, type Progress } from '../../executor/context.ts';
import { CancelledError, InputError } from '../../executor/errors.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord } from '../../executor/record.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import { Model } from '../../sim/scheduler.ts';
import { VectorGrid, vectorGrid } from '../../sim/vector.ts';
import {
  defineSpec,
  endTime,
  everyTick,
  RASTER_OUTPUT,
  maskOutside,
  nodataOutside,
  rasterBands,
  rasterOutput,
  readStateBand,
  readStates,
  rasterWhere,
  refuseNodata,
  seriesTable,
  SimulationExecutor,
  simulate,
  startTime,
  vectorCells,
  vectorOutput,
  viewStateBand,
  deferStateBand,
  type ParamsOf,
  type Sim,
} from './index.ts';

const ctxOf = (opts: { keepFrames?: boolean; signal?: AbortSignal; progress?: Progress[] } = {}) =>
  new RunContext({ io: new MemoryIO(), keepFrames: opts.keepFrames, signal: opts.signal, onProgress: (p) => opts.progress?.push(p) });

/** A counter that adds 1 per tick: state after tick t of a run from `start` is t − start + 1. */
class Counter extends Model {
  value = 0;
  override execute(): void {
    this.value++;
  }
}

describe('the time loop (simulate)', () => {
  it('runs start..end inclusive, one summary and one progress report per tick, frames from the initial state on', async () => {
    const record = createRecord({ model_name: 'x' });
    const progress: Progress[] = [];
    const run = await simulate(ctxOf({ keepFrames: true, progress }), record, {
      start: 3,
      end: 7,
      build: (env) => new Counter(env),
      layer: (m) => Uint8Array.of(m.value),
      summary: (m) => ({ value: m.value }),
      note: 'test',
      done: (m, steps) => `value=${m.value} after ${steps}`,
    });
    expect(run.steps).toBe(5);
    expect(run.series).toEqual({ steps: [3, 4, 5, 6, 7], values: { value: [1, 2, 3, 4, 5] } });
    expect(run.frames.map((f) => [f.step, f.data[0]])).toEqual([
      [2, 0],
      [3, 1],
      [4, 2],
      [5, 3],
      [6, 4],
      [7, 5],
    ]);
    expect(progress.map((p) => [p.step, p.total, p.summary?.value])).toEqual([
      [1, 5, 1],
      [2, 5, 2],
      [3, 5, 3],
      [4, 5, 4],
      [5, 5, 5],
    ]);
    expect(record.logs).toEqual(['Running steps 3 → 7 (test)...', 'Simulation complete: value=5 after 5']);
  });

  it('keeps no frames unless the host asks, and never calls the layer then', async () => {
    let calls = 0;
    const run = await simulate(ctxOf(), createRecord({ model_name: 'x' }), {
      start: 1,
      end: 4,
      build: (env) => new Counter(env),
      layer: () => (calls++, new Uint8Array(1)),
    });
    expect(run.frames).toEqual([]);
    expect(calls).toBe(0);
    expect(run.series.steps).toEqual([1, 2, 3, 4]);
  });

  it('stops within one step when the run is cancelled', async () => {
    const abort = new AbortController();
    let counter: Counter | undefined;
    const run = simulate(ctxOf({ signal: abort.signal }), createRecord({ model_name: 'x' }), {
      start: 1,
      end: 1000,
      build: (env) => (counter = new Counter(env)),
      summary: (m) => {
        if (m.value === 10) abort.abort();
        return { value: m.value };
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(counter!.value).toBe(10);
  });

  it('everyTick puts a stepper (a kernel with its own state) on the schedule', async () => {
    const seen: number[] = [];
    await simulate(ctxOf(), createRecord({ model_name: 'x' }), {
      start: 0,
      end: 3,
      build: (env) => everyTick(env, { step: (t: number) => seen.push(t) }),
    });
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});

describe('outputs', () => {
  const like: RasterDataset = {
    kind: 'raster',
    width: 3,
    height: 2,
    transform: { originX: 10, originY: 20, pixelWidth: 1, pixelHeight: 1 },
    epsg: 31984,
    bands: [],
  };

  it('a raster output keeps the grid and georeferencing, takes the dtype of each array or converts to the one asked', () => {
    const run = { series: { steps: [1], values: {} }, frames: [] };
    const out = rasterOutput(like, { a: Int16Array.of(1, 2, 3, 4, 5, 6), b: { data: [0.5, 1, 2, 3, 4, 5], dtype: 'float32' } }, run);
    expect(out.kind).toBe('raster');
    if (out.kind !== 'raster') return;
    expect(out.layer).toBe('a');
    expect(out.dataset).toMatchObject({ width: 3, height: 2, transform: like.transform, epsg: 31984 });
    expect(out.dataset.bands.map((b) => [b.name, b.dtype, b.data.constructor.name])).toEqual([
      ['a', 'int16', 'Int16Array'],
      ['b', 'float32', 'Float32Array'],
    ]);
  });

  it('a { data, dtype } band whose array is already of that type is taken as it stands (no copy); another type is converted', () => {
    const run = { series: { steps: [1], values: {} }, frames: [] };
    const alt = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
    const uso = Int16Array.of(3, 3, 1, 2, 4, 5);
    const out = rasterOutput(
      like,
      { uso: { data: uso, dtype: 'int16' }, alt: { data: alt, dtype: 'float64' }, f: { data: alt, dtype: 'float32' } },
      run,
    );
    if (out.kind !== 'raster') throw new Error('raster expected');
    expect(out.dataset.bands.map((b) => [b.name, b.dtype, b.data === uso || b.data === alt])).toEqual([
      ['uso', 'int16', true],
      ['alt', 'float64', true],
      ['f', 'float32', false],
    ]);
    expect(Array.from(out.dataset.bands[2].data)).toEqual(Array.from(alt, Math.fround));
    // an array of another kind that is no band type (Uint8ClampedArray) is converted, not taken
    const clamped = rasterOutput(like, { c: { data: Uint8ClampedArray.of(1, 2, 3, 4, 5, 6), dtype: 'uint8' } }, run);
    expect(clamped.kind === 'raster' && clamped.dataset.bands[0].data.constructor.name).toBe('Uint8Array');
  });

  it('a raster output inherits all of the input’s georeferencing: rotation, the CRS’s own GeoKeys and WKT, PixelIsPoint', () => {
    const run = { series: { steps: [1], values: {} }, frames: [] };
    const custom: RasterDataset = {
      ...like,
      transform: null,
      affine: [580000, 86.6, 50, 9720000, 50, -86.6],
      epsg: null,
      crsWkt: 'PROJCS["custom"]',
      geoKeys: { directory: [1, 1, 0, 1, 1024, 0, 1, 1], doubles: [], ascii: '' },
      pixelIsPoint: true,
    };
    const out = rasterOutput(custom, { a: Uint8Array.of(1, 2, 3, 4, 5, 6) }, run);
    const { bands, ...grid } = out.kind === 'raster' ? out.dataset : ({} as RasterDataset);
    const { bands: inputBands, ...inputGrid } = custom;
    expect(grid).toEqual(inputGrid);
    expect(bands.length - inputBands.length).toBe(1);
    // a dataset without the newer fields gives one without them (the same bytes as before)
    const plain = rasterOutput(like, { a: Uint8Array.of(1, 2, 3, 4, 5, 6) }, run);
    expect(Object.keys(plain.kind === 'raster' ? plain.dataset : {})).toEqual(['kind', 'width', 'height', 'transform', 'epsg', 'bands']);
  });

  it('given the input bands, a band keeps its input band’s nodata, and a bare array its type; a { data, dtype } band keeps the type it names', () => {
    const run = { series: { steps: [1], values: {} }, frames: [] };
    const ds: RasterDataset = {
      ...like,
      bands: [
        { name: 'band_1', dtype: 'int16', data: Int16Array.of(0, 1, 1, 0, 0, 1), nodata: -1 },
        { name: 'band_2', dtype: 'float32', data: Float32Array.of(0, 1, 2, 3, 4, 5), nodata: -9999 },
      ],
    };
    const input = rasterBands(
      ds,
      [
        { name: 'state', description: 's', position: 1 },
        { name: 'alt', description: 'm', position: 2 },
      ],
      {},
    );
    const state = Uint8Array.of(1, 0, 0, 1, 1, 0);
    const out = rasterOutput(
      input,
      { state, alt: { data: [9, 8, 7, 6, 5, 4], dtype: 'float64' }, extra: Uint8Array.of(1, 1, 1, 1, 1, 1) },
      run,
    );
    if (out.kind !== 'raster') throw new Error('raster expected');
    expect(out.dataset).toMatchObject({ width: 3, height: 2, transform: like.transform, epsg: 31984 });
    expect(out.dataset.bands.map((b) => [b.name, b.dtype, b.data.constructor.name, b.nodata])).toEqual([
      ['state', 'int16', 'Int16Array', -1],
      ['alt', 'float64', 'Float64Array', -9999],
      ['extra', 'uint8', 'Uint8Array', null],
    ]);
    expect(Array.from(out.dataset.bands[0].data)).toEqual(Array.from(state));
    // a value the input band's type cannot hold is the model's error, not a silent cast
    expect(() => rasterOutput(input, { state: Float64Array.of(0.5, 0, 0, 0, 0, 0) }, run)).toThrow(
      /Output band 'state': 0\.5 at cell 0 does not fit the input band's int16; give the band as \{ data, dtype \}/,
    );
    // only a dataset: georeferencing, bands as given
    const plain = rasterOutput(ds, { state }, run);
    expect(plain.kind === 'raster' && plain.dataset.bands.map((b) => [b.dtype, b.nodata, b.data === state])).toEqual([
      ['uint8', null, true],
    ]);
  });

  it('cells the reader took as outside the study area get each band’s nodata value back; the model’s arrays are not written', () => {
    const run = { series: { steps: [1], values: {} }, frames: [] };
    const ds: RasterDataset = {
      ...like,
      bands: [
        { name: 'uso', dtype: 'float32', data: Float32Array.of(-9999, 1, 1, 1, 1, 1), nodata: -9999 },
        { name: 'alt', dtype: 'float32', data: Float32Array.of(2, 2, 2, 2, 2, NaN), nodata: NaN },
        { name: 'solo', dtype: 'uint8', data: Uint8Array.of(3, 3, 3, 3, 3, 3), nodata: null },
      ],
    };
    const fields = ['uso', 'alt', 'solo'].map((name) => ({ name, description: name }));
    const input = nodataOutside(rasterBands(ds, fields, {}));
    const uso = Float32Array.of(0, 5, 5, 5, 5, 0);
    const alt = Float32Array.of(1, 1, 1, 1, 1, 1);
    const out = rasterOutput(input, { uso, alt: { data: alt, dtype: 'float32' }, solo: Uint8Array.of(0, 4, 4, 4, 4, 0) }, run);
    if (out.kind !== 'raster') throw new Error('raster expected');
    expect(out.dataset.bands.map((b) => Array.from(b.data))).toEqual([
      [-9999, 5, 5, 5, 5, -9999],
      [NaN, 1, 1, 1, 1, NaN],
      [0, 4, 4, 4, 4, 0], // no nodata of its own: as the model left it
    ]);
    expect(Array.from(uso)).toEqual([0, 5, 5, 5, 5, 0]);
    expect(Array.from(alt)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a vector output is the layer with its columns set; a table comes from the series', () => {
    const cells = new VectorGrid(vectorGrid({ cols: 2, rows: 1, resolution: 1, attrs: { state: 0 } }));
    const out = vectorOutput(cells, { state: [1, 0] }, { series: { steps: [], values: {} }, frames: [] });
    expect(out.kind === 'vector' && out.dataset.features.map((f) => f.properties.state)).toEqual([1, 0]);
    expect(seriesTable({ steps: [0, 1], values: { x: [5, 6], y: [7, 8] } }, ['y', 'x'])).toEqual({
      columns: ['time', 'y', 'x'],
      rows: [
        [0, 7, 5],
        [1, 8, 6],
      ],
    });
  });
});

describe('inputs', () => {
  it('a state outside the allowed values names the value and the cell', () => {
    expect(() => readStates([0, 1, 2, 1], 'state', { 0: 'dead', 1: 'alive' }, rasterWhere(2))).toThrow(InputError);
    expect(() => readStates([0, 1, 2, 1], 'state', { 0: 'dead', 1: 'alive' }, rasterWhere(2))).toThrow(
      "'state' must hold only 0 (dead), 1 (alive); found 2 at row 1, column 0.",
    );
    expect(() => readStates([0, NaN], 'state', { 0: 'dead', 1: 'alive' }, rasterWhere(2))).toThrow(
      /found an empty value at row 0, column 1/,
    );
  });

  const grid = (bands: RasterDataset['bands']): RasterDataset => ({
    kind: 'raster',
    width: 2,
    height: 2,
    transform: null,
    epsg: null,
    bands,
  });
  const FIELDS = [
    { name: 'a', description: 'a', position: 1 },
    { name: 'b', description: 'b', position: 2 },
  ];

  it('a nodata cell is refused by a rule without holes, naming the file’s band, the value and the cell', () => {
    const band = { name: 'band_1', dtype: 'int16' as const, data: Int16Array.of(0, 1, 1, -1), nodata: -1 };
    expect(() => refuseNodata(band, 'state', 'Game of Life', rasterWhere(2))).toThrow(
      "Band 'band_1' is nodata (-1) at row 1, column 1: Game of Life has no rule for cells without data.",
    );
    expect(() => readStateBand(band, 'state', { 0: 'dead', 1: 'alive' }, rasterWhere(2), 'Game of Life')).toThrow(/is nodata \(-1\)/);
    const nan = { name: 's', dtype: 'float32' as const, data: Float32Array.of(0, NaN, 1, 1), nodata: NaN };
    expect(() => refuseNodata(nan, 's', 'X', rasterWhere(2))).toThrow(/nodata \(NaN\) at row 0, column 1/);
  });

  it('viewStateBand checks a band of states as readStateBand does, without copying bytes it can take as they are', () => {
    const LIFE = { 0: 'dead', 1: 'alive' } as const;
    const bytes = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 1, 0), nodata: null };
    expect(viewStateBand(bytes, 'state', LIFE, rasterWhere(2), 'Game of Life')).toBe(bytes.data);
    expect(readStateBand(bytes, 'state', LIFE, rasterWhere(2), 'Game of Life')).not.toBe(bytes.data);
    const wide = { name: 'state', dtype: 'int16' as const, data: Int16Array.of(0, 1, 1, 0), nodata: null };
    expect(viewStateBand(wide, 'state', LIFE, rasterWhere(2), 'Game of Life')).toEqual(Uint8Array.of(0, 1, 1, 0));
    const bad = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 2, 0), nodata: null };
    expect(() => viewStateBand(bad, 'state', LIFE, rasterWhere(2), 'Game of Life')).toThrow(
      "'state' must hold only 0 (dead), 1 (alive); found 2 at row 1, column 0.",
    );
    const holes = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 9, 0), nodata: 9 };
    expect(() => viewStateBand(holes, 'state', LIFE, rasterWhere(2), 'Game of Life')).toThrow(/is nodata \(9\) at row 1, column 0/);
  });

  it('deferStateBand refuses nodata now and leaves the check of byte states to the model, with the same error', () => {
    const LIFE = { 0: 'dead', 1: 'alive' } as const;
    const bad = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 2, 0), nodata: null };
    const deferred = deferStateBand(bad, 'state', LIFE, rasterWhere(2), 'Game of Life');
    expect(deferred.bytes).toBe(bad.data); // not checked yet, not copied
    expect(() => deferred.check()).toThrow("'state' must hold only 0 (dead), 1 (alive); found 2 at row 1, column 0.");
    const good = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 1, 0), nodata: null };
    expect(() => deferStateBand(good, 'state', LIFE, rasterWhere(2), 'Game of Life').check()).not.toThrow();
    // Not bytes: checked (and converted) at once, as viewStateBand.
    const wide = { name: 'state', dtype: 'int16' as const, data: Int16Array.of(0, 1, 5, 0), nodata: null };
    expect(() => deferStateBand(wide, 'state', LIFE, rasterWhere(2), 'Game of Life')).toThrow(/found 5 at row 1, column 0/);
    const holes = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 9, 0), nodata: 9 };
    expect(() => deferStateBand(holes, 'state', LIFE, rasterWhere(2), 'Game of Life')).toThrow(/is nodata \(9\) at row 1, column 0/);
  });

  it('a nodata value that is one of the states is that state', () => {
    const band = { name: 'state', dtype: 'uint8' as const, data: Uint8Array.of(0, 1, 0, 1), nodata: 0 };
    expect(Array.from(readStateBand(band, 'state', { 0: 'dead', 1: 'alive' }, rasterWhere(2), 'Game of Life'))).toEqual([0, 1, 0, 1]);
  });

  it('nodataOutside marks the cells where any band read holds its nodata; maskOutside folds them into the mask', () => {
    const ds = grid([
      { name: 'a', dtype: 'float32', data: Float32Array.of(-9999, 1, 2, 3), nodata: -9999 },
      { name: 'b', dtype: 'float32', data: Float32Array.of(5, 6, 7, NaN), nodata: NaN },
    ]);
    const plain = rasterBands(ds, FIELDS, {});
    expect(plain.outside).toBeNull();
    const input = nodataOutside(plain);
    expect(Array.from(input.outside!)).toEqual([1, 0, 0, 1]);
    expect(input.get('b')).toBe(ds.bands[1]);
    expect(Array.from(maskOutside(null, input.outside)!)).toEqual([0, 1, 1, 0]);
    expect(Array.from(maskOutside(Uint8Array.of(1, 1, 0, 1), input.outside)!)).toEqual([0, 1, 0, 0]);
    expect(maskOutside(null, null)).toBeNull();
    const none = grid([{ name: 'a', dtype: 'uint8', data: Uint8Array.of(0, 1, 2, 3), nodata: 255 }]);
    expect(nodataOutside(rasterBands(none, FIELDS.slice(0, 1), {})).outside).toBeNull();
  });

  it('a missing column lists the layer’s columns with a column_map hint', () => {
    const ds = vectorGrid({ cols: 2, rows: 2, resolution: 1, attrs: { vivo: 0 } });
    expect(() => vectorCells(ds, [{ name: 'state', description: '0/1' }], {})).toThrow(
      /no column 'state'\. Columns: vivo\. Map one with column_map, e\.g\. state=vivo\./,
    );
    expect(vectorCells(ds, [{ name: 'state', description: '0/1' }], { state: 'vivo' }).columnNames).toEqual(['state']);
  });
});

describe('SimulationExecutor', () => {
  const spec = defineSpec({
    name: 'kit_probe',
    title: 'Probe',
    description: 'Counts ticks on a raster.',
    family: 'Test',
    inputs: ['raster'],
    params: {
      mode: { type: 'enum', default: 'a', options: ['a', 'b'], description: 'a mode' },
      on: { type: 'bool', default: true, description: 'a switch' },
      start_time: startTime(),
      end_time: endTime(4),
    },
    output: RASTER_OUTPUT,
  });
  type Params = ParamsOf<typeof spec.params>;

  class Probe extends SimulationExecutor<typeof spec.params> {
    static readonly spec = spec;
    protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
      const run = await sim.simulate({ start: p.start_time, end: p.end_time, build: (env) => new Counter(env) });
      return rasterOutput(ds, { n: Uint8Array.of(run.model.value) }, run);
    }
  }

  it('types the parameters from the spec', () => {
    expectTypeOf<Params>().toEqualTypeOf<{ mode: 'a' | 'b'; on: boolean; start_time: number; end_time: number }>();
  });

  it('dispatches on the dataset; a substrate the model does not implement is an InputError', async () => {
    const record = createRecord({ model_name: 'kit_probe', parameters: { start_time: 1, end_time: 4, mode: 'a', on: true } });
    const ctx = ctxOf();
    const ds: RasterDataset = { kind: 'raster', width: 1, height: 1, transform: null, epsg: null, bands: [] };
    const out = await new Probe().run(ds, record, ctx);
    expect(out.kind === 'raster' && Array.from(out.dataset.bands[0].data)).toEqual([4]);
    await expect(new Probe().run(vectorGrid({ cols: 1, rows: 1, resolution: 1 }), record, ctx)).rejects.toThrow(
      /Probe takes raster input, not a vector dataset/,
    );
    await expect(new Probe().run(null, record, ctx)).rejects.toThrow(/Probe needs an input dataset/);
  });
});
