import { describe, expect, it } from 'vitest';
import { hexToRgb, rampLut } from './colors.ts';
import { gradientStops, RAMP_NAMES, RAMPS } from './ramps.ts';

/** WCAG relative luminance of '#rrggbb'. */
const luminance = (hex: string) => {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = hexToRgb(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};

describe('colour ramps', () => {
  it("hold matplotlib's tables: 256 colours for viridis, magma and cividis, Moreland's 33 for coolwarm", () => {
    for (const name of RAMP_NAMES) for (const c of RAMPS[name].stops) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(RAMPS.viridis.stops).toHaveLength(256);
    expect(RAMPS.magma.stops).toHaveLength(256);
    expect(RAMPS.cividis.stops).toHaveLength(256);
    expect(RAMPS.coolwarm.stops).toHaveLength(33);
    // the published ends (matplotlib's to_hex of each table's first, middle and last entry)
    expect([RAMPS.viridis.stops[0], RAMPS.viridis.stops[128], RAMPS.viridis.stops[255]]).toEqual(['#440154', '#21918c', '#fde725']);
    expect([RAMPS.magma.stops[0], RAMPS.magma.stops[255]]).toEqual(['#000004', '#fcfdbf']);
    expect([RAMPS.cividis.stops[0], RAMPS.cividis.stops[255]]).toEqual(['#00224e', '#fee838']);
    // cool blue, a neutral grey in the middle, warm red
    expect([RAMPS.coolwarm.stops[0], RAMPS.coolwarm.stops[16], RAMPS.coolwarm.stops[32]]).toEqual(['#3b4cc0', '#dddddd', '#b40426']);
    expect(RAMPS.coolwarm.diverging).toBe(true);
  });
  it('the sequential ramps grow lighter from end to end (what makes them readable as an order)', () => {
    // every 8 entries (neighbouring 8-bit colours may differ by a rounding step)
    for (const name of ['viridis', 'magma', 'cividis'] as const) {
      const l = RAMPS[name].stops.map(luminance);
      for (let i = 8; i < l.length; i += 8) expect(l[i], `${name} at ${i}`).toBeGreaterThan(l[i - 8]);
    }
  });
  it('a 256-colour table is used as it is; 33 control points are interpolated linearly', () => {
    const lut = rampLut(RAMPS.magma.stops);
    for (const i of [0, 37, 128, 255]) expect([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]]).toEqual(hexToRgb(RAMPS.magma.stops[i]));
    const cw = rampLut(RAMPS.coolwarm.stops);
    expect([cw[0], cw[1], cw[2]]).toEqual(hexToRgb('#3b4cc0'));
    expect([cw[765], cw[766], cw[767]]).toEqual(hexToRgb('#b40426'));
  });
  it('the legend gradient samples a ramp evenly, both ends included', () => {
    const g = gradientStops(RAMPS.viridis.stops, 16);
    expect(g).toHaveLength(16);
    expect(g[0]).toBe('#440154');
    expect(g[15]).toBe('#fde725');
    expect(gradientStops(['#000000', '#ffffff'])).toEqual(['#000000', '#ffffff']);
  });
});
