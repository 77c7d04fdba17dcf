import { describe, expect, it } from 'vitest';
import { polygonGridGeoJson } from '../../../bench/fluidity-inputs.ts';
import { readGeoJson } from '../../io/geojson.ts';
import { OUTLINE_MIN_PX, outlineMinZoom } from './outline-zoom.ts';
import { placeVector } from '../../worker/placement.ts';

const grid = (n: number) => placeVector(readGeoJson(new TextEncoder().encode(polygonGridGeoJson(n))));

/** Pixels a placed cell (a square ring in lon/lat) spans across, in Web Mercator at zoom z. */
function cellWidthPx(ring: number[][], z: number): number {
  const xs = ring.map(([lng]) => lng);
  return ((Math.max(...xs) - Math.min(...xs)) * 512 * 2 ** z) / 360;
}

describe('the zoom from which polygon outlines are drawn', () => {
  it('is where a cell of a reprojected UTM grid spans OUTLINE_MIN_PX pixels', () => {
    const p = grid(50);
    const z = outlineMinZoom(p.bounds, p.geometries);
    const ring = (p.geometries[0] as { coordinates: number[][][] }).coordinates[0];
    expect(cellWidthPx(ring, z)).toBeGreaterThan(OUTLINE_MIN_PX * 0.95);
    expect(cellWidthPx(ring, z)).toBeLessThan(OUTLINE_MIN_PX * 1.05);
  });

  it('follows the cell size, not the count: the same for more cells of the same size, one level up on half the extent', () => {
    const a = grid(50);
    const b = grid(100); // 100 m cells too, on twice the extent
    const zb = outlineMinZoom(b.bounds, b.geometries);
    expect(zb).toBeCloseTo(outlineMinZoom(a.bounds, a.geometries), 2);
    const [w, s, e, n] = b.bounds;
    const h = (n - s) / 4;
    const mid = (s + n) / 2;
    expect(outlineMinZoom([w, mid - h, (w + e) / 2, mid + h], b.geometries)).toBeCloseTo(zb + 1, 2);
  });

  it('is 0 when a layer has lines or points (the outline layer draws lines too) or nothing', () => {
    const p = grid(20);
    const line = {
      type: 'LineString' as const,
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    };
    expect(outlineMinZoom(p.bounds, [...p.geometries, line])).toBe(0);
    expect(outlineMinZoom(p.bounds, [])).toBe(0);
    expect(outlineMinZoom([0, 0, 0, 0], p.geometries)).toBe(0);
  });
});
