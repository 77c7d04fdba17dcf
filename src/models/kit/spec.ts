/**
 * Declaring a model: its spec and parameters, once, with their TypeScript
 * types inferred (`ParamsOf<typeof spec.params>`), and the tick parameters
 * every time-stepped model shares.
 */
import type { IntParam } from '../../executor/params.ts';

export { defineSpec, type ExecutorSpec, type CanonicalField } from '../../executor/executor.ts';
export { defineParams, type ParamsOf, type ParamSchema } from '../../executor/params.ts';

/** The largest tick a model accepts. */
export const MAX_TICK = 1_000_000;

/** `start_time`: the first tick the rule runs at (inclusive). */
export function startTime(def = 1, description = 'First tick (inclusive).'): IntParam {
  return { type: 'int', default: def, min: 0, max: MAX_TICK, description };
}

/** `end_time`: the last tick (inclusive), as DisSModel 0.6's Environment. */
export function endTime(def: number, description = 'Last tick (inclusive), not before start_time.'): IntParam {
  return { type: 'int', default: def, min: 0, max: MAX_TICK, description };
}

/** The description of an `end_time` whose model runs one rule per tick. */
export const RULE_RUNS = 'Last tick (inclusive); the rule runs end_time − start_time + 1 times.';

export const RASTER_OUTPUT = { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' } as const;
export const VECTOR_OUTPUT = { kind: 'vector', extension: 'geojson', mediaType: 'application/geo+json' } as const;
export const TABLE_OUTPUT = { kind: 'table', extension: 'csv', mediaType: 'text/csv' } as const;
