import { describe, expect, it } from 'vitest';
import type { GeoJSONGeometry, VectorDataset } from '../sim/dataset.ts';
import { buildVectorMesh, featureAt, MESH_MIN_FEATURES, meshable, meshBuffers, meshOf, mercatorX, mercatorY } from './vector-mesh.ts';

const square = (x: number, y: number, d: number): GeoJSONGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

/** n × n squares of 0.01° from (10°, 20°), row-major from the south. */
const grid = (n: number) => Array.from({ length: n * n }, (_, i) => square(10 + (i % n) * 0.01, 20 + Math.floor(i / n) * 0.01, 0.01));

const at = (mesh: ReturnType<typeof buildVectorMesh>, lng: number, lat: number) => featureAt(mesh, mercatorX(lng), mercatorY(lat));

describe('buildVectorMesh', () => {
  it('makes two triangles and four edges per square, the ring closing vertex dropped', () => {
    const m = buildVectorMesh(grid(3), [10.015, 20.015]);
    expect(m.count).toBe(9);
    expect(m.positions.length).toBe(9 * 4 * 2);
    expect(m.triangles.length).toBe(9 * 2 * 3);
    expect(m.edges.length).toBe(9 * 4 * 2);
    expect(Array.from(m.features.slice(0, 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(m.featureRings)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Offsets from the origin are small: Float32 keeps them exact enough.
    for (const v of m.positions) expect(Math.abs(v)).toBeLessThan(1e-4);
  });

  it('finds the feature under a point through its grid index, and none outside', () => {
    const m = buildVectorMesh(grid(10), [10.05, 20.05]);
    expect(at(m, 10.005, 20.005)).toBe(0);
    expect(at(m, 10.095, 20.005)).toBe(9);
    expect(at(m, 10.035, 20.075)).toBe(73);
    expect(at(m, 9.99, 20.005)).toBe(-1);
    expect(at(m, 10.05, 20.2)).toBe(-1);
  });

  it('knows holes and the parts of a MultiPolygon', () => {
    const holed: GeoJSONGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ],
        [
          [1, 1],
          [1, 3],
          [3, 3],
          [3, 1],
          [1, 1],
        ],
      ],
    };
    const multi: GeoJSONGeometry = {
      type: 'MultiPolygon',
      coordinates: [square(10, 0, 1).coordinates as never, square(12, 0, 1).coordinates as never],
    };
    const m = buildVectorMesh([holed, null, multi], [5, 2]);
    expect(at(m, 0.5, 0.5)).toBe(0);
    expect(at(m, 2, 2)).toBe(-1);
    expect(at(m, 10.5, 0.5)).toBe(2);
    expect(at(m, 12.5, 0.5)).toBe(2);
    expect(at(m, 11.5, 0.5)).toBe(-1);
    expect(m.triangles.length).toBe((8 + 2 + 2) * 3);
    expect(m.featureRings[1]).toBe(m.featureRings[2]);
  });

  it('hands over every buffer once', () => {
    const m = buildVectorMesh(grid(2), [10.01, 20.01]);
    const buffers = meshBuffers(m);
    expect(new Set(buffers).size).toBe(buffers.length);
  });
});

describe('meshOf', () => {
  const ds = (geometries: GeoJSONGeometry[]): VectorDataset =>
    ({
      kind: 'vector',
      epsg: 4326,
      crsWkt: null,
      columns: ['v'],
      features: geometries.map((geometry, i) => ({ id: i, geometry, properties: { v: i } })),
    }) as unknown as VectorDataset;

  it('is made for enough polygons only', () => {
    expect(meshOf(ds(grid(10)))).toBeNull();
    const n = Math.ceil(Math.sqrt(MESH_MIN_FEATURES));
    const m = meshOf(ds(grid(n)));
    expect(m?.count).toBe(n * n);
    // The placement comes with it (the page does not place the layer again).
    expect(m?.bounds).toEqual([10, 20, 10 + n * 0.01, 20 + n * 0.01].map((v) => expect.closeTo(v, 9)));
    expect(m?.note).toBeNull();
    expect(meshable([...grid(n), { type: 'Point', coordinates: [0, 0] }])).toBe(false);
  });
});
