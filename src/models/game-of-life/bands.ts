/** Game of Life as a band kernel (src/sim/bands.ts): one plane (alive); the count is the band's population. */
import type { BandKernel } from '../../sim/bands.ts';
import { bitLifeRows } from './bit-kernel.ts';

export const lifeBands: BandKernel = (cur, next, r0, r1) => bitLifeRows(cur[0], next[0], r0, r1);
