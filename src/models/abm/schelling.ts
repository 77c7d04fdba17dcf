/**
 * dissmodel-abm's SchellingModel (from TerraME's logo package): one agent per cell of a
 * grid, `agent_type` −1 (empty), 0 (red) or 1 (blue), Queen neighbours.
 *
 * Setup: n_empty = round(n · free_space) (Python's round), n_red = (n − n_empty) // 2, the
 * rest blue; the list [0…, 1…, −1…] is shuffled by `default_rng(seed)` and dealt to the
 * cells in grid order.
 *
 * Each tick (if some cell is empty): the cells are visited in an order shuffled by a new
 * generator; an agent with fewer than `preference` neighbours of its type moves to an empty
 * cell drawn with `integers(len(empty))` (popped from the list of empty cells; its old cell
 * is appended). QUIRK, kept: DisSModel's comment promises a snapshot, but the type map is
 * updated by each move, so later agents see earlier moves (and an agent can move twice).
 * `satisfaction` = the share of occupied cells with at least `preference` same-type
 * neighbours, after the tick.
 *
 * UNSEEDED in DisSModel: each tick's generator is `np.random.default_rng()` (OS entropy).
 * Here the k-th one (k = 0, 1, …, counting ticks that draw) is `default_rng(move_seed + k)`;
 * move_seed 1000 is the reference script's seeding.
 */
import type { Cells } from '../../sim/agent-grid.ts';
import { pythonRound } from '../../sim/libm.ts';
import { defaultRng } from '../../sim/numpy-generator.ts';
import { Model, type Environment } from '../kit/index.ts';

export const EMPTY = -1;

export class Schelling extends Model {
  /** agent_type per cell, in grid order. */
  readonly type: Int8Array;
  satisfaction = 0;
  private moves = 0;

  constructor(
    env: Environment,
    readonly grid: Cells,
    readonly preference: number,
    freeSpace: number,
    seed: number,
    private readonly moveSeed: number,
  ) {
    super(env);
    const n = grid.size;
    const nEmpty = pythonRound(n * freeSpace);
    const nRed = Math.floor((n - nEmpty) / 2);
    const nBlue = n - nEmpty - nRed;
    const types = [...new Array<number>(nRed).fill(0), ...new Array<number>(nBlue).fill(1), ...new Array<number>(nEmpty).fill(EMPTY)];
    defaultRng(seed).shuffle(types);
    this.type = Int8Array.from(types);
  }

  /** Same-type Queen neighbours of cell k in `types`. */
  private same(types: Int8Array, k: number, t: number): number {
    let s = 0;
    for (const nb of this.grid.neighbours(k)) if (types[nb] === t) s++;
    return s;
  }

  override execute(): void {
    const types = this.type.slice();
    const empty: number[] = [];
    for (let k = 0; k < types.length; k++) if (types[k] === EMPTY) empty.push(k);
    if (empty.length > 0) {
      const rng = defaultRng(this.moveSeed + this.moves++);
      const order = Array.from(types, (_, k) => k);
      rng.shuffle(order);
      for (const k of order) {
        const t = types[k];
        if (t === EMPTY || this.grid.neighbours(k).length === 0) continue;
        if (this.same(types, k, t) < this.preference && empty.length > 0) {
          const target = empty.splice(rng.integers(empty.length), 1)[0];
          types[k] = EMPTY;
          types[target] = t;
          empty.push(k);
        }
      }
      this.type.set(types);
    }
    this.satisfaction = this.fractionSatisfied();
  }

  /** The share of occupied cells with at least `preference` same-type neighbours (1 when none is occupied). */
  fractionSatisfied(): number {
    let occupied = 0;
    let satisfied = 0;
    for (let k = 0; k < this.type.length; k++) {
      const t = this.type[k];
      if (t === EMPTY) continue;
      occupied++;
      if (this.same(this.type, k, t) >= this.preference) satisfied++;
    }
    return occupied === 0 ? 1 : satisfied / occupied;
  }
}
