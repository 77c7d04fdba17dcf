/**
 * Where WebAssembly is missing or refused, the grid models step with their JavaScript kernels and
 * write the same bytes. Missing: a Node started with --noexpose-wasm runs the executors; refused: the
 * WebAssembly of a context whose embedder disallows compilation (what a Content-Security-Policy
 * without 'wasm-unsafe-eval' does in a page).
 */
import { execFileSync } from 'node:child_process';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GameOfLifeRaster } from '../src/models/game-of-life/model.ts';
import { Environment } from '../src/sim/scheduler.ts';
import { hostWasm, type WasmApi } from '../src/sim/wasm/host.ts';
import { probeWasm, resolveEngine, wasmUnavailable } from '../src/sim/wasm/runtime.ts';

const CHILD = `
import '${new URL('../src/models/index.ts', import.meta.url).pathname}';
import { executeLifecycle } from '${new URL('../src/executor/lifecycle.ts', import.meta.url).pathname}';
import { MemoryIO } from '${new URL('../src/executor/memory-io.ts', import.meta.url).pathname}';
import { createRecord, getOutputSha256 } from '${new URL('../src/executor/record.ts', import.meta.url).pathname}';
import { ExecutorRegistry } from '${new URL('../src/executor/registry.ts', import.meta.url).pathname}';
import { writeGeoTiff } from '${new URL('../src/io/geotiff-write.ts', import.meta.url).pathname}';
import { wasmUnavailable } from '${new URL('../src/sim/wasm/runtime.ts', import.meta.url).pathname}';
const rows = 45, cols = 101;
let x = 12345;
const data = Uint8Array.from({ length: rows * cols }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % 10);
const out = { unavailable: wasmUnavailable() };
for (const [model, states, parameters] of [['game_of_life', 2, { end_time: 40 }], ['forest_fire', 3, { end_time: 30, neighborhood: 'moore' }]]) {
  const band = data.map((v) => (states === 2 ? +(v < 4) : v < 1 ? 1 : v < 2 ? 2 : 0));
  const io = new MemoryIO();
  io.inputs.set('in.tif', writeGeoTiff({ kind: 'raster', width: cols, height: rows, transform: null, epsg: null, bands: [{ name: 'state', dtype: 'uint8', data: band, nodata: null }] }));
  const record = createRecord({ model_name: model, source: { type: 'local', uri: 'in.tif' }, parameters, output_path: 'out.tif' });
  const outcome = await executeLifecycle(new (ExecutorRegistry.get(model))(), record, { io });
  if (outcome.error !== undefined) throw outcome.error;
  out[model] = getOutputSha256(record);
}
console.log(JSON.stringify(out));
`;

function runChild(flags: string[]): Record<string, string | null> {
  const stdout = execFileSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', CHILD], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string | null>;
}

describe('the WebAssembly kernels fall back to JavaScript', () => {
  it('a host without WebAssembly runs game_of_life and forest_fire with the JavaScript kernels: the same output bytes', () => {
    const withWasm = runChild([]);
    const without = runChild(['--noexpose-wasm']);
    expect(withWasm.unavailable).toBeNull();
    expect(without.unavailable).toBe('this host has no WebAssembly');
    expect(without.game_of_life).toMatch(/^[0-9a-f]{64}$/);
    expect(without).toEqual({ ...withWasm, unavailable: without.unavailable });
  });

  it('a host that refuses compilation is told apart from one that compiles', () => {
    const refusing = runInContext('WebAssembly', createContext({}, { codeGeneration: { wasm: false } })) as WasmApi;
    expect(probeWasm(refusing)).toMatch(/^WebAssembly compilation is refused here \(.*disallowed/);
    expect(probeWasm(hostWasm())).toBeNull();
    expect(probeWasm(undefined)).toBe('this host has no WebAssembly');
    // This process compiles: 'auto' is WebAssembly, and asking for it works.
    expect(wasmUnavailable()).toBeNull();
    expect(resolveEngine('auto')).toBe('wasm');
    expect(resolveEngine('js')).toBe('js');
  });

  it('a WebAssembly global removed after the probe (as the page-model worker’s lockdown removes it) counts as missing', () => {
    expect(wasmUnavailable()).toBeNull();
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    try {
      expect(wasmUnavailable()).toBe('this host has no WebAssembly');
      expect(resolveEngine('auto')).toBe('js');
      expect(new GameOfLifeRaster(new Environment(), 3, 70, new Uint8Array(210)).engine).toBe('js');
      expect(() => resolveEngine('wasm')).toThrow(/asked for, but this host has no WebAssembly/);
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', descriptor);
    }
    expect(resolveEngine('auto')).toBe('wasm');
  });
});
