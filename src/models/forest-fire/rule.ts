/**
 * The deterministic forest fire of dissmodel-ca (FireModel / FireModelRaster).
 * States: FOREST 0, BURNING 1, BURNED 2. In whole-array statements over the
 * raster vocabulary (src/sim/raster.ts), with `dirs` Moore or von Neumann:
 *
 *   near   = focal_sum_mask(state == BURNING, dirs) > 0        fixed edges
 *   state' = where(state == BURNING, BURNED, where(state == FOREST & near, BURNING, state))
 *
 * This is the readable rule; a raster runs the bit-parallel kernel
 * (bit-kernel.ts), which the tests hold equal to this, step by step.
 */
import { focalCount, type Direction } from '../../sim/raster.ts';

export const FOREST = 0;
export const BURNING = 1;
export const BURNED = 2;
export const FIRE_STATES = { 0: 'forest', 1: 'burning', 2: 'burned' } as const;

export function fireRule(state: Uint8Array, rows: number, cols: number, dirs: readonly Direction[]): Uint8Array {
  const near = focalCount(
    state.map((s) => +(s === BURNING)),
    rows,
    cols,
    dirs,
  );
  return state.map((s, i) => (s === BURNING ? BURNED : s === FOREST && near[i] > 0 ? BURNING : s));
}

/**
 * The same rule over neighbour lists in CSR form (a vector layer's Rook or
 * Queen): one synchronous step from `cur` into `next`; `counts` = [burning, burned] of `next`.
 */
export function fireRuleGraph(cur: Uint8Array, next: Uint8Array, offsets: Int32Array, neighbors: Int32Array, counts: Int32Array): void {
  let burning = 0;
  let burned = 0;
  for (let i = 0; i < cur.length; i++) {
    let s = cur[i];
    if (s !== FOREST) s = BURNED;
    else {
      for (let k = offsets[i]; k < offsets[i + 1]; k++) {
        if (cur[neighbors[k]] === BURNING) {
          s = BURNING;
          break;
        }
      }
    }
    next[i] = s;
    burning += +(s === BURNING);
    burned += +(s === BURNED);
  }
  counts[0] = burning;
  counts[1] = burned;
}

/** counts = [burning, burned] of `state`. */
export function countFire(state: Uint8Array, counts: Int32Array): void {
  let burning = 0;
  let burned = 0;
  for (let i = 0; i < state.length; i++) {
    burning += +(state[i] === BURNING);
    burned += +(state[i] === BURNED);
  }
  counts[0] = burning;
  counts[1] = burned;
}
