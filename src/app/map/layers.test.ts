import { describe, expect, it } from 'vitest';
import { ExecutorRegistry } from '../../models/index.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import { emptySeries, type SimOutput } from '../../sim/output.ts';
import { displayValues } from '../../worker/display.ts';
import { outputLayer } from './layers.ts';

function run(final: Uint8Array | Float32Array, frames: (Uint8Array | Float32Array)[]): SimOutput {
  const dataset: RasterDataset = {
    kind: 'raster',
    width: final.length,
    height: 1,
    transform: { originX: 0, originY: 1, pixelWidth: 1, pixelHeight: 1 },
    epsg: null,
    bands: [{ name: 'state', dtype: final instanceof Uint8Array ? 'uint8' : 'float32', data: final, nodata: null }],
  };
  return { kind: 'raster', dataset, layer: 'state', frames: frames.map((data, step) => ({ step, data })), series: emptySeries() };
}

describe('a raster run’s colour scale', () => {
  const gol = ExecutorRegistry.get('game_of_life').spec;
  const fire = ExecutorRegistry.get('forest_fire').spec;

  it('is the same from the worker’s value summary as from scanning every frame', () => {
    const cases: [typeof gol, () => SimOutput][] = [
      [gol, () => run(new Uint8Array([0, 1, 1, 0]), [new Uint8Array([1, 1, 0, 0])])],
      // A value outside the categories (7) makes an "other" entry either way.
      [fire, () => run(new Uint8Array([0, 1, 2, 0]), [new Uint8Array([0, 7, 2, 1])])],
      // A continuous ramp over more distinct values than the summary keeps.
      [
        gol,
        () =>
          run(
            Float32Array.from({ length: 5000 }, (_, i) => i / 3),
            [Float32Array.from({ length: 5000 }, (_, i) => -i)],
          ),
      ],
    ];
    for (const [spec, make] of cases) {
      const a = make();
      const b = make();
      expect(outputLayer(a, spec, 0, displayValues(a))!.scale).toEqual(outputLayer(b, spec, 0)!.scale);
    }
  });

  it('keeps a band of many fractions between two whole numbers a ramp, though its summary is only 0 and 1', () => {
    // A LUCC-like share: 5000 distinct values in 0 … 1 and no declared categories.
    const make = () =>
      run(
        Float32Array.from({ length: 5000 }, (_, i) => i / 4999),
        [],
      );
    const a = make();
    expect(displayValues(a)).toEqual({ values: [0, 1], many: true });
    const scale = outputLayer(a, null, 0, displayValues(a))!.scale;
    expect(scale).toMatchObject({ kind: 'continuous', min: 0, max: 1 });
    expect(scale).toEqual(outputLayer(make(), null, 0)!.scale);
  });
});
