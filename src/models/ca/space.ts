/**
 * The cellular space the dissmodel-ca models run on, the same for both
 * substrates: cells 0..n−1 in DisSModel's GeoDataFrame order, each with its
 * grid position (vector_grid's "row-col" ids: row 0 at the bottom) and its
 * Queen/Rook/KNN neighbour lists.
 *
 * - A vector layer: cells in feature order; positions from the "row-col" ids
 *   (models that place things by row and column need them); neighbours from
 *   the geometry (VectorGrid: each list ascending by feature index).
 * - A raster: cells in vector_grid's order — column-major from the bottom row
 *   (cell k = col · rows + row, raster row R = rows − 1 − row) — so a raster
 *   and the same grid as polygons go through the same cells, draws and
 *   neighbour lists in the same order and give the same states; neighbours
 *   are Moore (queen) / von Neumann (rook) with fixed edges, ascending by cell.
 *
 * Neighbour lists keep the order they are given in: DisSModel's are
 * libpysal's, an order that only InterspecificCompetition depends on and that
 * libpysal changes from one Python process to the next (see that model);
 * `withNeighbours` installs recorded lists.
 */
import { InputError } from '../../executor/errors.ts';
import { gridOrderToRaster, parseIdx, rasterToGridOrder, type VectorGrid } from '../../sim/vector.ts';
import type { Position, VectorFeature } from '../../sim/dataset.ts';

/** Neighbour lists in CSR form: cell i's are neighbors[offsets[i] .. offsets[i + 1]), in list order. */
export interface Csr {
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
}

export type NeighbourKind = 'queen' | 'rook' | 'knn4';

export class CellSpace {
  private readonly lists = new Map<NeighbourKind, Csr>();
  private lookup: Int32Array | null = null;

  private constructor(
    readonly size: number,
    readonly ids: readonly string[],
    /** Row (0 at the bottom) and column of each cell, or null when the ids are not "row-col". */
    readonly row: Int32Array | null,
    readonly col: Int32Array | null,
    private readonly build: (kind: NeighbourKind) => Csr,
    /** Grid extent for a raster (rows × cols), for converting states back to row-major. */
    readonly raster: { rows: number; cols: number } | null,
  ) {}

  /** A polygon layer: feature order, positions from "row-col" ids when every id is one. */
  static fromVector(grid: VectorGrid): CellSpace {
    const n = grid.size;
    let row: Int32Array | null = new Int32Array(n);
    let col: Int32Array | null = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = parseIdx(grid.ids[i]);
      if (!p) {
        row = col = null;
        break;
      }
      row[i] = p.row;
      col![i] = p.col;
    }
    const build = (kind: NeighbourKind): Csr => {
      if (kind === 'knn4') return knn(centroids(grid.features), 4);
      const nb = grid.neighborhood(kind);
      return { offsets: nb.offsets, neighbors: nb.neighbors };
    };
    return new CellSpace(n, grid.ids, row, col, build, null);
  }

  /** A rows × cols raster, cells in vector_grid order (column-major from the bottom row). */
  static fromRaster(rows: number, cols: number): CellSpace {
    const n = rows * cols;
    const row = new Int32Array(n);
    const col = new Int32Array(n);
    const ids: string[] = new Array(n);
    for (let c = 0, k = 0; c < cols; c++)
      for (let r = 0; r < rows; r++, k++) {
        row[k] = r;
        col[k] = c;
        ids[k] = `${r}-${c}`;
      }
    const build = (kind: NeighbourKind): Csr => {
      if (kind === 'knn4') {
        const xy = new Float64Array(2 * n);
        for (let k = 0; k < n; k++) {
          xy[2 * k] = col[k] + 0.5;
          xy[2 * k + 1] = row[k] + 0.5;
        }
        return knn(xy, 4);
      }
      return gridNeighbours(rows, cols, kind === 'queen');
    };
    return new CellSpace(n, ids, row, col, build, { rows, cols });
  }

  /** The neighbour lists of `kind` (built once). */
  neighbours(kind: NeighbourKind): Csr {
    let csr = this.lists.get(kind);
    if (!csr) this.lists.set(kind, (csr = this.build(kind)));
    return csr;
  }

  /** Use these lists for `kind` (e.g. DisSModel's recorded libpysal order). */
  withNeighbours(kind: NeighbourKind, csr: Csr): this {
    if (csr.offsets.length !== this.size + 1)
      throw new InputError(`The neighbour lists cover ${csr.offsets.length - 1} cells; the space has ${this.size}.`);
    this.lists.set(kind, csr);
    return this;
  }

  /** Positions, or an InputError saying why `model` needs them. */
  positions(model: string): { row: Int32Array; col: Int32Array } {
    if (!this.row || !this.col) {
      throw new InputError(
        `${model} places cells by row and column, so the layer's cell ids must be vector_grid's "row-col" (row 0 at the bottom), ` +
          `e.g. '0-0', '3-7'; found '${this.ids.find((id) => !parseIdx(id))}'. Use a raster, or a grid made by vector_grid.`,
      );
    }
    return { row: this.row, col: this.col };
  }

  /** The cell at (row, col), or −1 when the space has none there. */
  at(row: number, col: number): number {
    const { row: rs, col: cs } = this.positions('This model');
    if (!this.lookup) {
      let maxR = 0;
      let maxC = 0;
      for (let i = 0; i < this.size; i++) {
        if (rs[i] > maxR) maxR = rs[i];
        if (cs[i] > maxC) maxC = cs[i];
      }
      this.extent = { rows: maxR + 1, cols: maxC + 1 };
      this.lookup = new Int32Array(this.extent.rows * this.extent.cols).fill(-1);
      for (let i = 0; i < this.size; i++) this.lookup[rs[i] * this.extent.cols + cs[i]] = i;
    }
    const e = this.extent!;
    return row >= 0 && col >= 0 && row < e.rows && col < e.cols ? this.lookup[row * e.cols + col] : -1;
  }

  private extent: { rows: number; cols: number } | null = null;

  /** Rows of the grid: the raster's height, or 1 + the largest row of the ids. */
  get rows(): number {
    if (this.raster) return this.raster.rows;
    this.at(0, 0);
    return this.extent!.rows;
  }

  /** Columns of the grid: the raster's width, or 1 + the largest column of the ids. */
  get cols(): number {
    if (this.raster) return this.raster.cols;
    this.at(0, 0);
    return this.extent!.cols;
  }

  /** States in cell order → the raster's row-major order (row 0 at the top); a vector layer's are returned as they are. */
  toLayer(state: Uint8Array): Uint8Array {
    return this.raster ? gridOrderToRaster(state, this.raster.rows, this.raster.cols, new Uint8Array(state.length)) : state;
  }

  /** A raster band (row-major) → cell order. */
  fromLayer(values: ArrayLike<number>): Float64Array {
    return this.raster ? rasterToGridOrder(values, this.raster.rows, this.raster.cols) : Float64Array.from(values);
  }
}

/** Neighbour lists from id lists, keeping each list's order (DisSModel's `neighbors_dict`); unknown ids are an InputError. */
export function orderedNeighbours(ids: readonly string[], lists: Readonly<Record<string, readonly string[]>>): Csr {
  const index = new Map(ids.map((id, i) => [id, i]));
  const offsets = new Int32Array(ids.length + 1);
  const out: number[] = [];
  ids.forEach((id, i) => {
    for (const nid of lists[id] ?? []) {
      const j = index.get(nid);
      if (j === undefined) throw new InputError(`The neighbours of '${id}' include '${nid}', which the layer does not have.`);
      out.push(j);
    }
    offsets[i + 1] = out.length;
  });
  return { offsets, neighbors: Int32Array.from(out) };
}

/** Moore (queen) or von Neumann neighbours on a rows × cols grid in vector_grid order, fixed edges, each list ascending. */
function gridNeighbours(rows: number, cols: number, queen: boolean): Csr {
  const n = rows * cols;
  const offsets = new Int32Array(n + 1);
  const out = new Int32Array(n * (queen ? 8 : 4));
  let w = 0;
  for (let c = 0, k = 0; c < cols; c++)
    for (let r = 0; r < rows; r++, k++) {
      // ascending cell index = column first, then row
      for (let dc = -1; dc <= 1; dc++)
        for (let dr = -1; dr <= 1; dr++) {
          if ((dr === 0 && dc === 0) || (!queen && dr !== 0 && dc !== 0)) continue;
          const rr = r + dr;
          const cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) out[w++] = cc * rows + rr;
        }
      offsets[k + 1] = w;
    }
  return { offsets, neighbors: out.slice(0, w) };
}

/** Area centroids of polygon features (first ring), as x, y pairs. */
function centroids(features: readonly VectorFeature[]): Float64Array {
  const xy = new Float64Array(2 * features.length);
  features.forEach((f, i) => {
    const g = f.geometry;
    const ring: readonly Position[] | undefined =
      g?.type === 'Polygon'
        ? (g.coordinates as Position[][])[0]
        : g?.type === 'MultiPolygon'
          ? (g.coordinates as Position[][][])[0]?.[0]
          : undefined;
    if (!ring || ring.length < 3) throw new InputError(`Feature ${i} is not a polygon: KNN neighbours are built from cell centroids.`);
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let j = 0; j < ring.length - 1; j++) {
      const [x0, y0] = ring[j];
      const [x1, y1] = ring[j + 1];
      const cross = x0 * y1 - x1 * y0;
      a += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    xy[2 * i] = cx / (3 * a);
    xy[2 * i + 1] = cy / (3 * a);
  });
  return xy;
}

/**
 * The k nearest other cells by centroid distance, nearest first; equal
 * distances are broken by cell index (libpysal's KD-tree breaks them its own
 * way, which differs at grid borders). A uniform bucket grid keeps it near-linear.
 */
export function knn(xy: Float64Array, k: number): Csr {
  const n = xy.length / 2;
  const offsets = new Int32Array(n + 1);
  const out = new Int32Array(n * Math.min(k, Math.max(0, n - 1)));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xy[2 * i]);
    maxX = Math.max(maxX, xy[2 * i]);
    minY = Math.min(minY, xy[2 * i + 1]);
    maxY = Math.max(maxY, xy[2 * i + 1]);
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(n / 2)));
  const bw = (maxX - minX) / side || 1;
  const bh = (maxY - minY) / side || 1;
  const bucketOf = (x: number, y: number) => [
    Math.min(side - 1, Math.floor((x - minX) / bw)),
    Math.min(side - 1, Math.floor((y - minY) / bh)),
  ];
  const buckets: number[][] = Array.from({ length: side * side }, () => []);
  for (let i = 0; i < n; i++) {
    const [bx, by] = bucketOf(xy[2 * i], xy[2 * i + 1]);
    buckets[by * side + bx].push(i);
  }
  let w = 0;
  const want = Math.min(k, n - 1);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    const [bx, by] = bucketOf(x, y);
    const cand: Array<[number, number]> = [];
    for (let ring = 0; ; ring++) {
      for (let yy = by - ring; yy <= by + ring; yy++)
        for (let xx = bx - ring; xx <= bx + ring; xx++) {
          if (Math.max(Math.abs(yy - by), Math.abs(xx - bx)) !== ring || xx < 0 || yy < 0 || xx >= side || yy >= side) continue;
          for (const j of buckets[yy * side + xx]) if (j !== i) cand.push([(xy[2 * j] - x) ** 2 + (xy[2 * j + 1] - y) ** 2, j]);
        }
      // every cell outside the rings searched is at least ring · min(bw, bh) away
      if (cand.length >= want) {
        cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const reach = ring * Math.min(bw, bh);
        if (cand[want - 1][0] <= reach * reach || ring >= side) break;
      } else if (ring >= side) break;
    }
    for (let m = 0; m < want; m++) out[w++] = cand[m][1];
    offsets[i + 1] = w;
  }
  return { offsets, neighbors: out.slice(0, w) };
}
