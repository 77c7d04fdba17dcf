/**
 * `parasit`: host–parasite cycles (dissmodel-ca Parasit). States 0–8; Rook
 * neighbourhood. Per tick, synchronously:
 *   0 → 1 if a neighbour is 1, else 0;   1 → 2 → 3;
 *   3 → 4 if a neighbour is 5, else 3;   4 → 5 → 6 → 7 → 8 → 0
 * initialize(): random.Random(seed).randint(0, 8) per cell, in cell order (as DisSModel, seeded).
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

const STATES = Object.fromEntries(Array.from({ length: 9 }, (_, s) => [s, `stage ${s}`])) as Record<number, string>;

export class Parasit extends CellularAutomaton {
  constructor(env: Environment, space: CellSpace, initial: Uint8Array) {
    super(env, space, initial, 'rook');
  }

  /** DisSModel's initialize(): random.Random(seed).randint(0, 8) per cell. */
  static initialize(space: CellSpace, seed: number): Uint8Array {
    const rng = new PythonRandom(seed);
    return Uint8Array.from({ length: space.size }, () => rng.randint(0, 8));
  }

  protected override rule(i: number): number {
    const s = this.old[i];
    if (s === 0) return this.any(i, (n) => n === 1) ? 1 : 0;
    if (s === 3) return this.any(i, (n) => n === 5) ? 4 : 3;
    return s === 8 ? 0 : s + 1;
  }
}

const spec = defineSpec({
  name: 'parasit',
  title: 'Parasit',
  description:
    'Host–parasite cycles (dissmodel-ca Parasit): stages 0–8 advance one per tick, except that stage 0 waits for a Rook ' +
    'neighbour at stage 1 and stage 3 for one at stage 5; stage 8 returns to 0. Random start: random.Random(seed).randint(0, 8) per cell, as DisSModel.',
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    initialize: INITIALIZE('random.Random(seed).randint(0, 8) per cell'),
    seed: { type: 'seed', description: "DisSModel's seed (default 42 there): CPython's random.Random(seed) for the random start." },
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class ParasitExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Parasit> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Rook neighbourhood',
      build: (env, space, initial) => new Parasit(env, space, initial ?? Parasit.initialize(space, p.seed)),
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
