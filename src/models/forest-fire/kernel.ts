/**
 * Forest fire (states 0 forest, 1 burning, 2 burned) on a fixed-boundary grid:
 * one synchronous step from `cur` into `next` (bytes, row-major). A burning
 * cell burns out; a forest cell with a burning neighbour catches fire; every
 * other cell keeps its state. Cells outside the grid are not burning.
 *
 * Inputs must hold only 0, 1 and 2 (the executor checks): then "burning" is
 * bit 0 of the state and the new state is LUT[state·2 + anyBurningNeighbour].
 *
 * Moore: per row, the burning bits of the three rows are OR-ed per column, and
 * a 3-column window slides along the row (the cell itself is included in the
 * window, which changes nothing: a burning cell becomes burned regardless).
 * Von Neumann: up | down | left | right. Both return the counts of burning and
 * burned cells in `next` (written to `counts`: [burning, burned]).
 */
const NEXT = new Uint8Array([0, 1, 2, 2, 2, 2]); // index state * 2 + (burning neighbour ? 1 : 0)

export function fireStepMoore(
  cur: Uint8Array,
  next: Uint8Array,
  rows: number,
  cols: number,
  colOr: Uint8Array,
  counts: Int32Array,
): void {
  let burning = 0;
  let burned = 0;
  colOr[0] = 0;
  colOr[cols + 1] = 0;
  for (let i = 0; i < rows; i++) {
    const mid = i * cols;
    const up = mid - cols;
    const dn = mid + cols;
    if (i > 0 && i < rows - 1) {
      for (let j = 0; j < cols; j++) colOr[j + 1] = (cur[up + j] | cur[mid + j] | cur[dn + j]) & 1;
    } else {
      const hasUp = i > 0;
      const hasDn = i < rows - 1;
      for (let j = 0; j < cols; j++) {
        colOr[j + 1] = ((hasUp ? cur[up + j] : 0) | cur[mid + j] | (hasDn ? cur[dn + j] : 0)) & 1;
      }
    }
    let left = 0;
    let center = colOr[1];
    for (let j = 0; j < cols; j++) {
      const right = colOr[j + 2];
      const v = NEXT[(cur[mid + j] << 1) | left | center | right];
      next[mid + j] = v;
      burning += v & 1;
      burned += v >> 1;
      left = center;
      center = right;
    }
  }
  counts[0] = burning;
  counts[1] = burned;
}

export function fireStepVonNeumann(
  cur: Uint8Array,
  next: Uint8Array,
  rows: number,
  cols: number,
  counts: Int32Array,
): void {
  let burning = 0;
  let burned = 0;
  for (let i = 0; i < rows; i++) {
    const mid = i * cols;
    const up = mid - cols;
    const dn = mid + cols;
    const inner = i > 0 && i < rows - 1;
    for (let j = 0; j < cols; j++) {
      const k = mid + j;
      let nb: number;
      if (inner && j > 0 && j < cols - 1) {
        nb = (cur[up + j] | cur[dn + j] | cur[k - 1] | cur[k + 1]) & 1;
      } else {
        nb =
          ((i > 0 ? cur[up + j] : 0) |
            (i < rows - 1 ? cur[dn + j] : 0) |
            (j > 0 ? cur[k - 1] : 0) |
            (j < cols - 1 ? cur[k + 1] : 0)) &
          1;
      }
      const v = NEXT[(cur[k] << 1) | nb];
      next[k] = v;
      burning += v & 1;
      burned += v >> 1;
    }
  }
  counts[0] = burning;
  counts[1] = burned;
}

/**
 * The same rule over an arbitrary neighbourhood in CSR form (`offsets` of
 * length n + 1 into `neighbors`), as on a vector layer.
 */
export function fireStepGraph(
  cur: Uint8Array,
  next: Uint8Array,
  offsets: Int32Array | Uint32Array,
  neighbors: Int32Array | Uint32Array,
  counts: Int32Array,
): void {
  let burning = 0;
  let burned = 0;
  const n = cur.length;
  for (let k = 0; k < n; k++) {
    const s = cur[k];
    let v: number;
    if (s !== 0) v = 2;
    else {
      v = 0;
      for (let e = offsets[k], end = offsets[k + 1]; e < end; e++) {
        if (cur[neighbors[e]] === 1) {
          v = 1;
          break;
        }
      }
    }
    next[k] = v;
    burning += v & 1;
    burned += v >> 1;
  }
  counts[0] = burning;
  counts[1] = burned;
}

export function countStates(state: Uint8Array, counts: Int32Array): void {
  let burning = 0;
  let burned = 0;
  for (let i = 0; i < state.length; i++) {
    const v = state[i];
    burning += v & 1;
    burned += v >> 1;
  }
  counts[0] = burning;
  counts[1] = burned;
}
