/**
 * `forest_fire`: the deterministic forest fire of dissmodel-ca (rule.ts) on a
 * GeoTIFF band `state` (bit-parallel kernel, fixed edges) or a polygon layer
 * with a `state` column (Rook for von_neumann, Queen for moore, from the
 * geometry). Output: the state as a GeoTIFF band in the input band's type, with
 * its nodata and the input's georeferencing (DisSModel casts to int8; a cell
 * holding a nodata value other than 0/1/2 is refused), or the layer with
 * `state` updated. Per-step summary: burning, burned.
 *
 * Note: DisSModel's FireModelRaster sets DIRS_VON_NEUMANN and documents Rook,
 * but its rule calls focal_sum_mask with the default DIRS_MOORE, so it always
 * spreads to 8 neighbours (a centre fire is a 5×5 square after 2 steps, not a
 * diamond). Here the choice is explicit: neighborhood=moore reproduces that
 * raster reference; von_neumann is what the vector FireModel (Rook) does.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import type { Environment } from '../../sim/scheduler.ts';
import type { LayerPreview } from '../../executor/context.ts';
import {
  defineSpec,
  endTime,
  RASTER_OUTPUT,
  rasterOutput,
  rasterWhere,
  readStates,
  SimulationExecutor,
  startTime,
  vectorOutput,
  vectorWhere,
  deferStateBand,
  type ParamsOf,
  type Schedule,
  type Sim,
} from '../kit/index.ts';
import { fireBands } from './bands.ts';
import { FireGraph, FireRaster } from './model.ts';
import { FIRE_STATES } from './rule.ts';

const STATE = { name: 'state', description: 'cell state, 0 forest / 1 burning / 2 burned', position: 1, categories: { ...FIRE_STATES } };

const spec = defineSpec({
  name: 'forest_fire',
  title: 'Forest fire',
  description:
    'A burning cell burns out; a forest cell next to a burning one catches fire (dissmodel-ca FireModel). Von Neumann (Rook) or Moore (Queen) neighbourhood, fixed edges.',
  family: 'Cellular automata',
  inputs: ['raster', 'vector'],
  bands: [STATE],
  columns: [STATE],
  params: {
    neighborhood: {
      type: 'enum',
      default: 'von_neumann',
      options: ['von_neumann', 'moore'],
      description:
        'von_neumann: 4 neighbours (vector: Rook); moore: 8 neighbours (vector: Queen). DisSModel’s raster FireModel always spreads to 8 (Moore) whatever it says; use moore to reproduce it.',
    },
    start_time: startTime(),
    end_time: endTime(10),
  },
  output: RASTER_OUTPUT,
  sample: 'sample:coast_10x14.geojson',
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class ForestFireExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const input = sim.bands(ds);
    // Checked as the model packs it (deferStateBand): no pass of its own over the cells.
    const initial = deferStateBand(input.get('state'), 'state', FIRE_STATES, rasterWhere(ds.width), 'The forest fire');
    // The output state is unpacked into the input's bytes when the run owns them (no fresh output band).
    const out = sim.reuseInput(ds) ? initial.bytes : undefined;
    const option = p.neighborhood === 'moore' ? 1 : 0; // the band kernels' option (forest-fire/bands.ts)
    const grid = { name: 'forest_fire', kernel: fireBands, rows: ds.height, cols: ds.width, planes: 2, option };
    return sim.withBands(grid, async (team) => {
      const run = await sim.simulate(
        fire(p, (env) => new FireRaster(env, ds.height, ds.width, initial.bytes, p.neighborhood, { check: initial.check, out }, team)),
      );
      return rasterOutput(input, { state: run.model.state }, run);
    });
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const cells = sim.cells(ds);
    const initial = readStates(cells.column('state'), 'state', FIRE_STATES, vectorWhere(cells));
    const nb = cells.neighborhood(p.neighborhood === 'moore' ? 'queen' : 'rook');
    const run = await sim.simulate(fire(p, (env) => new FireGraph(env, initial, nb.offsets, nb.neighbors)));
    return vectorOutput(cells, { state: run.model.state }, run);
  }
}

const fire = <M extends { state: Uint8Array; burning: number; burned: number; preview?: () => LayerPreview }>(
  p: Params,
  build: (env: Environment) => M,
): Schedule<M> => ({
  start: p.start_time,
  end: p.end_time,
  build,
  note: p.neighborhood,
  layer: (m) => m.state,
  preview: (m) => m.preview?.(),
  summary: (m) => ({ burning: m.burning, burned: m.burned }),
});
