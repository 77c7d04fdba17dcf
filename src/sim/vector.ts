/**
 * The vector substrate: polygon layers as cells, with attribute columns and
 * neighbourhoods built from the geometry (DisSModel's GeoDataFrame + libpysal W).
 *
 * Conventions
 * - Cell i is feature i of the dataset; feature order is never changed.
 * - Cell ids (`VectorGrid.ids`): the first of these sources that gives every feature a
 *   value and no two features the same one: the GeoJSON feature `id`, else
 *   `properties.id`, else `properties.idx`, else the feature index as a string
 *   ("0", "1", …, as the RangeIndex geopandas gives a file without an index column).
 * - `vectorGrid` reproduces DisSModel's `vector_grid`: ids "row-col" with row 0 at the
 *   BOTTOM (ymin) and rows increasing northwards; features in COLUMN-MAJOR order (x is
 *   the outer loop): k = col * rows + row.
 * - Raster arrays (GeoTIFF bands, the reference vectors' `grid[r][c]`) are ROW-MAJOR
 *   with row 0 at the TOP (north). `rasterToGridOrder` / `gridOrderToRaster` convert:
 *   raster cell (R, C) ⇔ vector-grid cell id `${rows - 1 - R}-${C}` ⇔ feature
 *   k = C * rows + (rows - 1 - R).
 *
 * Neighbourhoods (CSR: `offsets` (n + 1), `neighbors`; each list sorted ascending,
 * no self, symmetric):
 * - queen: the two cells' boundaries share at least one point — a common vertex, or a
 *   vertex of one lying on an edge of the other (T-junction).
 * - rook: the boundaries share a segment of positive length — a common edge, also
 *   when one side's edge is split by vertices of the other (collinear overlap).
 * Coordinates are the same point when they agree within `tolerance × extent`
 * (extent = the larger side of the layer's bounding box; default 1e-9; never below
 * 1e-14 × the largest coordinate magnitude, i.e. a few dozen ulps). With
 * `verticesOnly: true` the build is libpysal's: queen = shared vertices, rook =
 * shared consecutive vertex pairs, no T-junctions.
 * Built with hashing of quantised vertices and a uniform bucket grid, never O(n²).
 */
import { InputError, LimitError } from '../executor/errors.ts';
import type { Position, PropertyValue, VectorDataset, VectorFeature } from './dataset.ts';

export type NeighborhoodKind = 'queen' | 'rook';

export interface Neighborhood {
  readonly kind: NeighborhoodKind | 'custom';
  /** Number of cells. */
  readonly size: number;
  /** Length size + 1; cell i's neighbours are neighbors[offsets[i] .. offsets[i + 1]). */
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
}

export interface NeighborhoodOptions {
  /** Two coordinates closer than tolerance × layer extent are one point. Default 1e-9. */
  tolerance?: number;
  /** libpysal-exact: shared vertices (queen) / shared vertex pairs (rook) only. Default false. */
  verticesOnly?: boolean;
}

export const DEFAULT_TOLERANCE = 1e-9;

/**
 * Most neighbour links a neighbourhood build may make (cell pairs counted once per shared
 * point or edge piece, before duplicates are merged; 4 bytes each), and most T-junctions
 * (vertices lying inside other cells' edges). A cellular space has a handful of neighbours
 * per cell (a 350,000-square grid makes about 4 million); a layer far above this — polygons
 * overlapping along one line, thousands of cells meeting at one vertex — would take
 * quadratic time and memory, and is refused before the work is done.
 */
export const MAX_NEIGHBOR_LINKS = 32_000_000;

function tooDense(what: string, count: number): LimitError {
  return new LimitError(
    `The layer's cells touch too densely to build a neighbourhood: ${what} (${count.toLocaleString('en-US')}, over the limit of ` +
      `${MAX_NEIGHBOR_LINKS.toLocaleString('en-US')}). A cellular space has a few neighbours per cell: check for polygons that ` +
      'overlap or many cells meeting at one point, or give explicit neighbour lists.',
  );
}

/** Neighbours of cell i (a view into the CSR array; do not modify). */
export function neighborsOf(nb: Neighborhood, i: number): Int32Array {
  return nb.neighbors.subarray(nb.offsets[i], nb.offsets[i + 1]);
}

// ---------------------------------------------------------------------------
// Hash table keyed by a pair of int32s, open addressing, linear probing.

class PairHash {
  private cap: number;
  private mask: number;
  /** Interleaved slots [keyA, keyB, value, unused]: one cache line per probe. */
  private tab: Int32Array;
  size = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.tab = PairHash.alloc(cap);
  }

  private static alloc(cap: number): Int32Array {
    const t = new Int32Array(cap * 4);
    for (let i = 2; i < t.length; i += 4) t[i] = -1;
    return t;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x5bd1e995, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h;
  }

  get(a: number, b: number): number {
    const t = this.tab;
    let i = PairHash.hash(a, b) & this.mask;
    for (;;) {
      const o = i << 2;
      const v = t[o + 2];
      if (v < 0) return -1;
      if (t[o] === a && t[o + 1] === b) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** Value of (a, b), inserting `value` if absent. */
  getOrSet(a: number, b: number, value: number): number {
    if ((this.size + 1) * 2 > this.cap) this.grow();
    const t = this.tab;
    let i = PairHash.hash(a, b) & this.mask;
    for (;;) {
      const o = i << 2;
      const v = t[o + 2];
      if (v < 0) {
        t[o] = a;
        t[o + 1] = b;
        t[o + 2] = value;
        this.size++;
        return value;
      }
      if (t[o] === a && t[o + 1] === b) return v;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.tab;
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.tab = PairHash.alloc(this.cap);
    this.size = 0;
    for (let o = 0; o < old.length; o += 4) if (old[o + 2] >= 0) this.getOrSet(old[o], old[o + 1], old[o + 2]);
  }
}

/** A growable Int32 list. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Int32Array(Math.max(4, cap));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

// ---------------------------------------------------------------------------
// Geometry → paths.

interface Paths {
  /** Flat x, y of every path vertex. */
  xy: Float64Array;
  /** Path p spans vertices pathOff[p] .. pathOff[p + 1]. */
  pathOff: Int32Array;
  pathCell: Int32Array;
  /** 1 when the path is a ring (an edge joins its last vertex back to the first). */
  pathRing: Uint8Array;
}

/** Growable Float64 list. */
class FloatList {
  data: Float64Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Float64Array(Math.max(4, cap));
  }
  push2(x: number, y: number): void {
    if (this.length + 2 > this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
    this.data[this.length++] = y;
  }
}

function badGeometry(cell: number, why: string): never {
  throw new InputError(`Feature ${cell}: ${why}; neighbourhoods need valid geometries.`);
}

function collectPaths(features: readonly VectorFeature[]): Paths {
  const xy = new FloatList(features.length * 10 + 16);
  const off = new IntList(features.length + 2);
  const cellOf = new IntList(features.length + 1);
  const ringOf = new IntList(features.length + 1);
  off.push(0);
  const addPath = (coords: readonly Position[], ring: boolean, cell: number) => {
    if (!Array.isArray(coords)) badGeometry(cell, 'coordinates are not an array');
    for (let k = 0; k < coords.length; k++) {
      const pos = coords[k];
      const x = pos[0];
      const y = pos[1];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
        badGeometry(cell, 'a coordinate is not a pair of finite numbers');
      }
      xy.push2(x, y);
    }
    off.push(xy.length >> 1);
    cellOf.push(cell);
    ringOf.push(ring ? 1 : 0);
  };
  for (let cell = 0; cell < features.length; cell++) {
    const f = features[cell];
    const g = f ? f.geometry : null;
    if (!g) badGeometry(cell, 'no geometry');
    switch (g.type) {
      case 'Polygon':
        for (const r of g.coordinates) addPath(r, true, cell);
        break;
      case 'MultiPolygon':
        for (const poly of g.coordinates) for (const r of poly) addPath(r, true, cell);
        break;
      case 'LineString':
        addPath(g.coordinates, false, cell);
        break;
      case 'MultiLineString':
        for (const l of g.coordinates) addPath(l, false, cell);
        break;
      case 'Point':
        addPath([g.coordinates], false, cell);
        break;
      case 'MultiPoint':
        for (const pt of g.coordinates) addPath([pt], false, cell);
        break;
      default:
        badGeometry(cell, `unsupported geometry type '${String((g as { type: unknown }).type)}'`);
    }
  }
  return {
    xy: xy.data.subarray(0, xy.length),
    pathOff: off.data.subarray(0, off.length),
    pathCell: cellOf.data.subarray(0, cellOf.length),
    pathRing: Uint8Array.from(ringOf.data.subarray(0, ringOf.length)),
  };
}

// ---------------------------------------------------------------------------
// Topology: unique points, queen incidences, rook segments.

interface Topology {
  n: number;
  /** (point, cell) incidences: the cell's boundary passes through the point. */
  qPoint: IntList;
  qCell: IntList;
  /** (segment, cell) incidences for rook. */
  rSeg: IntList;
  rCell: IntList;
  nPoints: number;
  nSegments: number;
}

function buildTopology(features: readonly VectorFeature[], opts: NeighborhoodOptions): Topology {
  const n = features.length;
  const rel = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (!(rel > 0) || !Number.isFinite(rel)) throw new InputError(`The neighbourhood tolerance must be a positive number, got ${rel}.`);
  const { xy, pathOff, pathCell, pathRing } = collectPaths(features);
  const nv = xy.length >> 1;

  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (let v = 0; v < nv; v++) {
    const x = xy[2 * v];
    const y = xy[2 * v + 1];
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  if (nv === 0) xmin = xmax = ymin = ymax = 0;
  const W = xmax - xmin;
  const H = ymax - ymin;
  const extent = Math.max(W, H);
  // Quantum: tolerance × extent, at least ~45 ulps of the largest coordinate (so float
  // noise of far-from-origin layers still merges), and never so small that quantised
  // coordinates leave int32.
  const maxAbs = Math.max(Math.abs(xmin), Math.abs(xmax), Math.abs(ymin), Math.abs(ymax));
  let tol = extent > 0 ? Math.max(rel * extent, 1e-14 * maxAbs) : 1;
  if (extent > 0 && extent / tol > 2 ** 30) tol = extent / 2 ** 30;

  // 1. Unique points. A coordinate joins the point already registered in its quantum
  //    cell, else in the neighbouring cell(s) it leans towards (so two values straddling
  //    a rounding boundary still meet), else it registers a new point.
  const hash = new PairHash(Math.max(16, nv >> 1));
  const pointOf = new Int32Array(nv);
  const pxy = new FloatList(nv);
  let nPoints = 0;
  for (let v = 0; v < nv; v++) {
    const fx = (xy[2 * v] - xmin) / tol;
    const fy = (xy[2 * v + 1] - ymin) / tol;
    const qx = Math.round(fx);
    const qy = Math.round(fy);
    let id = hash.get(qx, qy);
    if (id < 0) {
      const sx = fx >= qx ? 1 : -1;
      const sy = fy >= qy ? 1 : -1;
      id = hash.get(qx + sx, qy);
      if (id < 0) id = hash.get(qx, qy + sy);
      if (id < 0) id = hash.get(qx + sx, qy + sy);
      if (id < 0) {
        id = nPoints++;
        hash.getOrSet(qx, qy, id);
        pxy.push2(xy[2 * v], xy[2 * v + 1]);
      }
    }
    pointOf[v] = id;
  }
  const P = pxy.data;

  // 2. Paths as point ids, consecutive duplicates removed, rings closed.
  const np = pathCell.length;
  const pts = new IntList(nv + np);
  const pOff = new Int32Array(np + 1);
  for (let p = 0; p < np; p++) {
    const start = pts.length;
    for (let v = pathOff[p]; v < pathOff[p + 1]; v++) {
      const id = pointOf[v];
      if (pts.length > start && pts.data[pts.length - 1] === id) continue;
      pts.push(id);
    }
    if (pathRing[p] && pts.length - start > 1 && pts.data[pts.length - 1] !== pts.data[start]) pts.push(pts.data[start]);
    pOff[p + 1] = pts.length;
  }
  const pp = pts.data;

  const qPoint = new IntList(nv + 16);
  const qCell = new IntList(nv + 16);
  for (let p = 0; p < np; p++) {
    const cell = pathCell[p];
    for (let k = pOff[p]; k < pOff[p + 1]; k++) {
      qPoint.push(pp[k]);
      qCell.push(cell);
    }
  }

  // 3. Unique undirected edges; every path edge gets its edge id.
  const nEdgesMax = pts.length;
  const segHash = new PairHash(nEdgesMax >> 1);
  const edgeA = new IntList(nEdgesMax >> 1);
  const edgeB = new IntList(nEdgesMax >> 1);
  let nSegments = 0;
  const segmentId = (a: number, b: number): number => {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const s = segHash.getOrSet(lo, hi, nSegments);
    if (s === nSegments) {
      nSegments++;
      edgeA.push(lo);
      edgeB.push(hi);
    }
    return s;
  };
  const pathEdge = new Int32Array(pts.length); // edge id of (pp[k], pp[k + 1]); unused at path ends
  for (let p = 0; p < np; p++) {
    for (let k = pOff[p]; k + 1 < pOff[p + 1]; k++) pathEdge[k] = segmentId(pp[k], pp[k + 1]);
  }
  const nEdges = nSegments;
  const rSeg = new IntList(nEdgesMax + 16);
  const rCell = new IntList(nEdgesMax + 16);

  if (opts.verticesOnly) {
    for (let p = 0; p < np; p++) {
      const cell = pathCell[p];
      for (let k = pOff[p]; k + 1 < pOff[p + 1]; k++) {
        rSeg.push(pathEdge[k]);
        rCell.push(cell);
      }
    }
    return { n, qPoint, qCell, rSeg, rCell, nPoints, nSegments };
  }

  // 4. Bucket grid over the unique points, about one point per bucket.
  const aspect = W > 0 && H > 0 ? W / H : 1;
  let gx = 1;
  let gy = 1;
  if (W > 0 && H > 0) {
    gx = Math.max(1, Math.round(Math.sqrt(nPoints * aspect)));
    gy = Math.max(1, Math.round(nPoints / gx));
  } else if (W > 0) gx = Math.max(1, nPoints);
  else if (H > 0) gy = Math.max(1, nPoints);
  gx = Math.min(gx, 1 << 13);
  gy = Math.min(gy, 1 << 13);
  const sx = W > 0 ? W / gx : 1;
  const sy = H > 0 ? H / gy : 1;
  const gxm = gx - 1;
  const gym = gy - 1;
  const bStart = new Int32Array(gx * gy + 1);
  const bOf = new Int32Array(nPoints);
  for (let i = 0; i < nPoints; i++) {
    let bx = Math.floor((P[2 * i] - xmin) / sx);
    let by = Math.floor((P[2 * i + 1] - ymin) / sy);
    bx = bx < 0 ? 0 : bx > gxm ? gxm : bx;
    by = by < 0 ? 0 : by > gym ? gym : by;
    const b = by * gx + bx;
    bOf[i] = b;
    bStart[b + 1]++;
  }
  for (let b = 0; b < gx * gy; b++) bStart[b + 1] += bStart[b];
  const bPts = new Int32Array(nPoints);
  {
    const fillAt = bStart.slice(0, gx * gy);
    for (let i = 0; i < nPoints; i++) bPts[fillAt[bOf[i]]++] = i;
  }

  // 5. For every unique edge, the points lying inside it (T-junctions), sorted along it.
  const tol2 = tol * tol;
  const splitOff = new Int32Array(nEdges + 1); // edge e's interior points: splitPts[splitOff[e] .. splitOff[e + 1])
  const splitPts = new IntList(64);
  let hitT = new Float64Array(16);
  let hitP = new Int32Array(16);
  const EA = edgeA.data;
  const EB = edgeB.data;
  for (let e = 0; e < nEdges; e++) {
    const a = EA[e];
    const b = EB[e];
    const xa = P[2 * a];
    const ya = P[2 * a + 1];
    const xb = P[2 * b];
    const yb = P[2 * b + 1];
    const dx = xb - xa;
    const dy = yb - ya;
    const L2 = dx * dx + dy * dy;
    let nh = 0;
    if (L2 > 0) {
      const x0 = xa < xb ? xa : xb;
      const x1 = xa < xb ? xb : xa;
      const y0 = ya < yb ? ya : yb;
      const y1 = ya < yb ? yb : ya;
      let c0 = Math.floor((x0 - tol - xmin) / sx);
      let c1 = Math.floor((x1 + tol - xmin) / sx);
      c0 = c0 < 0 ? 0 : c0 > gxm ? gxm : c0;
      c1 = c1 < 0 ? 0 : c1 > gxm ? gxm : c1;
      for (let c = c0; c <= c1; c++) {
        let lo = y0;
        let hi = y1;
        if (c0 !== c1 && dx !== 0) {
          let l = xmin + c * sx - tol;
          let r = xmin + (c + 1) * sx + tol;
          if (l < x0) l = x0;
          if (r > x1) r = x1;
          const yl = ya + ((l - xa) * dy) / dx;
          const yr = ya + ((r - xa) * dy) / dx;
          lo = yl < yr ? yl : yr;
          hi = yl < yr ? yr : yl;
          if (lo < y0) lo = y0;
          if (hi > y1) hi = y1;
        }
        let r0 = Math.floor((lo - tol - ymin) / sy);
        let r1 = Math.floor((hi + tol - ymin) / sy);
        r0 = r0 < 0 ? 0 : r0 > gym ? gym : r0;
        r1 = r1 < 0 ? 0 : r1 > gym ? gym : r1;
        for (let r = r0; r <= r1; r++) {
          const bk = r * gx + c;
          for (let s = bStart[bk], s1 = bStart[bk + 1]; s < s1; s++) {
            const q = bPts[s];
            if (q === a || q === b) continue;
            const ex = P[2 * q] - xa;
            const ey = P[2 * q + 1] - ya;
            const dot = ex * dx + ey * dy;
            if (dot <= 0 || dot >= L2) continue;
            const cross = ex * dy - ey * dx;
            if (cross * cross > tol2 * L2) continue;
            if (nh === hitP.length) {
              const t2 = new Float64Array(nh * 2);
              t2.set(hitT);
              hitT = t2;
              const p2 = new Int32Array(nh * 2);
              p2.set(hitP);
              hitP = p2;
            }
            hitT[nh] = dot / L2;
            hitP[nh] = q;
            nh++;
          }
        }
      }
    }
    if (splitPts.length + nh > MAX_NEIGHBOR_LINKS) throw tooDense('vertices lying inside other cells’ edges', splitPts.length + nh);
    // Sort the hits by position along a → b (ties by point id): insertion sort for the few
    // hits of ordinary layers, an index sort for long shared lines.
    if (nh > 32) {
      const order = Array.from({ length: nh }, (_, i) => i).sort((i, j) => hitT[i] - hitT[j] || hitP[i] - hitP[j]);
      for (const i of order) splitPts.push(hitP[i]);
      splitOff[e + 1] = splitPts.length;
      continue;
    }
    for (let i = 1; i < nh; i++) {
      const t = hitT[i];
      const q = hitP[i];
      let j = i - 1;
      while (j >= 0 && (hitT[j] > t || (hitT[j] === t && hitP[j] > q))) {
        hitT[j + 1] = hitT[j];
        hitP[j + 1] = hitP[j];
        j--;
      }
      hitT[j + 1] = t;
      hitP[j + 1] = q;
    }
    for (let i = 0; i < nh; i++) splitPts.push(hitP[i]);
    splitOff[e + 1] = splitPts.length;
  }

  // 6. Incidences: whole edges, or the pieces of split edges, and the split points (queen).
  const SP = splitPts.data;
  for (let p = 0; p < np; p++) {
    const cell = pathCell[p];
    for (let k = pOff[p]; k + 1 < pOff[p + 1]; k++) {
      const e = pathEdge[k];
      const s0 = splitOff[e];
      const s1 = splitOff[e + 1];
      if (s0 === s1) {
        rSeg.push(e);
        rCell.push(cell);
        continue;
      }
      let prev = EA[e];
      for (let s = s0; s < s1; s++) {
        const q = SP[s];
        qPoint.push(q);
        qCell.push(cell);
        rSeg.push(segmentId(prev, q));
        rCell.push(cell);
        prev = q;
      }
      rSeg.push(segmentId(prev, EB[e]));
      rCell.push(cell);
    }
  }
  return { n, qPoint, qCell, rSeg, rCell, nPoints, nSegments };
}

/**
 * From (group, cell) incidences: cells sharing a group are neighbours. CSR with
 * sorted, unique, self-free lists.
 */
function pairsToCsr(n: number, nGroups: number, gOf: IntList, cOf: IntList): { offsets: Int32Array; neighbors: Int32Array } {
  const m = gOf.length;
  // Group the incidences by group (counting sort).
  const gStart = new Int32Array(nGroups + 1);
  for (let i = 0; i < m; i++) gStart[gOf.data[i] + 1]++;
  for (let g = 0; g < nGroups; g++) gStart[g + 1] += gStart[g];
  const gCells = new Int32Array(m);
  {
    const at = gStart.slice(0, nGroups);
    for (let i = 0; i < m; i++) gCells[at[gOf.data[i]]++] = cOf.data[i];
  }
  // Dedupe cells within each group (in place), remembering each group's unique count.
  const seen = new Int32Array(n).fill(-1);
  const gLen = new Int32Array(nGroups);
  const deg = new Int32Array(n + 1);
  let links = 0;
  for (let g = 0; g < nGroups; g++) {
    let w = gStart[g];
    for (let s = gStart[g]; s < gStart[g + 1]; s++) {
      const c = gCells[s];
      if (seen[c] === g) continue;
      seen[c] = g;
      gCells[w++] = c;
    }
    const k = w - gStart[g];
    gLen[g] = k;
    links += k * (k - 1);
    if (links > MAX_NEIGHBOR_LINKS) throw tooDense('cell pairs sharing a point or an edge', links);
    if (k > 1) for (let s = gStart[g]; s < w; s++) deg[gCells[s] + 1] += k - 1;
  }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const raw = new Int32Array(deg[n]);
  {
    const at = deg.slice(0, n);
    for (let g = 0; g < nGroups; g++) {
      const k = gLen[g];
      if (k < 2) continue;
      const s0 = gStart[g];
      for (let i = 0; i < k; i++) {
        const ci = gCells[s0 + i];
        for (let j = 0; j < k; j++) if (j !== i) raw[at[ci]++] = gCells[s0 + j];
      }
    }
  }
  // Sort and dedupe each cell's list, compacting into the output.
  const offsets = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const s0 = deg[i];
    const s1 = deg[i + 1];
    const len = s1 - s0;
    if (len > 24) raw.subarray(s0, s1).sort();
    else {
      for (let a = s0 + 1; a < s1; a++) {
        const v = raw[a];
        let b = a - 1;
        while (b >= s0 && raw[b] > v) {
          raw[b + 1] = raw[b];
          b--;
        }
        raw[b + 1] = v;
      }
    }
    offsets[i] = w;
    let last = -1;
    for (let s = s0; s < s1; s++) {
      const v = raw[s];
      if (v !== last && v !== i) raw[w++] = v;
      last = v;
    }
  }
  offsets[n] = w;
  return { offsets, neighbors: raw.slice(0, w) };
}

function featuresOf(src: VectorDataset | readonly VectorFeature[]): readonly VectorFeature[] {
  return Array.isArray(src) ? (src as readonly VectorFeature[]) : (src as VectorDataset).features;
}

/** Queen or Rook neighbourhood of a polygon layer, from its geometry. */
export function buildNeighborhood(
  src: VectorDataset | readonly VectorFeature[],
  kind: NeighborhoodKind = 'queen',
  opts: NeighborhoodOptions = {},
): Neighborhood {
  return neighborhoodFromTopology(buildTopology(featuresOf(src), opts), kind);
}

function neighborhoodFromTopology(t: Topology, kind: NeighborhoodKind): Neighborhood {
  const csr = kind === 'queen' ? pairsToCsr(t.n, t.nPoints, t.qPoint, t.qCell) : pairsToCsr(t.n, t.nSegments, t.rSeg, t.rCell);
  return { kind, size: t.n, offsets: csr.offsets, neighbors: csr.neighbors };
}

/**
 * A neighbourhood from explicit id lists (DisSModel's `neighbors_dict`): `{ id: [ids] }`.
 * Unknown ids are an InputError; lists are made symmetric, sorted, self-free.
 */
export function neighborhoodFromLists(ids: readonly string[], lists: Readonly<Record<string, readonly string[]>>): Neighborhood {
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const g = new IntList();
  const c = new IntList();
  let nGroups = 0;
  for (const [id, neighs] of Object.entries(lists)) {
    const i = index.get(id);
    if (i === undefined) throw new InputError(`The neighbour list names cell '${id}', which the layer does not have.`);
    if (!Array.isArray(neighs)) throw new InputError(`The neighbours of '${id}' must be a list of ids.`);
    for (const nid of neighs) {
      const j = index.get(String(nid));
      if (j === undefined) throw new InputError(`The neighbours of '${id}' include '${nid}', which the layer does not have.`);
      g.push(nGroups);
      c.push(i);
      g.push(nGroups);
      c.push(j);
      nGroups++;
    }
  }
  const csr = pairsToCsr(ids.length, nGroups, g, c);
  return { kind: 'custom', size: ids.length, offsets: csr.offsets, neighbors: csr.neighbors };
}

// ---------------------------------------------------------------------------
// VectorGrid: cells, ids, columns, neighbourhoods.

function idsOf(features: readonly VectorFeature[]): string[] {
  const n = features.length;
  const sources: Array<(f: VectorFeature) => unknown> = [
    (f) => f.id,
    (f) => (f.properties ? f.properties.id : undefined),
    (f) => (f.properties ? f.properties.idx : undefined),
  ];
  for (const get of sources) {
    const out: string[] = new Array(n);
    const seen = new Set<string>();
    let ok = n > 0;
    for (let i = 0; i < n && ok; i++) {
      const v = get(features[i]);
      if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'number')) ok = false;
      else {
        const s = String(v);
        if (seen.has(s)) ok = false;
        else {
          seen.add(s);
          out[i] = s;
        }
      }
    }
    if (ok) return out;
  }
  return Array.from({ length: n }, (_, i) => String(i));
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * A polygon layer as simulation cells. Numeric properties (every value a number or
 * null; null ⇒ NaN) become Float64Array columns; other properties are kept as they are
 * and written back unchanged. Neighbourhoods are built on first use and cached.
 */
export class VectorGrid {
  readonly size: number;
  readonly ids: readonly string[];
  readonly features: readonly VectorFeature[];
  readonly epsg: number | null;
  private readonly numeric = new Map<string, Float64Array>();
  private readonly other = new Map<string, PropertyValue[]>();
  private readonly order: string[] = [];
  private index: Map<string, number> | null = null;
  private topology: Topology | null = null;
  private readonly cache = new Map<NeighborhoodKind, Neighborhood>();

  constructor(ds: VectorDataset) {
    const features = ds.features;
    this.size = features.length;
    this.features = features;
    this.epsg = ds.epsg;
    this.ids = idsOf(features);
    const names: string[] = [...ds.columns];
    const known = new Set(names);
    for (const f of features) {
      for (const k of Object.keys(f.properties ?? {})) {
        if (known.has(k)) continue;
        known.add(k);
        names.push(k);
      }
    }
    for (const name of names) {
      let numeric = true;
      let any = false;
      for (const f of features) {
        const v = f.properties && hasOwn(f.properties, name) ? f.properties[name] : null;
        if (typeof v === 'number') any = true;
        else if (v !== null) {
          numeric = false;
          break;
        }
      }
      if (numeric && any) {
        const col = new Float64Array(this.size);
        features.forEach((f, i) => {
          const v = f.properties && hasOwn(f.properties, name) ? f.properties[name] : null;
          col[i] = typeof v === 'number' ? v : NaN;
        });
        this.numeric.set(name, col);
      } else {
        this.other.set(
          name,
          features.map((f) => (f.properties && hasOwn(f.properties, name) ? f.properties[name] : null)),
        );
      }
      this.order.push(name);
    }
  }

  static fromDataset(ds: VectorDataset): VectorGrid {
    return new VectorGrid(ds);
  }

  /** All column names, in dataset order then in order of addition. */
  get columnNames(): readonly string[] {
    return this.order;
  }

  /** Whether `name` is a numeric column. */
  hasColumn(name: string): boolean {
    return this.numeric.has(name);
  }

  /** The numeric column `name` (live: writes change the grid). InputError if absent or not numeric. */
  column(name: string): Float64Array {
    const c = this.numeric.get(name);
    if (c) return c;
    if (this.other.has(name)) throw new InputError(`Column '${name}' is not numeric (it holds text, booleans or nothing but nulls).`, name);
    throw new InputError(`The layer has no column '${name}'. Columns: ${this.order.join(', ') || '(none)'}.`, name);
  }

  /** Non-numeric column values as read (null when absent). */
  values(name: string): readonly PropertyValue[] {
    const o = this.other.get(name);
    if (o) return o;
    const c = this.numeric.get(name);
    if (c) return Array.from(c, (v) => (Number.isNaN(v) ? null : v));
    throw new InputError(`The layer has no column '${name}'. Columns: ${this.order.join(', ') || '(none)'}.`, name);
  }

  /** Set (copying) or create the numeric column `name`. */
  setColumn(name: string, values: ArrayLike<number>): Float64Array {
    if (values.length !== this.size) {
      throw new InputError(`Column '${name}' needs ${this.size} values, got ${values.length}.`, name);
    }
    let c = this.numeric.get(name);
    if (!c) {
      c = new Float64Array(this.size);
      if (this.other.delete(name) === false) this.order.push(name);
      this.numeric.set(name, c);
    }
    for (let i = 0; i < this.size; i++) c[i] = values[i];
    return c;
  }

  /** Create (or reset) a numeric column filled with `fill`; returns it. */
  addColumn(name: string, fill = 0): Float64Array {
    let c = this.numeric.get(name);
    if (!c) {
      c = new Float64Array(this.size);
      if (this.other.delete(name) === false) this.order.push(name);
      this.numeric.set(name, c);
    }
    c.fill(fill);
    return c;
  }

  /** Index of the cell with this id, or -1. */
  indexOf(id: string): number {
    if (!this.index) {
      this.index = new Map();
      this.ids.forEach((s, i) => this.index!.set(s, i));
    }
    return this.index.get(id) ?? -1;
  }

  /** The Queen or Rook neighbourhood (built once with default options, then cached). */
  neighborhood(kind: NeighborhoodKind = 'queen', opts?: NeighborhoodOptions): Neighborhood {
    if (opts && (opts.tolerance !== undefined || opts.verticesOnly)) return buildNeighborhood(this.features, kind, opts);
    let nb = this.cache.get(kind);
    if (!nb) {
      this.topology ??= buildTopology(this.features, {});
      nb = neighborhoodFromTopology(this.topology, kind);
      this.cache.set(kind, nb);
      if (this.cache.size === 2) this.topology = null;
    }
    return nb;
  }

  /** Use this neighbourhood for `kind` (e.g. one from `neighborhoodFromLists`). */
  setNeighborhood(kind: NeighborhoodKind, nb: Neighborhood): void {
    if (nb.size !== this.size || nb.offsets.length !== this.size + 1) {
      throw new InputError(`The neighbourhood has ${nb.size} cells; the layer has ${this.size}.`);
    }
    this.cache.set(kind, nb);
  }

  neighborsOf(i: number, kind: NeighborhoodKind = 'queen'): Int32Array {
    return neighborsOf(this.neighborhood(kind), i);
  }

  /**
   * The layer as a dataset: the same geometries and ids, properties in column order,
   * numeric columns from the typed arrays (NaN ⇒ null).
   */
  toDataset(): VectorDataset {
    const features: VectorFeature[] = this.features.map((f, i) => {
      const properties: Record<string, PropertyValue> = Object.create(null);
      for (const name of this.order) {
        const c = this.numeric.get(name);
        if (c) {
          const v = c[i];
          properties[name] = Number.isNaN(v) ? null : v;
        } else properties[name] = this.other.get(name)![i];
      }
      return { id: f.id, geometry: f.geometry, properties };
    });
    return { kind: 'vector', features, columns: [...this.order], epsg: this.epsg };
  }
}

// ---------------------------------------------------------------------------
// vector_grid and raster ⇔ vector-grid order.

export interface VectorGridSpec {
  /** dimension=(cols, rows) with resolution (origin originX, originY), or with bounds. */
  cols?: number;
  rows?: number;
  resolution?: number;
  /** (xmin, ymin, xmax, ymax): with resolution (n = ceil(extent / res)) or with cols/rows. */
  bounds?: readonly [number, number, number, number];
  /** Lower-left corner for cols/rows + resolution. DisSModel's is (0, 0). */
  originX?: number;
  originY?: number;
  /** Values replicated to every cell, as columns in this key order. */
  attrs?: Readonly<Record<string, PropertyValue>>;
  epsg?: number | null;
  /**
   * Place cells as NumPy's float `arange(min, max, res)` does (default true), so the
   * edges — and, for a resolution with no exact binary form (e.g. 0.1), even the
   * number of cells — match DisSModel bit for bit. With false: exactly cols × rows
   * cells at min + i × res.
   */
  pythonArange?: boolean;
}

/** NumPy's float arange(start, stop, step): length ceil((stop - start) / step), then DOUBLE_fill. */
function arange(start: number, stop: number, step: number): number[] {
  const len = Math.max(0, Math.ceil((stop - start) / step));
  const out: number[] = new Array(len);
  if (len > 0) out[0] = start;
  if (len > 1) out[1] = start + step;
  const delta = len > 1 ? out[1] - start : 0;
  for (let i = 2; i < len; i++) out[i] = start + i * delta;
  return out;
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new InputError(`vector_grid: ${what} must be a positive integer, got ${String(v)}.`, what);
  return v;
}

function positiveNum(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw new InputError(`vector_grid: ${what} must be a positive number, got ${String(v)}.`, what);
  return v;
}

/** Largest vector_grid built here (cells). */
export const MAX_GRID_CELLS = 16 * 1024 * 1024;

/**
 * DisSModel's `vector_grid`: square (or rectangular) cells as Polygons, ids "row-col"
 * with row 0 at the bottom, features in column-major order (x outer loop). Each ring is
 * shapely's `box` ring: (maxx, miny), (maxx, maxy), (minx, maxy), (minx, miny), closed.
 */
export function vectorGrid(spec: VectorGridSpec): VectorDataset {
  let xmin: number, ymin: number, xmax: number, ymax: number, rx: number, ry: number;
  /** Cell counts when not placed by arange. */
  let nx: number, ny: number;
  if (spec.bounds) {
    [xmin, ymin, xmax, ymax] = spec.bounds;
    for (const v of spec.bounds) if (!Number.isFinite(v)) throw new InputError('vector_grid: bounds must be finite numbers.', 'bounds');
    if (!(xmax > xmin) || !(ymax > ymin)) throw new InputError('vector_grid: bounds must have xmax > xmin and ymax > ymin.', 'bounds');
    if (spec.resolution !== undefined) {
      rx = ry = positiveNum(spec.resolution, 'resolution');
      nx = Math.ceil((xmax - xmin) / rx);
      ny = Math.ceil((ymax - ymin) / ry);
    } else if (spec.cols !== undefined && spec.rows !== undefined) {
      nx = positiveInt(spec.cols, 'cols');
      ny = positiveInt(spec.rows, 'rows');
      rx = (xmax - xmin) / nx;
      ry = (ymax - ymin) / ny;
    } else throw new InputError('vector_grid: with bounds, give resolution or cols and rows.');
  } else if (spec.cols !== undefined && spec.rows !== undefined && spec.resolution !== undefined) {
    nx = positiveInt(spec.cols, 'cols');
    ny = positiveInt(spec.rows, 'rows');
    rx = ry = positiveNum(spec.resolution, 'resolution');
    xmin = spec.originX ?? 0;
    ymin = spec.originY ?? 0;
    if (!Number.isFinite(xmin) || !Number.isFinite(ymin)) throw new InputError('vector_grid: the origin must be finite.', 'origin');
    xmax = xmin + nx * rx;
    ymax = ymin + ny * ry;
  } else {
    throw new InputError('vector_grid: give cols, rows and resolution, or bounds with resolution or cols/rows.');
  }
  const python = spec.pythonArange !== false;
  if (python) {
    nx = Math.max(0, Math.ceil((xmax - xmin) / rx));
    ny = Math.max(0, Math.ceil((ymax - ymin) / ry));
  }
  if (nx * ny > MAX_GRID_CELLS) throw new InputError(`vector_grid: ${nx} × ${ny} cells is more than ${MAX_GRID_CELLS}.`);
  const xs = python ? arange(xmin, xmax, rx) : Array.from({ length: nx }, (_, i) => xmin + i * rx);
  const ys = python ? arange(ymin, ymax, ry) : Array.from({ length: ny }, (_, j) => ymin + j * ry);
  const attrs = spec.attrs ?? {};
  const attrKeys = Object.keys(attrs);
  const features: VectorFeature[] = new Array(xs.length * ys.length);
  let k = 0;
  for (let i = 0; i < xs.length; i++) {
    const x0 = xs[i];
    const x1 = x0 + rx;
    for (let j = 0; j < ys.length; j++) {
      const y0 = ys[j];
      const y1 = y0 + ry;
      const properties: Record<string, PropertyValue> = Object.create(null);
      for (const key of attrKeys) properties[key] = attrs[key];
      features[k++] = {
        id: `${j}-${i}`,
        properties,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x1, y0],
              [x1, y1],
              [x0, y1],
              [x0, y0],
              [x1, y0],
            ],
          ],
        },
      };
    }
  }
  return { kind: 'vector', features, columns: attrKeys, epsg: spec.epsg ?? null };
}

/** DisSModel's `parse_idx`: "row-col" → { row, col }, or null when the id is not of that form. */
export function parseIdx(id: string): { row: number; col: number } | null {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m ? { row: Number(m[1]), col: Number(m[2]) } : null;
}

/** Feature index in a cols × rows vector_grid of raster cell (r from the top, c): c * rows + (rows - 1 - r). */
export function gridIndexOfRasterCell(r: number, c: number, rows: number): number {
  return c * rows + (rows - 1 - r);
}

type NumArray = { length: number; [i: number]: number };

/**
 * Row-major raster values (row 0 at the top) → vector_grid feature order
 * (column-major, row 0 at the bottom). `out[c * rows + (rows - 1 - r)] = raster[r * cols + c]`.
 */
export function rasterToGridOrder<T extends NumArray = Float64Array>(raster: ArrayLike<number>, rows: number, cols: number, out?: T): T {
  if (raster.length !== rows * cols) throw new InputError(`Expected ${rows} × ${cols} = ${rows * cols} values, got ${raster.length}.`);
  const o = (out ?? new Float64Array(rows * cols)) as T;
  for (let r = 0; r < rows; r++) {
    const base = rows - 1 - r;
    for (let c = 0; c < cols; c++) o[c * rows + base] = raster[r * cols + c];
  }
  return o;
}

/** The inverse of rasterToGridOrder: vector_grid order → row-major raster, row 0 at the top. */
export function gridOrderToRaster<T extends NumArray = Float64Array>(values: ArrayLike<number>, rows: number, cols: number, out?: T): T {
  if (values.length !== rows * cols) throw new InputError(`Expected ${rows} × ${cols} = ${rows * cols} values, got ${values.length}.`);
  const o = (out ?? new Float64Array(rows * cols)) as T;
  for (let r = 0; r < rows; r++) {
    const base = rows - 1 - r;
    for (let c = 0; c < cols; c++) o[r * cols + c] = values[c * rows + base];
  }
  return o;
}

/**
 * For any layer whose ids are vector_grid's "row-col" (row 0 at the bottom), in any
 * feature order: per feature, its row-major raster index (row 0 at the top),
 * (rows - 1 - row) * cols + col. InputError for an id that does not parse, lies outside
 * rows × cols, or repeats.
 */
export function rasterIndexOfIds(ids: readonly string[], rows: number, cols: number): Int32Array {
  const out = new Int32Array(ids.length);
  const used = new Uint8Array(rows * cols);
  ids.forEach((id, k) => {
    const p = parseIdx(id);
    if (!p || p.row >= rows || p.col >= cols) {
      throw new InputError(`Cell id '${id}' is not a "row-col" id of a ${rows} × ${cols} grid.`);
    }
    const idx = (rows - 1 - p.row) * cols + p.col;
    if (used[idx]) throw new InputError(`Cell id '${id}' appears twice.`);
    used[idx] = 1;
    out[k] = idx;
  });
  return out;
}
