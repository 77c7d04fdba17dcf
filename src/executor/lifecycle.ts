/**
 * executeLifecycle: the single source of truth for orchestration in every host.
 * validate → load → run → save, each phase timed; timings go to record.metrics
 * as time_<phase>_sec and time_total_sec (seconds, 3 decimals).
 * A failing or cancelled phase leaves status "failed"/"cancelled", the error in
 * logs and the timings of the phases that ran; the error is returned, not thrown.
 */
import { RunContext, type LifecycleContext, type PartialState, type Phase } from './context.ts';
import { CancelledError, describeError } from './errors.ts';
import type { ModelExecutor } from './executor.ts';
import type { ExperimentRecord } from './record.ts';

export type Timings = Partial<Record<`time_${Phase}_sec` | 'time_total_sec', number>>;

export interface LifecycleOutcome<Result = unknown> {
  record: ExperimentRecord;
  timings: Timings;
  /** Set when a phase failed or the run was cancelled. */
  error?: unknown;
  failedPhase?: Phase;
  /** What run produced (for hosts that display results). The input load returned is not kept (see the run phase). */
  result?: Result;
  /** Set when a cancelled run's loop kept the state it reached (`result` holds it; nothing was saved). */
  partial?: PartialState;
}

const round3 = (s: number): number => Math.round(s * 1000) / 1000;

export async function executeLifecycle<Data, Result>(
  executor: ModelExecutor<Data, Result>,
  record: ExperimentRecord,
  ctx: LifecycleContext,
): Promise<LifecycleOutcome<Result>> {
  const now = ctx.now ?? (() => performance.now());
  const rc = new RunContext(ctx);
  const raw: Partial<Record<Phase, number>> = {};
  const outcome: LifecycleOutcome<Result> = { record, timings: {} };
  record.status = 'running';

  const timed = async <T>(phase: Phase, fn: () => T | Promise<T>): Promise<T> => {
    // A loop that stopped early with its state kept: the cancellation belongs to the run phase.
    if (rc.partial) rc.checkAbort();
    rc.phase = phase;
    rc.checkAbort();
    rc.report({});
    const t0 = now();
    try {
      return await fn();
    } finally {
      raw[phase] = (now() - t0) / 1000;
    }
  };

  try {
    await timed('validate', () => executor.validate(record, rc, ctx.drawSeed));
    let data: Data | undefined = await timed('load', () => executor.load(record, rc));
    const result = await timed('run', () => executor.run(data as Data, record, rc));
    // The input (its bytes and bands) is not needed to save: let it go, so that the engine can free it before
    // the output is encoded (at 4000² the input file and the output's encoding would otherwise be held at once).
    data = undefined;
    outcome.result = result;
    await timed('save', async () => {
      const saved = await executor.save(result, record, rc);
      rc.checkAbort(); // Ctrl-C during save cancels the run: the host removes what was written
      return saved;
    });
    if (record.status === 'running') record.status = 'completed';
  } catch (err) {
    const cancelled = err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
    record.status = cancelled ? 'cancelled' : 'failed';
    record.logs.push(`${cancelled ? 'Cancelled' : 'Failed'} during ${rc.phase}: ${describeError(err)}`);
    outcome.error = cancelled && !(err instanceof CancelledError) ? new CancelledError() : err;
    outcome.failedPhase = rc.phase;
    if (rc.partial && outcome.result !== undefined) outcome.partial = rc.partial;
  }

  let total = 0;
  for (const phase of ['validate', 'load', 'run', 'save'] as const) {
    const t = raw[phase];
    if (t === undefined) continue;
    total += t;
    outcome.timings[`time_${phase}_sec`] = round3(t);
  }
  outcome.timings.time_total_sec = round3(total);
  Object.assign(record.metrics, outcome.timings);
  return outcome;
}
