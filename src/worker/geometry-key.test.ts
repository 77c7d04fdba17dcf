import { describe, expect, it } from 'vitest';
import type { VectorDataset, VectorFeature } from '../sim/dataset.ts';
import { geometryKey } from './geometry-key.ts';

const cell = (r: number, c: number, state: number): VectorFeature => ({
  id: `${r}-${c}`,
  properties: { state },
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
});

function grid(n: number, state: (r: number, c: number) => number, epsg: number | null = 31983): VectorDataset {
  const features: VectorFeature[] = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) features.push(cell(r, c, state(r, c)));
  return { kind: 'vector', features, columns: ['state'], epsg } as VectorDataset;
}

describe('geometryKey', () => {
  it('is the same for a run’s input and its output on the same cells, whatever their values', () => {
    const input = grid(20, (r, c) => (r + c) % 2);
    const output = grid(20, (r) => r % 3);
    expect(geometryKey(output)).toBe(geometryKey(input));
  });

  it('differs when one vertex moves, a cell is missing or the CRS changes', () => {
    const base = grid(20, () => 0);
    const moved = grid(20, () => 0);
    const ring = (moved.features[137].geometry as { coordinates: number[][][] }).coordinates[0];
    ring[2] = [ring[2][0] + 1e-9, ring[2][1]];
    const fewer = { ...base, features: base.features.slice(1) };
    const otherCrs = grid(20, () => 0, 4326);
    const keys = [base, moved, fewer, otherCrs].map(geometryKey);
    expect(new Set(keys).size).toBe(4);
  });
});
