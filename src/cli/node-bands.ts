/**
 * The CLI's band workers (src/sim/bands.ts) on worker_threads: one large Game of Life or forest-fire grid
 * stepped on several cores, with the same output bytes as on one. Threads: `--threads N`, else the
 * DISSMODEL_THREADS environment variable, else 1 where the WebAssembly kernels run (the band threads
 * step them too, over one shared memory, but two were not shown faster than one on the loaded 2-core
 * machine they were measured on: `npm run bench -- --grid`) and os.availableParallelism() where they
 * do not; 1 steps in one thread.
 * Workers start on the first banded run and are kept (unref'd: they never hold the process open).
 */
import { configureBands, type BandChannel, type BandReply } from '../sim/bands.ts';
import { wasmUnavailable } from '../sim/wasm/runtime.ts';

/** Grids below this many cells step in one thread: a banded step's start and join cost more than they save. */
export const BAND_MIN_CELLS = 250_000;

/**
 * The thread count asked for: `value` (a flag), else DISSMODEL_THREADS, else 1 with WebAssembly (two
 * banded WebAssembly threads were not shown faster than one), else the cores; an error names what is wrong.
 */
export function bandThreadsFrom(value: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const [raw, from] =
    value !== undefined ? [value, '--threads'] : env.DISSMODEL_THREADS ? [env.DISSMODEL_THREADS, 'DISSMODEL_THREADS'] : [null, ''];
  if (raw === null) return wasmUnavailable() === null ? 1 : process.getBuiltinModule('node:os').availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`${from} must be a whole number of threads from 1 to 256, not "${String(raw)}".`);
  return n;
}

function spawnBandWorker(): BandChannel {
  // From the sources the thread registers tsx first (loader hooks are per thread); compiled, it runs as is.
  const url = new URL(import.meta.url.endsWith('.ts') ? './band-worker.js' : './band-worker-main.js', import.meta.url);
  // node:worker_threads is loaded when a band thread starts, not with the CLI (most runs start none).
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const w = new Worker(url, { workerData: {} });
  // Each message posted gets one reply: the worker holds the process open only while a reply is awaited
  // (unref after the listeners are added, which ref it again).
  const replied = (listener: (r: BandReply) => void) => (r: BandReply) => {
    w.unref();
    listener(r);
  };
  return {
    post: (m) => {
      w.ref();
      w.postMessage(m);
    },
    listen: (listener) => {
      const on = replied(listener);
      w.on('message', on);
      w.on('error', (e) => on({ type: 'error', message: e.message }));
      w.on('exit', (code) => on({ type: 'error', message: `the worker exited (code ${code})` }));
      w.unref();
    },
    terminate: () => void w.terminate(),
  };
}

/** Band the CLI's large grids over `threads` threads (1: none), grids of at least `minCells` cells. */
export function useNodeBands(threads: number, minCells = BAND_MIN_CELLS): void {
  configureBands(threads < 2 ? null : { threads, minCells, spawn: spawnBandWorker });
}
