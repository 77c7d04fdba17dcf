/**
 * `game_of_life`: Conway's Game of Life (rule.ts) on a one-band GeoTIFF of 0/1
 * cells (Moore, fixed edges; a GeoTIFF out with the input's georeferencing and
 * the band's type and nodata: a uint8 grid stays uint8, an int16 one int16;
 * cells holding a nodata value other than 0/1 are refused) or a polygon layer with a 0/1 `state` column (Queen from the
 * geometry, as dissmodel-ca's vector GameOfLife; the layer out). Synchronous;
 * the rule runs once per t in [start_time, end_time]. Unlike DisSModel's
 * `game_of_life_vector` executor the loaded state is kept (DisSModel
 * overwrites it with a seeded random fill).
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
  RULE_RUNS,
  SimulationExecutor,
  startTime,
  vectorOutput,
  vectorWhere,
  deferStateBand,
  type ParamsOf,
  type Schedule,
  type Sim,
} from '../kit/index.ts';
import { lifeBands } from './bands.ts';
import { GameOfLifeRaster, GameOfLifeVector } from './model.ts';

const LIFE = { 0: 'dead', 1: 'alive' } as const;
const STATE = { name: 'state', description: 'cell state, 0 dead / 1 alive', categories: { ...LIFE } };

const spec = defineSpec({
  name: 'game_of_life',
  title: 'Game of Life',
  description:
    "Conway's Game of Life (B3/S23): a live cell survives with 2 or 3 live neighbours, a dead cell is born with exactly 3. " +
    'Raster input: Moore neighbourhood, fixed edges (cells outside the grid are dead), GeoTIFF out. ' +
    'Vector input (polygons with a 0/1 state column): Queen neighbourhood from the geometry, GeoJSON out.',
  family: 'Cellular automata',
  inputs: ['raster', 'vector'],
  bands: [{ ...STATE, position: 1 }],
  columns: [STATE],
  params: { start_time: startTime(), end_time: endTime(10, RULE_RUNS) },
  output: RASTER_OUTPUT,
  sample: 'sample:gol_glider_64x64.tif',
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

export class GameOfLifeExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const input = sim.bands(ds);
    // Checked as the model packs it (deferStateBand): no pass of its own over the cells.
    const initial = deferStateBand(input.get('state'), 'state', LIFE, rasterWhere(ds.width), 'Game of Life');
    // The output state is unpacked into the input's bytes when the run owns them (no fresh output band).
    const out = sim.reuseInput(ds) ? initial.bytes : undefined;
    const grid = { name: 'game_of_life', kernel: lifeBands, rows: ds.height, cols: ds.width, planes: 1 };
    return sim.withBands(grid, async (team) => {
      const run = await sim.simulate(
        life(p, (env) => new GameOfLifeRaster(env, ds.height, ds.width, initial.bytes, { check: initial.check, out }, team)),
      );
      return rasterOutput(input, { state: run.model.state }, run);
    });
  }

  protected override async runVector(ds: VectorDataset, p: Params, sim: Sim) {
    const cells = sim.cells(ds);
    const initial = readStates(cells.column('state'), 'state', LIFE, vectorWhere(cells));
    const queen = cells.neighborhood('queen');
    sim.log(`Queen neighbourhood: ${cells.size} cells, ${queen.neighbors.length / 2} neighbour pairs`);
    const run = await sim.simulate(life(p, (env) => new GameOfLifeVector(env, queen, initial)));
    return vectorOutput(cells, { state: run.model.state }, run);
  }
}

/** Both substrates: the live population per step, frames of the state. */
const life = <M extends { state: Uint8Array; population: number; preview?: () => LayerPreview }>(
  p: Params,
  build: (env: Environment) => M,
): Schedule<M> => ({
  start: p.start_time,
  end: p.end_time,
  build,
  layer: (m) => m.state,
  preview: (m) => m.preview?.(),
  summary: (m) => ({ population: m.population }),
});
