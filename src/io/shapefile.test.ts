/**
 * Zipped Shapefiles: the real Acre benchmark cellular space and TerraME's 2014 result
 * (tests/fixtures/lucc, values checked against `ogrinfo -q -fid N`), and small built
 * files for each geometry, attribute type, encoding and refusal.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readShapefileZip, decoderForCodePage } from './shapefile.ts';
import { epsgFromWkt } from './crs-wkt.ts';
import { parseDataset } from './dataset.ts';
import { shapefileZip, square, zipOf, buildShp, buildDbf } from '../../tests/corpus/vector-build.ts';
import type { VectorDataset } from '../sim/dataset.ts';

const fixtures = resolve(import.meta.dirname, '../../tests/fixtures/lucc');
const load = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

describe('csAC.zip, the Acre LUCC benchmark cellular space', () => {
  const ds = readShapefileZip(load('csAC.zip'));

  it('has 6,574 square 5 km cells on an 89 × 165 grid, with the columns DisSModel uses', () => {
    expect(ds.features).toHaveLength(6574);
    for (const c of ['f', 'd', 'outros', 'assentamen', 'uc_us', 'uc_pi', 'ti', 'dist_riobr', 'fertilidad', 'rodovias', 'row', 'col']) {
      expect(ds.columns).toContain(c);
    }
    const rows = ds.features.map((f) => f.properties.row as number);
    const cols = ds.features.map((f) => f.properties.col as number);
    expect([Math.min(...rows), Math.max(...rows), Math.min(...cols), Math.max(...cols)]).toEqual([0, 88, 0, 164]);
    expect(rows.every(Number.isInteger) && cols.every(Number.isInteger)).toBe(true);
    for (const f of ds.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = (f.geometry.coordinates as number[][][])[0];
      const xs = ring.map((p) => p[0]);
      expect(Math.max(...xs) - Math.min(...xs)).toBe(5000);
    }
  });

  it('has land-use fractions f + d + outros = 1 in every cell, and the sums ogrinfo gives', () => {
    let f = 0;
    let d = 0;
    let o = 0;
    for (const c of ds.features) {
      const p = c.properties as Record<string, number>;
      expect(Math.abs(p.f + p.d + p.outros - 1), `cell ${c.id}`).toBeLessThan(1e-6);
      f += p.f;
      d += p.d;
      o += p.outros;
    }
    // ogrinfo -sql "select sum(f), sum(d), sum(outros) from csAC" csAC.shp
    expect(f).toBeCloseTo(5515.12676511801, 8);
    expect(d).toBeCloseTo(799.305152912, 8);
    expect(o).toBeCloseTo(259.56808197, 8);
  });

  it('reads cells exactly as ogrinfo prints them', () => {
    // ogrinfo -q -fid 0 / 3000 / 6573 csAC.shp csAC
    const want = [
      {
        fid: 0,
        object_id0: 'C42L57',
        row: 57,
        col: 42,
        f: 0.35683,
        d: 0.039786983,
        outros: 0.603383017,
        rodovias: 166694.49999999997,
        dist_riobr: 477878.4,
        ring0: [-1665000, -1105000],
      },
      {
        fid: 3000,
        object_id0: 'C02L08',
        row: 8,
        col: 2,
        f: 1,
        d: 0,
        outros: 0,
        rodovias: 114885.7,
        dist_riobr: 727407,
        ring0: [-1865000, -860000],
      },
      {
        fid: 6573,
        object_id0: 'C99L85',
        row: 85,
        col: 99,
        f: 0.00876623,
        d: 0.000974026,
        outros: 0.990259744,
        rodovias: 39683.05,
        dist_riobr: 226871.9,
        ring0: [-1380000, -1245000],
      },
    ];
    for (const w of want) {
      const c = ds.features[w.fid];
      expect(c.id).toBe(w.fid);
      for (const k of ['object_id0', 'row', 'col', 'f', 'd', 'outros', 'rodovias', 'dist_riobr'] as const)
        expect(c.properties[k], `${w.fid}.${k}`).toBe(w[k]);
      expect((c.geometry.coordinates as number[][][])[0][0]).toEqual(w.ring0);
    }
  });

  it('keeps the .prj as WKT without an EPSG code, and the coordinates as stored (never reprojected)', () => {
    // The .prj says SAD69 / Brazil Polyconic (ESRI WKT, no AUTHORITY); the coordinates do not fit it,
    // and DisSModel reads them as they are.
    expect(ds.crsWkt).toMatch(/^PROJCS\["SAD69_Brazil_Polyconic",GEOGCS\["GCS_SAD69"/);
    expect(ds.epsg).toBeNull();
    const xs = ds.features.flatMap((f) => (f.geometry.coordinates as number[][][])[0].map((p) => p[0]));
    expect([Math.min(...xs), Math.max(...xs)]).toEqual([-1875000, -1050000]); // ogrinfo -so: Extent (-1875000, -1260000) - (-1050000, -815000)
  });

  it('is what parseDataset gives for the bytes (ZIP magic), whatever the name', async () => {
    const viaDispatch = (await parseDataset('https://example.org/data?file=1', load('csAC.zip'))) as VectorDataset;
    expect(viaDispatch.features).toHaveLength(6574);
    expect(viaDispatch.features[10]).toEqual(ds.features[10]);
  });
});

describe('LUCCME_Lab1_2014.zip, TerraME’s 2014 result', () => {
  it('has the same 6,574 cells and the d_out column', () => {
    const ds = readShapefileZip(load('LUCCME_Lab1_2014.zip'));
    expect(ds.features).toHaveLength(6574);
    expect(ds.columns.at(-1)).toBe('d_out');
    // ogrinfo -q -fid 0 / 3000 Lab1_2014.shp; ogrinfo -sql "select sum(d_out), max(d_out) from Lab1_2014"
    expect(ds.features[0].properties.d_out).toBe(0.039786983);
    expect(ds.features[3000].properties).toMatchObject({ row: 8, col: 2, d_out: 0 });
    const dOut = ds.features.map((f) => f.properties.d_out as number);
    expect(dOut.reduce((a, b) => a + b, 0)).toBeCloseTo(904.35358211535, 8);
    expect(Math.max(...dOut)).toBe(1);
  });
});

describe('built Shapefiles', () => {
  const fields = [
    { name: 'n', type: 'N' as const, length: 10, decimals: 0 },
    { name: 'x', type: 'F' as const, length: 19, decimals: 11 },
    { name: 'name', type: 'C' as const, length: 12 },
    { name: 'ok', type: 'L' as const, length: 1 },
    { name: 'day', type: 'D' as const, length: 8 },
  ];

  it('reads points and every attribute type, blanks as null, deleted records skipped', () => {
    const zip = shapefileZip(
      'pts',
      1,
      [
        { type: 1, x: 1.5, y: -2 },
        { type: 1, x: 3, y: 4 },
        { type: 1, x: 5, y: 6 },
      ],
      fields,
      [
        ['42', '-1.25000000000', 'São', 'T', '20240131'],
        ['', '', '', '?', ''],
        ['7', '2.5', 'gone', 'F', '19991231'],
      ],
      { deleted: [2] },
    );
    const ds = readShapefileZip(zip);
    expect(ds.columns).toEqual(['n', 'x', 'name', 'ok', 'day']);
    expect(ds.features.map((f) => f.id)).toEqual([0, 1]);
    expect(ds.features[0]).toEqual({
      id: 0,
      geometry: { type: 'Point', coordinates: [1.5, -2] },
      properties: Object.assign(Object.create(null), { n: 42, x: -1.25, name: 'São', ok: true, day: '2024-01-31' }),
    });
    expect({ ...ds.features[1].properties }).toEqual({ n: null, x: null, name: '', ok: null, day: null });
    expect(ds.epsg).toBeNull();
    expect(ds.crsWkt).toBeNull();
  });

  it('decodes text with the .cpg encoding (UTF-8 here), ISO-8859-1 without one', () => {
    const utf8 = new TextEncoder().encode('Açaí');
    const one = (cpg?: string, text: Uint8Array = utf8) =>
      readShapefileZip(
        shapefileZip('t', 1, [{ type: 1, x: 0, y: 0 }], [{ name: 'name', type: 'C', length: 10 }], [[text]], cpg ? { cpg } : {}),
      ).features[0].properties.name;
    expect(one('UTF-8')).toBe('Açaí');
    expect(one('65001')).toBe('Açaí');
    expect(one()).toBe('AÃ§aÃ\u00ad'); // the same bytes read as ISO-8859-1
    expect(one(undefined, Uint8Array.from([0x41, 0xe7, 0x61, 0xed]))).toBe('Açaí');
    expect(() => one('klingon')).toThrow(/\.cpg names the encoding "klingon", which is not known/);
    expect(decoderForCodePage('1252')(Uint8Array.from([0x80, 0x9f, 0xe9]))).toBe('€Ÿé');
  });

  it('groups polygon rings: clockwise outer rings, counter-clockwise holes inside them', () => {
    const withHole = { type: 5 as const, parts: [square(0, 0, 10), square(2, 2, 2, true)] };
    const two = { type: 5 as const, parts: [square(0, 0, 1), square(5, 5, 1)] };
    const ds = readShapefileZip(shapefileZip('p', 5, [withHole, two], [{ name: 'k', type: 'N', length: 3 }], [['1'], ['2']]));
    expect(ds.features[0].geometry).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10), square(2, 2, 2, true)] });
    expect(ds.features[1].geometry).toEqual({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] });
  });

  it('takes an EPSG code only from the WKT’s own AUTHORITY / ID', () => {
    const prj =
      'PROJCS["SIRGAS 2000 / UTM zone 23S",GEOGCS["SIRGAS 2000",AUTHORITY["EPSG","4674"]],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","31983"]]';
    const ds = readShapefileZip(shapefileZip('c', 1, [{ type: 1, x: 0, y: 0 }], [{ name: 'k', type: 'N', length: 3 }], [['1']], { prj }));
    expect(ds.epsg).toBe(31983);
    expect(ds.crsWkt).toBe(prj);
    expect(epsgFromWkt('PROJCRS["x",BASEGEOGCRS["y",ID["EPSG",4674]],ID["EPSG",31983]]')).toBe(31983);
    expect(epsgFromWkt('GEOGCS["GCS_SAD69",DATUM["D_South_American_1969",SPHEROID["GRS_1967_Truncated",6378160,298.25]]]')).toBeNull();
  });

  it('refuses what it cannot read, naming the file and the problem', () => {
    const f = [{ name: 'k', type: 'N' as const, length: 3 }];
    const pt = { type: 1 as const, x: 0, y: 0 };
    const { shp, shx } = buildShp(1, [pt]);
    const dbf = buildDbf(f, [['1']]);
    expect(() => readShapefileZip(zipOf({ 'a.shp': shp, 'a.dbf': dbf }))).toThrow(/has a\.shp but not its \.shx/);
    expect(() => readShapefileZip(zipOf({ 'a.shp': shp, 'a.shx': shx, 'a.dbf': dbf, 'b/b.shp': shp }))).toThrow(
      /holds 2 Shapefiles \(a\.shp, b\/b\.shp\); put one layer per archive/,
    );
    expect(() => readShapefileZip(zipOf({ 'readme.txt': dbf }))).toThrow(/holds no Shapefile \(\.shp\): it has readme\.txt/);
    expect(() => readShapefileZip(shapefileZip('n', 1, [{ type: 0 }], f, [['1']]))).toThrow(/n\.shp record 1 has no geometry/);
    expect(() => readShapefileZip(shapefileZip('m', 1, [pt], [{ name: 'memo', type: 'M', length: 10 }], [['1']]))).toThrow(
      /field 'memo' has dBASE type 'M', which is not supported/,
    );
    expect(() => readShapefileZip(shapefileZip('t', 1, [pt], f, [['abc']]))).toThrow(/field 'k' holds "abc", which is not a number/);
    expect(() => readShapefileZip(shapefileZip('p', 1, [pt], [{ name: '__proto__', type: 'N', length: 3 }], [['1']]))).toThrow(
      /'__proto__' is not allowed/,
    );
  });
});
