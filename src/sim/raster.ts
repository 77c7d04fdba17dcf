/**
 * Raster neighbourhood primitives on row-major typed arrays, with DisSModel's
 * semantics: fixed boundary (cells outside the grid are 0, no wrap-around),
 * `shift2d(a, dr, dc)` means out[i+dr, j+dc] = a[i, j].
 */
import { allocate, dtypeOf, type TypedArray } from './dataset.ts';

export type Direction = readonly [number, number];

/** DisSModel's DIRS_MOORE, in this exact order. */
export const MOORE: readonly Direction[] = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

/** DisSModel's DIRS_VON_NEUMANN. */
export const VON_NEUMANN: readonly Direction[] = [
  [-1, 0],
  [0, -1],
  [0, 1],
  [1, 0],
];

export type NeighborhoodName = 'moore' | 'von_neumann';
export const directions = (n: NeighborhoodName): readonly Direction[] => (n === 'moore' ? MOORE : VON_NEUMANN);

/** out[i+dr, j+dc] = a[i, j]; vacated cells are 0. Same array type as the input. */
export function shift2d<T extends TypedArray>(a: T, rows: number, cols: number, dr: number, dc: number, out?: T): T {
  const o = (out ?? allocate(dtypeOf(a), rows * cols)) as T;
  if (out) o.fill(0);
  const r0 = Math.max(0, dr);
  const r1 = Math.min(rows, rows + dr);
  const c0 = Math.max(0, dc);
  const c1 = Math.min(cols, cols + dc);
  if (c1 <= c0) return o;
  for (let i = r0; i < r1; i++) {
    const src = (i - dr) * cols + (c0 - dc);
    o.set(a.subarray(src, src + (c1 - c0)), i * cols + c0);
  }
  return o;
}

/**
 * For each cell, Σ over directions of the neighbour value that shift2d brings
 * in (the neighbour at (i - dr, j - dc)); out-of-grid neighbours count 0.
 * Float64, as DisSModel's focal_sum.
 */
export function focalSum(
  a: ArrayLike<number>,
  rows: number,
  cols: number,
  dirs: readonly Direction[] = MOORE,
  out: Float64Array = new Float64Array(rows * cols),
): Float64Array {
  out.fill(0);
  for (const [dr, dc] of dirs) {
    const r0 = Math.max(0, dr);
    const r1 = Math.min(rows, rows + dr);
    const c0 = Math.max(0, dc);
    const c1 = Math.min(cols, cols + dc);
    for (let i = r0; i < r1; i++) {
      const src = (i - dr) * cols - dc;
      const dst = i * cols;
      for (let j = c0; j < c1; j++) out[dst + j] += a[src + j];
    }
  }
  return out;
}

/** Number of neighbours where `mask` is non-zero (DisSModel's focal_sum_mask). */
export function focalCount(
  mask: ArrayLike<number>,
  rows: number,
  cols: number,
  dirs: readonly Direction[] = MOORE,
  out: Int32Array = new Int32Array(rows * cols),
): Int32Array {
  out.fill(0);
  for (const [dr, dc] of dirs) {
    const r0 = Math.max(0, dr);
    const r1 = Math.min(rows, rows + dr);
    const c0 = Math.max(0, dc);
    const c1 = Math.min(cols, cols + dc);
    for (let i = r0; i < r1; i++) {
      const src = (i - dr) * cols - dc;
      const dst = i * cols;
      for (let j = c0; j < c1; j++) if (mask[src + j] !== 0) out[dst + j]++;
    }
  }
  return out;
}

/**
 * Whether any neighbour satisfies `cond` (non-zero). With `dirs` null: a 3×3
 * dilation that includes the cell itself (DisSModel's default); with a list:
 * neighbours only.
 */
export function neighborContact(
  cond: ArrayLike<number>,
  rows: number,
  cols: number,
  dirs: readonly Direction[] | null = null,
  out: Uint8Array = new Uint8Array(rows * cols),
): Uint8Array {
  out.fill(0);
  const list: readonly Direction[] = dirs ?? [[0, 0], ...MOORE];
  for (const [dr, dc] of list) {
    const r0 = Math.max(0, dr);
    const r1 = Math.min(rows, rows + dr);
    const c0 = Math.max(0, dc);
    const c1 = Math.min(cols, cols + dc);
    for (let i = r0; i < r1; i++) {
      const src = (i - dr) * cols - dc;
      const dst = i * cols;
      for (let j = c0; j < c1; j++) if (cond[src + j] !== 0) out[dst + j] = 1;
    }
  }
  return out;
}

/** Count cells equal to `value`. */
export function countEqual(a: ArrayLike<number>, value: number): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === value) n++;
  return n;
}
