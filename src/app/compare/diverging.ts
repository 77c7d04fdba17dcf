/**
 * A diverging ramp for b − a, white at zero (ColorBrewer RdBu, reversed: blue
 * where B is below A, red where it is above). Kept here until the map's styling
 * module offers its own diverging ramp.
 */
export const RD_BU = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'] as const;

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** The ramp's colour at t in [−1, 1] (0 = white). */
export function divergingColor(t: number): string {
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (RD_BU.length - 1);
  const k = Math.min(Math.floor(u), RD_BU.length - 2);
  const f = u - k;
  const p = hexToRgb(RD_BU[k]);
  const q = hexToRgb(RD_BU[k + 1]);
  return toHex(p.map((c, i) => c * (1 - f) + q[i] * f));
}

/**
 * Evenly spaced stops for a ramp drawn from `min` to `max` (the legend shows that range)
 * whose white falls on zero: each stop takes the colour of its value on a scale symmetric
 * about zero, so a range of −0.2 … 3 is mostly reds and keeps zero white.
 */
export function divergingStops(min: number, max: number, count = 33): string[] {
  const m = Math.max(Math.abs(min), Math.abs(max));
  if (!(m > 0)) return [divergingColor(0), divergingColor(0)];
  return Array.from({ length: count }, (_, i) => divergingColor((min + ((max - min) * i) / (count - 1)) / m));
}
