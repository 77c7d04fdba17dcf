/**
 * How a dissmodel-ca model is written here: a scheduler Model over a
 * CellSpace whose `rule(i)` reads the start-of-tick states (DisSModel's
 * CellularAutomaton: `gdf[state] = gdf.index.map(rule)`, synchronous), or
 * that overrides `execute` when DisSModel's does (Snow, SolidDiffusion,
 * Wolfram). `count(i, value)` and `any(i, test)` are DisSModel's
 * `neighbor_values(idx, state) == value` idioms.
 */
import { Model, type Environment } from '../../sim/scheduler.ts';
import type { Csr, CellSpace, NeighbourKind } from './space.ts';

export abstract class CellularAutomaton extends Model {
  /** The states after the last tick, in cell order. */
  state: Uint8Array;
  /** The states the current tick reads (start of tick). */
  protected old: Uint8Array;
  protected readonly nb: Csr | null;

  constructor(
    env: Environment,
    readonly space: CellSpace,
    initial: Uint8Array,
    neighbourhood: NeighbourKind | null,
  ) {
    super(env);
    this.state = initial.slice();
    this.old = new Uint8Array(initial.length);
    this.nb = neighbourhood ? space.neighbours(neighbourhood) : null;
  }

  /** The next state of cell i, from `this.old`. */
  protected rule(i: number): number {
    return this.old[i];
  }

  override execute(): void {
    [this.old, this.state] = [this.state, this.old];
    for (let i = 0; i < this.state.length; i++) this.state[i] = this.rule(i);
  }

  /** Neighbours of cell i holding `value` (start of tick). */
  protected count(i: number, value: number): number {
    const nb = this.nb!;
    let c = 0;
    for (let k = nb.offsets[i]; k < nb.offsets[i + 1]; k++) if (this.old[nb.neighbors[k]] === value) c++;
    return c;
  }

  /** Whether some neighbour of cell i has a state passing `test` (start of tick). */
  protected any(i: number, test: (s: number) => boolean): boolean {
    const nb = this.nb!;
    for (let k = nb.offsets[i]; k < nb.offsets[i + 1]; k++) if (test(this.old[nb.neighbors[k]])) return true;
    return false;
  }

  /** Cells per state, for the per-step chart. */
  tally(labels: readonly string[]): Record<string, number> {
    const counts = new Array<number>(labels.length).fill(0);
    for (const s of this.state) counts[s]++;
    return Object.fromEntries(labels.map((l, s) => [l, counts[s]]));
  }
}
