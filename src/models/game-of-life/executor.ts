/**
 * `game_of_life`: Conway's Game of Life (B3/S23, Moore neighbourhood, cells
 * outside the grid dead) on a one-band GeoTIFF of 0/1 cells. The rule runs once
 * per t in [start_time, end_time]; the output is a uint8 GeoTIFF with the
 * input's georeferencing and the band name `state`.
 */
import type { RunContext } from '../../executor/context.ts';
import { InputError, ParameterError } from '../../executor/errors.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { selectBands } from '../../io/dataset.ts';
import type { Dataset, RasterDataset } from '../../io/types.ts';
import { Environment } from '../../sim/scheduler.ts';
import { emptySeries, FrameRecorder, pushSeries, type SimOutput } from '../common/output.ts';
import { SimulationExecutor } from '../common/simulation-executor.ts';
import { GameOfLifeRaster } from './raster-model.ts';

export class GameOfLifeExecutor extends SimulationExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'game_of_life',
    title: 'Game of Life',
    description:
      "Conway's Game of Life (B3/S23): a live cell survives with 2 or 3 live neighbours, a dead cell is born with exactly 3. Moore neighbourhood, fixed edges (cells outside the grid are dead).",
    family: 'Cellular automata',
    inputs: ['raster'],
    bands: [{ name: 'state', description: 'cell state, 0 dead / 1 alive', position: 1, categories: { 0: 'dead', 1: 'alive' } }],
    params: {
      start_time: { type: 'int', default: 1, min: 0, max: 1_000_000, description: 'First tick (inclusive).' },
      end_time: { type: 'int', default: 10, min: 0, max: 1_000_000, description: 'Last tick (inclusive); the rule runs end_time − start_time + 1 times.' },
    },
    output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' },
    sample: 'sample:gol_glider_64x64.tif',
    displayLayer: 'state',
  };
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const { start_time, end_time } = this.params(record) as { start_time: number; end_time: number };
    if (end_time < start_time) {
      throw new ParameterError(`end_time (${end_time}) must not be before start_time (${start_time}).`, 'end_time');
    }
  }

  async run(data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const ds = data as RasterDataset;
    const band = selectBands(ds, this.spec.bands ?? [], record.band_map).get('state')!;
    const rows = ds.height;
    const cols = ds.width;
    const initial = new Uint8Array(rows * cols);
    for (let i = 0; i < initial.length; i++) {
      const v = band.data[i];
      if (v !== 0 && v !== 1) {
        throw new InputError(
          `Band '${band.name}' must hold 0 (dead) or 1 (alive); found ${v} at row ${Math.floor(i / cols)}, column ${i % cols}.`,
          'state',
        );
      }
      initial[i] = v;
    }
    const { start_time, end_time } = this.params(record) as { start_time: number; end_time: number };
    const env = new Environment({ startTime: start_time, endTime: end_time });
    const model = new GameOfLifeRaster(env, rows, cols, initial);
    const total = env.stepCount();
    const series = emptySeries();
    const frames = new FrameRecorder(ctx.keepFrames);
    frames.record(start_time - 1, model.state);
    let k = 0;
    record.logs.push(`Running steps ${start_time} → ${end_time}...`);
    await env.run(undefined, {
      afterTick: (t) => {
        k++;
        pushSeries(series, t, { population: model.population });
        frames.record(t, model.state);
        return ctx.tick(k, total, { population: model.population });
      },
    });
    record.logs.push('Simulation complete');
    return {
      kind: 'raster',
      layer: 'state',
      frames: frames.frames,
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
}
