/**
 * The coastal steppers (raster or vector) as a scheduler Model, and the run
 * loop shared by `flood_benchmark` and `brmangue`: per-step summaries into the
 * series, frames of `uso`, progress and cancellation through RunContext.tick.
 */
import type { RunContext } from '../../executor/context.ts';
import { Environment, Model } from '../../sim/scheduler.ts';
import type { CoastalMetrics } from './coastal-raster.ts';
import { emptySeries, FrameRecorder, pushSeries, type Frame, type Series } from '../../sim/output.ts';

export interface CoastalStepper {
  step(t: number): CoastalMetrics;
  /** Land use now (the array may be replaced between steps). */
  readonly uso: Int16Array;
  /** Metrics of the last step. */
  readonly metrics: CoastalMetrics;
}

/**
 * One tick = DisSModel's FloodModel then MangroveModel (fused, see
 * coastal-raster.ts for how the shared `*_past` snapshot maps onto it).
 */
export class CoastalModel extends Model {
  constructor(
    env: Environment,
    readonly stepper: CoastalStepper,
  ) {
    super(env);
  }

  override execute(): void {
    this.stepper.step(this.env.now());
  }
}

export interface CoastalRun {
  series: Series;
  frames: Frame[];
  /** Metrics after the last step. */
  last: CoastalMetrics;
}

/** Run t = start..end (inclusive), one summary per step with the given metric keys. */
export async function runCoastal(
  stepper: CoastalStepper,
  startTime: number,
  endTime: number,
  keys: readonly (keyof CoastalMetrics)[],
  ctx: RunContext,
): Promise<CoastalRun> {
  const env = new Environment({ startTime, endTime });
  new CoastalModel(env, stepper);
  const total = env.stepCount();
  const series = emptySeries();
  const frames = new FrameRecorder(ctx.keepFrames);
  frames.record(startTime - 1, stepper.uso);
  let k = 0;
  await env.run(undefined, {
    afterTick: (t) => {
      k++;
      const summary: Record<string, number> = {};
      for (const key of keys) summary[key] = stepper.metrics[key];
      pushSeries(series, t, summary);
      frames.record(t, stepper.uso);
      return ctx.tick(k, total, summary);
    },
  });
  return { series, frames: frames.frames, last: { ...stepper.metrics } };
}
