/**
 * The worker's response must post whole: its display arrays are transferred, and a model may hand over views
 * into its kernel's WebAssembly memory (the coastal models' output bands), which cannot be detached.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../models/index.ts';
import { createRecord } from '../executor/record.ts';
import { collectBuffers, displayArrays, ownBuffers, WorkbenchRuntime } from './runtime.ts';

const SAMPLE = 'coast_10x14.tif';
const sample = () => new Uint8Array(readFileSync(join(import.meta.dirname, '../../public/samples', SAMPLE)));

describe('the run response posts whole (ownBuffers)', () => {
  it('a BR-MANGUE run: the display bands are arrays of their own and the response clones with its transfer list', async () => {
    const record = createRecord({
      model_name: 'brmangue',
      source: { type: 'sample', uri: `sample:${SAMPLE}` },
      parameters: { end_time: 3 },
    });
    const { response, transfer } = await new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' }).run({
      record,
      inputs: [{ uri: `sample:${SAMPLE}`, bytes: sample() }],
      keepFrames: true,
    });
    expect(response.status).toBe('completed');
    for (const a of displayArrays(response.display)) expect(a.byteLength).toBe(a.buffer.byteLength);
    expect(() => structuredClone(response, { transfer })).not.toThrow(); // as postMessage does
  });

  it('copies a view into a larger buffer and keeps an array that fills its own', () => {
    const memory = new ArrayBuffer(64);
    const view = new Int16Array(memory, 16, 8);
    view[0] = 7;
    const whole = new Float32Array(4);
    const out = ownBuffers({
      kind: 'raster',
      dataset: { kind: 'raster', bands: [{ name: 'uso', data: view, nodata: null }] } as never,
      layer: 'uso',
      frames: [{ step: 1, data: whole }],
      series: {} as never,
    });
    if (out?.kind !== 'raster') throw new Error('a raster display');
    expect(out.dataset.bands[0].data).not.toBe(view);
    expect([...out.dataset.bands[0].data]).toEqual([...view]);
    expect(out.frames[0].data).toBe(whole);
    expect(collectBuffers(displayArrays(out))).not.toContain(memory);
  });

  it('copies a view of a SharedArrayBuffer (the output band of a banded run), even one that fills it', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8)).fill(2);
    const out = ownBuffers({
      kind: 'raster',
      dataset: { kind: 'raster', bands: [{ name: 'state', data: shared, nodata: null }] } as never,
      layer: 'state',
      frames: [],
      series: {} as never,
    });
    if (out?.kind !== 'raster') throw new Error('a raster display');
    expect(out.dataset.bands[0].data.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...out.dataset.bands[0].data]).toEqual([...shared]);
  });
});
