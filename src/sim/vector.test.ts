import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../executor/errors.ts';
import { readGeoJson } from '../io/geojson.ts';
import type { GeoJSONGeometry, Position, VectorDataset, VectorFeature } from './dataset.ts';
import {
  buildNeighborhood,
  gridIndexOfRasterCell,
  gridOrderToRaster,
  neighborhoodFromLists,
  neighborsOf,
  parseIdx,
  rasterIndexOfIds,
  rasterToGridOrder,
  VectorGrid,
  vectorGrid,
  type Neighborhood,
} from './vector.ts';

const reference = (name: string) => new URL(`../../tests/reference/${name}`, import.meta.url);
const semantics = JSON.parse(readFileSync(reference('framework_semantics.json'), 'utf8'));

/** CSR invariants: offsets monotone, lists sorted ascending, no self, symmetric. */
function checkCsr(nb: Neighborhood): void {
  expect(nb.offsets.length).toBe(nb.size + 1);
  expect(nb.offsets[0]).toBe(0);
  expect(nb.offsets[nb.size]).toBe(nb.neighbors.length);
  const pairs = new Set<string>();
  for (let i = 0; i < nb.size; i++) {
    const l = neighborsOf(nb, i);
    for (let k = 0; k < l.length; k++) {
      if (k > 0 && !(l[k] > l[k - 1])) throw new Error(`list of ${i} not strictly ascending`);
      if (l[k] === i) throw new Error(`${i} is its own neighbour`);
      if (l[k] < 0 || l[k] >= nb.size) throw new Error(`bad index ${l[k]}`);
      pairs.add(`${i},${l[k]}`);
    }
  }
  for (const p of pairs) {
    const [a, b] = p.split(',');
    if (!pairs.has(`${b},${a}`)) throw new Error(`not symmetric: ${p}`);
  }
}

/** Neighbour sets by id, each sorted. */
function byId(ids: readonly string[], nb: Neighborhood): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  ids.forEach((id, i) => (out[id] = Array.from(neighborsOf(nb, i), (j) => ids[j]).sort()));
  return out;
}

const sortedLists = (o: Record<string, string[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));

function histogram(nb: Neighborhood): Record<number, number> {
  const h: Record<number, number> = {};
  for (let i = 0; i < nb.size; i++) {
    const d = nb.offsets[i + 1] - nb.offsets[i];
    h[d] = (h[d] ?? 0) + 1;
  }
  return h;
}

const box = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
  [x1, y0],
];
const feature = (id: string, geometry: GeoJSONGeometry, properties: VectorFeature['properties'] = {}): VectorFeature => ({
  id,
  geometry,
  properties,
});
const dataset = (features: VectorFeature[], columns: string[] = []): VectorDataset => ({ kind: 'vector', features, columns, epsg: null });

describe('vectorGrid (DisSModel vector_grid)', () => {
  it('matches vector_grid(dimension=(3, 2), resolution=1): ids in column-major order and bounds', () => {
    const expected = semantics.vector_grid_dimension_3x2_res1.rows_in_index_order as Array<{ id: string; bounds: number[] }>;
    const ds = vectorGrid({ cols: 3, rows: 2, resolution: 1 });
    expect(ds.features.map((f) => f.id)).toEqual(expected.map((e) => e.id));
    ds.features.forEach((f, i) => {
      const ring = (f.geometry as { coordinates: Position[][] }).coordinates[0];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      expect([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]).toEqual(expected[i].bounds);
    });
  });

  it('writes shapely box rings, replicates attrs, carries the EPSG code', () => {
    const ds = vectorGrid({ cols: 2, rows: 2, resolution: 10, originX: 100, originY: 200, attrs: { state: 0, name: 'x' }, epsg: 31984 });
    expect(ds.features[0].geometry).toEqual({ type: 'Polygon', coordinates: [box(100, 200, 110, 210)] });
    expect(ds.features[1].id).toBe('1-0');
    expect(ds.features[1].geometry).toEqual({ type: 'Polygon', coordinates: [box(100, 210, 110, 220)] });
    expect(ds.columns).toEqual(['state', 'name']);
    expect(ds.features.every((f) => f.properties.state === 0 && f.properties.name === 'x')).toBe(true);
    expect(ds.epsg).toBe(31984);
  });

  it('places cells as numpy arange does (also its extra cell for resolution 0.1), unless told not to', () => {
    // Python: len(np.arange(0, 3 * 0.1, 0.1)) == 4.
    expect(vectorGrid({ cols: 3, rows: 1, resolution: 0.1 }).features.length).toBe(4);
    expect(vectorGrid({ cols: 3, rows: 1, resolution: 0.1, pythonArange: false }).features.length).toBe(3);
    const b = vectorGrid({ bounds: [0, 0, 10, 5], resolution: 2.5 });
    expect(b.features.length).toBe(4 * 2);
    const d = vectorGrid({ bounds: [0, 0, 10, 5], cols: 5, rows: 5 });
    expect(d.features.length).toBe(25);
    expect(d.features[1].geometry).toEqual({ type: 'Polygon', coordinates: [box(0, 1, 2, 2)] });
    expect(() => vectorGrid({ cols: 0, rows: 1, resolution: 1 })).toThrow(InputError);
    expect(() => vectorGrid({ cols: 2, rows: 1 })).toThrow(InputError);
  });

  it('Queen and Rook on 3×3 are libpysal’s sets', () => {
    const ds = vectorGrid({ cols: 3, rows: 3, resolution: 1 });
    const ids = ds.features.map((f) => String(f.id));
    for (const verticesOnly of [false, true]) {
      const queen = buildNeighborhood(ds, 'queen', { verticesOnly });
      const rook = buildNeighborhood(ds, 'rook', { verticesOnly });
      checkCsr(queen);
      checkCsr(rook);
      expect(byId(ids, queen)).toEqual(sortedLists(semantics.libpysal_3x3.queen));
      expect(byId(ids, rook)).toEqual(sortedLists(semantics.libpysal_3x3.rook));
    }
  });

  it('a 150×150 grid has the Moore / von Neumann degree histogram', () => {
    const n = 150;
    const g = new VectorGrid(vectorGrid({ cols: n, rows: n, resolution: 30, originX: 5e5, originY: 9.7e6 }));
    const queen = g.neighborhood('queen');
    const rook = g.neighborhood('rook');
    expect(histogram(queen)).toEqual({ 3: 4, 5: 4 * (n - 2), 8: (n - 2) ** 2 });
    expect(histogram(rook)).toEqual({ 2: 4, 3: 4 * (n - 2), 4: (n - 2) ** 2 });
    // cell k = col * rows + row: interior cell (row 5, col 7)
    const k = 7 * n + 5;
    expect(Array.from(g.neighborsOf(k, 'rook'))).toEqual([6 * n + 5, k - 1, k + 1, 8 * n + 5]);
  });
});

describe('neighbourhoods of irregular layers', () => {
  // A: wide bottom box; B and C sit on it (their shared corner (1,1) is a T-junction on A's top edge);
  // D touches A's bottom edge with one vertex; E is a multipolygon: a box sharing A's right edge
  // and a far box sharing an edge with F; G's left edge overlaps E's right edge collinearly
  // (each edge split by a vertex of the other); H has a hole filled exactly by I.
  const layer = dataset([
    feature('A', { type: 'Polygon', coordinates: [box(0, 0, 2, 1)] }),
    feature('B', { type: 'Polygon', coordinates: [box(0, 1, 1, 2)] }),
    feature('C', { type: 'Polygon', coordinates: [box(1, 1, 2, 2)] }),
    feature('D', {
      type: 'Polygon',
      coordinates: [
        [
          [0.5, 0],
          [1, -1],
          [0, -1],
          [0.5, 0],
        ],
      ],
    }),
    feature('E', { type: 'MultiPolygon', coordinates: [[box(2, 0, 3, 1)], [box(10, 10, 11, 11)]] }),
    feature('F', { type: 'Polygon', coordinates: [box(11, 10, 12, 11)] }),
    feature('G', { type: 'Polygon', coordinates: [box(3, 0.5, 4, 1.5)] }),
    feature('H', { type: 'Polygon', coordinates: [box(20, 0, 23, 3), box(21, 1, 22, 2).reverse()] }),
    feature('I', { type: 'Polygon', coordinates: [box(21, 1, 22, 2)] }),
  ]);
  const ids = layer.features.map((f) => String(f.id));

  it('queen counts shared vertices and vertices lying on edges', () => {
    const nb = buildNeighborhood(layer, 'queen');
    checkCsr(nb);
    expect(byId(ids, nb)).toEqual({
      A: ['B', 'C', 'D', 'E'],
      B: ['A', 'C'],
      C: ['A', 'B', 'E'],
      D: ['A'],
      E: ['A', 'C', 'F', 'G'],
      F: ['E'],
      G: ['E'],
      H: ['I'],
      I: ['H'],
    });
  });

  it('rook counts shared edges, also split or overlapping ones', () => {
    const nb = buildNeighborhood(layer, 'rook');
    checkCsr(nb);
    expect(byId(ids, nb)).toEqual({
      A: ['B', 'C', 'E'],
      B: ['A', 'C'],
      C: ['A', 'B'],
      D: [],
      E: ['A', 'F', 'G'],
      F: ['E'],
      G: ['E'],
      H: ['I'],
      I: ['H'],
    });
  });

  it('verticesOnly is libpysal’s exact-vertex rule', () => {
    const q = buildNeighborhood(layer, 'queen', { verticesOnly: true });
    const r = buildNeighborhood(layer, 'rook', { verticesOnly: true });
    checkCsr(q);
    checkCsr(r);
    expect(byId(ids, q)).toEqual({
      A: ['B', 'C', 'E'],
      B: ['A', 'C'],
      C: ['A', 'B', 'E'],
      D: [],
      E: ['A', 'C', 'F'],
      F: ['E'],
      G: [],
      H: ['I'],
      I: ['H'],
    });
    expect(byId(ids, r)).toEqual({ A: ['E'], B: ['C'], C: ['B'], D: [], E: ['A', 'F'], F: ['E'], G: [], H: ['I'], I: ['H'] });
  });

  it('merges coordinates within the tolerance and not beyond it', () => {
    const eps = 1e-12;
    const l = dataset([
      feature('a', { type: 'Polygon', coordinates: [box(0, 0, 1, 1)] }),
      feature('b', { type: 'Polygon', coordinates: [box(1 + eps, 0, 2, 1 - eps)] }),
      feature('c', { type: 'Polygon', coordinates: [box(2 + 1e-3, 0, 3, 1)] }),
    ]);
    const nb = buildNeighborhood(l, 'rook');
    expect(byId(['a', 'b', 'c'], nb)).toEqual({ a: ['b'], b: ['a'], c: [] });
    const loose = buildNeighborhood(l, 'rook', { tolerance: 1e-3 });
    expect(byId(['a', 'b', 'c'], loose)).toEqual({ a: ['b'], b: ['a', 'c'], c: ['b'] });
  });

  it('does not depend on feature order or tiny coordinate noise (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.boolean(),
        (cols, rows, res, origin, seed, rook) => {
          const ds = vectorGrid({ cols, rows, resolution: res, originX: origin, originY: -origin, pythonArange: false });
          const n = ds.features.length;
          // Deterministic shuffle and jitter from the seed.
          let s = seed >>> 0;
          const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
          const perm = Array.from({ length: n }, (_, i) => i);
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(rnd() * (i + 1));
            [perm[i], perm[j]] = [perm[j], perm[i]];
          }
          const extent = Math.max(cols, rows) * res;
          const jitter = (v: number) => v + (rnd() - 0.5) * (1e-12 * extent + 1e-15 * Math.abs(v));
          const shuffled = dataset(
            perm.map((k) => {
              const f = ds.features[k];
              const ring = (f.geometry as { coordinates: Position[][] }).coordinates[0].map((p) => [jitter(p[0]), jitter(p[1])]);
              ring[4] = [...ring[0]];
              return feature(String(f.id), { type: 'Polygon', coordinates: [ring] });
            }),
          );
          const nb = buildNeighborhood(shuffled, rook ? 'rook' : 'queen');
          checkCsr(nb);
          const ids = shuffled.features.map((f) => String(f.id));
          const got = byId(ids, nb);
          for (const id of ids) {
            const { row, col } = parseIdx(id)!;
            const expected: string[] = [];
            for (let dr = -1; dr <= 1; dr++) {
              for (let dc = -1; dc <= 1; dc++) {
                if ((dr === 0 && dc === 0) || (rook && dr !== 0 && dc !== 0)) continue;
                const r = row + dr;
                const c = col + dc;
                if (r >= 0 && r < rows && c >= 0 && c < cols) expected.push(`${r}-${c}`);
              }
            }
            expect(got[id]).toEqual(expected.sort());
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('custom lists (neighbors_dict) become a symmetric CSR; unknown ids are refused', () => {
    const nb = neighborhoodFromLists(['x', 'y', 'z'], { x: ['y'], z: ['y', 'z'] });
    checkCsr(nb);
    expect(byId(['x', 'y', 'z'], nb)).toEqual({ x: ['y'], y: ['x', 'z'], z: ['y'] });
    expect(() => neighborhoodFromLists(['x'], { x: ['q'] })).toThrow(InputError);
  });

  it('reports bad geometry as an InputError', () => {
    const bad = dataset([
      feature('a', {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, NaN],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    ]);
    expect(() => buildNeighborhood(bad, 'queen')).toThrow(InputError);
  });
});

describe('coast_10x14.geojson', () => {
  const ds = readGeoJson(new Uint8Array(readFileSync(reference('inputs/coast_10x14.geojson'))));

  it('is 140 cells with uso, alt, solo, state', () => {
    expect(ds.features.length).toBe(140);
    expect(ds.epsg).toBe(31984);
    for (const c of ['uso', 'alt', 'solo', 'state']) expect(ds.columns).toContain(c);
  });

  it('queen: 4 corners with 3, 40 edge cells with 5, 96 interior cells with 8; neighbours are the Moore cells', () => {
    const g = new VectorGrid(ds);
    const nb = g.neighborhood('queen');
    checkCsr(nb);
    expect(histogram(nb)).toEqual({ 3: 4, 5: 40, 8: 96 });
    const row = g.column('row');
    const col = g.column('col');
    for (let i = 0; i < g.size; i++) {
      for (const j of g.neighborsOf(i)) {
        expect(Math.max(Math.abs(row[i] - row[j]), Math.abs(col[i] - col[j]))).toBe(1);
      }
    }
    expect(histogram(g.neighborhood('rook'))).toEqual({ 2: 4, 3: 40, 4: 96 });
    // No id column: ids are the feature indices, as the RangeIndex geopandas gives.
    expect(g.ids.slice(0, 3)).toEqual(['0', '1', '2']);
  });
});

describe('VectorGrid', () => {
  it('takes ids from feature id, then properties.id, then properties.idx, else the index', () => {
    const geom: GeoJSONGeometry = { type: 'Point', coordinates: [0, 0] };
    const f = (id: string | number | null, properties: VectorFeature['properties']): VectorFeature => ({ id, geometry: geom, properties });
    expect(new VectorGrid(dataset([f('a', { id: 'p' }), f(7, { id: 'q' })])).ids).toEqual(['a', '7']);
    expect(new VectorGrid(dataset([f(null, { id: 'p', idx: 1 }), f(null, { id: 'q', idx: 2 })])).ids).toEqual(['p', 'q']);
    expect(new VectorGrid(dataset([f(null, { id: 'p', idx: 1 }), f(null, { id: 'p', idx: 2 })])).ids).toEqual(['1', '2']);
    expect(new VectorGrid(dataset([f('a', {}), f('a', {})])).ids).toEqual(['0', '1']);
  });

  it('keeps numeric columns as Float64Array and everything else as is', () => {
    const ds = vectorGrid({ cols: 2, rows: 1, resolution: 1, attrs: { state: 1, label: 'x', flag: true } });
    ds.features[1].properties.state = null;
    const g = new VectorGrid(ds);
    expect(g.hasColumn('state')).toBe(true);
    expect(Array.from(g.column('state'))).toEqual([1, NaN]);
    expect(() => g.column('label')).toThrow(InputError);
    expect(() => g.column('nope')).toThrow(/Columns: state, label, flag/);
    expect(g.values('label')).toEqual(['x', 'x']);
    g.column('state')[1] = 5;
    g.setColumn('alt', [0.5, -0.25]);
    g.addColumn('count', 2);
    g.setColumn('label', [3, 4]); // a text column replaced by numbers keeps its place
    expect(g.columnNames).toEqual(['state', 'label', 'flag', 'alt', 'count']);
    expect(() => g.setColumn('x', [1])).toThrow(InputError);
    const out = g.toDataset();
    expect(out.columns).toEqual(['state', 'label', 'flag', 'alt', 'count']);
    expect({ ...out.features[1].properties }).toEqual({ state: 5, label: 4, flag: true, alt: -0.25, count: 2 });
    expect(out.features[0].id).toBe('0-0');
    expect(g.indexOf('0-1')).toBe(1);
    expect(g.indexOf('9-9')).toBe(-1);
    expect(g.neighborhood('queen')).toBe(g.neighborhood('queen'));
    expect(Array.from(g.neighborsOf(0))).toEqual([1]);
  });
});

describe('raster ⇔ vector-grid order', () => {
  // A 2-row × 3-col raster, row 0 at the TOP:  [[a b c], [d e f]].
  const raster = [1, 2, 3, 4, 5, 6];
  const rows = 2;
  const cols = 3;
  const grid = vectorGrid({ cols, rows, resolution: 1 });
  const ids = grid.features.map((f) => String(f.id)); // 0-0, 1-0, 0-1, 1-1, 0-2, 1-2 (row 0 at the BOTTOM)

  it('maps raster (r from top, c) to feature c * rows + (rows - 1 - r)', () => {
    const g = rasterToGridOrder(raster, rows, cols);
    expect(Array.from(g)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(Array.from(gridOrderToRaster(g, rows, cols))).toEqual(raster);
    expect(gridIndexOfRasterCell(0, 0, rows)).toBe(1);
    expect(ids[gridIndexOfRasterCell(0, 0, rows)]).toBe('1-0');
    // The bottom-left raster cell is vector_grid's "0-0".
    expect(ids[gridIndexOfRasterCell(rows - 1, 0, rows)]).toBe('0-0');
  });

  it('agrees with the ids, also for any feature order; typed outputs are filled in place', () => {
    const idx = rasterIndexOfIds(ids, rows, cols);
    const g = rasterToGridOrder(raster, rows, cols, new Int16Array(6));
    ids.forEach((_, k) => expect(g[k]).toBe(raster[idx[k]]));
    // The cell at raster (r, c) lies at y from (rows - 1 - r) to (rows - r): geometry agrees too.
    grid.features.forEach((f, k) => {
      const ring = (f.geometry as { coordinates: Position[][] }).coordinates[0];
      const ymin = Math.min(...ring.map((p) => p[1]));
      const xmin = Math.min(...ring.map((p) => p[0]));
      expect(idx[k]).toBe((rows - 1 - ymin) * cols + xmin);
    });
    expect(Array.from(rasterIndexOfIds(['1-2', '0-0'], rows, cols))).toEqual([2, 3]);
    expect(() => rasterIndexOfIds(['2-0'], rows, cols)).toThrow(InputError);
    expect(() => rasterIndexOfIds(['0-0', '0-0'], rows, cols)).toThrow(InputError);
    expect(() => rasterIndexOfIds(['x'], rows, cols)).toThrow(InputError);
    expect(() => rasterToGridOrder([1], rows, cols)).toThrow(InputError);
  });

  it('fill(data, seed) in index order lands as the reference says (gol_vector_initialize_seed42)', () => {
    const ref = JSON.parse(readFileSync(reference('gol_vector_initialize_seed42.json'), 'utf8'));
    const g8 = vectorGrid({ cols: 8, rows: 8, resolution: 1 });
    expect(g8.features.map((f) => f.id)).toEqual(ref.index_order);
    const state = ref.initial_state_in_index_order as number[];
    const r = gridOrderToRaster(state, 8, 8);
    // initial_state_by_id: id "row-col" with row 0 at the bottom ⇒ raster row 7 - row.
    for (const [id, v] of Object.entries(ref.initial_state_by_id as Record<string, number>)) {
      const { row, col } = parseIdx(id)!;
      expect(r[(7 - row) * 8 + col]).toBe(v);
    }
  });
});
