/**
 * A vector cellular space whose cells carry integer grid indices (`row`, `col`) → a raster
 * grid: DisSModel's `vector_to_raster_backend` as the LUCC executors use it (the "mock
 * raster" of `_build_mock_raster`, DISSMODEL-SPEC §5.5 and §6.4): shape (max(row)+1,
 * max(col)+1), raster row r = the cells with `row` = r (row 0 is the first raster row),
 * a `mask` band (float32 1 where a cell exists, 0 elsewhere) first, then one band per
 * attribute, in the order given, holding each cell's value and, where no cell is, the
 * attribute's fill (`nodataValue` when given, else the attribute's default).
 *
 * Pure (no Node, no DOM). Strict where DisSModel is silent: a row/col that is not a
 * non-negative integer, two cells on the same (row, col) (rasterio would let the last
 * win), a value that is not a number (booleans count as 1/0), and a grid above
 * MAX_RASTER_CELLS are errors, raised before the bands are allocated.
 */
import { InputError, LimitError } from '../executor/errors.ts';
import { allocate, type DType, type RasterBand, type RasterDataset, type VectorDataset } from '../sim/dataset.ts';
import { MAX_RASTER_CELLS } from './limits.ts';

export interface RowColRasterOptions {
  /** Attribute columns to burn: a list (each filled with `nodata`) or `{ column: fill }`. */
  attrs: readonly string[] | Readonly<Record<string, number>>;
  /** Default fill of listed attributes (DisSModel `nodata`). Default 0. */
  nodata?: number;
  /** Value outside the cells for every attribute (DisSModel `nodata_value`, −1 in the LUCC executors); default: each attribute's fill. */
  nodataValue?: number | null;
  /** Band type: 'float32' (default, as the LUCC mock raster), 'float64', or 'auto' = int32 when every value of the column is an integer, else float32 (§5.5). */
  dtype?: 'float32' | 'float64' | 'auto';
  /** Add the `mask` band (default true). */
  addMask?: boolean;
  /** Index columns. Defaults 'row' and 'col'. */
  rowColumn?: string;
  colColumn?: string;
}

/** For each feature, its linear cell index row * cols + col in the grid of `rows` × `cols`. */
export interface RowColIndex {
  rows: number;
  cols: number;
  cell: Int32Array;
}

function index(ds: VectorDataset, rowColumn: string, colColumn: string, maxCells: number): RowColIndex {
  for (const c of [rowColumn, colColumn]) {
    if (!ds.columns.includes(c)) {
      throw new InputError(
        `The cellular space has no column '${c}' (the cells' integer grid index). Columns: ${ds.columns.join(', ') || '(none)'}.`,
        c,
      );
    }
  }
  const n = ds.features.length;
  if (n === 0) throw new InputError('The cellular space has no cells to rasterise.');
  const rowOf = new Float64Array(n);
  const colOf = new Float64Array(n);
  let maxRow = 0;
  let maxCol = 0;
  for (let i = 0; i < n; i++) {
    const p = ds.features[i].properties;
    for (const [c, out] of [
      [rowColumn, rowOf],
      [colColumn, colOf],
    ] as const) {
      const v = p[c];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new InputError(`Cell ${i} has ${c} = ${JSON.stringify(v ?? null)}; grid indices must be non-negative integers.`, c);
      }
      out[i] = v;
    }
    if (rowOf[i] > maxRow) maxRow = rowOf[i];
    if (colOf[i] > maxCol) maxCol = colOf[i];
  }
  const rows = maxRow + 1;
  const cols = maxCol + 1;
  if (rows * cols > maxCells) {
    throw new LimitError(
      `The grid of ${rows} × ${cols} cells (from the largest ${rowColumn} and ${colColumn}) exceeds the limit of ${maxCells.toLocaleString('en-US')} cells.`,
    );
  }
  const cell = new Int32Array(n);
  const owner = new Int32Array(rows * cols).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = rowOf[i] * cols + colOf[i];
    if (owner[k] >= 0) {
      throw new InputError(
        `Cells ${owner[k]} and ${i} both sit at ${rowColumn} ${rowOf[i]}, ${colColumn} ${colOf[i]}; each grid position may hold one cell.`,
        rowColumn,
      );
    }
    owner[k] = i;
    cell[i] = k;
  }
  return { rows, cols, cell };
}

/** The (row, col) index of every cell of a vector cellular space (see RowColIndex). */
export function rowColIndex(ds: VectorDataset, rowColumn = 'row', colColumn = 'col', maxCells = MAX_RASTER_CELLS): RowColIndex {
  return index(ds, rowColumn, colColumn, maxCells);
}

/** Rasterise a vector cellular space by its row/col indices (see the module comment). */
export function rasterizeRowCol(ds: VectorDataset, opts: RowColRasterOptions, maxCells = MAX_RASTER_CELLS): RasterDataset {
  const nodata = opts.nodata ?? 0;
  const fills: [string, number][] = Array.isArray(opts.attrs)
    ? (opts.attrs as readonly string[]).map((a) => [a, nodata])
    : Object.entries(opts.attrs as Readonly<Record<string, number>>);
  const missing = fills.map(([a]) => a).filter((a) => !ds.columns.includes(a));
  if (missing.length) {
    throw new InputError(
      `The cellular space has no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}. Columns: ${ds.columns.join(', ')}.`,
      missing[0],
    );
  }
  const { rows, cols, cell } = index(ds, opts.rowColumn ?? 'row', opts.colColumn ?? 'col', maxCells);
  const size = rows * cols;
  const bands: RasterBand[] = [];
  if (opts.addMask ?? true) {
    const mask = new Float32Array(size);
    for (let i = 0; i < cell.length; i++) mask[cell[i]] = 1;
    bands.push({ name: 'mask', dtype: 'float32', data: mask, nodata: null });
  }
  const outside = opts.nodataValue ?? null;
  for (const [attr, fill] of fills) {
    const values = new Float64Array(cell.length);
    let integral = true;
    for (let i = 0; i < cell.length; i++) {
      const v = ds.features[i].properties[attr];
      const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new InputError(`Cell ${i} has ${attr} = ${JSON.stringify(v ?? null)}; rasterised attributes must be numbers.`, attr);
      }
      values[i] = x;
      if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) integral = false;
    }
    const want = opts.dtype ?? 'float32';
    const dtype: DType = want === 'auto' ? (integral ? 'int32' : 'float32') : want;
    const data = allocate(dtype, size);
    data.fill(outside ?? fill);
    for (let i = 0; i < cell.length; i++) data[cell[i]] = values[i];
    bands.push({ name: attr, dtype, data, nodata: outside });
  }
  return { kind: 'raster', width: cols, height: rows, bands, transform: null, epsg: ds.epsg, crsWkt: ds.crsWkt ?? null };
}
