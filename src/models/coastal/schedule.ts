/** The time loop of the coastal models (flood_benchmark, brmangue): one kernel step per tick, frames of `uso`, metrics per step. */
import { everyTick, type Schedule } from '../kit/index.ts';
import type { CoastalMetrics } from './raster-kernel.ts';

export interface CoastalStepper {
  step(t: number): CoastalMetrics;
  /** Land use now (the array may be replaced between steps). */
  readonly uso: Int16Array;
  /** Metrics of the last step. */
  readonly metrics: CoastalMetrics;
}

export function coastalSchedule<S extends CoastalStepper>(
  p: { start_time: number; end_time: number },
  stepper: S,
  keys: readonly (keyof CoastalMetrics)[],
): Schedule<S> {
  return {
    start: p.start_time,
    end: p.end_time,
    build: (env) => everyTick(env, stepper),
    layer: (s) => s.uso,
    summary: (s) => pick(s.metrics, keys),
  };
}

export function pick(m: CoastalMetrics, keys: readonly (keyof CoastalMetrics)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = m[k];
  return out;
}
