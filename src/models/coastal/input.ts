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
  type RasterInput,
  type Where,
} from '../kit/index.ts';
import { allocateCoastalState, CoastalCensus } from './raster-kernel.ts';
import { CoastalWasm } from './raster-kernel-wasm.ts';
import { orderNeighborsLikeMoore } from './vector-kernel.ts';
import { resolveEngine, type KernelEngine } from '../../sim/wasm/runtime.ts';

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
  reuse = false,
  into: CoastalState | null = null,
  release: (() => void) | null = null,
): {
  mask: Uint8Array | null;
  uso: Int16Array;
  alt: Float64Array;
  solo: Int16Array | null;
  census?: CoastalCensus;
} {
  const [min, max] = r.altRange ?? [undefined, undefined];
  const soloIn = reads(r, 'solo') ? get('solo') : null;
  const together = readTogether(r, get('uso'), get('alt'), soloIn, mask, float32, grid, reuse, where, into, release);
  if (together !== null) return { mask, ...together };
  return {
    mask,
    uso: readCodes(get('uso'), { name: 'uso', ...r.uso }, mask, where),
    alt: readElevation(get('alt'), { name: 'alt', float32, min, max }, mask, where),
    solo: soloIn !== null ? readCodes(soloIn, { name: 'solo', ...INT16 }, mask, where) : null,
  };
}

/** The arrays a raster's state is read into: allocateCoastalState's. */
type CoastalState = ReturnType<typeof allocateCoastalState>;

/**
 * State arrays in the WebAssembly kernel's memory for a rows × cols grid (allocateCoastalState), when that engine
 * will step it ('auto': WebAssembly runs here and the grid fits one memory), else null. Read into these, the
 * kernel steps them where they are: the bands are not read into arrays of their own and then copied in.
 */
function wasmState(rows: number, cols: number, has: { solo: boolean; mask: boolean }): CoastalState | null {
  const state = allocateCoastalState(rows, cols, has);
  return CoastalWasm.of(state.alt) !== undefined ? state : null;
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
 * With `reuse` (the run owns the bands' memory) alt may be made in the bands' own bytes (readInPlace).
 */
function readTogether(
  r: CoastalReading,
  usoIn: ArrayLike<number>,
  altIn: ArrayLike<number>,
  soloIn: ArrayLike<number> | null,
  mask: Uint8Array | null,
  float32: boolean,
  grid: { rows: number; cols: number } | null,
  reuse: boolean,
  where: Where,
  into: CoastalState | null,
  release: (() => void) | null,
): {
  uso: Int16Array;
  alt: Float64Array;
  solo: Int16Array | null;
  census?: CoastalCensus;
} | null {
  if (!isNumberArray(usoIn) || !exactInFloat(altIn, float32) || (soloIn !== null && !isNumberArray(soloIn))) return null;
  // the whole numbers the codes may take ([min, max] ∩ int16); the elevations' range
  const uLo = Math.max(Math.ceil(r.uso.min), INT16.min);
  const uHi = Math.min(Math.floor(r.uso.max), INT16.max);
  const aLo = r.altRange?.[0] ?? -Infinity;
  const aHi = r.altRange?.[1] ?? Infinity;
  if (!(uLo <= uHi) || !(aLo <= aHi)) return null;
  const n = usoIn.length;
  const overlay = into === null && reuse && grid !== null && grid.rows * grid.cols === n ? overlayFloat64(usoIn, altIn) : null;
  if (overlay !== null) {
    const bounds = { uLo, uHi, aLo, aHi };
    return readInPlace(usoIn as Float32Array, altIn as Float32Array, soloIn, overlay, mask, grid!, bounds, where);
  }
  const fits = into !== null && into.alt.length === n && (into.solo !== null) === (soloIn !== null);
  if (fits && release !== null && altIn instanceof Float32Array && grid !== null && grid.rows * grid.cols === n) {
    return readThroughHalf(usoIn, altIn, soloIn, into, mask, grid, { uLo, uHi, aLo, aHi }, where, release);
  }
  const uso = fits ? into.uso : new Int16Array(n);
  const alt = fits ? into.alt : new Float64Array(n);
  const solo = soloIn === null ? null : fits ? into.solo! : new Int16Array(n);
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

/**
 * The float64 array that alt can be made in, in place, when uso and alt are float32 bands stored one after the
 * other in one buffer (uso first, at a multiple of 8 bytes: the layout of an uncompressed band-separate GeoTIFF
 * read as views of its bytes, see geotiff-read.ts storedBand): their 8 bytes a cell are exactly alt's. Else null.
 */
function overlayFloat64(usoIn: TypedArray, altIn: TypedArray): Float64Array | null {
  const n = usoIn.length;
  if (!(usoIn instanceof Float32Array) || !(altIn instanceof Float32Array) || altIn.length !== n || altIn.buffer !== usoIn.buffer)
    return null;
  if (altIn.byteOffset !== usoIn.byteOffset + 4 * n || usoIn.byteOffset % 8 !== 0) return null;
  return new Float64Array(usoIn.buffer, usoIn.byteOffset, n);
}

/**
 * readTogether when alt's float64 array overlays the uso and alt float32 bands (overlayFloat64), whose memory the
 * run owns: at 4000² the file's bytes (128–192 MB) and fresh arrays beside them (160–192 MB) were held at once, 3×
 * the state; now alt takes the bands' bytes and only the int16 codes are new. First the codes, each into an array of
 * its own and checked (the bands are still intact: a bad code gives null and the readers name it, as before); then,
 * row by row, alt widened into the overlay — float64 cell i covers float32 cells 2i − n and 2i − n + 1 of alt, read
 * already (i ≥ n/2) or not alt at all (uso's, read in the first pass), so cells go in ascending order — checked,
 * and the row counted for the kernel. A bad elevation is readElevation's error for the same first cell (the uso
 * band is gone by then, so the readers could not run).
 */
function readInPlace(
  usoIn: Float32Array,
  altIn: Float32Array,
  soloIn: TypedArray | null,
  alt: Float64Array,
  mask: Uint8Array | null,
  grid: { rows: number; cols: number },
  bounds: { uLo: number; uHi: number; aLo: number; aHi: number },
  where: Where,
): {
  uso: Int16Array;
  alt: Float64Array;
  solo: Int16Array | null;
  census: CoastalCensus;
} | null {
  const n = alt.length;
  const uso = new Int16Array(n);
  const solo = soloIn === null ? null : new Int16Array(n);
  if (!readCodesTogether(usoIn, soloIn, uso, solo, mask, bounds.uLo, bounds.uHi)) return null;
  const census = widenCounting(altIn, alt, uso, solo, mask, grid, bounds, where);
  return { uso, alt, solo, census };
}

/**
 * readTogether into the WebAssembly kernel's memory (`into`) from bands whose memory the run owns (`release` lets it
 * go), holding as little at once as it can: the codes into the kernel's uso and solo, checked (a bad code gives
 * null while the bands are intact, as readInPlace); the float32 alt copied into the upper half of the kernel's alt;
 * the bands released; then, row by row, alt widened in place within the kernel's array (float64 cell i covers
 * float32 cells 2i − n and 2i − n + 1 of the copy, read already or not alt at all: readInPlace's order), checked,
 * and the row counted. Reading the file straight into the whole state held both at once (3.0–3.1× the state at
 * 4000²); now the file beside the codes and half of alt. A bad elevation is readElevation's error for its first cell.
 * Int16 code bands (a GeoTIFF's int16 uso and solo, as the benchmark's) are copied as they are and uso's range checked
 * in WebAssembly (CoastalWasm.firstCodeOutside), and alt is widened, checked and counted there (CoastalWasm.widenRow,
 * widenCounting cell for cell): at 4000² the JavaScript loops spent ~0.3–0.5 s per run (~8–11 ns a cell) in the codes,
 * the widening and the census.
 */
function readThroughHalf(
  usoIn: TypedArray,
  altIn: Float32Array,
  soloIn: TypedArray | null,
  into: CoastalState,
  mask: Uint8Array | null,
  grid: { rows: number; cols: number },
  bounds: { uLo: number; uHi: number; aLo: number; aHi: number },
  where: Where,
  release: () => void,
): { uso: Int16Array; alt: Float64Array; solo: Int16Array | null; census: CoastalCensus } | null {
  const { uso, alt, solo } = into;
  const n = alt.length;
  const engine = CoastalWasm.of(alt);
  if (engine !== undefined && usoIn instanceof Int16Array && (soloIn === null || soloIn instanceof Int16Array)) {
    // int16 codes are their own truncation (and any int16 is a valid solo): copied, and uso's range checked in WebAssembly
    uso.set(usoIn);
    if (solo !== null) solo.set(soloIn!);
    if (!(bounds.uLo <= INT16.min && bounds.uHi >= INT16.max) && engine.firstCodeOutside(bounds.uLo, bounds.uHi) >= 0) return null;
  } else if (!readCodesTogether(usoIn, soloIn, uso, solo, mask, bounds.uLo, bounds.uHi)) return null;
  const half = new Float32Array(alt.buffer, alt.byteOffset + 4 * n, n);
  half.set(altIn);
  release();
  if (engine === undefined) return { uso, alt, solo, census: widenCounting(half, alt, uso, solo, mask, grid, bounds, where) };
  // widened, checked and counted in WebAssembly, row by row (the same cells in the same order as widenCounting)
  for (let r = 0; r < grid.rows; r++) {
    const bad = engine.widenRow(r, grid.cols, bounds.aLo, bounds.aHi);
    if (bad >= 0) throw elevationError('alt', half[bad], bounds.aLo, bounds.aHi, where(bad));
  }
  const census = CoastalCensus.counted(grid.cols, solo !== null, engine, engine.counted());
  return { uso, alt, solo, census };
}

/**
 * alt widened from float32 `src` row by row (in ascending order: `src` may share alt's memory, as in readInPlace and
 * readThroughHalf), each row checked (a bad elevation is readElevation's error for its first cell) and counted.
 */
function widenCounting(
  src: Float32Array,
  alt: Float64Array,
  uso: Int16Array,
  solo: Int16Array | null,
  mask: Uint8Array | null,
  grid: { rows: number; cols: number },
  bounds: { aLo: number; aHi: number },
  where: Where,
): CoastalCensus {
  const census = new CoastalCensus(grid.rows, grid.cols, solo !== null);
  const { cols } = grid;
  for (let begin = 0, row = 0; begin < alt.length; begin += cols, row++) {
    const bad = widenRow(src, alt, mask, begin, begin + cols, bounds.aLo, bounds.aHi);
    if (bad >= 0) throw elevationError('alt', src[bad], bounds.aLo, bounds.aHi, where(bad));
    census.row(row, uso, alt, solo, mask);
  }
  return census;
}

/** uso (float32) and solo into int16 with readCells' conversions and checks; whether every valid cell passed. */
function readCodesTogether(
  usoIn: TypedArray,
  soloIn: TypedArray | null,
  uso: Int16Array,
  solo: Int16Array | null,
  mask: Uint8Array | null,
  uLo: number,
  uHi: number,
): boolean {
  const n = uso.length;
  for (let i = 0; i < n; i++) {
    const u = usoIn[i];
    const code = u | 0;
    uso[i] = code;
    let bad = u !== code || code < uLo || code > uHi;
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

/**
 * Cells begin … end − 1 of the float32 alt widened into `alt`, the float64 array over the same bytes (in ascending
 * order: see readInPlace); the first valid cell outside [aLo, aHi] or not finite, or −1.
 */
function widenRow(
  altIn: Float32Array,
  alt: Float64Array,
  mask: Uint8Array | null,
  begin: number,
  end: number,
  aLo: number,
  aHi: number,
): number {
  for (let i = begin; i < end; i++) {
    const a = altIn[i];
    if ((!(a >= aLo && a <= aHi) || a - a !== 0) && (mask === null || mask[i] !== 0)) return i; // before its write: cell i is still intact
    alt[i] = a;
  }
  return -1;
}

/**
 * Lets the memory of the bands read go once the state is in the WebAssembly kernel's memory and the run owns the
 * bands (Sim.reuseInput): each band's buffer is detached (its views, the dataset's bands, become empty; the output
 * takes only the bands' types and nodata from them), so the engine frees it at its next collection instead of
 * when the run is over. At 4000² the input file (122–183 MB) was otherwise held through the run beside the state
 * and, until collected, through the output's encoding. A buffer that cannot be detached (a pooled one, a shared
 * one, a host without structuredClone) is left as it is.
 */
function releaseBands(input: RasterInput): void {
  const transfer = (
    globalThis as {
      structuredClone?: (value: unknown, options: { transfer: ArrayBuffer[] }) => unknown;
    }
  ).structuredClone;
  if (transfer === undefined) return;
  const buffers = new Set<ArrayBuffer>();
  for (const band of input.bands.values()) if (band.data.buffer instanceof ArrayBuffer) buffers.add(band.data.buffer);
  if (input.outside !== null) buffers.delete(input.outside.buffer as ArrayBuffer); // still read by the output
  for (const buffer of buffers) {
    try {
      transfer(buffer, { transfer: [buffer] }); // the copy holding the memory is dropped at once
    } catch {
      // not transferable: kept
    }
  }
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
 * `engine` (the kernel's, default 'auto'): where it is WebAssembly the bands are read straight into the kernel's
 * memory (allocateCoastalState), and with `reuse` their buffers are then let go (releaseBands); with JavaScript
 * and `reuse`, alt may be made in the bands' own bytes (readInPlace). `engine` in the result is the one the
 * arrays were read for, for CoastalRaster.
 */
export function coastalRaster(
  ds: RasterDataset,
  bandMap: Readonly<Record<string, string>>,
  r: CoastalReading,
  float32: 'always' | 'band',
  reuse = false,
  engine: KernelEngine = 'auto',
) {
  let input = rasterBands(ds, r.fields, bandMap);
  const where = rasterWhere(ds.width);
  if (r.nodata === 'outside') input = nodataOutside(input);
  else for (const [name, band] of input.bands) refuseNodata(band, name, r.nodata.refuse, where);
  const maskBand = input.find('mask');
  const altFloat32 = float32 === 'always' || input.get('alt').dtype === 'float32';
  let mask = maskOutside(maskBand ? readMask(maskBand.data) : null, input.outside);
  // where the WebAssembly kernel steps the grid, the bands are read straight into its memory (mask included)
  const has = { solo: reads(r, 'solo'), mask: mask !== null };
  const state = resolveEngine(engine) === 'wasm' ? wasmState(ds.height, ds.width, has) : null;
  if (state !== null && mask !== null) {
    state.mask!.set(mask);
    mask = state.mask;
  }
  const grid = { rows: ds.height, cols: ds.width };
  let released = false;
  const release =
    reuse && state !== null
      ? () => {
          if (!released) releaseBands(input);
          released = true;
        }
      : null;
  const layers = read(r, (name) => input.get(name).data, mask, where, float32 === 'always', grid, reuse, state, release);
  if (release !== null && layers.alt === state!.alt) release();
  // the kernel steps with the engine read for: its memory's arrays, else JavaScript on the arrays read
  const stepWith: KernelEngine = state !== null ? 'wasm' : 'js';
  return {
    rows: ds.height,
    cols: ds.width,
    ...layers,
    altFloat32,
    input,
    engine: stepWith,
  };
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
      if (!Number.isFinite(v) || v < lo || v > hi) throw elevationError(opts.name, values[i], lo, hi, where(i));
    }
    out[i] = v;
  }
  return out;
}

/** readElevation's refusal of `value` (as the input holds it) at `at` (a Where's text). */
function elevationError(name: string, value: number, lo: number, hi: number, at: string): InputError {
  const range = Number.isFinite(lo) || Number.isFinite(hi) ? ` within [${lo}, ${hi}] m` : '';
  return new InputError(
    `'${name}' must hold elevations in metres${range}; found ${value} ${at}. ` +
      `Check that the right band/column is mapped to '${name}' (band_map / column_map).`,
    name,
  );
}
