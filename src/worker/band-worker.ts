/// <reference lib="webworker" />
/** One band worker of the page (src/worker/web-bands.ts): steps its rows of a shared grid (src/sim/bands.ts). */
import { BAND_KERNELS } from '../models/band-kernels.ts';
import { serveBands, type BandAttach, type BandWarm } from '../sim/bands.ts';

const serve = serveBands(BAND_KERNELS, (r) => self.postMessage(r));
self.onmessage = (e: MessageEvent<BandAttach | BandWarm>) => serve(e.data);
