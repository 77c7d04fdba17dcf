/**
 * The row-range kernels a banded run can run on its workers (src/sim/bands.ts), by name. A host's band
 * worker script serves these; a model opens a team with the same name and function.
 */
import type { BandKernel, BandKernels } from '../sim/bands.ts';
import { bitFireRows } from './forest-fire/bit-kernel.ts';
import { bitLifeRows } from './game-of-life/bit-kernel.ts';

/** Game of Life: one plane (alive); the count is the band's population. */
export const lifeBands: BandKernel = (cur, next, r0, r1) => bitLifeRows(cur[0], next[0], r0, r1);

/** Forest fire: planes [burning, burned]; option 1 = Moore, 0 = von Neumann; the count is the band's burning cells. */
export const fireBands: BandKernel = (cur, next, r0, r1, moore) =>
  bitFireRows({ burning: cur[0], burned: cur[1] }, { burning: next[0], burned: next[1] }, moore === 1, r0, r1);

export const BAND_KERNELS: BandKernels = { game_of_life: lifeBands, forest_fire: fireBands };
