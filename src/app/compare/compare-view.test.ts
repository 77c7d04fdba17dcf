import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecord, recordToJson } from '../../executor/record.ts';
import { parseDataset } from '../../io/dataset.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import type { RunResponse } from '../../worker/protocol.ts';
import { makeEntry } from '../history/entry.ts';
import { diffCategorical, diffContinuous } from './diff.ts';
import { CHANGED_COLOR, UNCHANGED_COLOR, diffLayer } from './diff-layer.ts';
import { DIVERGING, divergingColor, divergingStops } from './diverging.ts';
import { comparableRuns, defaultPair } from './runs.ts';

describe('the diverging ramp of b − a', () => {
  it('is neutral grey at zero, blue below, red above', () => {
    expect(divergingColor(0)).toBe('#dddddd');
    expect(divergingColor(-1)).toBe(DIVERGING[0]);
    expect(divergingColor(1)).toBe(DIVERGING[DIVERGING.length - 1]);
  });

  it('drawn over min … max keeps zero neutral: a range of 0 … 3 runs from grey to the reddest red', () => {
    const sym = divergingStops(-2, 2, 5);
    expect(sym[2]).toBe('#dddddd');
    const up = divergingStops(0, 3, 5);
    expect(up[0]).toBe('#dddddd');
    expect(up[4]).toBe(DIVERGING[DIVERGING.length - 1]);
    expect(divergingStops(0, 0)).toEqual(['#dddddd', '#dddddd']);
  });
});

describe('diffLayer', () => {
  it('draws a categorical difference in two colours and a continuous one over its own range, on the grid', async () => {
    const f = 'coast_10x14.tif';
    const coast = (await parseDataset(
      f,
      new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', 'public', 'samples', f))),
    )) as RasterDataset;
    const uso = coast.bands[0].data;
    const moved = Float32Array.from(uso, (v, i) => (i % 3 ? v : v + 1));
    const cat = diffCategorical(uso, moved, null, null);
    const grid = { ...coast, bands: [{ name: 'uso', dtype: 'uint8' as const, data: cat.cells, nodata: 255 }] };
    const layer = diffLayer(grid, 'uso', cat, 'Changed cells');
    expect(layer.scale).toMatchObject({
      kind: 'categorical',
      entries: [
        { value: 0, label: 'unchanged', color: UNCHANGED_COLOR },
        { value: 1, label: 'changed', color: CHANGED_COLOR },
      ],
    });
    expect(layer.kind === 'raster' && [layer.width, layer.height, layer.crs]).toEqual([14, 10, expect.stringContaining('31984')]);
    const cont = diffContinuous(uso, moved, null, null);
    const c = diffLayer({ ...grid, bands: [{ name: 'uso', dtype: 'float32', data: cont.cells, nodata: null }] }, 'uso', cont, 'B − A');
    expect(c.scale).toMatchObject({ kind: 'continuous', min: 0, max: 1, field: 'uso (B − A)' });
    expect(c.values).toBe(cont.cells);
  });
});

describe('comparableRuns', () => {
  const record = (model = 'game_of_life') => ({
    ...createRecord({ model_name: model, source: { type: 'sample', uri: 'sample:gol_glider_64x64.tif' }, parameters: { end_time: 5 } }),
    status: 'completed' as const,
  });
  const out = (id: string) => ({
    name: `game_of_life_${id.slice(0, 8)}.tif`,
    mediaType: 'image/tiff',
    sha256: id,
    bytes: new Uint8Array([1]),
  });
  const entry = (r: ReturnType<typeof record>, bytes = true) =>
    makeEntry(r, recordToJson(r), {}, bytes ? out(r.experiment_id) : { ...out(r.experiment_id), bytes: null });

  it('lists the current run first, then the history runs that kept their output, each once', () => {
    const [cur, fire, older, noBytes] = [record(), record('forest_fire'), record(), record()];
    const current = {
      record: cur,
      recordJson: recordToJson(cur),
      status: 'completed',
      timings: {},
      output: out(cur.experiment_id),
    } as RunResponse;
    const runs = comparableRuns(current, [entry(cur), entry(fire), entry(older), entry(noBytes, false)]);
    expect(runs.map((r) => r.id)).toEqual([cur.experiment_id, fire.experiment_id, older.experiment_id]);
    expect(runs[0].label).toBe(`current run · game_of_life ${cur.experiment_id.slice(0, 8)} on gol_glider_64x64.tif · end_time=5`);
    // Run B the newest, run A the newest other run of its model.
    expect(defaultPair(runs)).toEqual({ a: older.experiment_id, b: cur.experiment_id });
    expect(defaultPair([])).toEqual({ a: null, b: null });
  });
});
