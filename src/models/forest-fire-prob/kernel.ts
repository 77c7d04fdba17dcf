/**
 * The probabilistic forest fire of dissmodel-ca (FireModelProb), one
 * synchronous step. States: FOREST 0, BURNING 1, BURNED 2.
 *
 *   FOREST  → BURNING if any neighbour is BURNING (no draw);
 *             else BURNING if random() <= prob_combustion, else FOREST (one draw)
 *   BURNING → BURNED (no draw)
 *   BURNED  → FOREST if random() <= prob_regrowth, else BURNED (one draw)
 *
 * Cells are evaluated in index order (for a vector layer: the feature order,
 * which is the GeoDataFrame order DisSModel maps the rule over), so the random
 * draws are consumed exactly as the Python rule consumes the global `random`.
 */
import { PythonRandom, SeededRandom } from '../../sim/random.ts';
import { BURNED, BURNING, FOREST } from '../forest-fire/rule.ts';

export { BURNED, BURNING, FIRE_STATES, FOREST } from '../forest-fire/rule.ts';

/** Neighbour lists in CSR form (cell i's are neighbors[offsets[i] .. offsets[i+1])). */
export interface CsrNeighbors {
  readonly offsets: ArrayLike<number>;
  readonly neighbors: ArrayLike<number>;
}

export interface FireCounts {
  forest: number;
  burning: number;
  burned: number;
}

export interface FireProbabilities {
  probCombustion: number;
  probRegrowth: number;
}

export function countStates(state: Uint8Array): FireCounts {
  const c = [0, 0, 0];
  for (let i = 0; i < state.length; i++) c[state[i]]++;
  return { forest: c[0], burning: c[1], burned: c[2] };
}

function applyRule(s: number, burningNeighbor: boolean, p: FireProbabilities, random: () => number): number {
  if (s === FOREST) {
    if (burningNeighbor) return BURNING;
    return random() <= p.probCombustion ? BURNING : FOREST;
  }
  if (s === BURNING) return BURNED;
  return random() <= p.probRegrowth ? FOREST : BURNED;
}

/** One step over cells with CSR neighbours (vector layers, Queen). */
export function fireStepCsr(cur: Uint8Array, next: Uint8Array, csr: CsrNeighbors, p: FireProbabilities, random: () => number): void {
  const { offsets, neighbors } = csr;
  for (let i = 0; i < cur.length; i++) {
    const s = cur[i];
    let burningNeighbor = false;
    if (s === FOREST) {
      for (let k = offsets[i], end = offsets[i + 1]; k < end; k++) {
        if (cur[neighbors[k]] === BURNING) {
          burningNeighbor = true;
          break;
        }
      }
    }
    next[i] = applyRule(s, burningNeighbor, p, random);
  }
}

/** One step on a row-major grid with the Moore neighbourhood and fixed edges (cells outside are not burning). */
export function fireStepGrid(
  cur: Uint8Array,
  next: Uint8Array,
  rows: number,
  cols: number,
  p: FireProbabilities,
  random: () => number,
): void {
  for (let r = 0; r < rows; r++) {
    const r0 = r > 0 ? r - 1 : r;
    const r1 = r < rows - 1 ? r + 1 : r;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const s = cur[i];
      let burningNeighbor = false;
      if (s === FOREST) {
        const c0 = c > 0 ? c - 1 : c;
        const c1 = c < cols - 1 ? c + 1 : c;
        // the cell itself is FOREST, so including it in the window changes nothing
        search: for (let rr = r0; rr <= r1; rr++) {
          const base = rr * cols;
          for (let cc = c0; cc <= c1; cc++) {
            if (cur[base + cc] === BURNING) {
              burningNeighbor = true;
              break search;
            }
          }
        }
      }
      next[i] = applyRule(s, burningNeighbor, p, random);
    }
  }
}

/** A uniform [0, 1) source and the matching initial fill for the chosen generator. */
export interface FireRandom {
  random: () => number;
  /** n cells, BURNING with probability d, else FOREST. */
  fill: (n: number, d: number) => Uint8Array;
}

export function fireRandom(kind: 'python' | 'fast', seed: number): FireRandom {
  if (kind === 'python') {
    const py = new PythonRandom(seed);
    return {
      random: () => py.random(),
      fill: (n, d) => Uint8Array.from(py.choices([FOREST, BURNING], [1 - d, d], n)),
    };
  }
  const sr = new SeededRandom(seed);
  return {
    random: () => sr.next(),
    fill: (n, d) => {
      const out = new Uint8Array(n);
      const forest = 1 - d;
      for (let i = 0; i < n; i++) out[i] = sr.next() < forest ? FOREST : BURNING;
      return out;
    },
  };
}
