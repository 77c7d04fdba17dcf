/** One band worker of the CLI (src/cli/node-bands.ts): steps its rows of a shared grid (src/sim/bands.ts). */
import { parentPort } from 'node:worker_threads';
import { BAND_KERNELS } from '../models/band-kernels.ts';
import { serveBands, type BandAttach, type BandWarm } from '../sim/bands.ts';

const port = parentPort;
if (!port) throw new Error('band-worker-main must run in a worker thread');
const serve = serveBands(BAND_KERNELS, (r) => port.postMessage(r));
port.on('message', (m: BandAttach | BandWarm) => serve(m));
