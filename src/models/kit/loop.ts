/**
 * The time loop, written once: it owns the Environment (DisSModel 0.6
 * semantics, end inclusive), the per-step series, the frames of the display
 * layer, progress and cancellation (`ctx.tick` between steps). A model only
 * says what to build on the environment, what to show and what to count.
 */
import type { LayerPreview, RunContext, StepSummary } from '../../executor/context.ts';
import { CancelledError } from '../../executor/errors.ts';
import { addLog, type ExperimentRecord } from '../../executor/record.ts';
import type { TypedArray } from '../../sim/dataset.ts';
import { emptySeries, FrameRecorder, pushSeries, type Frame, type Series } from '../../sim/output.ts';
import { Environment, Model } from '../../sim/scheduler.ts';

export interface Schedule<M> {
  /** First and last tick, inclusive. */
  start: number;
  end: number;
  /** Builds the model(s) on the environment (registration order = execution order) and returns what the other hooks read. */
  build: (env: Environment) => M;
  /** The display layer after each step, kept as frames when the host asks for them (called only then). */
  layer?: (model: M) => TypedArray;
  /** The display layer read at a coarser resolution for a live map (a bit-packed grid samples its planes), if the model can. */
  preview?: (model: M) => LayerPreview | undefined;
  /** What to chart per step (also sent with the progress). A fresh object each call. */
  summary?: (model: M) => StepSummary;
  /** Added to the "Running steps" log line, e.g. the neighbourhood. */
  note?: string;
  /** Appended to the "Simulation complete" log line, e.g. final counts (`steps` = ticks executed). */
  done?: (model: M, steps: number) => string;
}

export interface Trajectory<M> {
  model: M;
  series: Series;
  frames: Frame[];
  /** Ticks executed. */
  steps: number;
}

/** Run the schedule from `start` to `end`: one summary and one frame per tick, progress and cancellation through `ctx`. */
export async function simulate<M>(ctx: RunContext, record: ExperimentRecord, s: Schedule<M>): Promise<Trajectory<M>> {
  const env = new Environment({ startTime: s.start, endTime: s.end });
  const model = s.build(env);
  const total = env.stepCount();
  const series = emptySeries();
  const frames = new FrameRecorder(ctx.keepFrames);
  const layer = ctx.keepFrames ? s.layer : undefined; // the layer is never materialised when frames are off
  if (layer) frames.record(s.start - 1, () => layer(model));
  addLog(record, `Running steps ${s.start} → ${s.end}${s.note ? ` (${s.note})` : ''}...`); // as DisSModel's executors log it
  let k = 0;
  const live = ctx.live;
  const show = live && s.layer ? () => s.layer!(model) : undefined;
  const preview = show && s.preview ? s.preview(model) : undefined;
  try {
    if (live) {
      await live.atStep(0, total, show, preview);
      ctx.checkAbort();
    }
    await env.run(undefined, {
      afterTick: live
        ? async (t) => {
            k++;
            const summary = s.summary?.(model);
            if (summary) pushSeries(series, t, summary);
            else series.steps.push(t);
            if (layer) frames.record(t, () => layer(model));
            await ctx.tick(k, total, summary);
            await live.atStep(k, total, show, preview);
            ctx.checkAbort();
          }
        : (t) => {
            k++;
            const summary = s.summary?.(model);
            if (summary) pushSeries(series, t, summary);
            else series.steps.push(t);
            if (layer) frames.record(t, () => layer(model));
            return ctx.tick(k, total, summary);
          },
    });
  } catch (e) {
    // A host that keeps partial results gets the state after the last whole step; the run still ends cancelled.
    if (!(live?.keepPartial && e instanceof CancelledError)) throw e;
    ctx.partial = { step: k, total };
    addLog(record, `Stopped after step ${k} of ${total}: the state reached is kept as a partial result, not a completed output`);
    return { model, series, frames: frames.frames, steps: k };
  }
  addLog(record, 'Simulation complete' + (s.done ? ': ' + s.done(model, k) : ''));
  return { model, series, frames: frames.frames, steps: k };
}

/** A scheduler Model that calls `rule(t)` at every tick: how a kernel (a stepper with its own state) joins the schedule. */
export class EveryTick extends Model {
  constructor(
    env: Environment,
    private readonly rule: (t: number) => void,
  ) {
    super(env);
  }

  override execute(): void {
    this.rule(this.env.now());
  }
}

/** Registers `stepper` on the environment (its `step(t)` runs at every tick) and returns it. */
export function everyTick<S extends { step(t: number): unknown }>(env: Environment, stepper: S): S {
  new EveryTick(env, (t) => stepper.step(t));
  return stepper;
}
