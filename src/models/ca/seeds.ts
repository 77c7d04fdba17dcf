/** Placing DisSModel's fixed seed cells by id ("row-col"), with the error DisSModel gives when the grid is too small. */
import { InputError } from '../../executor/errors.ts';
import type { CellSpace } from './space.ts';

/** All cells 0, the cells at `seeds` ([row, col]) set to `value`; an InputError naming the smallest grid when one is missing. */
export function seeded(
  space: CellSpace,
  seeds: ReadonlyArray<readonly [number, number]>,
  value: number,
  model: string,
  minimum: string,
): Uint8Array {
  const state = new Uint8Array(space.size);
  const missing: string[] = [];
  for (const [r, c] of seeds) {
    const i = space.at(r, c);
    if (i < 0) missing.push(`'${r}-${c}'`);
    else state[i] = value;
  }
  if (missing.length) {
    throw new InputError(
      `${model} seeds ${missing.join(', ')} are outside the grid: it needs at least ${minimum} (the canonical setup is 50×50).`,
    );
  }
  return state;
}
