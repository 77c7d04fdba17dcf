/** The forest fire as a band kernel (src/sim/bands.ts): planes [burning, burned]; option 1 = Moore, 0 = von Neumann; the count is the band's burning cells. */
import type { BandKernel } from '../../sim/bands.ts';
import { bitFireRows } from './bit-kernel.ts';

export const fireBands: BandKernel = (cur, next, r0, r1, moore) =>
  bitFireRows({ burning: cur[0], burned: cur[1] }, { burning: next[0], burned: next[1] }, moore === 1, r0, r1);
