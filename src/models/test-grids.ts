/**
 * Small helpers for tests that drive models with the reference vectors
 * (tests/reference): 2-D `grid[r][c]` arrays (row 0 at the top) ⇄ datasets.
 */
import type { DType, GeoTransform, RasterDataset, TypedArray, VectorDataset } from '../sim/dataset.ts';
import { allocate } from '../sim/dataset.ts';

/** A RasterDataset whose bands are the given 2-D arrays, in key order. */
export function rasterFromGrids(
  grids: Record<string, number[][]>,
  dtypes: Record<string, DType> = {},
  opts: { transform?: GeoTransform | null; epsg?: number | null; unnamed?: boolean } = {},
): RasterDataset {
  const names = Object.keys(grids);
  const height = grids[names[0]].length;
  const width = grids[names[0]][0].length;
  const bands = names.map((name, k) => {
    const dtype = dtypes[name] ?? 'float64';
    const data = allocate(dtype, width * height);
    const flat = grids[name].flat();
    if (flat.length !== width * height) throw new Error(`grid ${name} is not ${height} × ${width}`);
    (data as { set(a: ArrayLike<number>): void }).set(flat);
    return { name: opts.unnamed ? `band_${k + 1}` : name, dtype, data, nodata: null };
  });
  return { kind: 'raster', width, height, bands, transform: opts.transform ?? null, epsg: opts.epsg ?? null };
}

/** Row-major values → `grid[r][c]`. */
export function toGrid(a: ArrayLike<number>, cols: number): number[][] {
  const rows = a.length / cols;
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from({ length: cols }, (_, c) => a[r * cols + c]));
  return out;
}

/**
 * For each feature of a layer of equal square-ish cells, its row-major raster
 * index (row 0 at the top), found from the geometry: the bounding-box centre's
 * position in the layer's extent. Lets tests compare a vector layer with
 * raster grids whatever its feature order.
 */
export function rasterIndexFromGeometry(ds: VectorDataset, rows: number, cols: number): Int32Array {
  const centres = ds.features.map((f) => {
    const xs: number[] = [];
    const ys: number[] = [];
    const visit = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') {
        xs.push(c[0] as number);
        ys.push(c[1] as number);
      } else if (Array.isArray(c)) for (const x of c) visit(x);
    };
    visit(f.geometry.coordinates);
    return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  });
  const xmin = Math.min(...centres.map((p) => p[0]));
  const xmax = Math.max(...centres.map((p) => p[0]));
  const ymin = Math.min(...centres.map((p) => p[1]));
  const ymax = Math.max(...centres.map((p) => p[1]));
  const dx = cols > 1 ? (xmax - xmin) / (cols - 1) : 1;
  const dy = rows > 1 ? (ymax - ymin) / (rows - 1) : 1;
  const out = new Int32Array(ds.features.length);
  const seen = new Set<number>();
  centres.forEach(([x, y], k) => {
    const c = Math.round((x - xmin) / dx);
    const r = Math.round((ymax - y) / dy);
    const idx = r * cols + c;
    if (seen.has(idx)) throw new Error(`two features map to raster cell (${r}, ${c})`);
    seen.add(idx);
    out[k] = idx;
  });
  return out;
}

/** Values in feature order → row-major raster order, via `rasterIndex`. */
export function featureToRaster(values: ArrayLike<number>, rasterIndex: Int32Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) out[rasterIndex[k]] = values[k];
  return out;
}

/** A typed array's values as plain numbers. */
export const plain = (a: TypedArray | ArrayLike<number>): number[] => Array.from(a as ArrayLike<number>);
