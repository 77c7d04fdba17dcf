/**
 * The diverging ramp of b − a: the map's cool–warm ramp (src/app/map/ramps.ts, Moreland's), blue where B
 * is below A, red where it is above, its neutral middle on zero.
 */
import { hexToRgb } from '../map/colors.ts';
import { RAMPS } from '../map/ramps.ts';

export const DIVERGING = RAMPS.coolwarm.stops;
const NEUTRAL = DIVERGING[(DIVERGING.length - 1) / 2];

const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The ramp's colour at t in [−1, 1] (0 = the neutral middle). */
export function divergingColor(t: number): string {
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (DIVERGING.length - 1);
  const k = Math.min(Math.floor(u), DIVERGING.length - 2);
  const f = u - k;
  const p = hexToRgb(DIVERGING[k]);
  const q = hexToRgb(DIVERGING[k + 1]);
  return toHex(p.map((c, i) => c * (1 - f) + q[i] * f));
}

/**
 * Evenly spaced stops for a ramp drawn from `min` to `max` (the legend shows that range)
 * whose neutral middle falls on zero: each stop takes the colour of its value on a scale symmetric
 * about zero, so a range of −0.2 … 3 is mostly reds and keeps zero neutral.
 */
export function divergingStops(min: number, max: number, count = 33): string[] {
  const m = Math.max(Math.abs(min), Math.abs(max));
  if (!(m > 0)) return [NEUTRAL, NEUTRAL];
  return Array.from({ length: count }, (_, i) => divergingColor((min + ((max - min) * i) / (count - 1)) / m));
}
