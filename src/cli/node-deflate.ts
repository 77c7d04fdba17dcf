/**
 * The CLI's GeoTIFF strips deflated on worker threads as well as this one (src/io/deflate-host.ts): each
 * strip is its own zlib stream, encoded by the same ZlibEncoder wherever it runs, so the file's bytes are
 * those of one thread by construction. The workers start when a run starts (useNodeDeflate), so they have
 * loaded while the model runs and are ready when its output is saved; a strip goes to whichever thread
 * claims it first (a shared counter), so a worker that is not ready yet simply takes none, and one that
 * fails leaves its strips to this thread. Workers are unref'd: they never hold the process open.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { configureDeflate, type HostDeflate } from '../io/deflate-host.ts';
import { ZlibEncoder } from '../io/zlib-deflate.ts';

/** Fewer uncompressed bytes than this are deflated in this thread alone (handing them over costs more). */
export const DEFLATE_POOL_MIN_BYTES = 256 * 1024;

/** What the pool posts to a worker: the strips, back to back, their end offsets and the shared claim counter. */
export interface DeflateJob {
  id: number;
  data: SharedArrayBuffer;
  ends: SharedArrayBuffer;
  next: SharedArrayBuffer;
}

/** A worker's answer: one strip's zlib stream, or why it failed. */
export type DeflateReply = { id: number; index: number; bytes: Uint8Array } | { id: number; error: string };

/** Claims strips from `next` until none is left, encoding each; `done` gets each one's stream. */
export function claimStrips(
  enc: ZlibEncoder,
  next: Int32Array,
  count: number,
  strip: (i: number) => Uint8Array,
  done: (i: number, bytes: Uint8Array) => void,
): void {
  for (;;) {
    const i = Atomics.add(next, 0, 1);
    if (i >= count) return;
    done(i, enc.encode(strip(i)));
  }
}

function spawnDeflateWorker(): Worker {
  // From the sources the thread registers tsx first (loader hooks are per thread); compiled, it runs as is.
  const url = new URL(import.meta.url.endsWith('.ts') ? './deflate-worker.js' : './deflate-worker-main.js', import.meta.url);
  const w = new Worker(url);
  w.unref();
  return w;
}

export interface DeflatePool {
  deflate: HostDeflate;
  /** How many strips the workers have encoded so far (the rest: this thread). */
  readonly workerStrips: number;
}

/** A HostDeflate on `workers` (already started) and this thread. */
export function deflatePool(workers: readonly Worker[], minBytes = DEFLATE_POOL_MIN_BYTES): DeflatePool {
  let jobs = 0;
  let workerStrips = 0;
  const alive = new Set(workers);
  for (const w of workers) {
    w.on('error', () => alive.delete(w));
    w.on('exit', () => alive.delete(w));
  }
  const deflate: HostDeflate = (strips) => {
    let total = 0;
    for (const s of strips) total += s.length;
    const helpers = [...alive];
    if (total < minBytes || helpers.length === 0) return null;
    const data = new Uint8Array(new SharedArrayBuffer(total));
    const ends = new Int32Array(new SharedArrayBuffer(strips.length * 4));
    let at = 0;
    strips.forEach((s, i) => {
      data.set(s, at);
      ends[i] = at += s.length;
    });
    const next = new Int32Array(new SharedArrayBuffer(4));
    const job: DeflateJob = {
      id: ++jobs,
      data: data.buffer as SharedArrayBuffer,
      ends: ends.buffer as SharedArrayBuffer,
      next: next.buffer as SharedArrayBuffer,
    };
    const out: (Uint8Array | undefined)[] = new Array(strips.length);
    let have = 0;
    const enc = new ZlibEncoder();
    return new Promise<Uint8Array[]>((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        for (const w of helpers) {
          w.off('message', onMessage);
          w.off('error', onFailure);
          w.off('exit', onFailure);
          w.unref();
        }
        resolve(out as Uint8Array[]);
      };
      const onMessage = (r: DeflateReply) => {
        if (finished || r.id !== job.id) return;
        if ('error' in r) return onFailure();
        out[r.index] = r.bytes;
        workerStrips++;
        if (++have === strips.length) finish();
      };
      // A worker that fails may have claimed strips it will never send: this thread encodes what is missing.
      const onFailure = () => {
        if (finished) return;
        for (let i = 0; i < strips.length; i++) if (!out[i]) out[i] = enc.encode(strips[i]);
        finish();
      };
      for (const w of helpers) {
        w.on('message', onMessage);
        w.on('error', onFailure);
        w.on('exit', onFailure);
        w.ref();
        w.postMessage(job);
      }
      claimStrips(
        enc,
        next,
        strips.length,
        (i) => strips[i],
        (i, bytes) => {
          out[i] = bytes;
          have++;
        },
      );
      if (have === strips.length) finish();
    });
  };
  return {
    deflate,
    get workerStrips() {
      return workerStrips;
    },
  };
}

/**
 * The thread count for deflating strips, at most 4 (a file's strips rarely keep more busy): DISSMODEL_THREADS
 * when it is set, else the cores that are idle (the cores less the load average, rounded), and 1 (this thread alone)
 * when none is — on a busy machine a worker only adds its start-up to the work the cores share. Only the
 * time depends on it, never the bytes.
 */
export function deflateThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism(), load = loadavg()[0]): number {
  const asked = Number(env.DISSMODEL_THREADS);
  const n = env.DISSMODEL_THREADS && Number.isInteger(asked) && asked >= 1 ? asked : Math.round(cores - load);
  return Math.max(1, Math.min(4, n));
}

let started: DeflatePool | null = null;

/** Deflate this process's GeoTIFF strips on `threads` threads (this one included); starts the workers now. */
export function useNodeDeflate(threads = deflateThreads()): void {
  if (threads < 2) return configureDeflate(null);
  started ??= deflatePool(spawnDeflateWorkers(threads));
  configureDeflate(started.deflate);
}

/** The pool useNodeDeflate started, if any. */
export function nodeDeflatePool(): DeflatePool | null {
  return started;
}

/** Starts `threads - 1` deflate workers (unref'd). */
export function spawnDeflateWorkers(threads: number): Worker[] {
  return Array.from({ length: Math.max(0, threads - 1) }, spawnDeflateWorker);
}
