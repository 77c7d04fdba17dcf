/**
 * Reading a model's inputs under their canonical names, with errors that say
 * what is wrong and where: raster bands (band_map, names, or positions for
 * unnamed bands), a vector layer's columns (column_map first, as DisSModel's
 * executors do), small-integer state layers (0/1, 0/1/2…), and the cells a
 * raster declares as nodata: refused by a rule that has no holes, or taken as
 * outside the study area by one that has a mask (raster outputs then write the
 * nodata value back there, see outputs.ts).
 */
import { InputError } from '../../executor/errors.ts';
import type { CanonicalField } from '../../executor/executor.ts';
import { selectBands } from '../../io/dataset.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { RasterBand, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { VectorGrid } from '../../sim/vector.ts';

/** Says where cell i is, for messages ("at row 3, column 5", "in cell '60-5' (feature 380)"). */
export type Where = (i: number) => string;

export const rasterWhere =
  (cols: number): Where =>
  (i) =>
    `at row ${Math.floor(i / cols)}, column ${i % cols}`;

export const vectorWhere =
  (grid: VectorGrid): Where =>
  (i) =>
    `in cell '${grid.ids[i]}' (feature ${i})`;

/** A raster's bands under the model's canonical names; what a raster output inherits its bands' type and nodata from. */
export interface RasterInput {
  /** The dataset read (its grid and georeferencing). */
  readonly ds: RasterDataset;
  /** The bands found, by canonical name. */
  readonly bands: ReadonlyMap<string, RasterBand>;
  /** A required band. */
  get(name: string): RasterBand;
  /** An optional band, or undefined. */
  find(name: string): RasterBand | undefined;
  /** 1 where a band holds its nodata value and the model takes the cell as outside the study area (see {@link nodataOutside}), else null. */
  readonly outside: Uint8Array | null;
}

/** The bands of `fields` by canonical name (optional fields may be absent); InputError listing the bands the file has. */
export function rasterBands(ds: RasterDataset, fields: readonly CanonicalField[], bandMap: Readonly<Record<string, string>>): RasterInput {
  const bands = selectBands(ds, fields, bandMap);
  return { ds, bands, get: (name) => bands.get(name)!, find: (name) => bands.get(name), outside: null };
}

/** Whether `v` is the band's nodata value (NaN matches a NaN nodata). */
export function isNodata(band: RasterBand, v: number): boolean {
  const nd = band.nodata;
  return nd !== null && (v === nd || (Number.isNaN(nd) && Number.isNaN(v)));
}

/** 1 where any of the bands holds its nodata value, or null when no cell does. */
export function nodataCells(bands: Iterable<RasterBand>): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const b of bands) {
    if (b.nodata === null) continue;
    const d = b.data;
    for (let i = 0; i < d.length; i++) if (isNodata(b, d[i])) (out ??= new Uint8Array(d.length))[i] = 1;
  }
  return out;
}

/**
 * For a model with a study area (a mask): a cell where any band read holds its
 * nodata value is outside it, as if the mask were 0. The result's `outside`
 * marks those cells; the raster output writes each band's nodata value back there.
 */
export function nodataOutside(input: RasterInput): RasterInput {
  return { ...input, outside: nodataCells(input.bands.values()) };
}

/** `mask` (1 = valid, or null: all valid) with the `outside` cells set to 0; null when both are null. */
export function maskOutside(mask: Uint8Array | null, outside: Uint8Array | null): Uint8Array | null {
  if (outside === null) return mask;
  const out = mask ?? new Uint8Array(outside.length).fill(1);
  for (let i = 0; i < outside.length; i++) if (outside[i] !== 0) out[i] = 0;
  return out;
}

/**
 * For a model whose rule has no holes: a cell holding the band's nodata value
 * is an InputError naming the band, the value and the cell (`model` says who
 * refuses, e.g. 'Game of Life'). A nodata value that is one of the model's own
 * codes (`isCode`, e.g. 0 in a 0/1 band) is taken as that code, as the file states it.
 */
export function refuseNodata(
  band: RasterBand,
  field: string,
  model: string,
  where: Where,
  isCode: (v: number) => boolean = () => false,
): void {
  const nd = band.nodata;
  if (nd === null || isCode(nd)) return;
  const d = band.data;
  for (let i = 0; i < d.length; i++) {
    if (isNodata(band, d[i])) {
      throw new InputError(
        `Band '${band.name}' is nodata (${String(nd)}) ${where(i)}: ${model} has no rule for cells without data. ` +
          'Fill them (e.g. gdal_fillnodata.py, or gdal_calc.py) or crop them away first.',
        field,
      );
    }
  }
}

/**
 * A vector layer as cells after column_map, checking that the required
 * canonical columns exist and are numeric (InputError naming the missing ones,
 * listing the columns the layer has, with a column_map hint).
 */
export function vectorCells(ds: VectorDataset, fields: readonly CanonicalField[], columnMap: Readonly<Record<string, string>>): VectorGrid {
  const mapped = Object.keys(columnMap).length > 0 ? applyColumnMap(ds, columnMap) : ds;
  const grid = new VectorGrid(mapped);
  const names = grid.columnNames;
  const missing = fields.filter((f) => f.required !== false && !names.includes(f.name));
  if (missing.length > 0) {
    throw new InputError(
      `The layer has no column ${missing.map((f) => `'${f.name}'`).join(', ')}. Columns: ${names.join(', ') || '(none)'}.` +
        (names.length ? ` Map one with column_map, e.g. ${missing[0].name}=${names[0]}.` : ''),
      missing[0].name,
    );
  }
  for (const f of fields) {
    if (names.includes(f.name) && !grid.hasColumn(f.name)) {
      throw new InputError(`Column '${f.name}' is not numeric: it must hold numbers (${f.description}).`, f.name);
    }
  }
  if (grid.size === 0) throw new InputError('The layer has no features.');
  return grid;
}

const show = (v: number): string => (Number.isNaN(v) ? 'an empty value' : String(v));

/**
 * A state layer as bytes; a value that is not a key of `allowed` (value →
 * label, e.g. {0: 'dead', 1: 'alive'}) is an InputError naming it and the cell.
 */
export function readStates(values: ArrayLike<number>, name: string, allowed: Readonly<Record<number, string>>, where: Where): Uint8Array {
  return checkedStates(values, name, allowed, where, true);
}

/**
 * readStates without the copy: the very bytes given when they are a Uint8Array of states (read only —
 * the caller must not write to them, they may be the input band or the input file's own bytes), else
 * readStates' fresh array. For a model that reads the states once into its own arrays (bit planes).
 */
export function viewStates(values: ArrayLike<number>, name: string, allowed: Readonly<Record<number, string>>, where: Where): Uint8Array {
  return checkedStates(values, name, allowed, where, false);
}

function checkedStates(
  values: ArrayLike<number>,
  name: string,
  allowed: Readonly<Record<number, string>>,
  where: Where,
  copy: boolean,
): Uint8Array {
  // Bytes whose codes are 0..max (every state model's): checked 4 at a time (then copied, if asked). Any
  // other input, or a byte out of range, takes the loop below, which decides (and names the cell) as always.
  const max = contiguousMax(allowed);
  if (values instanceof Uint8Array && max >= 0 && bytesAtMost(values, max)) return copy ? values.slice() : values;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (allowed[v] === undefined) {
      const list = Object.entries(allowed)
        .map(([k, label]) => `${k} (${label})`)
        .join(', ');
      throw new InputError(`'${name}' must hold only ${list}; found ${show(v)} ${where(i)}.`, name);
    }
    out[i] = v;
  }
  return out;
}

/** K when the codes are exactly 0, 1, …, K with K < 128; else -1. */
function contiguousMax(allowed: Readonly<Record<number, string>>): number {
  const keys = Object.keys(allowed);
  for (let k = 0; k < keys.length; k++) if (keys[k] !== String(k) || allowed[k] === undefined) return -1;
  return keys.length > 0 && keys.length <= 128 ? keys.length - 1 : -1;
}

/** Whether every byte is ≤ max (< 128): per 4-byte word, a byte's high bit after adding 127 − max to its low 7 bits, or its own. */
function bytesAtMost(bytes: Uint8Array, max: number): boolean {
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  const n = bytes.length;
  const start = Math.min(head, n);
  for (let i = 0; i < start; i++) if (bytes[i] > max) return false;
  const count = (n - start) >>> 2;
  const words = count > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + start, count) : new Uint32Array(0);
  const add = Math.imul(127 - max, 0x01010101);
  let acc = 0;
  for (let i = 0; i < words.length; i++) {
    const x = words[i];
    acc |= ((x & 0x7f7f7f7f) + add) | x;
  }
  if ((acc & 0x80808080) !== 0) return false;
  for (let i = start + words.length * 4; i < n; i++) if (bytes[i] > max) return false;
  return true;
}

/**
 * A raster band of states (readStates), its nodata cells refused first unless
 * the nodata value is one of the states (refuseNodata; `model` names who refuses).
 */
export function readStateBand(
  band: RasterBand,
  name: string,
  allowed: Readonly<Record<number, string>>,
  where: Where,
  model: string,
): Uint8Array {
  refuseNodata(band, name, model, where, (v) => allowed[v] !== undefined);
  return readStates(band.data, name, allowed, where);
}

/** readStateBand without the copy (see {@link viewStates}): the band's own bytes when they are states. Read only. */
export function viewStateBand(
  band: RasterBand,
  name: string,
  allowed: Readonly<Record<number, string>>,
  where: Where,
  model: string,
): Uint8Array {
  refuseNodata(band, name, model, where, (v) => allowed[v] !== undefined);
  return viewStates(band.data, name, allowed, where);
}

/** A band of states whose check a model may fold into its own pass over them (see {@link deferStateBand}). */
export interface DeferredStates {
  /** The states as bytes (read only): the band's own bytes, or viewStateBand's checked copy. */
  bytes: Uint8Array;
  /**
   * Throws viewStateBand's InputError (naming the first cell that is not a state) if `bytes` holds one;
   * a model runs it, or a pass of its own that shows every byte is a state (e.g. the largest byte read).
   */
  check: () => void;
}

/**
 * viewStateBand with the state check left to the model: the band's nodata is refused now; when the
 * band is bytes of the codes 0, 1, …, K its bytes are given as they are and `check` runs viewStates'
 * check (a model that packs them into bit planes reads every byte anyway and keeps the largest, so it
 * checks them without a pass of its own); any other band is checked and converted now (`check` is then
 * a no-op). The same error, naming the same cell, as viewStateBand.
 */
export function deferStateBand(
  band: RasterBand,
  name: string,
  allowed: Readonly<Record<number, string>>,
  where: Where,
  model: string,
): DeferredStates {
  refuseNodata(band, name, model, where, (v) => allowed[v] !== undefined);
  const values = band.data;
  if (values instanceof Uint8Array && contiguousMax(allowed) >= 0)
    return { bytes: values, check: () => void viewStates(values, name, allowed, where) };
  return { bytes: viewStates(values, name, allowed, where), check: () => {} };
}

/** A validity mask (1 = valid) from a band/column: non-zero is valid, as numpy's astype(bool) (NaN is valid). */
export function readMask(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  return out;
}

/**
 * Integer codes as int16 (DisSModel casts them with `astype(int16)`): every
 * valid cell must hold a whole number in [min, max], else an InputError naming
 * the value and the cell.
 */
export function readCodes(
  values: ArrayLike<number>,
  check: { name: string; min: number; max: number },
  valid: Uint8Array | null,
  where: Where,
): Int16Array {
  const n = values.length;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (valid === null || valid[i] !== 0) {
      if (!Number.isInteger(v) || v < check.min || v > check.max) {
        throw new InputError(
          `'${check.name}' must hold whole-number codes in [${check.min}, ${check.max}]; found ${v} ${where(i)}.`,
          check.name,
        );
      }
    }
    out[i] = Number.isFinite(v) ? v : 0; // ToInt16: truncation, as numpy's astype(int16) for in-range values
  }
  return out;
}
