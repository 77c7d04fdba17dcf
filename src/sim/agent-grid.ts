/**
 * Agents on a grid, one per cell (dissmodel-abm's Schelling and Barros models): the cells
 * of DisSModel's `vector_grid(dimension=(n_cols, n_rows), resolution=1)` in its order and
 * with its ids, an integer attribute per cell, and the cells' Queen neighbours.
 *
 * - Cell order is vector_grid's **column-major** order (for each column from the left,
 *   each row from the bottom) and a cell's id is `"row-col"` with row 0 at the bottom;
 *   "in gdf order" in DisSModel means this order, and random draws follow it.
 * - Queen neighbours are the up-to-8 cells sharing an edge or a corner, listed in cell
 *   order. (libpysal lists them in an order that depends on Python's string hashing, so it
 *   changes between processes; a model that picks a neighbour by position can be given
 *   libpysal's lists instead: `withNeighbours`.)
 * - The map of the grid is a raster, north up: raster row 0 is the top row.
 *
 * `Cells` is what a one-agent-per-cell model needs from any substrate: a `CellGrid`
 * (optionally placed on a raster's georeferencing) or the polygons of a vector layer
 * (`LayerCells`, with Queen neighbours from shared edges or corners).
 */
import type { GeoJSONGeometry, Position, RasterDataset } from './dataset.ts';
import type { VectorGrid } from './vector.ts';

/** Cells with agents: ids in order, centroids, Queen neighbours, the centre of the whole layer. */
export interface Cells {
  readonly size: number;
  readonly ids: readonly string[];
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  /** The centroid of the union of all cells. */
  readonly center: readonly [number, number];
  neighbours(k: number): Int32Array;
  cellOf(id: string): number;
}

export class CellGrid implements Cells {
  /** Cell ids ("row-col"), in cell order. */
  readonly ids: string[];
  /** Row (0 = bottom) and column of each cell, in cell order. */
  readonly row: Int32Array;
  readonly col: Int32Array;
  /** Cell centroids (unit cells from the origin: col + 0.5, row + 0.5). */
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  private readonly byId: Map<string, number>;
  private neighbourLists: Int32Array[];
  readonly center: readonly [number, number];

  /**
   * A grid of nCols × nRows cells: unit cells from the origin (vector_grid(dimension,
   * resolution=1)), or on `raster`'s georeferencing (vector_grid(bounds, resolution) over its
   * extent; a rotated grid through its affine transform).
   */
  constructor(
    readonly nCols: number,
    readonly nRows: number,
    raster?: Pick<RasterDataset, 'transform' | 'affine'>,
  ) {
    if (!Number.isInteger(nCols) || !Number.isInteger(nRows) || nCols < 1 || nRows < 1) {
      throw new RangeError(`A grid needs at least one column and one row, got ${nCols} × ${nRows}.`);
    }
    const n = nCols * nRows;
    this.ids = new Array(n);
    this.row = new Int32Array(n);
    this.col = new Int32Array(n);
    this.cx = new Float64Array(n);
    this.cy = new Float64Array(n);
    this.byId = new Map();
    let k = 0;
    for (let c = 0; c < nCols; c++) {
      for (let r = 0; r < nRows; r++) {
        this.ids[k] = `${r}-${c}`;
        this.row[k] = r;
        this.col[k] = c;
        [this.cx[k], this.cy[k]] = cellCentre(r, c, nRows, raster);
        this.byId.set(this.ids[k], k);
        k++;
      }
    }
    this.neighbourLists = this.queen();
    this.center = raster ? cellCentre((nRows - 1) / 2, (nCols - 1) / 2, nRows, raster) : [nCols / 2, nRows / 2];
  }

  get size(): number {
    return this.ids.length;
  }

  /** The cell of row r (0 = bottom), column c. */
  cellAt(r: number, c: number): number {
    return c * this.nRows + r;
  }

  /** The cell with this id, or an error naming the grid's extent. */
  cellOf(id: string): number {
    const k = this.byId.get(id);
    if (k === undefined) {
      throw new RangeError(
        `No cell '${id}' in the ${this.nCols} × ${this.nRows} grid (ids are "row-col", rows 0–${this.nRows - 1}, columns 0–${this.nCols - 1}).`,
      );
    }
    return k;
  }

  private queen(): Int32Array[] {
    const out: Int32Array[] = new Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const r0 = this.row[k];
      const c0 = this.col[k];
      const list: number[] = [];
      for (let c = c0 - 1; c <= c0 + 1; c++) {
        for (let r = r0 - 1; r <= r0 + 1; r++) {
          if ((r === r0 && c === c0) || r < 0 || c < 0 || r >= this.nRows || c >= this.nCols) continue;
          list.push(this.cellAt(r, c));
        }
      }
      out[k] = Int32Array.from(list);
    }
    return out;
  }

  /** The Queen neighbours of cell k (cell positions), in the grid's list order. */
  neighbours(k: number): Int32Array {
    return this.neighbourLists[k];
  }

  /**
   * Use these neighbour lists (by cell id, e.g. libpysal's, as DisSModel's
   * `create_neighborhood(neighbors_dict=…)`); every cell must be listed, with cells of the grid only.
   */
  withNeighbours(lists: Readonly<Record<string, readonly string[]>>): this {
    const out: Int32Array[] = new Array(this.size);
    for (let k = 0; k < this.size; k++) {
      const l = lists[this.ids[k]];
      if (!l) throw new RangeError(`The neighbour lists name no neighbours for cell '${this.ids[k]}'.`);
      out[k] = Int32Array.from(l, (id) => this.cellOf(id));
    }
    this.neighbourLists = out;
    return this;
  }

  /** A per-cell value in raster order (row 0 at the top), for maps and GeoTIFFs. */
  toRaster(values: ArrayLike<number>): Int8Array {
    const out = new Int8Array(this.size);
    for (let k = 0; k < this.size; k++) out[(this.nRows - 1 - this.row[k]) * this.nCols + this.col[k]] = values[k];
    return out;
  }
}

/** The centre of the cell in row r (0 = bottom), column c. */
function cellCentre(r: number, c: number, nRows: number, raster?: Pick<RasterDataset, 'transform' | 'affine'>): [number, number] {
  const top = nRows - 1 - r; // raster row
  const a = raster?.affine;
  if (a) return [a[0] + (c + 0.5) * a[1] + (top + 0.5) * a[2], a[3] + (c + 0.5) * a[4] + (top + 0.5) * a[5]];
  const t = raster?.transform;
  if (t)
    return [t.originX + c * t.pixelWidth + t.pixelWidth / 2, t.originY - nRows * t.pixelHeight + r * t.pixelHeight + t.pixelHeight / 2];
  return [c + 0.5, r + 0.5];
}

/** Area and area-weighted centroid of a ring (shoelace), signed. */
function ringMoments(ring: readonly Position[]): [number, number, number] {
  let a = 0;
  let sx = 0;
  let sy = 0;
  const [ox, oy] = ring[0] ?? [0, 0];
  for (let i = 0; i + 1 < ring.length; i++) {
    const x1 = ring[i][0] - ox;
    const y1 = ring[i][1] - oy;
    const x2 = ring[i + 1][0] - ox;
    const y2 = ring[i + 1][1] - oy;
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    sx += (x1 + x2) * cross;
    sy += (y1 + y2) * cross;
  }
  return [a / 2, sx / 6 + (ox * a) / 2, sy / 6 + (oy * a) / 2];
}

/** Area and area-weighted centroid sums of a polygonal geometry (holes subtracted). */
function moments(g: GeoJSONGeometry): [number, number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let a = 0;
  let sx = 0;
  let sy = 0;
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const [ra, rx, ry] = ringMoments(ring);
      // shell counts positive, holes negative, whatever the winding
      const sign = (i === 0 ? 1 : -1) * Math.sign(ra || 1);
      a += sign * ra;
      sx += sign * rx;
      sy += sign * ry;
    });
  }
  return [a, sx, sy];
}

/** The polygons of a vector layer as cells: feature order, polygon centroids, the layer's Queen neighbours. */
export class LayerCells implements Cells {
  readonly size: number;
  readonly ids: readonly string[];
  readonly cx: Float64Array;
  readonly cy: Float64Array;
  readonly center: readonly [number, number];

  constructor(readonly layer: VectorGrid) {
    this.size = layer.size;
    this.ids = layer.ids;
    this.cx = new Float64Array(this.size);
    this.cy = new Float64Array(this.size);
    let area = 0;
    let sx = 0;
    let sy = 0;
    layer.features.forEach((f, k) => {
      const [a, x, y] = f.geometry ? moments(f.geometry) : [0, 0, 0];
      if (!(a > 0)) throw new RangeError(`Feature '${this.ids[k]}' is not a polygon with an area: cells of an agent grid are polygons.`);
      this.cx[k] = x / a;
      this.cy[k] = y / a;
      area += a;
      sx += x;
      sy += y;
    });
    this.center = [sx / area, sy / area];
  }

  neighbours(k: number): Int32Array {
    return this.layer.neighborsOf(k, 'queen');
  }

  cellOf(id: string): number {
    const k = this.layer.indexOf(id);
    if (k < 0) throw new RangeError(`No cell '${id}' in the layer (its ids are the features' ids, e.g. '${this.ids[0]}').`);
    return k;
  }
}
