/**
 * FlatGeobuf: a file GDAL wrote (the first 10 rows of the Acre cellular space,
 * `ogr2ogr -f FlatGeobuf acre_row0-9.fgb csAC.shp -where "row < 10" -select "row,col,f,d,outros,object_id0"`,
 * with its spatial index), and refusals of files whose header lies.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from './flatgeobuf.ts';
import { parseDataset } from './dataset.ts';

const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../tests/fixtures/formats/acre_row0-9.fgb')));

describe('readFlatGeobuf', () => {
  it('reads GDAL’s file: 121 cells, the columns in header order, the CRS GDAL wrote', () => {
    const ds = readFlatGeobuf(bytes);
    expect(ds.features).toHaveLength(121); // ogrinfo -so: Feature Count: 121
    expect(ds.columns).toEqual(['row', 'col', 'f', 'd', 'outros', 'object_id0']);
    expect(ds.epsg).toBe(29101);
    expect(ds.crsWkt).toMatch(/^PROJCRS\["SAD69 \/ Brazil Polyconic"/);
    // ogrinfo -q -fid 5 acre_row0-9.fgb csAC
    expect(ds.features[5].geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [-1775000, -855000],
          [-1775000, -850000],
          [-1770000, -850000],
          [-1770000, -855000],
          [-1775000, -855000],
        ],
      ],
    });
    expect({ ...ds.features[5].properties }).toEqual({
      row: 7,
      col: 20,
      f: 0.82684935,
      d: 0.17315019,
      outros: 4.6e-7,
      object_id0: 'C20L07',
    });
    expect(ds.features.every((f) => (f.properties.row as number) < 10)).toBe(true);
  });

  it('is what parseDataset gives (by magic bytes, whatever the name)', async () => {
    const ds = await parseDataset('cells.bin', bytes);
    expect(ds.kind === 'vector' && ds.features.length).toBe(121);
  });

  it('refuses a header that declares more features than the file holds, or a truncated feature', () => {
    const lie = bytes.slice();
    // the header's features_count: find the 64-bit 121 and make it 122
    const dv = new DataView(lie.buffer);
    const hl = dv.getUint32(8, true);
    let at = -1;
    for (let p = 12; p + 8 <= 12 + hl; p++) if (dv.getUint32(p, true) === 121 && dv.getUint32(p + 4, true) === 0) at = p;
    expect(at).toBeGreaterThan(0);
    dv.setUint32(at, 1_000_000, true);
    expect(() => readFlatGeobuf(lie)).toThrow(
      /declares 1,000,000 features with a spatial index of [\d,]+ bytes, but the file has only 29,904/,
    );
    expect(() => readFlatGeobuf(bytes.slice(0, bytes.length - 10))).toThrow(/ends inside feature 121: it is said to hold/);
    dv.setUint32(8, 0x7fffffff, true);
    expect(() => readFlatGeobuf(lie)).toThrow(/header is said to hold 2,147,483,647 bytes/);
  });
});
