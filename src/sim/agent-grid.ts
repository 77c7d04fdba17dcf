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
 */

export class CellGrid {
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

  constructor(
    readonly nCols: number,
    readonly nRows: number,
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
        this.cx[k] = c + 0.5;
        this.cy[k] = r + 0.5;
        this.byId.set(this.ids[k], k);
        k++;
      }
    }
    this.neighbourLists = this.queen();
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
