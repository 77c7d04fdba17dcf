/// <reference lib="webworker" />
/**
 * The model worker: runs models written in the page. A dedicated worker of its
 * own (the built-in models run in the simulation worker), served with its own
 * Content-Security-Policy (vite.config.ts MODEL_WORKER_CSP: script-src 'self'
 * blob:, connect-src 'none', no 'unsafe-eval'), so a model's transpiled code can
 * be imported as a blob: module here while the page's policy stays as it is.
 * Storage and realm-making globals are deleted first (lockdown.ts). One model
 * source per worker: a new version gets a fresh worker (src/app/editor/model-host.ts).
 */
import * as Comlink from 'comlink';
import { transform } from 'sucrase';
import { configureSqlite } from '../io/sqlite.ts';
import '../models/index.ts';
import { lockDown } from './lockdown.ts';
import { runForPage } from './comlink-run.ts';
import type { LiveEvent, ProgressEvent, RunRequest, WorkerApi } from './protocol.ts';
import { WorkbenchRuntime } from './runtime.ts';
import { wasmUnavailable } from '../sim/wasm/runtime.ts';
import { PAGE_MODEL_NAMESPACES } from './user-model-entries.ts';
import { loadModelSource, PAGE_MODEL_ENTRIES, shimModule, type ModelLoadResult, type PageModelEntry } from './user-model.ts';

configureSqlite({ init: async (c) => (await import('sql.js/dist/sql-asm-memory-growth.js')).default(c) });

const GLOBAL_KEY = '__dissmodelPageModules';
const leftOpen = lockDown();
Object.defineProperty(globalThis, GLOBAL_KEY, { value: PAGE_MODEL_NAMESPACES, enumerable: false, writable: false, configurable: false });

const blobUrl = (code: string): string => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
const entryUrls = new Map<PageModelEntry, string>(
  PAGE_MODEL_ENTRIES.map((e) => [e, blobUrl(shimModule(GLOBAL_KEY, e, Object.keys(PAGE_MODEL_NAMESPACES[e])))]),
);

// The page sends the input bytes with every run; this worker fetches nothing (its CSP forbids it).
const runtime = new WorkbenchRuntime({ samplesBase: new URL(`${import.meta.env.BASE_URL}samples/`, self.location.origin).href });
let loaded = false;

export interface ModelWorkerApi extends WorkerApi {
  /** Import a model's source (once per worker). */
  loadModel(source: string, fileName: string): Promise<ModelLoadResult>;
  /** Globals the lockdown could not remove (expected: none). */
  lockdownReport(): string[];
}

const api: ModelWorkerApi = {
  listExecutors: () => runtime.listExecutors(),

  async loadModel(source, fileName) {
    if (loaded) throw new Error('This model worker already holds a model; the page starts a fresh worker for each version.');
    loaded = true;
    return loadModelSource(source, {
      fileName,
      transpile: (src, o) =>
        transform(src, { transforms: o.typescript ? ['typescript'] : [], filePath: o.fileName, disableESTransforms: true }).code,
      entryUrl: (e) => entryUrls.get(e)!,
      importCode: async (code) => {
        const url = blobUrl(code);
        try {
          return (await import(/* @vite-ignore */ url)) as unknown;
        } finally {
          URL.revokeObjectURL(url);
        }
      },
    });
  },

  lockdownReport: () => leftOpen,

  async inspect(uri, bytes) {
    const { result, transfer } = await runtime.inspect(uri, bytes);
    return Comlink.transfer(result, transfer);
  },

  run: (request: RunRequest, onProgress?: (p: ProgressEvent) => void, onLive?: (e: LiveEvent) => void) =>
    runForPage(runtime, request, onProgress, onLive),

  cancel: () => runtime.cancel(),
  control: (command) => runtime.control(command),
  // A page model steps in this thread: the model worker's policy (worker-src 'none') starts no band worker.
  bandThreads: () => ({ threads: 1, isolated: globalThis.crossOriginIsolated === true }),
  ping: () => Date.now(),
  wasmUnavailable: () => wasmUnavailable(),
  debugCrash: () => undefined,
};

Comlink.expose(api);
