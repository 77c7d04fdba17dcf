/**
 * Building a neighbourhood does bounded work whatever the geometry: layers whose cells
 * touch densely (thousands of cells at one vertex, polygons overlapping along one line)
 * are refused with a LimitError before the quadratic work is done, while dense-but-small
 * layouts still get exact neighbours (the long shared line is sorted, not insertion-sorted).
 */
import { describe, expect, it } from 'vitest';
import { LimitError } from '../src/executor/errors.ts';
import type { VectorDataset, VectorFeature } from '../src/sim/dataset.ts';
import { buildNeighborhood, MAX_NEIGHBOR_LINKS, neighborsOf } from '../src/sim/vector.ts';

const polygon = (ring: number[][]): VectorFeature => ({ id: null, geometry: { type: 'Polygon', coordinates: [ring] }, properties: {} });
const layer = (features: VectorFeature[]): VectorDataset => ({ kind: 'vector', features, columns: [], epsg: null });

/** n thin triangles around the origin, each sharing the centre and its edges with the next. */
function pinwheel(n: number): VectorDataset {
  const at = (k: number) => [Math.cos((2 * Math.PI * k) / n) * 1000, Math.sin((2 * Math.PI * k) / n) * 1000];
  return layer(Array.from({ length: n }, (_, k) => polygon([[0, 0], at(k), at(k + 1), [0, 0]])));
}

/** n rectangles [i·step, i·step + w] × [0, 1]: all overlap along the lines y = 0 and y = 1. */
function overlappingStrips(n: number, step: number, w: number): VectorDataset {
  return layer(
    Array.from({ length: n }, (_, i) =>
      polygon([
        [i * step, 0],
        [i * step + w, 0],
        [i * step + w, 1],
        [i * step, 1],
        [i * step, 0],
      ]),
    ),
  );
}

const refusal = (fn: () => unknown): Error | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e as Error;
  }
};

describe('neighbourhood builds on dense adjacency', () => {
  it('the limit is the documented one', () => {
    expect(MAX_NEIGHBOR_LINKS).toBe(32_000_000);
  });

  it('20,000 triangles sharing one vertex (queen): refused, naming the cause', () => {
    const e = refusal(() => buildNeighborhood(pinwheel(20_000), 'queen'));
    expect(e).toBeInstanceOf(LimitError);
    expect(e?.message).toMatch(/cells touch too densely to build a neighbourhood: cell pairs sharing a point or an edge/);
    expect(e?.message).toMatch(/many cells meeting at one point/);
  });

  it('the same pinwheel with rook (edges only) is a ring: each triangle has its two neighbours', () => {
    const nb = buildNeighborhood(pinwheel(2_000), 'rook');
    expect(Array.from(neighborsOf(nb, 0))).toEqual([1, 1999]);
    expect(Array.from(neighborsOf(nb, 1000))).toEqual([999, 1001]);
  });

  it('1,000 rectangles overlapping along two lines: refused (queen and rook)', () => {
    const strips = overlappingStrips(1000, 0.5, 100);
    for (const kind of ['queen', 'rook'] as const) {
      const e = refusal(() => buildNeighborhood(strips, kind));
      expect(e, kind).toBeInstanceOf(LimitError);
      expect(e?.message).toMatch(/touch too densely/);
    }
  });

  it('60 rectangles overlapping along a line (under the limit): every pair shares an edge piece', () => {
    const n = 60;
    const nb = buildNeighborhood(overlappingStrips(n, 1, 1000), 'rook');
    for (const i of [0, 17, n - 1]) {
      expect(Array.from(neighborsOf(nb, i))).toEqual(Array.from({ length: n }, (_, j) => j).filter((j) => j !== i));
    }
  });
});
