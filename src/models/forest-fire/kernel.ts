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
 *
 * When a row is a whole number of 32-bit words (cols % 4 == 0, little-endian
 * host, aligned arrays) four cells are done at once (SWAR): the burning bits
 * sit at bit 0 of each byte, neighbours across bytes are shifts by 8, across
 * words by 24; otherwise a byte loop with a lookup table does the same.
 */
const NEXT = new Uint8Array([0, 1, 2, 2, 2, 2]); // index state * 2 + (burning neighbour ? 1 : 0)
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW = 0x01010101; // bit 0 of every byte

const wordsOk = (cur: Uint8Array, next: Uint8Array, cols: number): boolean =>
  LITTLE_ENDIAN && cols % 4 === 0 && cur.byteOffset % 4 === 0 && next.byteOffset % 4 === 0;

/** Four cells per word; `moore` chooses the neighbourhood. */
function fireStepWords(cur8: Uint8Array, next8: Uint8Array, rows: number, cols: number, moore: boolean, counts: Int32Array): void {
  const K = cols >> 2;
  const cur = new Uint32Array(cur8.buffer, cur8.byteOffset, rows * K);
  const next = new Uint32Array(next8.buffer, next8.byteOffset, rows * K);
  let burning = 0;
  let burned = 0;
  for (let r = 0; r < rows; r++) {
    const mid = r * K;
    const hasUp = r > 0;
    const hasDn = r < rows - 1;
    const up = mid - K;
    const dn = mid + K;
    // h: what a word contributes sideways — the column OR (Moore) or the row's own burning bits (von Neumann)
    let hPrev = 0;
    let hCur = cur[mid] & LOW;
    if (moore) hCur |= ((hasUp ? cur[up] : 0) | (hasDn ? cur[dn] : 0)) & LOW;
    for (let k = 0; k < K; k++) {
      let hNext = 0;
      if (k + 1 < K) {
        hNext = cur[mid + k + 1] & LOW;
        if (moore) hNext |= ((hasUp ? cur[up + k + 1] : 0) | (hasDn ? cur[dn + k + 1] : 0)) & LOW;
      }
      let nb = hCur | (hCur << 8) | (hCur >>> 8) | (hPrev >>> 24) | (hNext << 24);
      if (!moore) nb |= ((hasUp ? cur[up + k] : 0) | (hasDn ? cur[dn + k] : 0)) & LOW;
      const w = cur[mid + k];
      const z = (w | (w >>> 1)) & LOW; // 1 where the state is not forest
      const out = (z << 1) | (nb & LOW & ~z); // burning/burned → 2; forest → 1 if a neighbour burns
      next[mid + k] = out;
      burning += Math.imul(out & LOW, LOW) >>> 24;
      burned += Math.imul((out >>> 1) & LOW, LOW) >>> 24;
      hPrev = hCur;
      hCur = hNext;
    }
  }
  counts[0] = burning;
  counts[1] = burned;
}

export function fireStepMoore(
  cur: Uint8Array,
  next: Uint8Array,
  rows: number,
  cols: number,
  colOr: Uint8Array,
  counts: Int32Array,
): void {
  if (wordsOk(cur, next, cols)) {
    fireStepWords(cur, next, rows, cols, true, counts);
    return;
  }
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
  if (wordsOk(cur, next, cols)) {
    fireStepWords(cur, next, rows, cols, false, counts);
    return;
  }
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
