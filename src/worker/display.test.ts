import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExecutorRegistry } from '../models/index.ts';
import { emptySeries } from '../sim/output.ts';
import { displayOf, isSimOutput, summarizeValues } from './display.ts';

const glider = new Uint8Array(readFileSync(new URL('../../public/samples/gol_glider_64x64.tif', import.meta.url)));
const spec = ExecutorRegistry.get('game_of_life').spec;

describe('what the page draws after a run', () => {
  it('a kit model’s SimOutput is drawn as it is', async () => {
    const table = { kind: 'table', table: { columns: [] }, series: emptySeries() };
    expect(isSimOutput(table)).toBe(true);
    expect(await displayOf(table, { path: 'x.csv', bytes: new Uint8Array() }, spec)).toBe(table);
  });

  it('any other result (a plain ModelExecutor’s) draws the output file read back', async () => {
    expect(isSimOutput({ dataset: {}, cells: new Uint8Array(4) })).toBe(false);
    const d = await displayOf({ dataset: {}, cells: new Uint8Array(4) }, { path: 'out.tif', bytes: glider }, spec);
    expect(d?.kind).toBe('raster');
    if (d?.kind === 'raster') {
      expect([d.dataset.width, d.dataset.height, d.layer, d.frames.length]).toEqual([64, 64, 'state', 0]);
    }
  });

  it('an output that does not parse is simply not drawn', async () => {
    expect(await displayOf(undefined, { path: 'out.tif', bytes: new Uint8Array([1, 2, 3]) }, spec)).toBeUndefined();
  });
});

describe('the value summary a raster run sends for its colour scale', () => {
  it('lists the distinct values of the final state and every frame, nodata left out (a histogram for integer bands)', () => {
    const final = new Uint8Array([0, 1, 1, 255]);
    const frames = [new Uint8Array([0, 0, 2, 255]), new Int16Array([-3, 0, 1, 1])];
    expect(summarizeValues([final, ...frames], 255)).toEqual({ values: [-3, 0, 1, 2], many: false });
  });

  it('keeps only the finite range of a float band with more distinct values than the limit; NaN is never a value', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => i / 7);
    a[3] = Number.NaN;
    a[4] = Infinity;
    expect(summarizeValues([a], null, 10)).toEqual({ values: [0, 49 / 7], many: true });
    expect(summarizeValues([new Float32Array([0.5, Number.NaN, 0.5, -1])], null)).toEqual({ values: [-1, 0.5], many: false });
  });
});
