/**
 * Reading the coastal models' inputs — uso, alt, optional solo and mask —
 * from a raster's bands or a vector layer's columns, checked, as the kernels take them.
 * A raster's nodata cells are outside the study area (a model with a mask) or refused.
 */
import { InputError } from '../../executor/errors.ts';
import type { RasterDataset, TypedArray, VectorDataset } from '../../sim/dataset.ts';
import {
  maskOutside,
  nodataOutside,
  rasterBands,
  rasterWhere,
  readCodes,
  readMask,
  refuseNodata,
  vectorCells,
  vectorWhere,
  type CanonicalField,
  type Where,
} from '../kit/index.ts';
import { CoastalCensus } from './raster-kernel.ts';
import { orderNeighborsLikeMoore } from './vector-kernel.ts';

/** What a model reads: its fields (uso, alt, and solo / mask if listed), the range of the uso codes, the plausible elevations. */
export interface CoastalReading {
  fields: readonly CanonicalField[];
  uso: { min: number; max: number };
  altRange?: readonly [number, number];
  /**
   * A raster cell where a band read holds its nodata value: 'outside' the study
   * area, exactly like mask = 0 (unchanged, never a source, not counted as a
   * neighbour, not checked; the output writes the nodata value back), or refused
   * by a rule without a mask (`refuse` names it in the message).
   */
  nodata: 'outside' | { refuse: string };
}

const reads = (r: CoastalReading, name: string) => r.fields.some((f) => f.name === name);

const INT16 = { min: -32768, max: 32767 };

function read(
  r: CoastalReading,
  get: (name: string) => ArrayLike<number>,
  mask: Uint8Array | null,
  where: Where,
  float32: boolean,
  grid: { rows: number; cols: number } | null,
): { mask: Uint8Array | null; uso: Int16Array; alt: Float64Array; solo: Int16Array | null; census?: CoastalCensus } {
  const [min, max] = r.altRange ?? [undefined, undefined];
  const together = readTogether(r, get('uso'), get('alt'), reads(r, 'solo') ? get('solo') : null, mask, float32, grid);
  if (together !== null) return { mask, ...together };
  return {
    mask,
    uso: readCodes(get('uso'), { name: 'uso', ...r.uso }, mask, where),
    alt: readElevation(get('alt'), { name: 'alt', float32, min, max }, mask, where),
    solo: reads(r, 'solo') ? readCodes(get('solo'), { name: 'solo', ...INT16 }, mask, where) : null,
  };
}

/**
 * uso, alt and solo (when read) in one pass over the cells, for typed arrays (raster bands) whose alt
 * values float64 holds exactly (and float32 too, with `float32`): per cell the same conversions as
 * readCodes and readElevation (the int16 store wraps as theirs) and their checks (a code is a whole
 * number when it equals its int32 truncation). For a raster (`grid`) each row is then counted for the
 * kernel (its CoastalCensus, while the row is still in the cache). At 4000² the three readers' separate
 * passes and the kernel's census each streamed the grid through memory; now each band is read once and
 * each array written once. Null when a valid cell fails a check (or for other inputs): the readers then
 * run one by one and name the first bad cell, as always (and the kernel counts for itself).
 */
function readTogether(
  r: CoastalReading,
  usoIn: ArrayLike<number>,
  altIn: ArrayLike<number>,
  soloIn: ArrayLike<number> | null,
  mask: Uint8Array | null,
  float32: boolean,
  grid: { rows: number; cols: number } | null,
): { uso: Int16Array; alt: Float64Array; solo: Int16Array | null; census?: CoastalCensus } | null {
  if (!isNumberArray(usoIn) || !exactInFloat(altIn, float32) || (soloIn !== null && !isNumberArray(soloIn))) return null;
  // the whole numbers the codes may take ([min, max] ∩ int16); the elevations' range
  const uLo = Math.max(Math.ceil(r.uso.min), INT16.min);
  const uHi = Math.min(Math.floor(r.uso.max), INT16.max);
  const aLo = r.altRange?.[0] ?? -Infinity;
  const aHi = r.altRange?.[1] ?? Infinity;
  if (!(uLo <= uHi) || !(aLo <= aHi)) return null;
  const n = usoIn.length;
  const uso = new Int16Array(n);
  const alt = new Float64Array(n);
  const solo = soloIn === null ? null : new Int16Array(n);
  // a raster's census for the kernel (a solo read is the mangrove's), each row counted right after it is written
  const census = grid && grid.rows * grid.cols === n ? new CoastalCensus(grid.rows, grid.cols, solo !== null) : null;
  const step = census ? census.cols : n;
  for (let begin = 0, row = 0; begin < n; begin += step, row++) {
    if (!readCells(usoIn, altIn, soloIn, uso, alt, solo, mask, begin, Math.min(n, begin + step), uLo, uHi, aLo, aHi)) return null;
    census?.row(row, uso, alt, solo, mask);
  }
  return census ? { uso, alt, solo, census } : { uso, alt, solo };
}

/** Cells begin … end − 1 of readTogether: converted, and whether every valid one passed the checks. */
function readCells(
  usoIn: TypedArray,
  altIn: TypedArray,
  soloIn: ArrayLike<number> | null,
  uso: Int16Array,
  alt: Float64Array,
  solo: Int16Array | null,
  mask: Uint8Array | null,
  begin: number,
  end: number,
  uLo: number,
  uHi: number,
  aLo: number,
  aHi: number,
): boolean {
  for (let i = begin; i < end; i++) {
    const u = usoIn[i];
    const code = u | 0; // stored as int16: ToInt16(u), as readCodes' store (both wrap the truncated value)
    uso[i] = code;
    const a = altIn[i];
    alt[i] = a;
    let bad = u !== code || code < uLo || code > uHi || !(a >= aLo && a <= aHi) || a - a !== 0; // v − v is 0 only when v is finite
    if (solo !== null) {
      const s = soloIn![i];
      const sc = s | 0;
      solo[i] = sc;
      bad ||= s !== sc || sc < -32768 || sc > 32767;
    }
    if (bad && (mask === null || mask[i] !== 0)) return false;
  }
  return true;
}

/** A typed array of numbers (a raster band's data; not a DataView or a BigInt array). */
function isNumberArray(values: ArrayLike<number>): values is TypedArray {
  return (
    values instanceof Float32Array ||
    values instanceof Float64Array ||
    values instanceof Int16Array ||
    values instanceof Uint8Array ||
    values instanceof Int8Array ||
    values instanceof Uint16Array ||
    values instanceof Int32Array ||
    values instanceof Uint32Array
  );
}

/** A typed array whose every value float64 holds exactly and, with `float32`, float32 too (so readElevation's rounding changes nothing). */
function exactInFloat(values: ArrayLike<number>, float32: boolean): values is TypedArray {
  return (
    values instanceof Float32Array ||
    values instanceof Int16Array ||
    values instanceof Uint8Array ||
    values instanceof Int8Array ||
    values instanceof Uint16Array ||
    (!float32 && (values instanceof Float64Array || values instanceof Int32Array || values instanceof Uint32Array))
  );
}

/**
 * A raster's layers (bands by canonical name: band_map, names, or positions
 * for unnamed bands). `altFloat32`: alt is read as float32 (BR-MANGUE always,
 * the benchmark when the band is float32), so the first step compares in float32 as numpy does.
 */
export function coastalRaster(ds: RasterDataset, bandMap: Readonly<Record<string, string>>, r: CoastalReading, float32: 'always' | 'band') {
  let input = rasterBands(ds, r.fields, bandMap);
  const where = rasterWhere(ds.width);
  if (r.nodata === 'outside') input = nodataOutside(input);
  else for (const [name, band] of input.bands) refuseNodata(band, name, r.nodata.refuse, where);
  const maskBand = input.find('mask');
  const altFloat32 = float32 === 'always' || input.get('alt').dtype === 'float32';
  const mask = maskOutside(maskBand ? readMask(maskBand.data) : null, input.outside);
  const layers = read(r, (name) => input.get(name).data, mask, where, float32 === 'always', { rows: ds.height, cols: ds.width });
  return { rows: ds.height, cols: ds.width, ...layers, altFloat32, input };
}

/** A vector layer's columns (after column_map) and its Queen neighbours, each list in DIRS_MOORE order (vector-kernel.ts). */
export function coastalLayer(ds: VectorDataset, columnMap: Readonly<Record<string, string>>, r: CoastalReading) {
  const cells = vectorCells(ds, r.fields, columnMap);
  const mask = reads(r, 'mask') && cells.hasColumn('mask') ? readMask(cells.column('mask')) : null;
  const layers = read(r, (name) => cells.column(name), mask, vectorWhere(cells), false, null);
  const nb = orderNeighborsLikeMoore(
    cells.neighborhood('queen'),
    cells.features.map((f) => f.geometry),
  );
  return { cells, ...layers, offsets: nb.offsets, neighbors: nb.neighbors };
}

/**
 * Elevations as float64. With `float32` the values are first rounded to
 * float32 (DisSModel's BR-MANGUE loads `alt` as float32 whatever the file
 * holds). Every valid cell must be a finite number within [min, max] when
 * given, else an InputError naming the value and the cell.
 */
export function readElevation(
  values: ArrayLike<number>,
  opts: { name: string; float32: boolean; min?: number; max?: number },
  valid: Uint8Array | null,
  where: Where,
): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const lo = opts.min ?? -Infinity;
  const hi = opts.max ?? Infinity;
  for (let i = 0; i < n; i++) {
    const v = opts.float32 ? Math.fround(values[i]) : values[i];
    if (valid === null || valid[i] !== 0) {
      if (!Number.isFinite(v) || v < lo || v > hi) {
        const range = Number.isFinite(lo) || Number.isFinite(hi) ? ` within [${lo}, ${hi}] m` : '';
        throw new InputError(
          `'${opts.name}' must hold elevations in metres${range}; found ${values[i]} ${where(i)}. ` +
            `Check that the right band/column is mapped to '${opts.name}' (band_map / column_map).`,
          opts.name,
        );
      }
    }
    out[i] = v;
  }
  return out;
}
