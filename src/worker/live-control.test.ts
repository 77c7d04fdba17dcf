/**
 * Run controls in the worker's runtime, on the real Game of Life and a bundled sample:
 * Setup (paused at step 0), single steps, go, pause, a live frame for every state a pause
 * shows, and a cancelled run's partial state written as the model writes its output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../models/index.ts';
import { createRecord } from '../executor/record.ts';
import { readGeoTiff } from '../io/geotiff-read.ts';
import { sha256Hex } from '../io/sha256.ts';
import { LIVE_FRAME_MIN_INTERVAL_MS, LiveRunControl } from './live-control.ts';
import type { LiveEvent } from './protocol.ts';
import { partialPath, WorkbenchRuntime } from './runtime.ts';

const SAMPLES = join(__dirname, '..', '..', 'public', 'samples');
const GLIDER = 'gol_glider_64x64.tif';
const glider = () => new Uint8Array(readFileSync(join(SAMPLES, GLIDER)));

function golRecord(end: number) {
  return createRecord({ model_name: 'game_of_life', source: { type: 'sample', uri: `sample:${GLIDER}` }, parameters: { end_time: end } });
}

/** Resolves when `events` holds an event matching `pred` (polling the event loop, no fixed sleep). */
async function until(events: LiveEvent[], pred: (e: LiveEvent) => boolean): Promise<LiveEvent> {
  for (let i = 0; i < 10_000; i++) {
    const hit = events.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('no matching live event');
}

describe('run controls (LiveRunControl through WorkbenchRuntime)', () => {
  it('Setup pauses at step 0 with the initial state; Step advances one step at a time; Go completes the run', async () => {
    const rt = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });
    const events: LiveEvent[] = [];
    const run = rt.run(
      { record: golRecord(20), inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }], keepFrames: false, live: { startPaused: true } },
      undefined,
      (e) => events.push(e),
    );
    const setup = await until(events, (e) => e.paused && e.step === 0);
    expect(setup.frame).toBeInstanceOf(Uint8Array);
    const initial = (await readGeoTiff(glider())).bands[0].data;
    expect(Array.from(setup.frame as Uint8Array)).toEqual(Array.from(initial)); // the state loaded, before any step
    rt.control({ kind: 'step' });
    const one = await until(events, (e) => e.paused && e.step === 1);
    expect(one.frame).not.toEqual(setup.frame);
    rt.control({ kind: 'step', steps: 3 });
    const four = await until(events, (e) => e.paused && e.step === 4);
    rt.control({ kind: 'resume' });
    const { response } = await run;
    expect(response.status).toBe('completed');
    expect(response.partial).toBeUndefined();
    expect(response.output).toBeDefined();
    // Paused and stepped, the output is the same as an uncontrolled run's.
    const plain = await new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' }).run({
      record: golRecord(20),
      inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }],
      keepFrames: true,
    });
    expect(sha256Hex(response.output!.bytes)).toBe(sha256Hex(plain.response.output!.bytes));
    // Each paused state is the uncontrolled run's frame after as many steps (frame 0 = the initial state).
    const frames = plain.response.display!.kind === 'table' ? [] : plain.response.display!.frames;
    expect(Array.from(one.frame as Uint8Array)).toEqual(Array.from(frames[1].data));
    expect(Array.from(four.frame as Uint8Array)).toEqual(Array.from(frames[4].data));
    expect(events.at(-1)?.step).toBe(20);
  });

  it('a cancelled paused run keeps the state reached: partial GeoTIFF of that step, record "cancelled" and says so', async () => {
    const rt = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });
    const events: LiveEvent[] = [];
    const record = golRecord(50);
    const run = rt.run(
      { record, inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }], keepFrames: true, live: { startPaused: true } },
      undefined,
      (e) => events.push(e),
    );
    await until(events, (e) => e.paused && e.step === 0);
    rt.control({ kind: 'step', steps: 7 });
    const at7 = await until(events, (e) => e.paused && e.step === 7);
    rt.cancel();
    const { response } = await run;
    expect(response.status).toBe('cancelled');
    expect(response.output).toBeUndefined();
    expect(response.record.artifacts.output).toBeUndefined();
    const partial = response.partial!;
    expect(partial).toMatchObject({ status: 'cancelled', step: 7, total: 50, mediaType: 'image/tiff' });
    expect(partial.name).toMatch(/^game_of_life_[0-9a-f]{8}_partial_step7\.tif$/);
    expect(partial.sha256).toBe(sha256Hex(partial.bytes));
    // The partial file is the state after 7 steps: the frame the pause showed.
    const tif = await readGeoTiff(partial.bytes);
    expect(Array.from(tif.bands[0].data)).toEqual(Array.from(at7.frame as Uint8Array));
    expect(response.display?.kind).toBe('raster');
    const log = response.record.logs.join('\n');
    expect(log).toMatch(/Stopped after step 7 of 50/);
    expect(log).toMatch(new RegExp(`Partial result \\(cancelled, not a completed output\\): ${partial.name}.*${partial.sha256}`));
    expect(log).toMatch(/Cancelled during run/);
    expect(JSON.parse(response.recordJson).status).toBe('cancelled');
  });

  it('an uncontrolled cancelled run keeps nothing (the CLI contract)', async () => {
    const rt = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });
    const run = rt.run({ record: golRecord(100_000), inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }], keepFrames: false }, (p) => {
      if ((p.step ?? 0) > 3) rt.cancel();
    });
    const { response } = await run;
    expect(response.status).toBe('cancelled');
    expect(response.partial).toBeUndefined();
    expect(response.display).toBeUndefined();
    expect(response.record.logs.join('\n')).not.toMatch(/partial/i);
  });

  it('frames are throttled (the first, then about one per interval; the last step none: the output follows) and every frame is a copy', async () => {
    let clock = 0;
    const sent: LiveEvent[] = [];
    const ctl = new LiveRunControl({ signal: new AbortController().signal, now: () => clock, send: (e) => sent.push(e) });
    const state = new Uint8Array([1, 2, 3]);
    for (let k = 0; k <= 1000; k++) {
      state[0] = k % 256;
      await ctl.atStep(k, 1000, () => state);
      clock += 1; // 1 ms per step: 1 s in all, at most one frame per 250 ms (LIVE_FRAME_MIN_INTERVAL_MS)
    }
    expect(LIVE_FRAME_MIN_INTERVAL_MS).toBe(250);
    expect(sent[0].step).toBe(0);
    expect(sent.at(-1)).toEqual({ step: 1000, total: 1000, paused: false }); // a notice, no frame
    const framed = sent.filter((e) => e.frame);
    expect(framed.map((e) => e.step)).toEqual([0, 250, 500, 750]);
    expect((sent[1].frame as Uint8Array)[0]).toBe(sent[1].step % 256);
    expect(sent[1].frame).not.toBe(state);
  });

  it('a grid larger than frameMax sends every k-th row and column while it runs, its paused states whole', async () => {
    const rt = new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' });
    const paused: LiveEvent[] = [];
    const setupRun = rt.run(
      {
        record: golRecord(6),
        inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }],
        keepFrames: false,
        live: { startPaused: true, frameMax: 20 },
      },
      undefined,
      (e) => paused.push(e),
    );
    const setup = await until(paused, (e) => e.paused && e.step === 0);
    expect(setup.sampled).toBeUndefined();
    expect((setup.frame as Uint8Array).length).toBe(64 * 64);
    rt.control({ kind: 'resume' });
    await setupRun;

    const events: LiveEvent[] = [];
    const { response } = await rt.run(
      { record: golRecord(6), inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }], keepFrames: true, live: { frameMax: 20 } },
      undefined,
      (e) => events.push(e),
    );
    expect(response.status).toBe('completed');
    const frames = response.display!.kind === 'table' ? [] : response.display!.frames;
    const running = events.filter((e) => e.frame);
    expect(running.length).toBeGreaterThan(0); // step 0's at least
    for (const e of running) {
      // 64 cells over at most 20: every 4th row and column, 16 × 16 of them, as the kept frame holds them.
      expect(e.sampled).toEqual({ stride: 4, width: 16, height: 16 });
      const full = frames[e.step].data;
      const want: number[] = [];
      for (let r = 0; r < 64; r += 4) for (let c = 0; c < 64; c += 4) want.push(full[r * 64 + c]);
      expect(Array.from(e.frame as Uint8Array)).toEqual(want);
    }
    expect(events.at(-1)).toEqual({ step: 6, total: 6, paused: false }); // the last step: a notice, no frame
    // The output is the uncontrolled run's, bytes and all.
    const plain = await new WorkbenchRuntime({ samplesBase: 'http://127.0.0.1:1/samples/' }).run({
      record: golRecord(6),
      inputs: [{ uri: `sample:${GLIDER}`, bytes: glider() }],
      keepFrames: false,
    });
    expect(sha256Hex(response.output!.bytes)).toBe(sha256Hex(plain.response.output!.bytes));
  });

  it("spaces frames by the page's drawing time as it reports it (the budget: 3 % of the run)", async () => {
    let clock = 0;
    const sent: LiveEvent[] = [];
    const ctl = new LiveRunControl({ signal: new AbortController().signal, now: () => clock, send: (e) => sent.push(e) });
    const state = new Uint8Array(4);
    for (let k = 0; k <= 10_000; k++) {
      if (k === 1) ctl.command({ kind: 'drawn', ms: 60 }); // 60 ms a frame: one every 2 s at most
      await ctl.atStep(k, 10_000, () => state);
      clock += 1; // 10 s in all
    }
    const framed = sent.filter((e) => e.frame);
    expect(framed[0].step).toBe(0);
    expect(framed.length).toBeGreaterThanOrEqual(5);
    expect(framed.length).toBeLessThanOrEqual(6);
    for (let i = 2; i < framed.length; i++) expect(framed[i].step - framed[i - 1].step).toBeGreaterThanOrEqual(2000);
    ctl.command({ kind: 'drawn', ms: Number.NaN }); // ignored as 0
  });

  it('names partial files after the output, with the step', () => {
    expect(partialPath('out/gol_1a2b3c4d.tif', 12)).toBe('out/gol_1a2b3c4d_partial_step12.tif');
    expect(partialPath('sir_1a2b3c4d', 3)).toBe('sir_1a2b3c4d_partial_step3');
  });
});
