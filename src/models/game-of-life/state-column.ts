/**
 * Reading a small-integer `state` layer (Game of Life 0/1, fire 0/1/2) from a
 * raster band or a vector column, refusing any other value with a message that
 * names the cell. Shared by the cellular-automaton executors.
 */
import { InputError } from '../../executor/errors.ts';
import type { RasterBand } from '../../sim/dataset.ts';
import type { VectorGrid } from '../../sim/vector.ts';

const describeAllowed = (allowed: Readonly<Record<number, string>>): string =>
  Object.entries(allowed)
    .map(([v, label]) => `${v} (${label})`)
    .join(', ');

const show = (v: number): string => (Number.isNaN(v) ? 'an empty value' : String(v));

/** The band's values as bytes; InputError naming row and column for a value outside `allowed`. */
export function rasterStates(band: RasterBand, cols: number, allowed: Readonly<Record<number, string>>): Uint8Array {
  const out = new Uint8Array(band.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = band.data[i];
    if (allowed[v] === undefined) {
      throw new InputError(
        `Band '${band.name}' must hold only ${describeAllowed(allowed)}; found ${show(v)} at row ${Math.floor(i / cols)}, column ${i % cols}.`,
        'state',
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * The layer's `column` as bytes in feature order (after column_map was applied,
 * so under its canonical name); InputError naming the cell id and
 * feature number for a value outside `allowed`, and listing the columns (with a
 * column_map hint) when the column is missing or not numeric.
 */
export function vectorStates(grid: VectorGrid, column: string, allowed: Readonly<Record<number, string>>, canonical = 'state'): Uint8Array {
  if (!grid.hasColumn(column)) {
    const cols = grid.columnNames;
    const present = cols.includes(column);
    throw new InputError(
      (present
        ? `Column '${column}' is not numeric; it must hold ${describeAllowed(allowed)}.`
        : `The layer has no column '${column}'. Columns: ${cols.join(', ') || '(none)'}.`) +
        (column === canonical && cols.length && !present ? ` Map one with column_map, e.g. ${canonical}=${cols[0]}.` : ''),
      canonical,
    );
  }
  const values = grid.column(column);
  const out = new Uint8Array(grid.size);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (allowed[v] === undefined) {
      throw new InputError(
        `Column '${column}' must hold only ${describeAllowed(allowed)}; found ${show(v)} in cell '${grid.ids[i]}' (feature ${i}).`,
        canonical,
      );
    }
    out[i] = v;
  }
  return out;
}
