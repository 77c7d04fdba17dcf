import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../models/index.ts';
import { sha256Hex } from '../io/sha256.ts';
import { createRecord } from '../executor/record.ts';
import type { ProgressEvent } from './protocol.ts';
import { collectBuffers, throttleProgress, WorkbenchRuntime } from './runtime.ts';

const SAMPLES = join(__dirname, '..', '..', 'public', 'samples');
const sample = (f: string) => new Uint8Array(readFileSync(join(SAMPLES, f)));
const runtime = () => new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });

describe('WorkbenchRuntime', () => {
  it('lists executors as plain, cloneable specs', () => {
    const specs = runtime().listExecutors();
    expect(specs.map((s) => s.name)).toContain('game_of_life');
    expect(() => structuredClone(specs)).not.toThrow();
  });

  it('inspects a GeoTIFF and a GeoJSON; a corrupt file is a typed error, not a throw', async () => {
    const rt = runtime();
    const tif = sample('gol_glider_64x64.tif');
    const r = await rt.inspect('file:gol_glider_64x64.tif', tif.slice());
    expect(r.result.ok).toBe(true);
    if (r.result.ok) {
      expect(r.result.summary).toMatchObject({
        kind: 'raster',
        format: 'GeoTIFF',
        width: 64,
        height: 64,
        name: 'gol_glider_64x64.tif',
        sha256: sha256Hex(tif),
      });
      expect(r.result.summary.bands?.[0].name).toBe('state');
    }
    const geo = sample('coast_10x14.geojson');
    const g = await rt.inspect('sample:coast_10x14.geojson', geo.slice());
    expect(g.result.ok && g.result.summary).toMatchObject({ kind: 'vector', featureCount: 140, epsg: 31984 });
    const acre = await rt.inspect('sample:csAC.zip', sample('csAC.zip'));
    expect(acre.result.ok && acre.result.summary).toMatchObject({
      kind: 'vector',
      format: 'Shapefile (zipped)',
      featureCount: 6574,
      geometryTypes: ['Polygon'],
      epsg: null,
      crsName: 'SAD69_Brazil_Polyconic',
    });
    const bad = await rt.inspect('file:x.tif', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(bad.result.ok).toBe(false);
    if (!bad.result.ok) expect(bad.result.error.message.length).toBeGreaterThan(10);
  });

  it('runs a record: output bytes hash to artifacts.output, profiling added, frames kept, progress throttled', async () => {
    const rt = runtime();
    const record = createRecord({
      model_name: 'game_of_life',
      source: { type: 'sample', uri: 'sample:gol_glider_64x64.tif' },
      parameters: { end_time: 30 },
    });
    const events: ProgressEvent[] = [];
    const { response, transfer } = await rt.run(
      {
        record: JSON.parse(JSON.stringify(record)),
        inputs: [{ uri: 'sample:gol_glider_64x64.tif', bytes: sample('gol_glider_64x64.tif') }],
        keepFrames: true,
      },
      (p) => events.push(p),
    );
    expect(response.status).toBe('completed');
    expect(response.output!.name).toBe(`game_of_life_${record.experiment_id.slice(0, 8)}.tif`);
    expect(sha256Hex(response.output!.bytes)).toBe(response.record.artifacts.output);
    expect(response.output!.sha256).toBe(response.record.artifacts.output);
    expect(response.record.artifacts.profiling).toBe(sha256Hex(new TextEncoder().encode(response.profiling!.markdown)));
    expect(JSON.parse(response.recordJson).artifacts.output).toBe(response.output!.sha256);
    expect(response.display?.kind).toBe('raster');
    if (response.display?.kind === 'raster') expect(response.display.frames.length).toBe(31);
    expect(response.lastStep).toEqual({ step: 30, total: 30 });
    // Every buffer is listed once for transfer.
    expect(new Set(transfer).size).toBe(transfer.length);
    expect(transfer).toContain(response.output!.bytes.buffer);
    expect(events.at(-1)?.phase).toBe('save');
    expect(events.some((e) => e.step === 30)).toBe(true);
  });

  it('a cancelled run ends "cancelled" within a step; the runtime is free again', async () => {
    const rt = runtime();
    const record = createRecord({
      model_name: 'game_of_life',
      source: { type: 'sample', uri: 'sample:g.tif' },
      parameters: { end_time: 1_000_000 },
    });
    const pending = rt.run({ record, inputs: [{ uri: 'sample:g.tif', bytes: sample('gol_glider_64x64.tif') }], keepFrames: false });
    setTimeout(() => rt.cancel(), 150);
    const { response } = await pending;
    expect(response.status).toBe('cancelled');
    expect(response.error?.code).toBe('cancelled');
    expect(rt.running).toBe(false);
  });

  it('refuses an untrusted record that does not parse, and a file: URI with no bytes', async () => {
    const rt = runtime();
    await expect(rt.run({ record: { model_name: 'game_of_life', bogus: 1 }, keepFrames: false })).rejects.toThrow(/Unknown field 'bogus'/);
    const record = createRecord({ model_name: 'game_of_life', source: { type: 'file', uri: 'file:missing.tif' } });
    const { response } = await rt.run({ record, keepFrames: false });
    expect(response.status).toBe('failed');
    expect(response.error?.message).toMatch(/Drop or pick the file again/);
  });
});

describe('throttleProgress', () => {
  it('sends at most 20 a second, always phase changes and the last step', () => {
    let t = 0;
    const sent: ProgressEvent[] = [];
    const th = throttleProgress(
      (p) => sent.push(p),
      () => t,
      0,
    );
    th.push({ phase: 'run' });
    for (let k = 1; k <= 1000; k++) {
      t += 1; // 1000 steps in one second
      th.push({ phase: 'run', step: k, total: 1000 });
    }
    th.flush();
    expect(sent.length).toBeLessThanOrEqual(22);
    expect(sent.at(-1)?.step).toBe(1000);
    expect(th.lastStep()).toEqual({ step: 1000, total: 1000 });
  });

  it('collectBuffers lists each buffer once', () => {
    const a = new Uint8Array(8);
    const b = a.subarray(2);
    expect(collectBuffers([a, b, null, new Uint8Array(4)])).toHaveLength(2);
  });
});
