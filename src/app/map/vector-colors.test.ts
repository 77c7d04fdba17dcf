import { describe, expect, it } from 'vitest';
import { scaleFor } from './colors.ts';
import type { VectorLayer } from './layers.ts';
import { featureColors, featureRgba } from './vector-colors.ts';

/** The parts of a vector layer the colour functions read. */
const layer = (values: (number | null)[], arrays: number[][] = [values.filter((v): v is number => v !== null)]) =>
  ({
    values,
    scale: scaleFor('v', { name: 'v', description: '', categories: { 0: 'dead', 1: 'alive' } }, arrays, null),
  }) as unknown as VectorLayer;

const css = (rgba: Uint8Array, i: number) =>
  rgba[i * 4 + 3] === 0 ? 'rgba(0,0,0,0)' : `rgb(${rgba[i * 4]},${rgba[i * 4 + 1]},${rgba[i * 4 + 2]})`;

describe('featureRgba', () => {
  it('gives each feature the colour featureColors gives it (the WebGL layer and the GeoJSON layers agree)', () => {
    for (const l of [layer([0, 1, null, 1, 0, 7]), layer([2.5, 0.1, null, 9], [[0, 10]])]) {
      const rgba = featureRgba(l);
      expect(rgba.length).toBe(l.values.length * 4);
      expect(l.values.map((_, i) => css(rgba, i))).toEqual(featureColors(l));
    }
  });

  it('leaves a feature with no value transparent', () => {
    const rgba = featureRgba(layer([null, 1]));
    expect(Array.from(rgba.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(rgba[7]).toBe(255);
  });
});
