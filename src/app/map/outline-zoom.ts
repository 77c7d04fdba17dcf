/**
 * From which zoom a polygon layer's outlines are drawn: below it the typical
 * feature (the square root of the layer's area per feature) spans fewer than
 * OUTLINE_MIN_PX pixels, its outline would cover its fill (a 200 × 200 grid
 * fitted to the map is grey lines), and drawing 40,000 outlines is most of the
 * cost of a frame in a software renderer.
 */
import type { GeoJSONGeometry } from '../../sim/dataset.ts';
import type { Bounds } from '../../worker/placement.ts';

/** Pixels a typical feature spans before its outline is drawn. */
export const OUTLINE_MIN_PX = 5;

/** MapLibre's world width at zoom 0, pixels. */
const WORLD_PX = 512;

/** The outline layer's minzoom; 0 when any geometry is not a polygon (lines are drawn by the same layer). */
export function outlineMinZoom(bounds: Bounds, geometries: readonly (GeoJSONGeometry | null)[]): number {
  let count = 0;
  for (const g of geometries) {
    if (!g) continue;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return 0;
    count++;
  }
  const [w, s, e, n] = bounds;
  const lat = (((s + n) / 2) * Math.PI) / 180;
  // Degrees of longitude (Web Mercator stretches latitude by 1 / cos) per feature side.
  const side = Math.sqrt(((e - w) * (n - s)) / Math.cos(lat) / Math.max(1, count));
  if (count === 0 || !(side > 0)) return 0;
  const z = Math.log2((360 * OUTLINE_MIN_PX) / (WORLD_PX * side));
  return Math.max(0, Math.min(24, z));
}
