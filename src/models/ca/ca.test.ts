/** The dissmodel-ca executors' inputs: starting from the input's state, what they refuse and why, what a raster output keeps. */
import { describe, expect, it } from 'vitest';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, type JsonValue } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { readGeoJson, writeGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { writeGeoTiff } from '../../io/geotiff-write.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { VectorGrid, vectorGrid } from '../../sim/vector.ts';
import './catalogue.ts';

async function run(model: string, uri: string, bytes: Uint8Array, parameters: Record<string, JsonValue>) {
  const io = new MemoryIO();
  io.inputs.set(uri, bytes);
  const record = createRecord({ model_name: model, source: { uri }, parameters, output_path: 'out/ca' });
  const outcome = await executeLifecycle(new (ExecutorRegistry.get(model))(), record, { io, drawSeed: () => 3 });
  return { record, outcome, bytes: record.output_path ? io.written.get(record.output_path) : undefined };
}

const raster = (width: number, height: number, data: Int16Array, nodata: number | null = null): RasterDataset => ({
  kind: 'raster',
  width,
  height,
  epsg: 31983,
  transform: { originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 },
  bands: [{ name: 'state', dtype: 'int16', data, nodata }],
});

describe('dissmodel-ca executors', () => {
  it("initialize=false starts from the input's state: parity of a single ON cell on a vector grid is its 4 Rook neighbours", async () => {
    const layer = vectorGrid({ cols: 5, rows: 5, resolution: 1, attrs: { state: 0 } });
    layer.features.find((f) => f.id === '2-2')!.properties.state = 1;
    const r = await run('parity', 'g.geojson', writeGeoJson(layer), { initialize: false, end_time: 0, start_time: 0 });
    expect(r.outcome.error).toBeUndefined();
    const out = new VectorGrid((await readGeoJson(r.bytes!)) as VectorDataset);
    const on = out.ids.filter((_, i) => out.column('state')[i] === 1).sort();
    expect(on).toEqual(['1-2', '2-1', '2-3', '3-2']);
  });

  it("a raster output keeps the state band's type and the georeferencing (initialize=false)", async () => {
    const data = new Int16Array(6 * 4);
    data[0] = 5; // an excited cell, top-left
    const r = await run('excitable', 'e.tif', writeGeoTiff(raster(6, 4, data)), { initialize: false, start_time: 0, end_time: 0 });
    expect(r.outcome.error).toBeUndefined();
    const out = (await readGeoTiff(r.bytes!)) as RasterDataset;
    expect(out.bands[0].dtype).toBe('int16');
    expect(out.epsg).toBe(31983);
    expect(out.transform).toEqual({ originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 });
    // one tick: the cell at 5 rests (5 + 1 mod 6 = 0) and its two Rook neighbours fire
    const fired = Array.from(out.bands[0].data).flatMap((v, i) => (v ? [[i, v]] : []));
    expect(fired).toEqual([
      [1, 1],
      [6, 1],
    ]);
  });

  it('refuses what it cannot run, saying why', async () => {
    const small = vectorGrid({ cols: 20, rows: 10, resolution: 1, attrs: { state: 0 } });
    const noState = vectorGrid({ cols: 20, rows: 20, resolution: 1 });
    const plainIds: VectorDataset = { ...noState, features: noState.features.map((f, i) => ({ ...f, id: `cell${i}` })) };
    const cases: Array<[string, Uint8Array, string, Record<string, JsonValue>, RegExp]> = [
      [
        'excitable',
        writeGeoJson(small),
        'g.geojson',
        {},
        /Excitable seeds '15-20', '15-30' are outside the grid: it needs at least 31 columns × 16 rows/,
      ],
      ['parity', writeGeoJson(small), 'g.geojson', {}, /Parity seeds .* needs at least 41 columns × 26 rows/],
      ['anneal', writeGeoJson(noState), 'g.geojson', { initialize: false }, /no numeric column 'state' to start from.*initialize=true/],
      ['growth', writeGeoJson(plainIds), 'g.geojson', {}, /places cells by row and column.*found 'cell0'/],
      ['wolfram', writeGeoJson(small), 'g.geojson', { xdim: 30 }, /Wolfram seeds the cell '0-14'|needs a grid of 30 columns/],
      ['solid_diffusion', writeGeoJson(small), 'g.geojson', { dim: 15 }, /dim 15 is larger than the grid \(10 rows × 20 columns\)/],
      [
        'parasit',
        writeGeoTiff(raster(3, 1, Int16Array.from([0, 9, 1]))),
        'p.tif',
        { initialize: false },
        /'state' must hold only 0 .*found 9 at row 0, column 1/,
      ],
    ];
    for (const [model, bytes, uri, params, message] of cases) {
      const r = await run(model, uri, bytes, params);
      expect(r.record.status, model).toBe('failed');
      expect(r.record.logs.at(-1), model).toMatch(message);
    }
  });

  it('a raster and the same grid as polygons give the same states (Anneal, seeded)', async () => {
    const layer = vectorGrid({ cols: 9, rows: 7, resolution: 1, attrs: { state: 0 } });
    const v = await run('anneal', 'g.geojson', writeGeoJson(layer), { seed: 11, start_time: 0, end_time: 6 });
    const t = await run('anneal', 'g.tif', writeGeoTiff(raster(9, 7, new Int16Array(63))), { seed: 11, start_time: 0, end_time: 6 });
    const out = new VectorGrid((await readGeoJson(v.bytes!)) as VectorDataset);
    const grid = (await readGeoTiff(t.bytes!)) as RasterDataset;
    // raster row R, column C is the polygon 'rows−1−R'-'C'
    out.ids.forEach((id, i) => {
      const [row, col] = id.split('-').map(Number);
      expect(grid.bands[0].data[(7 - 1 - row) * 9 + col], id).toBe(out.column('state')[i]);
    });
    expect(grid.bands[0].dtype).toBe('uint8'); // an initialised state reads no band
  });
});
