/**
 * Row bands in the page (issue #17): the page is cross-origin isolated (COOP/COEP from the server), so
 * the simulation worker steps a large Game of Life or forest-fire raster on band Web Workers sharing its
 * planes — and the output's SHA-256 is the one-thread run's, computed here in Node by the same core.
 * Cross-origin isolation must not cost the page its basemap: a tile server on another origin that
 * answers CORS (as OpenStreetMap's does) still draws under COEP require-corp.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { zlibSync } from 'fflate';
import { createRecord, executeLifecycle, getOutputSha256, MemoryIO } from '../src/executor/index.ts';
import { ExecutorRegistry } from '../src/models/index.ts';
import { decodePng, openWorkbench, SAMPLES, selectModel } from './helpers.ts';

const SAMPLE = 'gol_random_512x512.tif'; // 262 144 cells: above the page's banding threshold (250 000)
const CASES: { model: string; parameters: Record<string, string | number> }[] = [
  { model: 'game_of_life', parameters: { end_time: 30 } },
  { model: 'forest_fire', parameters: { end_time: 30, neighborhood: 'moore' } },
];

/** The single-thread run in Node (no band host configured here): the known hash. */
async function nodeSha(model: string, parameters: Record<string, string | number>): Promise<string> {
  const io = new MemoryIO();
  const uri = `sample:${SAMPLE}`;
  io.inputs.set(uri, new Uint8Array(readFileSync(join(SAMPLES, SAMPLE))));
  const record = createRecord({ model_name: model, source: { type: 'sample', uri }, parameters });
  await executeLifecycle(new (ExecutorRegistry.get(model))(), record, { io });
  expect(record.status, record.logs.join('\n')).toBe('completed');
  expect(record.metrics.band_workers).toBeUndefined();
  return getOutputSha256(record)!;
}

interface Hook {
  __dissmodel: {
    worker: {
      bandThreads(n?: number | null): Promise<{ threads: number; isolated: boolean }>;
      run(
        r: unknown,
      ): Promise<{ status: string; record: { metrics: Record<string, unknown>; logs: string[] }; output?: { sha256: string } }>;
    };
  };
}

test('the page is cross-origin isolated and a banded run writes the single-thread bytes (Game of Life, forest fire)', async ({ page }) => {
  await openWorkbench(page);
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  for (const c of CASES) {
    const known = await nodeSha(c.model, c.parameters);
    const runs = await page.evaluate(
      async ({ c, sample }) => {
        const worker = (globalThis as unknown as Hook).__dissmodel.worker;
        const bytes = new Uint8Array(await (await fetch(`/samples/${sample}`)).arrayBuffer());
        const uri = `sample:${sample}`;
        const out = [];
        for (const threads of [2, 1, 3]) {
          const info = await worker.bandThreads(threads);
          const record = { model_name: c.model, source: { type: 'sample', uri }, parameters: c.parameters };
          const r = await worker.run({ record, inputs: [{ uri, bytes: bytes.slice() }], keepFrames: false });
          out.push({
            info,
            status: r.status,
            workers: r.record.metrics.band_workers,
            sha: r.output?.sha256,
            bands: r.record.logs.find((l) => l.includes('in row bands')) ?? null,
          });
        }
        await worker.bandThreads(null);
        return out;
      },
      { c, sample: SAMPLE },
    );
    expect(runs.map((r) => r.info)).toEqual([
      { threads: 2, isolated: true },
      { threads: 1, isolated: true },
      { threads: 3, isolated: true },
    ]);
    expect(runs.map((r) => [r.status, r.workers, r.sha])).toEqual([
      ['completed', 2, known],
      ['completed', undefined, known],
      ['completed', 3, known],
    ]);
    // The band Web Workers step the WebAssembly kernel over one shared memory (not the JavaScript fallback).
    expect(runs.map((r) => r.bands?.match(/\((\w+) kernel\)/)?.[1] ?? null)).toEqual(['WebAssembly', null, 'WebAssembly']);
  }
});

/** A size × size PNG of one RGB colour (8-bit RGB, filter 0). */
function solidPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const raw = new Uint8Array(size * (1 + 3 * size));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw.set([r, g, b], y * (1 + 3 * size) + 1 + 3 * x);
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    out.set(body, 8);
    let c = 0xffffffff;
    for (const byte of out.subarray(4, 8 + body.length)) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

test('under COEP a basemap from another origin draws when it answers CORS (as OpenStreetMap does), and says so when not', async ({
  page,
}) => {
  const tile = solidPng(256, [255, 0, 255]);
  let served = 0;
  // A tile server on another origin (another port): only /cors/ tiles answer with CORS.
  const server = createServer((req, res) => {
    served++;
    res.writeHead(200, { 'Content-Type': 'image/png', ...(req.url?.startsWith('/cors/') ? { 'Access-Control-Allow-Origin': '*' } : {}) });
    res.end(tile);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const useBasemap = async (path: string) => {
      await page.getByTestId('settings-button').click();
      await page.getByLabel('Raster tile URL template').fill(`${origin}/${path}/{z}/{x}/{y}.png`);
      await page.getByTestId('basemap-toggle').setChecked(false);
      await page.getByTestId('basemap-toggle').check();
      await page.keyboard.press('Escape');
    };
    const magenta = async () => {
      const { data } = decodePng(new Uint8Array(await page.getByTestId('map').screenshot()));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 240 && data[i + 1] < 15 && data[i + 2] > 240) n++;
      return n / (data.length / 4);
    };
    await useBasemap('cors');
    await expect.poll(magenta, { timeout: 60_000 }).toBeGreaterThan(0.2);
    await expect(page.getByTestId('basemap-error')).toHaveCount(0);
    const before = served;
    await useBasemap('plain');
    await expect(page.getByTestId('basemap-error')).toContainText(/could not be loaded/);
    expect(served).toBeGreaterThan(before);
  } finally {
    server.close();
  }
});
