/**
 * `parity`: Fredkin's parity rule (dissmodel-ca Parity). States OFF = 0, ON = 1;
 * Rook neighbourhood. Per tick, synchronously: a cell is ON iff 1 or 3 of its
 * Rook neighbours are ON (its own state is not counted), so any pattern
 * replicates itself. initialize(): all OFF but "25-10" and "25-40" (row 25,
 * columns 10 and 40): the grid needs at least 41 columns × 26 rows.
 * As in DisSModel the grid has fixed edges (TerraME's original is a torus).
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

export const OFF = 0;
export const ON = 1;
const STATES = { [OFF]: 'off', [ON]: 'on' };

export class Parity extends CellularAutomaton {
  constructor(env: Environment, space: CellSpace, initial: Uint8Array) {
    super(env, space, initial, 'rook');
  }

  /** DisSModel's initialize(): all OFF, the cells "25-10" and "25-40" ON. */
  static initialize(space: CellSpace): Uint8Array {
    return seeded(
      space,
      [
        [25, 10],
        [25, 40],
      ],
      ON,
      'Parity',
      '41 columns × 26 rows',
    );
  }

  protected override rule(i: number): number {
    const on = this.count(i, ON);
    return on === 1 || on === 3 ? ON : OFF;
  }
}

const spec = defineSpec({
  name: 'parity',
  title: 'Parity',
  description:
    "Fredkin's parity rule (dissmodel-ca Parity): a cell is on when an odd number (1 or 3) of its 4 Rook neighbours are on, " +
    'so the two seed cells at row 25, columns 10 and 40, grow self-similar copies. Fixed edges, as DisSModel (no torus).',
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    initialize: INITIALIZE("all off but the cells '25-10' and '25-40' (needs ≥ 41 columns × 26 rows)"),
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class ParityExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Parity> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: 'Rook neighbourhood',
      build: (env, space, initial) => new Parity(env, space, initial ?? Parity.initialize(space)),
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
