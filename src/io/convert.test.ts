/** rasterizeRowCol: the LUCC "mock raster" from a vector cellular space's integer row/col. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rasterizeRowCol } from './convert.ts';
import { readShapefileZip } from './shapefile.ts';
import type { VectorDataset, VectorFeature } from '../sim/dataset.ts';

const cell = (row: number, col: number, props: Record<string, number | string | boolean | null>): VectorFeature => ({
  id: null,
  geometry: { type: 'Point', coordinates: [col, -row] },
  properties: { row, col, ...props },
});
const space = (features: VectorFeature[]): VectorDataset => ({
  kind: 'vector',
  features,
  columns: Object.keys(features[0].properties),
  epsg: 5880,
});

describe('rasterizeRowCol', () => {
  it('puts each cell at (row, col) of a (max row + 1) × (max col + 1) grid, mask first, fill outside', () => {
    const ds = space([cell(0, 0, { v: 1.5, n: 3 }), cell(1, 2, { v: -2, n: 4 }), cell(2, 1, { v: 0.25, n: 5 })]);
    const r = rasterizeRowCol(ds, { attrs: { v: 9, n: 0 }, nodataValue: -1 });
    expect([r.height, r.width]).toEqual([3, 3]);
    expect(r.bands.map((b) => [b.name, b.dtype])).toEqual([
      ['mask', 'float32'],
      ['v', 'float32'],
      ['n', 'float32'],
    ]);
    expect([...r.bands[0].data]).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect([...r.bands[1].data]).toEqual([1.5, -1, -1, -1, -1, -2, -1, 0.25, -1]);
    expect(r.bands[1].nodata).toBe(-1);
    expect(r.epsg).toBe(5880);
    // without nodataValue, outside cells hold each attribute's fill; dtype auto gives int32 for integer columns
    const auto = rasterizeRowCol(ds, { attrs: { v: 9, n: 7 }, dtype: 'auto', addMask: false });
    expect(auto.bands.map((b) => [b.name, b.dtype])).toEqual([
      ['v', 'float32'],
      ['n', 'int32'],
    ]);
    expect([...auto.bands[0].data]).toEqual([1.5, 9, 9, 9, 9, -2, 9, 0.25, 9]);
    expect([...auto.bands[1].data]).toEqual([3, 7, 7, 7, 7, 4, 7, 5, 7]);
  });

  it('refuses missing columns, non-integer indices, two cells in one place, non-numbers and huge grids', () => {
    const ds = space([cell(0, 0, { v: 1 }), cell(0, 1, { v: 2 })]);
    expect(() => rasterizeRowCol(ds, { attrs: ['v', 'w'] })).toThrow(/has no column 'w'. Columns: row, col, v/);
    expect(() => rasterizeRowCol(space([cell(0.5, 0, { v: 1 })]), { attrs: ['v'] })).toThrow(
      /Cell 0 has row = 0.5; grid indices must be non-negative integers/,
    );
    expect(() => rasterizeRowCol(space([cell(1, 1, { v: 1 }), cell(1, 1, { v: 2 })]), { attrs: ['v'] })).toThrow(
      /Cells 0 and 1 both sit at row 1, col 1/,
    );
    expect(() => rasterizeRowCol(space([cell(0, 0, { v: 'x' })]), { attrs: ['v'] })).toThrow(
      /Cell 0 has v = "x"; rasterised attributes must be numbers/,
    );
    expect(() => rasterizeRowCol(space([cell(100000, 100000, { v: 1 })]), { attrs: ['v'] })).toThrow(
      /grid of 100001 × 100001 cells .* exceeds the limit/,
    );
    const noRow: VectorDataset = {
      kind: 'vector',
      features: [{ id: null, geometry: { type: 'Point', coordinates: [0, 0] }, properties: { v: 1 } }],
      columns: ['v'],
      epsg: null,
    };
    expect(() => rasterizeRowCol(noRow, { attrs: ['v'] })).toThrow(/has no column 'row'/);
  });

  it('gives the 89 × 165 Acre grid of the LUCC benchmark from csAC.zip', () => {
    const acre = readShapefileZip(new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../tests/fixtures/lucc/csAC.zip'))));
    const r = rasterizeRowCol(acre, { attrs: ['f', 'd', 'outros', 'dist_riobr'], nodataValue: -1 });
    expect([r.height, r.width]).toEqual([89, 165]);
    const [mask, f, d, o] = r.bands.map((b) => b.data);
    expect(Array.from(mask).reduce((a, b) => a + b, 0)).toBe(6574);
    // ogrinfo -q -fid 0 csAC.shp: row 57, col 42, f 0.35683, d 0.039786983 (float32 here)
    const k = 57 * 165 + 42;
    expect([f[k], d[k]]).toEqual([Math.fround(0.35683), Math.fround(0.039786983)]);
    let worst = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) worst = Math.max(worst, Math.abs(f[i] + d[i] + o[i] - 1));
      else expect(f[i]).toBe(-1);
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
