/**
 * Game of Life as band kernels (src/sim/bands.ts): one plane (alive); the count is the band's population.
 * The JavaScript row kernel, and the WebAssembly one bound to the team's shared memory (the same words).
 */
import type { BandKernelPair } from '../../sim/bands.ts';
import { bitLifeRows } from './bit-kernel.ts';
import { WasmLifeKernel } from './bit-kernel-wasm.ts';

export const lifeBands: BandKernelPair = {
  js: (cur, next, r0, r1) => bitLifeRows(cur[0], next[0], r0, r1),
  wasm: (planes) => {
    const kernel = new WasmLifeKernel(planes);
    return (cur, next, r0, r1) => kernel.stepRows(cur[0], next[0], r0, r1);
  },
};
