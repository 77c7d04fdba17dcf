/**
 * The platform's faults, on one machine with real services: a worker SIGKILLed
 * mid-run, Redis killed with jobs queued (AOF), S3 down while a job saves, an
 * input whose checksum does not match, and a cancel of a running job.
 */
import { describe, expect, it } from 'vitest';
import { sha256HexAsync } from '../../src/executor/index.ts';
import type { JobResponse } from '../../src/platform/jobs.ts';
import { parseS3Uri } from '../../src/platform/s3.ts';
import { until } from './stack.ts';
import { ILHA_INPUT, usePlatformStack } from './stack-fixture.ts';

const stack = usePlatformStack({ DISSMODEL_JOB_ATTEMPTS: '2' });
const runsOf = (id: string) => stack.store.list('dissmodel-outputs', `runs/${id}/`);
const longJob = (end_time: number) => stack.client.submit({ model_name: 'brmangue', input_dataset: ILHA_INPUT, parameters: { end_time } });
const waitFor = (id: string, pred: (j: JobResponse) => boolean, what: string, ms = 90_000) =>
  until(
    what,
    async () => {
      const j = await stack.client.job(id);
      return pred(j) ? j : null;
    },
    ms,
    100,
  );
const download = async (uri: string) => {
  const { bucket, key } = parseS3Uri(uri);
  return stack.store.get(bucket, key);
};

describe('platform faults', () => {
  it('a worker SIGKILLed mid-run: the job completes on another worker, nothing partial was visible, the record counts 2 attempts', async () => {
    const a = await stack.worker();
    const { job_id: id } = await longJob(400);
    const running = await waitFor(id, (j) => j.status === 'running' && (j.progress?.step ?? 0) >= 5, 'the job to run on worker A');
    expect(running.output_path).toBeNull();
    await a.stop('SIGKILL');
    expect(await runsOf(id)).toEqual([]); // killed mid-run: nothing under runs/<id>/
    expect((await stack.client.job(id)).status).toBe('running'); // not completed, not lost
    await stack.worker();
    const done = await waitFor(id, (j) => j.status !== 'running' && j.status !== 'pending', 'the job to finish on worker B', 120_000);
    expect(done.status).toBe('completed');
    expect(done.attempts).toBe(2);
    expect(done.progress, 'a completed job reports its last step').toMatchObject({ step: 400, total: 400 });
    expect(done.logs.join('\n')).toMatch(/Attempt 2 on .*attempt 1 stopped without finishing: its worker was lost/);
    const record = JSON.parse(new TextDecoder().decode(await download(done.record_path!))) as {
      status: string;
      metrics: Record<string, number>;
      artifacts: Record<string, string>;
    };
    expect(record.status).toBe('completed');
    expect(record.metrics.attempts).toBe(2);
    expect(record.artifacts.output).toBe(done.output_sha256);
    expect(await sha256HexAsync(await download(done.output_path!))).toBe(done.output_sha256);
    expect(record.artifacts.profiling).toBe(await sha256HexAsync(await download(done.profiling_path!)));
    expect((await runsOf(id)).sort()).toEqual(
      [done.output_path!, done.record_path!, done.profiling_path!].map((u) => parseS3Uri(u).key).sort(),
    );
  }, 240_000);

  it('Redis killed (SIGKILL) with jobs queued and restarted from its AOF: none is lost', async () => {
    await stack.stopWorkers();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await stack.client.submit({ model_name: 'sir', input_dataset: '', parameters: { end_time: 10 + i } })).job_id);
    await stack.redis.stop('SIGKILL');
    await stack.redis.start();
    await until('the API to see Redis again', async () => (await stack.client.job(ids[0])).status === 'pending');
    await stack.worker();
    for (const id of ids)
      expect((await waitFor(id, (j) => j.status === 'completed' || j.status === 'failed', `job ${id}`)).status).toBe('completed');
  }, 180_000);

  it('an input whose SHA-256 is not the one given is refused: failed at once, not retried, nothing saved', async () => {
    const j = await stack.client.submit({
      model_name: 'brmangue',
      input_dataset: ILHA_INPUT,
      parameters: { end_time: 2 },
      input_sha256: '0'.repeat(64),
    });
    const done = await waitFor(j.job_id, (x) => x.status === 'failed' || x.status === 'completed', 'the refusal');
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(1);
    expect(done.logs.join('\n')).toMatch(
      /Failed during load: .*is not the recorded one: its SHA-256 is [0-9a-f]{64}, the record expects 0{64}/,
    );
    expect(await runsOf(j.job_id)).toEqual([]);
  }, 60_000);

  it('DELETE on a running job stops it within a step; nothing is saved', async () => {
    const { job_id: id } = await longJob(2000);
    await waitFor(id, (j) => j.status === 'running' && (j.progress?.step ?? 0) >= 2, 'the job to run');
    await stack.client.cancel(id);
    await until('the worker to stop', async () => {
      const job = await stack.serve.server.queue.getJob(id);
      return job && (await job.getState()) === 'completed';
    });
    expect((await stack.client.job(id)).status).toBe('cancelled');
    expect((await stack.client.job(id)).logs.join('\n')).toMatch(/Cancelled during run; nothing was saved/);
    expect(await runsOf(id)).toEqual([]);
  }, 90_000);

  it('S3 down while a job saves: a clear log, a retry, and completed only with every artefact; down for good: failed', async () => {
    const { job_id: id } = await longJob(300);
    await waitFor(id, (j) => j.status === 'running' && (j.progress?.step ?? 0) >= 3, 'the job to run');
    await stack.s3.stop();
    const retrying = await waitFor(id, (j) => j.logs.some((l) => /Saving the artefacts to .* failed/.test(l)), 'the failed save', 90_000);
    expect(retrying.status).not.toBe('completed');
    expect(retrying.logs.join('\n')).toMatch(
      /Saving the artefacts to http:\/\/127\.0\.0\.1:\d+ failed: S3 PUT .* failed: .*; retrying \(attempt 1 of 2\)/,
    );
    await stack.s3.start();
    const done = await waitFor(id, (j) => j.status === 'completed' || j.status === 'failed', 'the retry', 120_000);
    expect(done.status).toBe('completed');
    expect(done.attempts).toBe(2);
    expect((await runsOf(id)).length).toBe(3);
    expect(await sha256HexAsync(await download(done.output_path!))).toBe(done.output_sha256);

    const { job_id: id2 } = await longJob(300);
    await waitFor(id2, (j) => j.status === 'running' && (j.progress?.step ?? 0) >= 3, 'the second job to run');
    await stack.s3.stop();
    const failed = await waitFor(id2, (j) => j.status === 'failed' || j.status === 'completed', 'the second job to give up', 120_000);
    await stack.s3.start();
    expect(failed.status).toBe('failed');
    expect(failed.output_sha256).toBeNull();
    expect(failed.logs.join('\n')).toMatch(/Saving the artefacts to .* failed/);
    expect(await runsOf(id2)).toEqual([]);
  }, 300_000);
});
