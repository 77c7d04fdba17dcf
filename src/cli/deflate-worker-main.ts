/** One deflate worker of the CLI (src/cli/node-deflate.ts): encodes the strips it claims and posts each back. */
import { parentPort } from 'node:worker_threads';
import { ZlibEncoder } from '../io/zlib-deflate.ts';
import { claimStrips, type DeflateJob, type DeflateReply } from './node-deflate.ts';

const port = parentPort;
if (!port) throw new Error('deflate-worker-main must run in a worker thread');
const enc = new ZlibEncoder();

// While the model runs, this thread warms the encoder up (the engine compiles its loops after some use), a
// strip's worth at a time so that a job arriving meanwhile waits for one strip at most.
const WARM_ROUNDS = 6;
let warming = true;
const sample = warmSample(64 * 1024);
const warm = (round: number) => {
  if (!warming || round >= WARM_ROUNDS) return;
  enc.encode(sample);
  setImmediate(warm, round + 1);
};
setImmediate(warm, 0);

/** Bytes like a raster's: runs, slow ramps and noise (deterministic; only their speed matters). */
function warmSample(n: number): Uint8Array {
  const d = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const part = (i >> 12) % 3;
    d[i] = part === 0 ? 0 : part === 1 ? (i >> 6) & 255 : x >>> 29;
  }
  return d;
}

port.on('message', (job: DeflateJob) => {
  warming = false;
  const data = new Uint8Array(job.data);
  const ends = new Int32Array(job.ends);
  try {
    claimStrips(
      enc,
      new Int32Array(job.next),
      ends.length,
      (i) => data.subarray(i === 0 ? 0 : ends[i - 1], ends[i]),
      (index, bytes) => port.postMessage({ id: job.id, index, bytes } satisfies DeflateReply, [bytes.buffer as ArrayBuffer]),
    );
  } catch (e) {
    port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) } satisfies DeflateReply);
  }
});
