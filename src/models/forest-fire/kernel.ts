/**
 * Forest fire (states 0 forest, 1 burning, 2 burned) over an arbitrary
 * neighbourhood: a burning cell burns out; a forest cell with a burning
 * neighbour catches fire; every other cell keeps its state. Inputs hold only
 * 0, 1 and 2 (the executor checks). The raster kernel is bit-kernel.ts.
 */
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
