/**
 * The difference of two runs' outputs on one grid, as plain data (no DOM): the
 * grid check that refuses misaligned grids, then per cell either changed /
 * unchanged with a from → to count table (categorical bands) or b − a with its
 * range (continuous bands). Runs in the compare worker (diff-worker.ts) for
 * large grids; tested in Node.
 *
 * A cell holding its band's nodata value (or NaN) in either run is not compared:
 * it is counted as `nodata`, neither changed nor unchanged.
 */
import type { RasterBand, RasterDataset } from '../../sim/dataset.ts';

export type DiffKind = 'categorical' | 'continuous';

/** The code of a not-compared cell in a categorical difference. */
export const DIFF_NODATA = 255;
/** More distinct values than this in either run: no from → to table (the counts are still exact). */
export const MAX_CLASSES = 64;
/** Codes 0 … SMALL_CODES − 1 find their class in an array. */
const SMALL_CODES = 1024;

export interface Transition {
  from: number;
  to: number;
  count: number;
}

interface DiffCounts {
  /** Cells whose values differ (a !== b). */
  changed: number;
  unchanged: number;
  /** Cells not compared (nodata or NaN in either run). */
  nodata: number;
}

export interface CategoricalDiff extends DiffCounts {
  kind: 'categorical';
  /** Per cell: 0 unchanged, 1 changed, DIFF_NODATA not compared. */
  cells: Uint8Array;
  /** Every from → to pair that occurs (unchanged ones too), most frequent first; null beyond MAX_CLASSES values. */
  transitions: Transition[] | null;
}

export interface ContinuousDiff extends DiffCounts {
  kind: 'continuous';
  /** b − a per cell (float32 for display), NaN where not compared. */
  cells: Float32Array;
  /** Range of b − a over compared cells (computed in float64); null when no cell was compared. */
  min: number | null;
  max: number | null;
}

export type BandDiff = CategoricalDiff | ContinuousDiff;

/** The grid of a raster as the grid check sees it. */
type Grid = Pick<RasterDataset, 'width' | 'height' | 'transform' | 'affine' | 'epsg' | 'crsWkt'>;

const crsText = (g: Grid): string => (g.epsg !== null ? `EPSG:${g.epsg}` : g.crsWkt ? 'a custom CRS (WKT)' : 'no CRS');

function transformText(g: Grid): string {
  if (g.transform) {
    const t = g.transform;
    return `origin (${t.originX}, ${t.originY}), cell ${t.pixelWidth} × ${t.pixelHeight}`;
  }
  if (g.affine) return `affine [${g.affine.join(', ')}]`;
  return 'no georeferencing';
}

/**
 * Why two rasters are not on the same grid (shape, CRS, transform), or null when they are.
 * Exact comparison: two runs on one input keep its georeferencing bit for bit.
 */
export function gridMismatch(a: Grid, b: Grid): string | null {
  const refuse = (what: string, x: string, y: string) =>
    `The two runs are not on the same grid: ${what} differs (A: ${x}; B: ${y}). A difference is only computed cell by cell on one grid.`;
  if (a.width !== b.width || a.height !== b.height)
    return refuse('the shape', `${a.width} × ${a.height} cells`, `${b.width} × ${b.height} cells`);
  if (a.epsg !== b.epsg || (a.crsWkt ?? null) !== (b.crsWkt ?? null)) return refuse('the CRS', crsText(a), crsText(b));
  if (transformText(a) !== transformText(b)) return refuse('the transform', transformText(a), transformText(b));
  return null;
}

const skipped = (v: number, nodata: number | null): boolean => v !== v || v === nodata;

/** Changed / unchanged per cell, and the from → to table. */
export function diffCategorical(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  nodataA: number | null,
  nodataB: number | null,
): CategoricalDiff {
  if (a.length !== b.length) throw new Error(`The two bands have ${a.length} and ${b.length} cells.`);
  const n = a.length;
  const cells = new Uint8Array(n);
  let changed = 0;
  let nodata = 0;
  // Values → class index (first seen first); pair counts in a K × K table. Small non-negative
  // integers (every model's class codes) are looked up in an array, any other value in a Map.
  const small = new Int32Array(SMALL_CODES).fill(-1);
  const index = new Map<number, number>();
  const values: number[] = [];
  let counts: Float64Array | null = new Float64Array(MAX_CLASSES * MAX_CLASSES);
  const classOf = (v: number): number => {
    const direct = v >= 0 && v < SMALL_CODES && (v | 0) === v;
    let k = direct ? small[v] : (index.get(v) ?? -1);
    if (k < 0) {
      k = values.length;
      values.push(v);
      if (direct) small[v] = k;
      else index.set(v, k);
    }
    return k;
  };
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (skipped(x, nodataA) || skipped(y, nodataB)) {
      cells[i] = DIFF_NODATA;
      nodata++;
      continue;
    }
    if (x !== y) {
      cells[i] = 1;
      changed++;
    }
    if (counts) {
      const ka = classOf(x);
      const kb = classOf(y);
      if (values.length > MAX_CLASSES) counts = null;
      else counts[ka * MAX_CLASSES + kb]++;
    }
  }
  let transitions: Transition[] | null = null;
  if (counts) {
    transitions = [];
    for (let ka = 0; ka < values.length; ka++)
      for (let kb = 0; kb < values.length; kb++) {
        const count = counts[ka * MAX_CLASSES + kb];
        if (count > 0) transitions.push({ from: values[ka], to: values[kb], count });
      }
    transitions.sort((p, q) => q.count - p.count || p.from - q.from || p.to - q.to);
  }
  return { kind: 'categorical', cells, changed, unchanged: n - changed - nodata, nodata, transitions };
}

/** b − a per cell, with its range. */
export function diffContinuous(a: ArrayLike<number>, b: ArrayLike<number>, nodataA: number | null, nodataB: number | null): ContinuousDiff {
  if (a.length !== b.length) throw new Error(`The two bands have ${a.length} and ${b.length} cells.`);
  const n = a.length;
  const cells = new Float32Array(n);
  let changed = 0;
  let nodata = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (skipped(x, nodataA) || skipped(y, nodataB) || !Number.isFinite(x) || !Number.isFinite(y)) {
      cells[i] = Number.NaN;
      nodata++;
      continue;
    }
    const d = y - x;
    cells[i] = d;
    if (x !== y) changed++;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  const any = n - nodata > 0;
  return { kind: 'continuous', cells, changed, unchanged: n - changed - nodata, nodata, min: any ? min : null, max: any ? max : null };
}

export interface RasterDiff {
  band: string;
  /** Bands both outputs have (the choices for another difference). */
  bands: string[];
  diff: BandDiff;
}

/** Bands of A that B has too, in A's order. */
export function commonBands(a: RasterDataset, b: RasterDataset): string[] {
  const inB = new Set(b.bands.map((x) => x.name));
  return a.bands.map((x) => x.name).filter((name) => inB.has(name));
}

const bandOf = (ds: RasterDataset, name: string): RasterBand | undefined => ds.bands.find((x) => x.name === name);

/**
 * The difference of band `band` (default: the first band both have) of two rasters on one grid;
 * a mismatched grid or a missing band is an Error with the reason.
 */
export function diffRasters(a: RasterDataset, b: RasterDataset, band: string | null, kind: DiffKind): RasterDiff {
  const mismatch = gridMismatch(a, b);
  if (mismatch) throw new Error(mismatch);
  const bands = commonBands(a, b);
  if (bands.length === 0)
    throw new Error(
      `The two outputs share no band (A: ${a.bands.map((x) => x.name).join(', ')}; B: ${b.bands.map((x) => x.name).join(', ')}).`,
    );
  const name = band ?? bands[0];
  const ba = bandOf(a, name);
  const bb = bandOf(b, name);
  if (!ba || !bb) throw new Error(`Band ${name} is not in both outputs (they share ${bands.join(', ')}).`);
  const diff =
    kind === 'categorical'
      ? diffCategorical(ba.data, bb.data, ba.nodata, bb.nodata)
      : diffContinuous(ba.data, bb.data, ba.nodata, bb.nodata);
  return { band: name, bands, diff };
}
