/** The two substrates of the CLUE-like model as a {@link Space}: a float32 raster grid with its mask, or a vector layer's float64 columns. */
import { InputError } from '../../executor/errors.ts';
import type { RasterBand } from '../../sim/dataset.ts';
import type { Space, Values } from './clue.ts';
import { f32, f64 } from './numeric.ts';

/**
 * A raster space from bands (every band as float32, as DisSModel's `astype(np.float32)`;
 * `mask` = the valid cells, all cells when absent). The arrays keep the bands' order.
 */
export function rasterSpace(bands: readonly RasterBand[], size: number): Space {
  const arrays = new Map<string, Values>();
  for (const b of bands) arrays.set(b.name, b.data instanceof Float32Array ? b.data.slice() : Float32Array.from(b.data));
  const mask = arrays.get('mask');
  const valid: number[] = [];
  for (let k = 0; k < size; k++) if (!mask || mask[k] !== 0) valid.push(k);
  if (valid.length === 0) throw new InputError('The mask has no valid cell: there is nothing to allocate.', 'mask');
  return { size, valid: Int32Array.from(valid), arrays, R: f32, alloc: () => new Float32Array(size), vector: false };
}

/** A vector space from columns (float64, every feature valid). */
export function vectorSpace(columns: ReadonlyMap<string, ArrayLike<number>>, size: number): Space {
  const arrays = new Map<string, Values>();
  for (const [name, values] of columns) arrays.set(name, Float64Array.from(values));
  const valid = new Int32Array(size);
  for (let k = 0; k < size; k++) valid[k] = k;
  return { size, valid, arrays, R: f64, alloc: () => new Float64Array(size), vector: true };
}
