/**
 * `oscillator`: a 16-phase oscillator medium (dissmodel-ca Oscillator). States
 * 0–15; Queen neighbourhood. Per tick, synchronously:
 *   s → (s + AMOUNT[s] + 1) mod 16   if some neighbour is at phase 0,
 *   s → (s + 1) mod 16               otherwise,
 * with AMOUNT = [0, −1, −2, −2, −3, −2, −2, −1, 0, 1, 2, 2, 3, 2, 2, 1]: a neighbour
 * firing pulls the phase towards it, and neighbouring oscillators synchronise.
 * initialize(): random.Random(seed).randint(0, 15) per cell, in cell order (as DisSModel, seeded).
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

export const AMOUNT = [0, -1, -2, -2, -3, -2, -2, -1, 0, 1, 2, 2, 3, 2, 2, 1] as const;
const STATES = Object.fromEntries(AMOUNT.map((_, s) => [s, `phase ${s}`])) as Record<number, string>;

export class Oscillator extends CellularAutomaton {
  constructor(env: Environment, space: CellSpace, initial: Uint8Array) {
    super(env, space, initial, 'queen');
  }

  /** DisSModel's initialize(): random.Random(seed).randint(0, 15) per cell. */
  static initialize(space: CellSpace, seed: number): Uint8Array {
    const rng = new PythonRandom(seed);
    return Uint8Array.from({ length: space.size }, () => rng.randint(0, 15));
  }

  protected override rule(i: number): number {
    const s = this.old[i];
    return this.any(i, (n) => n === 0) ? (s + AMOUNT[s] + 1) % 16 : (s + 1) % 16;
  }
}

const spec = defineSpec({
  name: 'oscillator',
  title: 'Oscillator',
  description:
    'A medium of 16-phase oscillators (dissmodel-ca Oscillator): each tick a cell advances one phase, and when a Queen ' +
    'neighbour is at phase 0 its phase is nudged towards it, so neighbouring cells fall into step. Random start: ' +
    'random.Random(seed).randint(0, 15) per cell, as DisSModel.',
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    initialize: INITIALIZE('random.Random(seed).randint(0, 15) per cell'),
    seed: { type: 'seed', description: "DisSModel's seed (default 42 there): CPython's random.Random(seed) for the random start." },
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class OscillatorExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Oscillator> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Queen neighbourhood',
      build: (env, space, initial) => new Oscillator(env, space, initial ?? Oscillator.initialize(space, p.seed)),
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
