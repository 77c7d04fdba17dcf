/**
 * dissmodel-abm's PeripherisationModel (Barros & Alves Jr. 2003): one agent per cell, three
 * income groups — red 0 (high), yellow 1 (middle), blue 2 (low) — and a queue of agents
 * still looking for a place.
 *
 * Setup (`default_rng(seed)`): every cell empty (−1), the seed cells red (default: the cell
 * whose centre is nearest the grid's centre, the first in grid order on ties); n_agents
 * (default: cells − seeds) split as round(n·p_red), round(n·p_yellow) (Python's round) and
 * the rest blue, in that order, then shuffled: the queue.
 *
 * Each tick, with the red target = the mean centre of the red cells (computed once, before
 * the moves): up to agents_per_step agents leave the front of the queue; each enters next
 * to a random occupied cell (an `integers` draw for the cell, one for its neighbour; a random
 * cell when none is occupied), walks `steps` steps to a Queen neighbour chosen with
 * probability ∝ 1/(distance to the target + 0.1) (`choice(k, p)`; uniformly by `integers`
 * when there is no red cell) and tries to settle: red anywhere, yellow anywhere but on red,
 * blue only on an empty cell. An evicted occupant, or an agent that could not settle, goes
 * to the back of the queue.
 *
 * The walk picks neighbours BY POSITION in the neighbour list, so the list order matters;
 * DisSModel's comes from libpysal and changes between Python processes (string hashing).
 * Here the grid's own order is used unless the lists are given (`CellGrid.withNeighbours`);
 * on a vector layer, the layer's Queen lists (src/sim/vector.ts).
 */
import type { Cells } from '../../sim/agent-grid.ts';
import { glibcHypot, pythonRound } from '../../sim/libm.ts';
import { defaultRng, pairwiseSum, type NumpyGenerator } from '../../sim/numpy-generator.ts';
import { Model, type Environment } from '../kit/index.ts';

export const EMPTY = -1;
export const RED = 0;
export const YELLOW = 1;
export const BLUE = 2;

export interface PeripherisationRules {
  steps: number;
  proportions: readonly [number, number, number];
  /** Default: one per cell that is not a seed. */
  nAgents: number | null;
  agentsPerStep: number;
  /** Cell ids ("row-col"); default: the central cell. */
  seedCells: readonly string[] | null;
  seed: number;
}

export class Peripherisation extends Model {
  /** group per cell, in grid order. */
  readonly group: Int8Array;
  /** Groups of the agents still looking for a cell, front first. */
  readonly pending: number[];
  red = 0;
  yellow = 0;
  blue = 0;
  pendingCount = 0;
  readonly seedCells: string[];
  private readonly rng: NumpyGenerator;

  constructor(
    env: Environment,
    readonly grid: Cells,
    readonly rules: PeripherisationRules,
  ) {
    super(env);
    const [pRed, pYellow] = rules.proportions;
    if (Math.abs(rules.proportions[0] + rules.proportions[1] + rules.proportions[2] - 1) > 1e-6) {
      throw new RangeError(`proportions must sum to 1.0, got (${rules.proportions.join(', ')})`);
    }
    this.rng = defaultRng(rules.seed);
    this.group = new Int8Array(grid.size).fill(EMPTY);
    this.seedCells = rules.seedCells ? [...rules.seedCells] : [grid.ids[this.centralCell()]];
    for (const id of this.seedCells) this.group[grid.cellOf(id)] = RED;
    const n = rules.nAgents ?? grid.size - this.seedCells.length;
    const nRed = pythonRound(n * pRed);
    const nYellow = pythonRound(n * pYellow);
    const nBlue = n - nRed - nYellow;
    this.pending = [
      ...new Array<number>(Math.max(0, nRed)).fill(RED),
      ...new Array<number>(Math.max(0, nYellow)).fill(YELLOW),
      ...new Array<number>(Math.max(0, nBlue)).fill(BLUE),
    ];
    this.rng.shuffle(this.pending);
    this.count();
  }

  /** The cell whose centre is nearest the centre of the whole grid (first in grid order on ties). */
  private centralCell(): number {
    const g = this.grid;
    const [ox, oy] = g.center;
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < g.size; k++) {
      const dx = g.cx[k] - ox;
      const dy = g.cy[k] - oy;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  }

  override execute(): void {
    if (this.pending.length > 0) {
      const target = this.redCentre();
      const n = Math.min(this.rules.agentsPerStep, this.pending.length);
      for (let i = 0; i < n; i++) {
        const g = this.pending.shift()!;
        const cell = this.walk(target);
        if (!this.settle(cell, g)) this.pending.push(g);
      }
    }
    this.count();
  }

  /** The mean centre of the red cells (np.mean), or null when there is none. */
  private redCentre(): [number, number] | null {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < this.group.length; k++) {
      if (this.group[k] === RED) {
        xs.push(this.grid.cx[k]);
        ys.push(this.grid.cy[k]);
      }
    }
    return xs.length ? [pairwiseSum(xs) / xs.length, pairwiseSum(ys) / ys.length] : null;
  }

  /** Where a new agent starts: a random neighbour of a random occupied cell (any cell when none is occupied). */
  private entry(): number {
    const occupied: number[] = [];
    for (let k = 0; k < this.group.length; k++) if (this.group[k] !== EMPTY) occupied.push(k);
    if (occupied.length === 0) return this.rng.integers(this.grid.size);
    const anchor = occupied[this.rng.integers(occupied.length)];
    const neighs = this.grid.neighbours(anchor);
    return neighs.length ? neighs[this.rng.integers(neighs.length)] : anchor;
  }

  /** The biased walk of `steps` Queen steps towards the red target. */
  private walk(target: [number, number] | null): number {
    let current = this.entry();
    for (let s = 0; s < this.rules.steps; s++) {
      const neighs = this.grid.neighbours(current);
      if (neighs.length === 0) break;
      if (target) {
        const w = Array.from(neighs, (nb) => 1 / (glibcHypot(this.grid.cx[nb] - target[0], this.grid.cy[nb] - target[1]) + 0.1));
        const total = pairwiseSum(w);
        current = neighs[this.rng.choice(neighs.length, { p: w.map((v) => v / total) })];
      } else current = neighs[this.rng.integers(neighs.length)];
    }
    return current;
  }

  /** Red settles anywhere, yellow anywhere but on red, blue on an empty cell; an evicted occupant rejoins the queue. */
  private settle(cell: number, g: number): boolean {
    const current = this.group[cell];
    const can = g === RED ? true : g === YELLOW ? current !== RED : current === EMPTY;
    if (!can) return false;
    if (current !== EMPTY) this.pending.push(current);
    this.group[cell] = g;
    return true;
  }

  private count(): void {
    let red = 0;
    let yellow = 0;
    let blue = 0;
    for (const v of this.group) {
      if (v === RED) red++;
      else if (v === YELLOW) yellow++;
      else if (v === BLUE) blue++;
    }
    this.red = red;
    this.yellow = yellow;
    this.blue = blue;
    this.pendingCount = this.pending.length;
  }
}
