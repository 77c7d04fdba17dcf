/**
 * Reading and checking the coastal models' inputs (uso, alt, solo, mask) from
 * a raster's bands or a vector layer's columns, as typed arrays the steppers use.
 */
import { InputError } from '../../executor/errors.ts';

export interface CodeCheck {
  /** Canonical name, for messages. */
  name: string;
  min: number;
  max: number;
}

/**
 * Integer codes (DisSModel casts them with `astype(int16)`): every valid cell
 * must hold a whole number in [min, max], else an InputError naming the value
 * and the cell (`where(i)`).
 */
export function readCodes(values: ArrayLike<number>, check: CodeCheck, valid: Uint8Array | null, where: (i: number) => string): Int16Array {
  const n = values.length;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (valid === null || valid[i] !== 0) {
      if (!Number.isInteger(v) || v < check.min || v > check.max) {
        throw new InputError(
          `'${check.name}' must hold whole-number codes in [${check.min}, ${check.max}]; found ${v} at ${where(i)}.`,
          check.name,
        );
      }
    }
    out[i] = Number.isFinite(v) ? v : 0; // ToInt16: truncation, as numpy's astype(int16) for in-range values
  }
  return out;
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
  where: (i: number) => string,
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
          `'${opts.name}' must hold elevations in metres${range}; found ${values[i]} at ${where(i)}. ` +
            `Check that the right band/column is mapped to '${opts.name}' (band_map / column_map).`,
          opts.name,
        );
      }
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
