import { describe, expect, it } from 'vitest';
import { CellGrid } from './agent-grid.ts';
import { Agents } from './agents.ts';
import { pointBufferRing, ringCovers } from './point-buffer.ts';
import { NumpyRandomState } from './random.ts';
import { gccSort, StrTree } from './str-tree-order.ts';

/** Keys from an LCG (s = s·1103515245 + 12345, key = (s >> 16) % 5, s0 = 12345 + n) and g++ 12's std::sort of their tags by key. */
function lcgKeys(n: number): number[] {
  let s = (12345 + n) >>> 0;
  const keys: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    keys.push((s >>> 16) % 5);
  }
  return keys;
}
const GCC_SORTED: Record<number, number[]> = {
  10: [5, 0, 7, 8, 2, 6, 9, 4, 1, 3],
  17: [1, 8, 6, 4, 3, 12, 16, 7, 0, 13, 9, 10, 15, 5, 2, 11, 14],
  40: [
    25, 16, 30, 14, 13, 27, 33, 9, 8, 36, 38, 23, 5, 3, 29, 22, 0, 31, 7, 6, 39, 28, 20, 34, 26, 24, 21, 15, 10, 19, 18, 17, 12, 32, 11, 35,
    4, 37, 2, 1,
  ],
  100: [
    0, 28, 29, 26, 94, 51, 55, 17, 57, 60, 70, 86, 1, 3, 80, 72, 8, 75, 56, 77, 58, 48, 93, 43, 83, 32, 74, 84, 87, 27, 19, 20, 7, 6, 5, 4,
    9, 65, 63, 15, 10, 54, 89, 73, 82, 25, 2, 39, 24, 37, 85, 22, 40, 41, 42, 23, 34, 45, 30, 71, 11, 69, 68, 67, 66, 76, 12, 61, 13, 88,
    16, 98, 64, 97, 96, 21, 47, 44, 38, 95, 99, 92, 91, 90, 81, 79, 78, 62, 59, 53, 52, 50, 49, 46, 36, 35, 33, 31, 18, 14,
  ],
};

describe('gccSort: libstdc++ std::sort, ties included', () => {
  it.each([10, 17, 40, 100])('leaves %i records with 5 distinct keys where g++ 12 -O2 leaves them', (n) => {
    const keys = lcgKeys(n);
    const tags = keys.map((_, i) => i);
    gccSort(tags, (a, b) => keys[a] < keys[b]);
    expect(tags).toEqual(GCC_SORTED[n]);
    // and it is a sort: keys ascend
    for (let i = 1; i < n; i++) expect(keys[tags[i - 1]]).toBeLessThanOrEqual(keys[tags[i]]);
  });

  it('a sorted or reversed run of any length comes out sorted', () => {
    for (const n of [0, 1, 2, 16, 17, 300]) {
      const a = Array.from({ length: n }, (_, i) => n - i);
      gccSort(a, (p, q) => p < q);
      expect(a).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }
  });
});

describe('StrTree: the spatial index order of geopandas 0.12 (rtree bulk load)', () => {
  it('up to 70 points form one leaf: a query lists them by x', () => {
    const xs = [5, 1, 3, 2, 4];
    const tree = new StrTree(xs.map((x) => [x, 0, x, 0] as const));
    expect(tree.query([0, -1, 10, 1])).toEqual([1, 3, 2, 4, 0]);
    expect(tree.query([2, -1, 3, 1])).toEqual([3, 2]); // touching boxes count
  });

  it('more than 70 points: every intersecting point is found once', () => {
    const boxes = Array.from({ length: 500 }, (_, i) => [(i * 37) % 101, (i * 53) % 97, (i * 37) % 101, (i * 53) % 97] as const);
    const tree = new StrTree(boxes);
    const q = [10, 20, 60, 70] as const;
    const found = tree.query(q);
    const expected = boxes.flatMap((b, i) => (b[0] >= 10 && b[0] <= 60 && b[1] >= 20 && b[1] <= 70 ? [i] : []));
    expect([...found].sort((a, b) => a - b)).toEqual(expected);
  });
});

describe('point buffer: the 64-gon of shapely’s buffer(r)', () => {
  const ring = pointBufferRing(0, 0, 1.5);
  it('has 64 vertices on the circle, the first at (x + r, y)', () => {
    expect(ring.length).toBe(2 * 65);
    expect([ring[0], ring[1]]).toEqual([1.5, 0]);
    for (let k = 0; k < 64; k++) expect(Math.hypot(ring[2 * k], ring[2 * k + 1])).toBeCloseTo(1.5, 14);
  });

  it('covers its vertices and the centre, misses a point between polygon and circle', () => {
    expect(ringCovers(ring, 1.5, 0)).toBe(true);
    expect(ringCovers(ring, 0, 0)).toBe(true);
    const a = Math.PI / 64; // halfway between two vertices: the chord is at r·cos(π/64) ≈ 1.49819
    expect(ringCovers(ring, 1.4999 * Math.cos(a), 1.4999 * Math.sin(a))).toBe(false);
    expect(ringCovers(ring, 1.498 * Math.cos(a), 1.498 * Math.sin(a))).toBe(true);
    expect(ringCovers(ring, 2, 0)).toBe(false);
  });
});

describe('Agents', () => {
  it('a newborn gets max(id) + 1, so a dead highest id is reused; order is kept on removal', () => {
    const a = new Agents(['energy']);
    for (let i = 0; i < 4; i++) a.add(i, i, { energy: 10 });
    expect(Array.from(a.ids)).toEqual([0, 1, 2, 3]);
    a.removeIds(new Set([3, 1]));
    expect(Array.from(a.ids)).toEqual([0, 2]);
    const child = a.reproduce(0, { energy: 5 });
    expect(a.ids[child]).toBe(3);
    expect([a.x[child], a.column('energy')[child]]).toEqual([0, 5]);
    expect(Array.from(a.ids)).toEqual([0, 2, 3]);
    expect(() => a.column('age')).toThrow(/no attribute 'age'/);
  });

  it('walkAll draws all dx then all dy; walkEach dx, dy per agent; both clip to the bounds', () => {
    const mk = () => {
      const a = new Agents([]);
      a.add(0, 0);
      a.add(10, 10);
      return a;
    };
    const u = new NumpyRandomState(5);
    const draws = Array.from({ length: 4 }, () => -1 + 2 * u.randomSample());
    const all = mk();
    all.walkAll(new NumpyRandomState(5), 1, [0, 0, 10, 10]);
    expect(Array.from(all.x)).toEqual([Math.max(0, draws[0]), Math.min(10, 10 + draws[1])]);
    expect(Array.from(all.y)).toEqual([Math.max(0, draws[2]), Math.min(10, 10 + draws[3])]);
    const each = mk();
    each.walkEach(new NumpyRandomState(5), 1);
    expect(Array.from(each.x)).toEqual([draws[0], 10 + draws[2]]);
    expect(Array.from(each.y)).toEqual([draws[1], 10 + draws[3]]);
  });

  it('neighborsWithin: inside the 64-gon and within the radius, itself excluded, in index order', () => {
    const a = new Agents([]);
    a.add(0, 0);
    a.add(1, 0); // inside
    a.add(-1, 0.1); // inside, smaller x: listed first
    const t = Math.PI / 64;
    a.add(1.4999 * Math.cos(t), 1.4999 * Math.sin(t)); // closer than 1.5, outside the 64-gon
    a.add(3, 0);
    expect(a.neighborsWithin(0, 1.5)).toEqual([2, 1]);
    expect(a.neighborsWithin(1, 1.5)).toEqual([0, 3]);
  });
});

describe('CellGrid: vector_grid’s cells', () => {
  it('orders cells column by column from the bottom, ids "row-col"', () => {
    const g = new CellGrid(3, 2);
    expect(g.ids).toEqual(['0-0', '1-0', '0-1', '1-1', '0-2', '1-2']);
    expect(Array.from(g.neighbours(g.cellOf('0-0')), (k) => g.ids[k])).toEqual(['1-0', '0-1', '1-1']);
    expect(g.neighbours(g.cellOf('1-1')).length).toBe(5);
    expect(() => g.cellOf('2-0')).toThrow(/No cell '2-0' in the 3 × 2 grid/);
  });

  it('draws as a raster with row 0 at the top', () => {
    const g = new CellGrid(3, 2);
    // values = cell order index
    expect(Array.from(g.toRaster([0, 1, 2, 3, 4, 5]))).toEqual([1, 3, 5, 0, 2, 4]);
  });
});
