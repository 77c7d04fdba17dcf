/**
 * The page's band workers (src/sim/bands.ts): Web Workers started by the simulation worker, sharing the
 * grid's planes as SharedArrayBuffers. That needs a cross-origin isolated page (the server sends
 * Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, as
 * vite.config.ts does); without it, or on one core, every run steps in one thread (same bytes).
 */
import { wasmUnavailable } from '../sim/wasm/runtime.ts';
import { configureBands, type BandChannel, type BandReply } from '../sim/bands.ts';
import type { BandInfo } from './protocol.ts';

/** Grids below this many cells step in one thread (as the CLI: src/cli/node-bands.ts). */
export const WEB_BAND_MIN_CELLS = 250_000;

function spawnBandWorker(): BandChannel {
  const w = new Worker(new URL('./band-worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-band' });
  return {
    post: (m) => w.postMessage(m),
    listen: (listener: (r: BandReply) => void) => {
      w.onmessage = (e: MessageEvent<BandReply>) => listener(e.data);
      w.onerror = (e) => listener({ type: 'error', message: e.message || 'its script could not be loaded' });
    },
    terminate: () => w.terminate(),
  };
}

const isolated = (): boolean =>
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';

let info: BandInfo = { threads: 1, isolated: false };

/** What runs use now (see useWebBands). */
export const webBandInfo = (): BandInfo => info;

/**
 * Band large grids over `threads` threads (1 = one thread) when the page is isolated. Default: 1 where the
 * WebAssembly kernels run (the bands step them too, but were not shown faster than one thread), else
 * navigator.hardwareConcurrency.
 */
export function useWebBands(threads?: number | null): BandInfo {
  if (threads != null && !(Number.isInteger(threads) && threads >= 1 && threads <= 256))
    throw new RangeError(`Threads must be a whole number from 1 to 256, not ${String(threads)}.`);
  const n = threads ?? (wasmUnavailable() === null ? 1 : Math.max(1, navigator.hardwareConcurrency || 1));
  const on = isolated() && n >= 2;
  configureBands(on ? { threads: n, minCells: WEB_BAND_MIN_CELLS, spawn: spawnBandWorker } : null);
  info = { threads: on ? n : 1, isolated: isolated() };
  return info;
}
