/**
 * A large polygon layer as flat typed arrays for the map's WebGL layer
 * (src/app/map/vector-gl-layer.ts), built once in the worker from the placed
 * (lon/lat) geometries and transferred to the page: triangles (earcut) and
 * outline edges over Web Mercator vertices — offsets from an origin, so that
 * Float32 keeps millimetres — each vertex tagged with its feature's index, and
 * a grid index of the features' boxes for the hover lookup (featureAt). A step
 * then only changes a colour per feature; MapLibre never tiles the GeoJSON.
 */
import earcut from 'earcut';
import type { GeoJSONGeometry, Position, VectorDataset } from '../sim/dataset.ts';
import { placeVector, type Bounds } from './placement.ts';

/** Layers with fewer features stay on MapLibre's GeoJSON layers (MapView). */
export const MESH_MIN_FEATURES = 5000;

export interface VectorMesh {
  /** Features (the colour texture has one texel per feature). */
  count: number;
  /** The placement's bounds (lon/lat), note and CRS label (placement.ts): the page need not place the layer again. */
  bounds: Bounds;
  note: string | null;
  crs: string;
  /** Web Mercator (0..1) of the offsets' zero. */
  originX: number;
  originY: number;
  /** x, y per vertex: Mercator minus the origin. */
  positions: Float32Array;
  /** The feature index of each vertex. */
  features: Float32Array;
  /** Vertex indices, three per triangle. */
  triangles: Uint32Array;
  /** Vertex indices, two per outline edge. */
  edges: Uint32Array;
  /** First vertex of each ring, and the vertex count at the end (rings + 1). */
  ringStarts: Uint32Array;
  /** First ring of each feature, and the ring count at the end (count + 1). */
  featureRings: Uint32Array;
  /** Per feature: west, north, east, south in offsets (Mercator y grows southward: min y, max y). */
  boxes: Float32Array;
  /** Hover grid over the boxes: cols × rows cells from (gridX, gridY), cellW × cellH each. */
  gridCols: number;
  gridRows: number;
  gridX: number;
  gridY: number;
  cellW: number;
  cellH: number;
  /** Per cell, the first of its items (cells + 1); items: feature indices. */
  cellStarts: Uint32Array;
  cellItems: Uint32Array;
}

/** Web Mercator x, y (0..1, y down) of a lon/lat, as MapLibre's MercatorCoordinate. */
export const mercatorX = (lng: number) => (180 + lng) / 360;
export const mercatorY = (lat: number) => (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;

/** Whether every geometry is a polygon (or none) and there are enough of them for the mesh. */
export function meshable(geometries: readonly (GeoJSONGeometry | null)[]): boolean {
  if (geometries.length < MESH_MIN_FEATURES) return false;
  let any = false;
  for (const g of geometries) {
    if (!g) continue;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return false;
    any = true;
  }
  return any;
}

/** The mesh of a dataset as the map places it (placement.ts), or null when it is small or not all polygons. */
export function meshOf(ds: VectorDataset): VectorMesh | null {
  if (ds.features.length < MESH_MIN_FEATURES || !meshable(ds.features.map((f) => f.geometry ?? null))) return null;
  const placed = placeVector(ds);
  const [w, s, e, n] = placed.bounds;
  const mesh = buildVectorMesh(placed.geometries, [(w + e) / 2, (s + n) / 2]);
  return { ...mesh, bounds: placed.bounds, note: placed.note, crs: placed.crs };
}

/** A growable typed array. */
class Grow<T extends Float64Array | Uint32Array> {
  n = 0;
  constructor(
    public a: T,
    private readonly make: (n: number) => T,
  ) {}
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  done(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

const f64 = (n: number) => new Float64Array(n);
const u32 = (n: number) => new Uint32Array(n);

/** The mesh of placed polygon geometries (lon/lat); `center`: [lng, lat] of the origin. */
export function buildVectorMesh(
  geometries: readonly (GeoJSONGeometry | null)[],
  center: [number, number],
): Omit<VectorMesh, 'bounds' | 'note' | 'crs'> {
  const count = geometries.length;
  const originX = mercatorX(center[0]);
  const originY = mercatorY(center[1]);
  const xy = new Grow(f64(1 << 16), f64);
  const feat = new Grow(u32(1 << 15), u32);
  const tris = new Grow(u32(1 << 16), u32);
  const edges = new Grow(u32(1 << 16), u32);
  const ringStarts = new Grow(u32(1 << 15), u32);
  const featureRings = new Uint32Array(count + 1);
  const boxes = new Float32Array(count * 4);
  const flat: number[] = [];
  const holes: number[] = [];
  for (let i = 0; i < count; i++) {
    featureRings[i] = ringStarts.n;
    const g = geometries[i];
    let w = Infinity;
    let s = -Infinity;
    let e = -Infinity;
    let n = Infinity;
    const polygons: Position[][][] = !g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const rings of polygons) {
      const base = xy.n / 2;
      flat.length = 0;
      holes.length = 0;
      for (const ring of rings) {
        // GeoJSON closes its rings (last = first): earcut and the outline need each vertex once.
        let m = ring.length;
        if (m > 1 && ring[0][0] === ring[m - 1][0] && ring[0][1] === ring[m - 1][1]) m--;
        if (m < 3) continue;
        if (flat.length > 0) holes.push(flat.length / 2);
        const first = xy.n / 2;
        ringStarts.push(first);
        for (let k = 0; k < m; k++) {
          const x = mercatorX(ring[k][0]) - originX;
          const y = mercatorY(ring[k][1]) - originY;
          flat.push(x, y);
          xy.push(x);
          xy.push(y);
          feat.push(i);
          if (x < w) w = x;
          if (x > e) e = x;
          if (y < n) n = y;
          if (y > s) s = y;
          edges.push(first + k);
          edges.push(first + ((k + 1) % m));
        }
      }
      if (flat.length === 0) continue;
      const t = earcut(flat, holes, 2);
      for (const v of t) tris.push(base + v);
    }
    boxes.set(w <= e ? [w, n, e, s] : [0, 0, -1, -1], i * 4);
  }
  featureRings[count] = ringStarts.n;
  ringStarts.push(xy.n / 2);
  const grid = gridIndex(boxes, count);
  return {
    count,
    originX,
    originY,
    positions: Float32Array.from(xy.done()),
    features: Float32Array.from(feat.done()),
    triangles: tris.done().slice(),
    edges: edges.done().slice(),
    ringStarts: ringStarts.done().slice(),
    featureRings,
    boxes,
    ...grid,
  };
}

/** A uniform grid over the boxes, about one cell per feature, each cell listing the boxes that touch it. */
function gridIndex(
  boxes: Float32Array,
  count: number,
): Pick<VectorMesh, 'gridCols' | 'gridRows' | 'gridX' | 'gridY' | 'cellW' | 'cellH' | 'cellStarts' | 'cellItems'> {
  let w = Infinity;
  let n = Infinity;
  let e = -Infinity;
  let s = -Infinity;
  for (let i = 0; i < count; i++) {
    if (boxes[i * 4] > boxes[i * 4 + 2]) continue;
    w = Math.min(w, boxes[i * 4]);
    n = Math.min(n, boxes[i * 4 + 1]);
    e = Math.max(e, boxes[i * 4 + 2]);
    s = Math.max(s, boxes[i * 4 + 3]);
  }
  if (!(w <= e)) {
    return {
      gridCols: 0,
      gridRows: 0,
      gridX: 0,
      gridY: 0,
      cellW: 1,
      cellH: 1,
      cellStarts: new Uint32Array(1),
      cellItems: new Uint32Array(0),
    };
  }
  const spanX = Math.max(e - w, 1e-12);
  const spanY = Math.max(s - n, 1e-12);
  const side = Math.sqrt((spanX * spanY) / Math.max(1, count));
  const cols = Math.max(1, Math.min(4096, Math.ceil(spanX / side)));
  const rows = Math.max(1, Math.min(4096, Math.ceil(spanY / side)));
  const cellW = spanX / cols;
  const cellH = spanY / rows;
  const colOf = (x: number) => Math.max(0, Math.min(cols - 1, Math.floor((x - w) / cellW)));
  const rowOf = (y: number) => Math.max(0, Math.min(rows - 1, Math.floor((y - n) / cellH)));
  const cellStarts = new Uint32Array(cols * rows + 1);
  const each = (visit: (cell: number, i: number) => void) => {
    for (let i = 0; i < count; i++) {
      const b = i * 4;
      if (boxes[b] > boxes[b + 2]) continue;
      const c0 = colOf(boxes[b]);
      const c1 = colOf(boxes[b + 2]);
      const r0 = rowOf(boxes[b + 1]);
      const r1 = rowOf(boxes[b + 3]);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * cols + c, i);
    }
  };
  each((cell) => cellStarts[cell + 1]++);
  for (let k = 0; k < cols * rows; k++) cellStarts[k + 1] += cellStarts[k];
  const fill = cellStarts.slice(0, cols * rows);
  const cellItems = new Uint32Array(cellStarts[cols * rows]);
  each((cell, i) => (cellItems[fill[cell]++] = i));
  return { gridCols: cols, gridRows: rows, gridX: w, gridY: n, cellW, cellH, cellStarts, cellItems };
}

/** The feature under Web Mercator (x, y) (0..1), or -1; of overlapping ones the last (drawn on top). */
export function featureAt(mesh: Omit<VectorMesh, 'bounds' | 'note' | 'crs'>, mx: number, my: number): number {
  const x = mx - mesh.originX;
  const y = my - mesh.originY;
  const col = Math.floor((x - mesh.gridX) / mesh.cellW);
  const row = Math.floor((y - mesh.gridY) / mesh.cellH);
  if (col < 0 || row < 0 || col >= mesh.gridCols || row >= mesh.gridRows) return -1;
  const cell = row * mesh.gridCols + col;
  const { boxes, positions: p } = mesh;
  let hit = -1;
  for (let k = mesh.cellStarts[cell]; k < mesh.cellStarts[cell + 1]; k++) {
    const i = mesh.cellItems[k];
    if (i <= hit) continue;
    const b = i * 4;
    if (x < boxes[b] || x > boxes[b + 2] || y < boxes[b + 1] || y > boxes[b + 3]) continue;
    // Even-odd over every ring of the feature: holes and the parts of a MultiPolygon alike.
    let inside = false;
    for (let r = mesh.featureRings[i]; r < mesh.featureRings[i + 1]; r++) {
      const a0 = mesh.ringStarts[r];
      const a1 = mesh.ringStarts[r + 1];
      for (let v = a0, u = a1 - 1; v < a1; u = v++) {
        const xv = p[v * 2];
        const yv = p[v * 2 + 1];
        const xu = p[u * 2];
        const yu = p[u * 2 + 1];
        if (yv > y !== yu > y && x < ((xu - xv) * (y - yv)) / (yu - yv) + xv) inside = !inside;
      }
    }
    if (inside) hit = i;
  }
  return hit;
}

/** The buffers of a mesh, to transfer. */
export function meshBuffers(m: Omit<VectorMesh, 'bounds' | 'note' | 'crs'>): ArrayBuffer[] {
  return [m.positions, m.features, m.triangles, m.edges, m.ringStarts, m.featureRings, m.boxes, m.cellStarts, m.cellItems].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
