/**
 * The row-range kernels a band worker serves (src/sim/bands.ts), by name: a host's worker script
 * imports this; a model opens its team with the same name and its own kernel. Each is imported on
 * its first attach, so a worker stepping one model loads no other (as the lazy CLI catalogue).
 */
import type { BandKernels } from '../sim/bands.ts';

export const BAND_KERNELS: BandKernels = {
  game_of_life: async () => (await import('./game-of-life/bands.ts')).lifeBands,
  forest_fire: async () => (await import('./forest-fire/bands.ts')).fireBands,
};
