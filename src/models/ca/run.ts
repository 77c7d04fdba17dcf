/**
 * The executor side shared by the dissmodel-ca models: read the input (a
 * polygon layer or a raster) into a CellSpace and its initial states, run the
 * model in the kit's time loop and write the states back in the input's form.
 *
 * `initialize` (every model with DisSModel's `initialize()`): true runs it —
 * what DisSModel's examples do, overwriting any state in the input, which then
 * only gives the grid; false starts from the input's `state` (the model's codes only).
 */
import { InputError } from '../../executor/errors.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import type { SimOutput } from '../../sim/output.ts';
import type { Environment } from '../../sim/scheduler.ts';
import { rasterOutput, rasterWhere, readStateBand, readStates, vectorOutput, vectorWhere, type Sim } from '../kit/index.ts';
import type { CellularAutomaton } from './automaton.ts';
import { CellSpace } from './space.ts';

/** The model's state codes: code → label (also the chart's series names). */
export type States = Readonly<Record<number, string>>;

export interface CaSetup<M extends CellularAutomaton> {
  states: States;
  /** Whether the input's state is read (else the model initialises it). */
  readState: boolean;
  start: number;
  end: number;
  /** The model on the space; `initial` is the input's states when read, else null. */
  build: (env: Environment, space: CellSpace, initial: Uint8Array | null) => M;
  note?: string;
}

const labels = (states: States) => Object.keys(states).map((k) => states[Number(k)]);

async function loop<M extends CellularAutomaton>(sim: Sim, space: CellSpace, initial: Uint8Array | null, s: CaSetup<M>) {
  const names = labels(s.states);
  return sim.simulate({
    start: s.start,
    end: s.end,
    build: (env) => s.build(env, space, initial),
    layer: (m) => space.toLayer(m.state),
    summary: (m) => m.tally(names),
    note: s.note,
    done: (m) =>
      Object.entries(m.tally(names))
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
  });
}

/** The model on a polygon layer: feature order, the state column written back. */
export async function runOnVector<M extends CellularAutomaton>(ds: VectorDataset, sim: Sim, s: CaSetup<M>): Promise<SimOutput> {
  const cells = sim.cells(ds, []);
  if (s.readState && !cells.hasColumn('state')) {
    throw new InputError(
      `The layer has no numeric column 'state' to start from (columns: ${cells.columnNames.join(', ') || 'none'}): map one with ` +
        'column_map, or set initialize=true.',
      'state',
    );
  }
  const space = CellSpace.fromVector(cells);
  const initial = s.readState ? readStates(cells.column('state'), 'state', s.states, vectorWhere(cells)) : null;
  const run = await loop(sim, space, initial, s);
  return vectorOutput(cells, { state: run.model.state }, run);
}

/** The model on a raster: cells in vector_grid order inside, the state band written back row-major. */
export async function runOnRaster<M extends CellularAutomaton>(ds: RasterDataset, sim: Sim, s: CaSetup<M>): Promise<SimOutput> {
  const space = CellSpace.fromRaster(ds.height, ds.width);
  const input = s.readState ? sim.bands(ds) : null; // an initialised state reads no band: uint8 out, no nodata
  const band = input?.find('state');
  if (input && !band) {
    throw new InputError(
      `The raster has no band 'state' to start from (bands: ${ds.bands.map((b) => b.name).join(', ')}): map one with band_map, ` +
        'or set initialize=true.',
      'state',
    );
  }
  const initial = band ? space.fromLayer(readStateBand(band, 'state', s.states, rasterWhere(ds.width), sim.spec.title)) : null;
  const run = await loop(sim, space, initial ? Uint8Array.from(initial) : null, s);
  return rasterOutput(input ?? ds, { state: space.toLayer(run.model.state) }, run);
}
