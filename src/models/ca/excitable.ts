/**
 * `excitable`: an excitable medium (dissmodel-ca Excitable; Greenberg–Hastings
 * waves). States 0 (resting) and 1–5 (excited, then refractory); Rook
 * neighbourhood. Per tick, synchronously:
 *   0 → 1 if any neighbour is above 0, else 0;   s > 0 → (s + 1) mod 6
 * initialize(): all 0 but the cells "15-20" and "15-30" (row 15, columns 20
 * and 30), so the grid needs at least 31 columns × 16 rows.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
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
import { seeded } from './seeds.ts';
import type { CellSpace } from './space.ts';
import { INITIALIZE, stateField } from './spec.ts';

const STATES = { 0: 'resting', 1: 'excited', 2: 'refractory 2', 3: 'refractory 3', 4: 'refractory 4', 5: 'refractory 5' };

export class Excitable extends CellularAutomaton {
  constructor(env: Environment, space: CellSpace, initial: Uint8Array) {
    super(env, space, initial, 'rook');
  }

  /** DisSModel's initialize(): all resting, the cells "15-20" and "15-30" excited. */
  static initialize(space: CellSpace): Uint8Array {
    return seeded(
      space,
      [
        [15, 20],
        [15, 30],
      ],
      1,
      'Excitable',
      '31 columns × 16 rows',
    );
  }

  protected override rule(i: number): number {
    const s = this.old[i];
    if (s === 0) return this.any(i, (n) => n > 0) ? 1 : 0;
    return (s + 1) % 6;
  }
}

const spec = defineSpec({
  name: 'excitable',
  title: 'Excitable medium',
  description:
    'An excitable medium (dissmodel-ca Excitable): a resting cell (0) fires (1) when a Rook neighbour is active; an active cell ' +
    'counts up to 5 and rests again (s → s + 1 mod 6). Two seeds at row 15, columns 20 and 30, send out spreading rings.',
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    initialize: INITIALIZE("all resting but the cells '15-20' and '15-30' (needs ≥ 31 columns × 16 rows)"),
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class ExcitableExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Excitable> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Rook neighbourhood',
      build: (env, space, initial) => new Excitable(env, space, initial ?? Excitable.initialize(space)),
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
