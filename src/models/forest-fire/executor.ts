/**
 * `forest_fire`: the deterministic forest fire of dissmodel-ca (FireModel and
 * FireModelRaster). States 0 forest, 1 burning, 2 burned; each tick a burning
 * cell burns out and a forest cell with a burning neighbour catches fire.
 *
 * Raster (a GeoTIFF band `state`): the grid neighbourhood is the parameter
 * `neighborhood`, von Neumann (default) or Moore, with a fixed boundary.
 * Note: DisSModel's FireModelRaster sets DIRS_VON_NEUMANN and documents Rook,
 * but its rule calls focal_sum_mask with the default DIRS_MOORE, so it always
 * spreads to 8 neighbours (a centre fire is a 5×5 square after 2 steps, not a
 * diamond). Here the choice is explicit: neighborhood=moore reproduces that
 * raster reference; von_neumann is what the vector FireModel (Rook) does.
 * Vector (a polygon layer with a `state` column): Rook for von_neumann, Queen
 * for moore, from the geometry.
 *
 * Output: the state as a uint8 GeoTIFF band (DisSModel casts to int8) or the
 * layer with its `state` column updated. Per-step summary: burning, burned.
 */
import type { RunContext } from '../../executor/context.ts';
import { InputError } from '../../executor/errors.ts';
import type { CanonicalField, ExecutorSpec } from '../../executor/executor.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { selectBands } from '../../io/dataset.ts';
import type { Dataset } from '../../sim/dataset.ts';
import { Environment } from '../../sim/scheduler.ts';
import { emptySeries, FrameRecorder, pushSeries, type Frame, type Series, type SimOutput } from '../../sim/output.ts';
import { DualSubstrateExecutor, rasterCell, vectorCell, vectorCells } from '../common/substrate.ts';
import { FireGraph, FireRaster, type FireNeighborhood } from './model.ts';

const STATE: CanonicalField = {
  name: 'state',
  description: 'cell state, 0 forest / 1 burning / 2 burned',
  position: 1,
  categories: { 0: 'forest', 1: 'burning', 2: 'burned' },
};

interface FireParams {
  neighborhood: FireNeighborhood;
  start_time: number;
  end_time: number;
}

/** The states as bytes; anything but 0, 1, 2 is an InputError naming the value and the cell. */
export function fireStates(values: ArrayLike<number>, where: (i: number) => string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== 0 && v !== 1 && v !== 2) {
      throw new InputError(`'state' must hold 0 (forest), 1 (burning) or 2 (burned); found ${v} at ${where(i)}.`, 'state');
    }
    out[i] = v;
  }
  return out;
}

export class ForestFireExecutor extends DualSubstrateExecutor {
  static readonly spec: ExecutorSpec = {
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
      start_time: { type: 'int', default: 1, min: 0, max: 1_000_000, description: 'First tick (inclusive).' },
      end_time: { type: 'int', default: 10, min: 0, max: 1_000_000, description: 'Last tick (inclusive), not before start_time.' },
    },
    output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' },
    sample: 'sample:coast_10x14.geojson',
    displayLayer: 'state',
  };
  static {
    ExecutorRegistry.register(this);
  }

  async run(data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const ds = data as Dataset;
    const { neighborhood, start_time, end_time } = this.params(record) as unknown as FireParams;
    const env = new Environment({ startTime: start_time, endTime: end_time });
    let model: FireRaster | FireGraph;
    let finish: (state: Uint8Array, frames: Frame[], series: Series) => SimOutput;
    if (ds.kind === 'raster') {
      const band = selectBands(ds, [STATE], record.band_map).get('state')!;
      const initial = fireStates(band.data, (i) => rasterCell(i, ds.width));
      model = new FireRaster(env, ds.height, ds.width, initial, neighborhood);
      finish = (state, frames, series) => ({
        kind: 'raster',
        layer: 'state',
        frames,
        series,
        dataset: {
          kind: 'raster',
          width: ds.width,
          height: ds.height,
          transform: ds.transform,
          epsg: ds.epsg,
          bands: [{ name: 'state', dtype: 'uint8', data: state, nodata: null }],
        },
      });
    } else {
      const cells = vectorCells(ds, [STATE], record.column_map);
      const initial = fireStates(cells.column('state'), (i) => vectorCell(cells, i));
      const nb = cells.neighborhood(neighborhood === 'moore' ? 'queen' : 'rook');
      model = new FireGraph(env, initial, nb.offsets, nb.neighbors);
      finish = (state, frames, series) => {
        cells.setColumn('state', state);
        return { kind: 'vector', layer: 'state', frames, series, dataset: cells.toDataset() };
      };
    }
    const total = env.stepCount();
    const series = emptySeries();
    const frames = new FrameRecorder(ctx.keepFrames);
    frames.record(start_time - 1, () => model.state);
    let k = 0;
    record.logs.push(`Running steps ${start_time} → ${end_time} (${neighborhood})...`);
    await env.run(undefined, {
      afterTick: (t) => {
        k++;
        const summary = { burning: model.burning, burned: model.burned };
        pushSeries(series, t, summary);
        frames.record(t, () => model.state);
        return ctx.tick(k, total, summary);
      },
    });
    record.logs.push('Simulation complete');
    return finish(model.state, frames.frames, series);
  }
}
