/// <reference lib="webworker" />
/**
 * The simulation worker: every registered executor, run through
 * executeLifecycle, exposed to the page with Comlink. Large buffers cross with
 * Comlink.transfer (moved, not copied).
 */
import * as Comlink from 'comlink';
import { configureInflate } from '../io/inflate.ts';
import { configureSqlite } from '../io/sqlite.ts';
import '../models/index.ts';
import type { LiveEvent, ProgressEvent, RunRequest, WorkerApi } from './protocol.ts';
import { runForPage } from './comlink-run.ts';
import { WorkbenchRuntime } from './runtime.ts';
import { wasmUnavailable } from '../sim/wasm/runtime.ts';
import { streamInflate } from './stream-inflate.ts';
import { useWebBands, webBandInfo } from './web-bands.ts';

// GeoPackage reading and writing: sql.js's asm.js build, a chunk of its own loaded on the first
// GeoPackage (no network). Its WebAssembly build would be smaller and faster; the page's CSP now allows
// compiling WebAssembly ('wasm-unsafe-eval', for the grid kernels of src/sim/wasm), not switched yet.
configureSqlite({ init: async (c) => (await import('sql.js/dist/sql-asm-memory-growth.js')).default(c) });

// Deflate GeoTIFFs through the browser's native DecompressionStream (bounded; fflate decides what it cannot).
configureInflate(streamInflate);

// Large Game of Life / forest-fire rasters step in row bands on Web Workers when the page is isolated.
useWebBands();

const samplesBase = new URL(`${import.meta.env.BASE_URL}samples/`, self.location.origin).href;
const runtime = new WorkbenchRuntime({ samplesBase });

const api: WorkerApi = {
  listExecutors: () => runtime.listExecutors(),

  async inspect(uri, bytes) {
    const { result, transfer } = await runtime.inspect(uri, bytes);
    return Comlink.transfer(result, transfer);
  },

  run: (request: RunRequest, onProgress?: (p: ProgressEvent) => void, onLive?: (e: LiveEvent) => void) =>
    runForPage(runtime, request, onProgress, onLive),

  cancel: () => runtime.cancel(),

  control: (command) => runtime.control(command),

  bandThreads: (threads) => (threads === undefined ? webBandInfo() : useWebBands(threads)),

  ping: () => Date.now(),
  wasmUnavailable: () => wasmUnavailable(),

  debugCrash(mode) {
    if (mode === 'throw') {
      setTimeout(() => {
        throw new Error('Simulated worker crash (debugCrash)');
      }, 0);
    } else if (mode === 'close') {
      setTimeout(() => self.close(), 0);
    } else {
      // A worker stuck for good (as one that is dying of memory exhaustion): never answers again.
      setTimeout(() => {
        for (;;) {
          /* spin */
        }
      }, 0);
    }
  },
};

Comlink.expose(api);
