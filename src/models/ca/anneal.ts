/**
 * `anneal`: the annealing vote of dissmodel-ca (Anneal; Vichniac's twisted
 * majority). States L = 0, R = 1; Queen neighbourhood. Per tick, synchronously,
 * with c = the neighbours in L, plus 1 if the cell itself is L:
 *   c ≤ 3 → R,  c = 4 → L,  c = 5 → R,  c ≥ 6 → L
 * (a majority vote whose 4/5 tie is flipped, so the domains anneal instead of freezing).
 *
 * initialize(): every cell random.choice([L, R]) in cell order. DisSModel draws
 * these from Python's global `random`, unseeded (not reproducible); here the
 * draws are CPython's `random.Random(seed)`, so seed S reproduces a DisSModel
 * run that called `random.seed(S)` first (as tests/reference/ca_anneal.json does).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { PythonRandom } from '../../sim/random.ts';
import type { Environment } from '../../sim/scheduler.ts';
import {
  defineSpec,
  endTime,
  RULE_RUNS,
  SimulationExecutor,
  startTime,
  VECTOR_OUTPUT,
  type ParamsOf,
  type RasterDataset,
  type Sim,
  type VectorDataset,
} from '../kit/index.ts';
import { CellularAutomaton } from './automaton.ts';
import { runOnRaster, runOnVector, type CaSetup } from './run.ts';
import type { CellSpace } from './space.ts';
import { INITIALIZE, stateField } from './spec.ts';

export const L = 0;
export const R = 1;
const STATES = { [L]: 'L', [R]: 'R' };

export class Anneal extends CellularAutomaton {
  constructor(env: Environment, space: CellSpace, initial: Uint8Array) {
    super(env, space, initial, 'queen');
  }

  /** DisSModel's initialize(): random.choice([L, R]) per cell, in cell order. */
  static initialize(space: CellSpace, rng: PythonRandom): Uint8Array {
    return Uint8Array.from({ length: space.size }, () => rng.choice([L, R]));
  }

  protected override rule(i: number): number {
    const c = this.count(i, L) + (this.old[i] === L ? 1 : 0);
    if (c <= 3) return R;
    if (c === 4) return L;
    if (c === 5) return R;
    return L;
  }
}

const spec = defineSpec({
  name: 'anneal',
  title: 'Anneal',
  description:
    'The annealing vote of dissmodel-ca (Anneal): two states L and R; each tick a cell counts L among itself and its ' +
    '8 Queen neighbours and becomes R for 0–3 or 5, L for 4 or 6–9 — a majority vote with the tie flipped, so the ' +
    "domains' boundaries smooth out. The random start is CPython's random.Random(seed) (unseeded in DisSModel).",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    initialize: INITIALIZE("every cell random.choice([L, R]) from random.Random(seed) (DisSModel's initialize())"),
    seed: { type: 'seed', description: "Seed of the random start (CPython's random.Random(seed)); drawn and recorded when not given." },
    start_time: startTime(0),
    end_time: endTime(20, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class AnnealExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Anneal> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Queen neighbourhood',
      build: (env, space, initial) => new Anneal(env, space, initial ?? Anneal.initialize(space, new PythonRandom(p.seed))),
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
