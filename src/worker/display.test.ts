import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExecutorRegistry } from '../models/index.ts';
import { emptySeries } from '../sim/output.ts';
import { displayOf, isSimOutput } from './display.ts';

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
