/**
 * `wolfram`: an elementary (one-dimensional) cellular automaton drawn on a
 * 2-D grid, one generation per row (dissmodel-ca Wolfram @3daa8cc). Row 0
 * (the bottom) is the seed row; at tick t (1 ≤ t ≤ final_time) row t is
 * computed from row t − 1: cell x takes the bit of `rule_number` for the
 * pattern (left, centre, right) of row t − 1, with wrap-around at the row's
 * ends ((x ± 1) mod xdim). The bits of format(rule_number, '08b') belong to the
 * patterns 111, 110, 101, 100, 011, 010, 001, 000 (Wolfram's numbering).
 * Ticks 0 and t > final_time change nothing, as in DisSModel.
 *
 * initialize(): all 0 but the cell "0-((xdim − 1) // 2)"; the grid must have
 * the cell "final_time-(xdim − 1)". DisSModel's defaults are final_time 55 and
 * xdim = 2 · final_time + 1; here 0 takes them from the grid (its rows − 1 and
 * its columns), so a grid of any size works.
 */
import { InputError } from '../../executor/errors.ts';
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
import type { CellSpace } from './space.ts';
import { INITIALIZE, stateField } from './spec.ts';

const STATES = { 0: 'off', 1: 'on' };

/** Wolfram's rule table: the new state for the pattern left·4 + centre·2 + right (0 = 000 … 7 = 111). */
export function ruleTable(ruleNumber: number): Uint8Array {
  return Uint8Array.from({ length: 8 }, (_, pattern) => (ruleNumber >> pattern) & 1);
}

export class Wolfram extends CellularAutomaton {
  private readonly table: Uint8Array;

  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly ruleNumber: number,
    readonly finalTime: number,
    readonly xdim: number,
  ) {
    super(env, space, initial, null);
    this.table = ruleTable(ruleNumber);
    if (space.at(finalTime, xdim - 1) < 0) {
      throw new InputError(
        `Wolfram needs a grid of ${xdim} columns × ${finalTime + 1} rows (xdim × final_time + 1); the cell '${finalTime}-${xdim - 1}' is missing. ` +
          'Pass xdim/final_time matching the grid (0 takes them from it).',
      );
    }
  }

  /** DisSModel's initialize(): all 0, the middle cell of row 0 ("0-((xdim − 1) // 2)") on. */
  static initialize(space: CellSpace, xdim: number): Uint8Array {
    const state = new Uint8Array(space.size);
    const seed = space.at(0, Math.floor((xdim - 1) / 2));
    if (seed < 0) throw new InputError(`Wolfram seeds the cell '0-${Math.floor((xdim - 1) / 2)}', which the grid does not have.`, 'xdim');
    state[seed] = 1;
    return state;
  }

  private cell(row: number, x: number): number {
    return this.space.at(row, x);
  }

  override execute(): void {
    const t = Math.trunc(this.env.now());
    if (t === 0 || t > this.finalTime) return;
    const s = this.state;
    const n = this.xdim;
    for (let x = 0; x < n; x++) {
      const left = s[this.cell(t - 1, (x - 1 + n) % n)];
      const centre = s[this.cell(t - 1, x)];
      const right = s[this.cell(t - 1, (x + 1) % n)];
      s[this.cell(t, x)] = this.table[(left << 2) | (centre << 1) | right];
    }
  }
}

const spec = defineSpec({
  name: 'wolfram',
  title: 'Wolfram elementary CA',
  description:
    "An elementary cellular automaton (dissmodel-ca Wolfram): rule_number's 8 bits give the next state of a cell for each " +
    'pattern of itself and its two neighbours; generation t is drawn in row t (row 0, the bottom, holds one seed cell), ' +
    'wrapping around at the row ends. Rule 90 draws a Sierpiński triangle, rule 30 chaos, rule 110 is Turing-complete.',
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    rule_number: { type: 'int', default: 90, min: 0, max: 255, description: 'Wolfram rule number, 0–255.' },
    final_time: {
      type: 'int',
      default: 0,
      min: 0,
      max: 100_000,
      description: "Last generation (row) computed; later ticks change nothing. 0 = the grid's rows − 1.",
    },
    xdim: { type: 'int', default: 0, min: 0, max: 100_000, description: "Width of a generation (columns used). 0 = the grid's columns." },
    initialize: INITIALIZE('all off but the middle cell of row 0'),
    start_time: startTime(0),
    end_time: endTime(55, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class WolframExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<Wolfram> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: `rule ${p.rule_number}`,
      build: (env, space, initial) => {
        const finalTime = p.final_time || space.rows - 1;
        const xdim = p.xdim || space.cols;
        return new Wolfram(env, space, initial ?? Wolfram.initialize(space, xdim), p.rule_number, finalTime, xdim);
      },
    };
  }

  protected override runVector(ds: VectorDataset, p: Params, sim: Sim) {
    return runOnVector(ds, sim, this.setup(p));
  }

  protected override runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    return runOnRaster(ds, sim, this.setup(p));
  }
}
