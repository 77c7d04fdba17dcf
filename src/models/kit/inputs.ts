/**
 * Reading a model's inputs under their canonical names, with errors that say
 * what is wrong and where: raster bands (band_map, names, or positions for
 * unnamed bands), a vector layer's columns (column_map first, as DisSModel's
 * executors do), and small-integer state layers (0/1, 0/1/2…).
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

/** The bands of `fields` by canonical name (optional fields may be absent); InputError listing the bands the file has. */
export function rasterBands(ds: RasterDataset, fields: readonly CanonicalField[], bandMap: Readonly<Record<string, string>>) {
  const bands = selectBands(ds, fields, bandMap);
  return {
    /** A required band. */
    get: (name: string): RasterBand => bands.get(name)!,
    /** An optional band, or undefined. */
    find: (name: string): RasterBand | undefined => bands.get(name),
  };
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
