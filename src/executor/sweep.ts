/**
 * Parameter sweeps: the cartesian product of parameter values (× seeds for a
 * stochastic model), each combination a normal ExperimentRecord that any host
 * runs through executeLifecycle. Pure: no I/O, no Node, no DOM.
 *
 * Order is deterministic: grid keys in the order given, the last key varying
 * fastest, seeds innermost. Every combination is checked with resolveParams
 * before anything runs, so a bad value fails the whole sweep up front.
 */
import { ParameterError } from './errors.ts';
import type { ExecutorSpec } from './executor.ts';
import { parseScalar, resolveParams, type ParamValue } from './params.ts';
import type { ExperimentRecord, JsonValue } from './record.ts';
import { newRunRecord } from './run-record.ts';

/** The name of the seed parameter a sweep varies over `seeds`. */
export const SWEEP_SEED_PARAM = 'seed';

export type SweepGrid = Record<string, ParamValue[]>;

/** Cartesian product of the grid's values, first key slowest. */
export function cartesian(grid: SweepGrid): Record<string, ParamValue>[] {
  let out: Record<string, ParamValue>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    const next: Record<string, ParamValue>[] = [];
    for (const combo of out) for (const v of values) next.push({ ...combo, [key]: v });
    out = next;
  }
  return out;
}

/** `a, b, c` → values, each parsed as a CLI scalar (int, float, bool, else text). */
export function parseValueList(text: string): ParamValue[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseScalar);
}

/** Largest number of runs a sweep may plan. */
export const MAX_SWEEP_RUNS = 100_000;

/**
 * One record per combination (× seed). `base` supplies everything but the
 * varied parameters (source, maps, fixed parameters, output_path…); each
 * record gets a fresh experiment_id and status "pending". `seeds` is allowed
 * only when the spec has a `seed` parameter; without seeds a missing seed is
 * left out, to be drawn and recorded by validate as in a single run.
 */
export function planSweep(spec: ExecutorSpec, base: ExperimentRecord, grid: SweepGrid, seeds: number[] | null): ExperimentRecord[] {
  const hasSeed = spec.params[SWEEP_SEED_PARAM]?.type === 'seed';
  for (const [key, values] of Object.entries(grid)) {
    if (!Object.prototype.hasOwnProperty.call(spec.params, key)) {
      const known = Object.keys(spec.params);
      throw new ParameterError(
        `cannot sweep '${key}': ${spec.name} has no such parameter (${known.length ? known.join(', ') : 'it has none'}).`,
        key,
      );
    }
    if (!Array.isArray(values) || values.length === 0) throw new ParameterError(`the sweep gives no values for '${key}'.`, key);
  }
  if (seeds !== null) {
    if (!hasSeed) {
      throw new ParameterError(
        `${spec.name} has no '${SWEEP_SEED_PARAM}' parameter (it is deterministic); sweep without seeds.`,
        SWEEP_SEED_PARAM,
      );
    }
    if (Object.prototype.hasOwnProperty.call(grid, SWEEP_SEED_PARAM)) {
      throw new ParameterError(`give the seeds either as a list of seeds or as --param seed=…, not both.`, SWEEP_SEED_PARAM);
    }
    if (seeds.length === 0) throw new ParameterError('the sweep gives an empty list of seeds.', SWEEP_SEED_PARAM);
  }
  const combos = cartesian(grid);
  const total = combos.length * (seeds?.length ?? 1);
  if (total > MAX_SWEEP_RUNS) throw new ParameterError(`the sweep has ${total} runs; at most ${MAX_SWEEP_RUNS} are allowed.`);
  const records: ExperimentRecord[] = [];
  for (const combo of combos) {
    for (const seed of seeds ?? [null]) {
      const given: Record<string, unknown> = { ...base.parameters, ...combo };
      if (seed !== null) given[SWEEP_SEED_PARAM] = seed;
      const seedGiven = given[SWEEP_SEED_PARAM] !== undefined && given[SWEEP_SEED_PARAM] !== null;
      // Check every value now; a seed left out is drawn at run time (validate), not here.
      const resolved = resolveParams(spec.params, given, { drawSeed: () => 0 });
      if (hasSeed && !seedGiven) delete resolved[SWEEP_SEED_PARAM];
      const record = newRunRecord({ ...base, parameters: resolved as Record<string, JsonValue> });
      record.output_path = base.output_path;
      records.push(record);
    }
  }
  return records;
}
