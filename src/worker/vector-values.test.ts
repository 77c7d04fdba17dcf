import { describe, expect, it } from 'vitest';
import { readGeoJson } from '../io/geojson.ts';
import { geometryKey } from './geometry-key.ts';
import { packVectorValues, unpackVectorValues, vectorValueArrays } from './vector-values.ts';

const grid = (n: number, value: (i: number) => unknown) =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: Array.from({ length: n * n }, (_, i) => {
      const r = Math.floor(i / n);
      const c = i % n;
      return {
        type: 'Feature',
        id: `c${i}`,
        properties: { state: value(i), name: `cell ${i}` },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [c, r],
              [c + 1, r],
              [c + 1, r + 1],
              [c, r + 1],
              [c, r],
            ],
          ],
        },
      };
    }),
  });
const parse = (text: string) => readGeoJson(new TextEncoder().encode(text));

describe('vector values', () => {
  it('put an output back on its input geometry, value for value', () => {
    const input = parse(grid(5, (i) => i % 2));
    const output = parse(grid(5, (i) => (i % 3 === 0 ? null : i * 0.5)));
    const packed = packVectorValues(output, geometryKey(input))!;
    expect(packed).not.toBeNull();
    expect(vectorValueArrays(packed)).toHaveLength(0); // `state` holds nulls, `name` strings: sent as they are
    const back = unpackVectorValues({ ...output, features: [] }, packed, input)!;
    expect(back.features).toEqual(output.features);
    expect(back.features[7].geometry).toBe(input.features[7].geometry);
    expect(geometryKey(back)).toBe(geometryKey(output));
  });

  it('sends a column of numbers as a Float64Array', () => {
    const input = parse(grid(4, () => 0));
    const output = parse(grid(4, (i) => i / 7));
    output.features[3].properties.state = -0; // a model's own value (JSON has no -0)
    const packed = packVectorValues(output, geometryKey(input))!;
    expect(vectorValueArrays(packed)).toHaveLength(1);
    const back = unpackVectorValues({ ...output, features: [] }, packed, input)!;
    expect(back.features.map((f) => f.properties.state)).toEqual(output.features.map((f) => f.properties.state));
    expect(Object.is(back.features[3].properties.state, -0)).toBe(true);
  });

  it('refuses other cells', () => {
    const input = parse(grid(4, () => 0));
    const other = parse(grid(5, () => 0));
    expect(packVectorValues(other, geometryKey(input))).toBeNull();
    const packed = packVectorValues(input, geometryKey(input))!;
    expect(unpackVectorValues({ ...input, features: [] }, packed, other)).toBeNull();
  });
});
