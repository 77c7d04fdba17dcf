/**
 * `game_of_life`: Conway's Game of Life (B3/S23, cells outside the layer dead)
 * on either
 *  - a one-band GeoTIFF of 0/1 cells (Moore neighbourhood, fixed edges); the
 *    output is a uint8 GeoTIFF with the input's georeferencing and the band
 *    name `state`; or
 *  - a GeoJSON polygon layer with a 0/1 `state` column (column_map renames a
 *    column to `state` first, as DisSModel's executors do):
 *    the Queen neighbourhood is built from the geometry (cells sharing an edge or
 *    a corner), as dissmodel-ca's vector GameOfLife; the output is the same
 *    GeoJSON with the updated `state` column.
 * The update is synchronous. The rule runs once per t in [start_time, end_time].
 * Unlike DisSModel's `game_of_life_vector` executor, the loaded state is kept
 * (DisSModel overwrites it with a seeded random fill).
 */
import type { RunContext } from '../../executor/context.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { addLog, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { selectBands } from '../../io/dataset.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { Dataset, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { Environment } from '../../sim/scheduler.ts';
import { VectorGrid } from '../../sim/vector.ts';
import { emptySeries, FrameRecorder, pushSeries, type SimOutput } from '../../sim/output.ts';
import { SimulationExecutor } from '../common/simulation-executor.ts';
import { GameOfLifeRaster } from './raster-model.ts';
import { rasterStates, vectorStates } from './state-column.ts';
import { GameOfLifeVector } from './vector-model.ts';

const LIFE_STATES = { 0: 'dead', 1: 'alive' } as const;

export class GameOfLifeExecutor extends SimulationExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'game_of_life',
    title: 'Game of Life',
    description:
      "Conway's Game of Life (B3/S23): a live cell survives with 2 or 3 live neighbours, a dead cell is born with exactly 3. " +
      'Raster input: Moore neighbourhood, fixed edges (cells outside the grid are dead), GeoTIFF out. ' +
      'Vector input (polygons with a 0/1 state column): Queen neighbourhood from the geometry, GeoJSON out.',
    family: 'Cellular automata',
    inputs: ['raster', 'vector'],
    bands: [{ name: 'state', description: 'cell state, 0 dead / 1 alive', position: 1, categories: { ...LIFE_STATES } }],
    columns: [{ name: 'state', description: 'cell state, 0 dead / 1 alive', categories: { ...LIFE_STATES } }],
    params: {
      start_time: { type: 'int', default: 1, min: 0, max: 1_000_000, description: 'First tick (inclusive).' },
      end_time: {
        type: 'int',
        default: 10,
        min: 0,
        max: 1_000_000,
        description: 'Last tick (inclusive); the rule runs end_time − start_time + 1 times.',
      },
    },
    output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' },
    sample: 'sample:gol_glider_64x64.tif',
    displayLayer: 'state',
  };
  static {
    ExecutorRegistry.register(this);
  }

  async run(data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const ds = data as Dataset;
    return ds.kind === 'vector' ? this.runVector(ds, record, ctx) : this.runRaster(ds, record, ctx);
  }

  private async runRaster(ds: RasterDataset, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const band = selectBands(ds, this.spec.bands ?? [], record.band_map).get('state')!;
    const rows = ds.height;
    const cols = ds.width;
    const initial = rasterStates(band, cols, LIFE_STATES);
    const { start_time, end_time } = this.params(record) as { start_time: number; end_time: number };
    const env = new Environment({ startTime: start_time, endTime: end_time });
    const model = new GameOfLifeRaster(env, rows, cols, initial);
    const { series, frames } = await this.simulate(env, model, record, ctx);
    return {
      kind: 'raster',
      layer: 'state',
      frames,
      series,
      dataset: {
        kind: 'raster',
        width: cols,
        height: rows,
        transform: ds.transform,
        epsg: ds.epsg,
        bands: [{ name: 'state', dtype: 'uint8', data: model.state, nodata: null }],
      },
    };
  }

  private async runVector(ds: VectorDataset, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    // As DisSModel's executors: rename the mapped columns to their canonical names first.
    const grid = new VectorGrid(applyColumnMap(ds, record.column_map));
    const column = 'state';
    const initial = vectorStates(grid, column, LIFE_STATES);
    const neighborhood = grid.neighborhood('queen');
    addLog(record, `Queen neighbourhood: ${grid.size} cells, ${neighborhood.neighbors.length / 2} neighbour pairs`);
    const { start_time, end_time } = this.params(record) as { start_time: number; end_time: number };
    const env = new Environment({ startTime: start_time, endTime: end_time });
    const model = new GameOfLifeVector(env, neighborhood, initial);
    const { series, frames } = await this.simulate(env, model, record, ctx);
    grid.setColumn(column, model.state);
    return { kind: 'vector', layer: column, frames, series, dataset: grid.toDataset() };
  }

  /** The shared time loop: population per step, frames of the state. */
  private async simulate(env: Environment, model: GameOfLifeRaster | GameOfLifeVector, record: ExperimentRecord, ctx: RunContext) {
    const total = env.stepCount();
    const series = emptySeries();
    const frames = new FrameRecorder(ctx.keepFrames);
    frames.record(env.startTime - 1, () => model.state);
    let k = 0;
    record.logs.push(`Running steps ${env.startTime} → ${env.endTime}...`);
    await env.run(undefined, {
      afterTick: (t) => {
        k++;
        pushSeries(series, t, { population: model.population });
        frames.record(t, () => model.state);
        return ctx.tick(k, total, { population: model.population });
      },
    });
    record.logs.push('Simulation complete');
    return { series, frames: frames.frames };
  }
}
