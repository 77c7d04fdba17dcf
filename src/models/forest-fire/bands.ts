/**
 * The forest fire as band kernels (src/sim/bands.ts): planes [burning, burned]; option 1 = Moore, 0 = von
 * Neumann; the count is the band's burning cells. The JavaScript row kernel, and the WebAssembly one bound
 * to the team's shared memory (the same words).
 */
import type { BandKernelPair } from '../../sim/bands.ts';
import { bitFireRows } from './bit-kernel.ts';
import { WasmFireKernel } from './bit-kernel-wasm.ts';

export const fireBands: BandKernelPair = {
  js: (cur, next, r0, r1, moore) =>
    bitFireRows({ burning: cur[0], burned: cur[1] }, { burning: next[0], burned: next[1] }, moore === 1, r0, r1),
  wasm: (planes, moore) => {
    const kernel = new WasmFireKernel(planes, moore === undefined ? undefined : { moore: moore === 1 });
    return (cur, next, r0, r1, moore) =>
      kernel.stepRows({ burning: cur[0], burned: cur[1] }, { burning: next[0], burned: next[1] }, moore === 1, r0, r1);
  },
};
