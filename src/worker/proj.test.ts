import { describe, expect, it } from 'vitest';
import { placeRaster, placeVector } from './placement.ts';
import { projectionFor } from './proj.ts';

describe('projections', () => {
  it('UTM 24S (SIRGAS 2000, EPSG:31984): the false-easting meridian maps to -39°', () => {
    const p = projectionFor(31984)!;
    const [lng, lat] = p.toLngLat(500000, 9700000);
    expect(lng).toBeCloseTo(-39, 9);
    // 300 km (÷ k0) of meridian arc south of the equator: 2.714174° S (checked with Krüger's series).
    expect(lat).toBeCloseTo(-2.7141737, 6);
  });

  it('round-trips UTM zones north and south to millimetres', () => {
    for (const [epsg, x, y] of [
      [31983, 582000, 9713000],
      [31984, 412345.6, 9600000],
      [32633, 447000, 5411000],
      [32723, 300000, 7400000],
      [4326, -44.3, -2.5],
      [3857, -4900000, -280000],
    ] as const) {
      const p = projectionFor(epsg)!;
      const [lng, lat] = p.toLngLat(x, y);
      const [x2, y2] = p.fromLngLat(lng, lat);
      expect(Math.abs(x2 - x)).toBeLessThan(1e-3);
      expect(Math.abs(y2 - y)).toBeLessThan(1e-3);
    }
  });

  it('known point: São Luís (−44.3028, −2.5297) in UTM 23S', () => {
    // Independent check: Krüger's n-series (Karney 2011, 3rd order) gives (577507.7234, 9720369.5039).
    const [x, y] = projectionFor(31983)!.fromLngLat(-44.3028, -2.5297);
    expect(Math.abs(x - 577507.7234)).toBeLessThan(0.01);
    expect(Math.abs(y - 9720369.5039)).toBeLessThan(0.01);
  });

  it('unknown codes give null', () => {
    expect(projectionFor(5880)).toBeNull();
    expect(projectionFor(null)).toBeNull();
  });
});

describe('placement', () => {
  const band = { name: 'b', dtype: 'uint8' as const, data: new Uint8Array(6), nodata: null };
  it('places a UTM raster and finds cells back', () => {
    const p = placeRaster({
      kind: 'raster',
      width: 3,
      height: 2,
      bands: [band],
      epsg: 31984,
      transform: { originX: 500000, originY: 9700000, pixelWidth: 100, pixelHeight: 100 },
    });
    expect(p.note).toBeNull();
    const [tl, , br] = p.corners;
    expect(tl[0]).toBeCloseTo(-39, 6);
    expect(br[0]).toBeGreaterThan(tl[0]);
    expect(br[1]).toBeLessThan(tl[1]);
    const [lng, lat] = projectionFor(31984)!.toLngLat(500250, 9699950);
    expect(p.cellAt(lng, lat)).toEqual({ row: 0, col: 2 });
    const [lng2, lat2] = projectionFor(31984)!.toLngLat(500050, 9699850);
    expect(p.cellAt(lng2, lat2)).toEqual({ row: 1, col: 0 });
  });
  it('a raster with no CRS goes to a neutral place with a note', () => {
    const p = placeRaster({ kind: 'raster', width: 3, height: 2, bands: [band], epsg: null, transform: null });
    expect(p.note).toMatch(/neutral/);
    expect(p.cellAt(p.corners[0][0] + 1e-9, p.corners[0][1] - 1e-9)).toEqual({ row: 0, col: 0 });
  });
  it('a rotated raster and a custom (non-EPSG) CRS are drawn at a neutral place with a note saying why', () => {
    const t = { originX: 500000, originY: 9700000, pixelWidth: 100, pixelHeight: 100 };
    const rotated = placeRaster({
      kind: 'raster',
      width: 3,
      height: 2,
      bands: [band],
      epsg: 31984,
      transform: null,
      affine: [500000, 86.6, 50, 9700000, 50, -86.6],
    });
    expect(rotated.note).toMatch(/rotated.*kept in the output.*neutral place/);
    const wkt = 'PROJCS["my Albers",GEOGCS["unknown",DATUM["unknown",SPHEROID["GRS 1980",6378137,298.257222101]]]]';
    const custom = placeRaster({ kind: 'raster', width: 3, height: 2, bands: [band], epsg: null, transform: t, crsWkt: wkt });
    expect(custom.note).toMatch(/no EPSG code.*neutral place/);
    expect(custom.crs).toBe('custom CRS "my Albers" (no EPSG code; kept in outputs)');
    expect(custom.cellAt(custom.corners[0][0] + 1e-9, custom.corners[0][1] - 1e-9)).toEqual({ row: 0, col: 0 });
  });
  it('reprojects vector vertices', () => {
    const p = placeVector({
      kind: 'vector',
      epsg: 31984,
      columns: [],
      features: [
        {
          id: 1,
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [500000, 9700000],
                [500100, 9700000],
                [500100, 9700100],
                [500000, 9700000],
              ],
            ],
          },
        },
      ],
    });
    expect(p.note).toBeNull();
    const g = p.geometries[0]!;
    expect(g.type).toBe('Polygon');
    expect((g as { coordinates: number[][][] }).coordinates[0][0][0]).toBeCloseTo(-39, 6);
  });
});
