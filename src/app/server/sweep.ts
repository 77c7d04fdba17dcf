/**
 * The sweep panel's server mode: every planned record as a job on the
 * platform server (a dropped dataset uploaded once), a few in flight at a time
 * so a long sweep stays under the server's per-key cap, each followed until it
 * ends and its output checked (SHA-256) as "Run on server" checks it. Same
 * handle and outcomes as the local pool, so the sweep table is the same code.
 */
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import type { RunOutcome } from '../run/run-service.ts';
import type { SweepHandle, SweepStatus } from '../sweep/pool.ts';
import { isTerminal, ServerApi, type ServerJob } from './api.ts';
import { fetchServerResult } from './result.ts';
import { asError, jobRequestFor, type ServerInput } from './run.ts';
import { POLL_MS } from './ServerRun.tsx';
import { useServerSettings } from './settings.ts';

/** Jobs of one sweep submitted and not yet ended, at most. */
export const SERVER_SWEEP_IN_FLIGHT = 8;

export function runServerPool(
  records: ExperimentRecord[],
  input: ServerInput | null,
  spec: ExecutorSpec | null,
  onResult: (index: number, outcome: RunOutcome, ms: number) => void,
): SweepHandle {
  const { url, apiKey } = useServerSettings.getState();
  const api = new ServerApi(url, apiKey);
  const results: (SweepStatus | undefined)[] = new Array(records.length);
  const inFlight = new Set<string>();
  const stop = new AbortController();
  let next = 0;
  // The dataset is uploaded (or named) once; each job is the same request with its own id and parameters.
  let base: ReturnType<typeof jobRequestFor> | null = null;
  const finish = (i: number, outcome: RunOutcome, ms: number) => {
    results[i] = outcome.status;
    onResult(i, outcome, ms);
  };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  const one = async (i: number) => {
    const t0 = performance.now();
    const record = records[i];
    try {
      base ??= jobRequestFor(api, record, input);
      const req = { ...(await base), experiment_id: record.experiment_id, parameters: record.parameters };
      let job: ServerJob = await api.submit(req);
      inFlight.add(job.job_id);
      while (!isTerminal(job.status)) {
        if (stop.signal.aborted) return;
        await sleep(POLL_MS);
        job = await api.job(job.job_id);
      }
      inFlight.delete(job.job_id);
      if (job.status === 'completed') {
        const response = await fetchServerResult(api, job, spec, null);
        finish(i, { status: 'completed', response }, performance.now() - t0);
      } else if (job.status === 'cancelled') finish(i, { status: 'cancelled' }, performance.now() - t0);
      else
        finish(
          i,
          {
            status: 'failed',
            error: { name: 'ServerError', code: 'model', message: `Failed on the server: ${job.error ?? job.logs.at(-1) ?? ''}` },
          },
          performance.now() - t0,
        );
    } catch (e) {
      if (!stop.signal.aborted) finish(i, { status: 'failed', error: asError(e) }, performance.now() - t0);
    }
  };
  const lane = async () => {
    while (!stop.signal.aborted && next < records.length) await one(next++);
  };
  const done = Promise.all(Array.from({ length: Math.min(SERVER_SWEEP_IN_FLIGHT, records.length) }, lane)).then(() => {
    for (let i = 0; i < records.length; i++) if (!results[i]) finish(i, { status: 'cancelled' }, 0);
    return results as SweepStatus[];
  });
  return {
    done,
    cancel() {
      stop.abort();
      for (const id of inFlight) void api.cancel(id).catch(() => undefined);
    },
  };
}
