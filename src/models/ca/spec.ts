/** Spec pieces the dissmodel-ca executors share: the state band/column and the `initialize` switch. */
import type { BoolParam, IntParam } from '../../executor/params.ts';
import type { CanonicalField } from '../kit/index.ts';
import type { States } from './run.ts';

/** The `state` band (at `position` when bands are unnamed) or column, with the model's codes. */
export function stateField(states: States, position?: number): CanonicalField {
  const codes = Object.entries(states)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    name: 'state',
    description: `cell state: ${codes}`,
    categories: Object.fromEntries(Object.entries(states)),
    required: false,
    ...(position !== undefined ? { position } : {}),
  };
}

/** `initialize`: DisSModel's initialize() (described by `what`), or the input's state. */
export const INITIALIZE = (what: string): BoolParam => ({
  type: 'bool',
  default: true,
  description: `true: start as DisSModel's initialize() does — ${what}; the input then only gives the grid. false: start from the input's state.`,
});

/** `dim`: DisSModel's constructor argument `dim` (what it sets: `what`); 0 = the grid's number of rows. */
export const DIM = (what: string): IntParam => ({
  type: 'int',
  default: 0,
  min: 0,
  max: 100_000,
  description: `DisSModel's dim (${what}); 0 = the grid's number of rows.`,
});
