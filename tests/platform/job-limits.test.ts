/**
 * A job's limits on real workers: a run longer than DISSMODEL_JOB_TIMEOUT_MS
 * fails with a log naming the time-out and saves nothing; a job whose worker
 * dies more often than DISSMODEL_MAX_STALLED allows ends failed, with its
 * attempts counted, and is not run again.
 */
import { describe, expect, it } from 'vitest';
import type { JobResponse } from '../../src/platform/jobs.ts';
import { until } from './stack.ts';
import { ILHA_INPUT, usePlatformStack } from './stack-fixture.ts';

const stack = usePlatformStack({ DISSMODEL_MAX_STALLED: '1' });
const waitFor = (id: string, pred: (j: JobResponse) => boolean, what: string, ms = 120_000) =>
  until(
    what,
    async () => {
      const j = await stack.client.job(id);
      return pred(j) ? j : null;
    },
    ms,
    100,
  );
const ended = (j: JobResponse) => j.status === 'completed' || j.status === 'failed' || j.status === 'cancelled';

describe('job limits', () => {
  it('a job over the time-out is stopped and failed, the log naming DISSMODEL_JOB_TIMEOUT_MS; nothing saved, not retried', async () => {
    const w = await stack.worker({ DISSMODEL_JOB_TIMEOUT_MS: '1500' });
    const { job_id: id } = await stack.client.submit({ model_name: 'brmangue', input_dataset: ILHA_INPUT, parameters: { end_time: 5000 } });
    const done = await waitFor(id, ended, 'the time-out');
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(1);
    expect(done.output_sha256).toBeNull();
    expect(done.logs.join('\n')).toMatch(
      /Timed out: the job ran longer than 1\.5 s \(DISSMODEL_JOB_TIMEOUT_MS=1500\) and was stopped during (load|run); nothing was saved/,
    );
    expect(await stack.store.list('dissmodel-outputs', `runs/${id}/`)).toEqual([]);
    await w.stop('SIGTERM');
  }, 120_000);

  it('a job whose worker dies more often than DISSMODEL_MAX_STALLED allows ends failed, attempts counted, never run again', async () => {
    const { job_id: id } = await stack.client.submit({ model_name: 'brmangue', input_dataset: ILHA_INPUT, parameters: { end_time: 5000 } });
    // Attempt 1 and 2 each die mid-run (SIGKILL): the first stall is recovered, the second is one too many.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const w = await stack.worker();
      await waitFor(
        id,
        (j) => j.status === 'running' && j.attempts === attempt && (j.progress?.step ?? 0) >= 1,
        `attempt ${attempt} to run`,
      );
      await w.stop('SIGKILL');
    }
    // A healthy worker finds the job stalled again and fails it instead of running it a third time.
    const healthy = await stack.worker();
    const done = await waitFor(id, ended, 'the job to be failed for stalling', 120_000);
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(2);
    expect(done.output_sha256).toBeNull();
    // BullMQ's reason first; then the worker that found the stall writes why into the record.
    expect(done.error).toMatch(/stalled more than allowable limit|its worker died 2 times mid-run/);
    const final = await waitFor(id, (j) => j.logs.some((l) => /its worker died 2 times mid-run; not retried again/.test(l)), 'the log');
    expect(final.status).toBe('failed');
    expect(final.attempts).toBe(2);
    expect(final.error).toMatch(/its worker died 2 times mid-run; not retried again/);
    const job = await stack.serve.server.queue.getJob(id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toMatch(/stalled more than allowable limit/);
    expect(healthy.log()).not.toMatch(new RegExp(`${id} attempt 3`));
    expect(await stack.store.list('dissmodel-outputs', `runs/${id}/`)).toEqual([]);
  }, 240_000);
});
