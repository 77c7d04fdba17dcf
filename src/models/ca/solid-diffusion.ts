/**
 * `solid_diffusion`: vacancy diffusion in a binary solid (dissmodel-ca
 * SolidDiffusion @a21d59c). States ATOM1 = 0, ATOM2 = 1, VACANCY = 2.
 *
 * initialize(): with x the cell's row and middle = dim // 2, rows below the
 * middle are ATOM1, rows above ATOM2, and the middle row is a line of vacancies.
 * Each tick (sequential and in place, not synchronous): all cells in random
 * order (random.Random(seed).shuffle of the cell list); each cell that is
 * still a vacancy picks one of its non-vacant candidate neighbours with
 * rng.choice and swaps with it (the vacancy moves, the atom fills its place).
 * Candidates are listed dy outer, dx inner (−1, 0, 1).
 *
 * Quirk — DisSModel's transposed neighbours, reproduced by default:
 * `_queen_neighbors` reads `x, y = parse_idx(idx)`, which since DisSModel 0.2.1
 * is (row, col), and emits f"{y+dy}-{x+dx}" for 0 ≤ x+dx, y+dy < dim: the Moore
 * neighbours of the *transposed* cell "col-row" (a diagonal cell can list
 * itself, and its real neighbours are missed). `neighbourhood = transposed`
 * keeps that, bit for bit (tests/reference/ca_solid_diffusion.json);
 * `neighbourhood = moore` uses the cell's own Moore neighbours within the grid
 * (what the docstring means). The vacancy line is the middle *row* either way
 * (DisSModel's docstring says column). The seeded Random is DisSModel's own.
 */
import { InputError } from '../../executor/errors.ts';
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
import { DIM, INITIALIZE, stateField } from './spec.ts';

export const ATOM1 = 0;
export const ATOM2 = 1;
export const VACANCY = 2;
const STATES = { [ATOM1]: 'atom 1', [ATOM2]: 'atom 2', [VACANCY]: 'vacancy' };

export type Candidates = 'transposed' | 'moore';

export class SolidDiffusion extends CellularAutomaton {
  private readonly row: Int32Array;
  private readonly col: Int32Array;
  private readonly order: number[];

  constructor(
    env: Environment,
    space: CellSpace,
    initial: Uint8Array,
    readonly dim: number,
    readonly candidates: Candidates,
    readonly rng: PythonRandom,
  ) {
    super(env, space, initial, null);
    ({ row: this.row, col: this.col } = space.positions('SolidDiffusion'));
    this.order = Array.from({ length: space.size }, (_, i) => i);
  }

  /** DisSModel's initialize(): rows below dim // 2 ATOM1, above it ATOM2, the middle row VACANCY. */
  static initialize(space: CellSpace, dim: number): Uint8Array {
    const { row } = space.positions('SolidDiffusion');
    const middle = Math.floor(dim / 2);
    return Uint8Array.from(row, (x) => (x < middle ? ATOM1 : x > middle ? ATOM2 : VACANCY));
  }

  /** The candidate cells of cell i, in DisSModel's order (dy outer, dx inner). */
  neighboursOf(i: number): number[] {
    const x = this.row[i];
    const y = this.col[i];
    const out: number[] = [];
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if (dy === 0 && dx === 0) continue;
        if (this.candidates === 'transposed') {
          // DisSModel: x, y = parse_idx(idx) is (row, col); f"{y+dy}-{x+dx}" is row y+dy, column x+dx
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && nx < this.dim && ny >= 0 && ny < this.dim) out.push(this.space.at(ny, nx));
        } else {
          const j = this.space.at(x + dy, y + dx);
          if (j >= 0) out.push(j);
        }
      }
    return out;
  }

  override execute(): void {
    const s = this.state;
    const order = this.order.slice(); // list(gdf.index), shuffled afresh each tick
    this.rng.shuffle(order);
    for (const i of order) {
      if (s[i] !== VACANCY) continue;
      const atoms = this.neighboursOf(i).filter((j) => s[j] !== VACANCY);
      if (atoms.length === 0) continue;
      const chosen = this.rng.choice(atoms);
      s[i] = s[chosen];
      s[chosen] = VACANCY;
    }
  }
}

const spec = defineSpec({
  name: 'solid_diffusion',
  title: 'Solid diffusion',
  description:
    'Vacancy diffusion in a binary solid (dissmodel-ca SolidDiffusion): two kinds of atoms separated by a row of ' +
    'vacancies; each tick, in random order, every vacancy swaps with a random non-vacant neighbour, so the atoms mix. ' +
    "neighbourhood=transposed reproduces DisSModel's transposed neighbour list (a known bug), moore uses the cell's own.",
  family: 'Cellular automata',
  inputs: ['vector', 'raster'],
  sample: 'sample:ca_grid_42x27.geojson',
  bands: [stateField(STATES, 1)],
  columns: [stateField(STATES)],
  params: {
    neighbourhood: {
      type: 'enum',
      default: 'transposed',
      options: ['transposed', 'moore'],
      description:
        "transposed: DisSModel's candidates, the Moore neighbours of the transposed cell 'col-row' within dim × dim (bit for bit DisSModel). moore: the cell's own Moore neighbours.",
    },
    dim: DIM('the vacancy line is row dim // 2; transposed candidates stay within dim × dim'),
    initialize: INITIALIZE('atoms 1 below row dim // 2, atoms 2 above, vacancies on it'),
    seed: {
      type: 'seed',
      description: "DisSModel's seed (default 42 there): CPython's random.Random(seed) for the order and the choices.",
    },
    start_time: startTime(0),
    end_time: endTime(30, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class SolidDiffusionExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  private setup(p: Params): CaSetup<SolidDiffusion> {
    return {
      states: STATES,
      readState: !p.initialize,
      start: p.start_time,
      end: p.end_time,
      note: `${p.neighbourhood} neighbours`,
      build: (env, space, initial) => {
        const dim = p.dim || space.rows;
        if (p.neighbourhood === 'transposed' && (dim > space.rows || dim > space.cols)) {
          throw new InputError(
            `dim ${dim} is larger than the grid (${space.rows} rows × ${space.cols} columns): DisSModel's transposed candidates ` +
              'need dim ≤ both, or they name cells the grid does not have.',
            'dim',
          );
        }
        return new SolidDiffusion(
          env,
          space,
          initial ?? SolidDiffusion.initialize(space, dim),
          dim,
          p.neighbourhood,
          new PythonRandom(p.seed),
        );
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
