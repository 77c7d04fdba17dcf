/** Reading the coastal models' elevations (codes and masks: the kit's readCodes / readMask). */
import { InputError } from '../../executor/errors.ts';
import type { Where } from '../kit/index.ts';

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
