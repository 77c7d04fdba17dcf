/**
 * The Run panel's server parts: the run-target choice (this page or the
 * server), the watcher that polls the running job with react-query and turns
 * it into the page's run state (progress "step k / N", then the checked
 * result, a failure or a cancel), and the server line under the progress bar.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Phase } from '../../executor/context.ts';
import { useExecutors } from '../data/queries.ts';
import { getSimWorker } from '../run/worker-instance.ts';
import { useWorkbench } from '../store.ts';
import { isTerminal, ServerError, type ServerJob } from './api.ts';
import { fetchServerResult } from './result.ts';
import { asError, useServerRun } from './run.ts';
import { useServerSettings } from './settings.ts';

/** How often a running job is polled, ms (the QGIS plugin polls every few seconds; a page can afford more). */
export const POLL_MS = 500;

const PHASES: readonly string[] = ['validate', 'load', 'run', 'save'];

export function RunTargetChoice({ disabled }: { disabled: boolean }) {
  const target = useServerSettings((s) => s.target);
  const url = useServerSettings((s) => s.url);
  const save = useServerSettings((s) => s.save);
  return (
    <fieldset className="run-target small" data-testid="run-target">
      <legend className="sr-only">Where to run</legend>
      <label className="check">
        <input
          type="radio"
          name="run-target"
          checked={target === 'local'}
          disabled={disabled}
          onChange={() => save({ target: 'local' })}
          data-testid="run-target-local"
        />
        <span>In this page</span>
      </label>
      <label className="check">
        <input
          type="radio"
          name="run-target"
          checked={target === 'server'}
          disabled={disabled}
          onChange={() => save({ target: 'server' })}
          data-testid="run-target-server"
        />
        <span title={url || 'Set the server in Settings → Server'}>On server{url ? ` (${url.replace(/^https?:\/\//, '')})` : ''}</span>
      </label>
    </fieldset>
  );
}

/** Poll the active job; when it ends, fetch and check its result, or report how it ended. */
export function ServerRunWatcher() {
  const active = useServerRun((s) => s.active);
  const executors = useExecutors();
  const handled = useRef<string | null>(null);
  const q = useQuery({
    queryKey: ['server-job', active?.api.base ?? '', active?.jobId ?? ''],
    queryFn: ({ signal }) => active!.api.job(active!.jobId, signal),
    enabled: !!active,
    refetchInterval: (query) => (query.state.data && isTerminal(query.state.data.status) ? false : POLL_MS),
    refetchIntervalInBackground: true,
    retry: (count, e) => !(e instanceof ServerError && (e.status === 401 || e.status === 404)) && count < 3,
    gcTime: 0,
  });

  useEffect(() => {
    const job: ServerJob | undefined = q.data;
    if (!active || !job || job.job_id !== active.jobId) return;
    useServerRun.getState().set({ job });
    const wb = useWorkbench.getState();
    const p = job.progress;
    // A completed job's progress is its last step: a poll may first see the job only once it has completed.
    if ((job.status === 'running' || job.status === 'completed') && p && p.step !== undefined) {
      const phase = (PHASES.includes(p.phase ?? '') ? p.phase : 'run') as Phase;
      wb.progress(active.runId, { phase, step: p.step, ...(p.total ? { total: p.total } : {}), elapsedMs: 0 });
    }
    if (!isTerminal(job.status) || handled.current === job.job_id) return;
    handled.current = job.job_id;
    const end = (outcome: Parameters<typeof wb.finishRun>[1]) => {
      useServerRun.getState().set({ active: null });
      useWorkbench.getState().finishRun(active.runId, outcome);
    };
    if (job.status === 'cancelled') {
      end({
        status: 'cancelled',
        error: {
          name: 'CancelledError',
          code: 'cancelled',
          message: `The job was cancelled on the server (${job.experiment_id.slice(0, 8)}).`,
        },
      });
    } else if (job.status === 'failed') {
      const why = job.error ?? job.logs[job.logs.length - 1] ?? 'no reason given';
      end({ status: 'failed', error: { name: 'ServerError', code: 'model', message: `The job failed on the server: ${why}` } });
    } else {
      const spec = executors.data?.find((s) => s.name === job.model_name) ?? null;
      fetchServerResult(active.api, job, spec, getSimWorker()).then(
        (response) => end({ status: 'completed', response }),
        (e) => end({ status: 'failed', error: asError(e, 'save') }),
      );
    }
  }, [q.data, active, executors.data]);

  useEffect(() => {
    if (!active || !q.error || q.fetchStatus === 'fetching') return;
    useServerRun.getState().set({ active: null });
    useWorkbench.getState().finishRun(active.runId, { status: 'failed', error: asError(q.error) });
  }, [q.error, q.fetchStatus, active]);

  return null;
}

const STATUS_TEXT: Record<ServerJob['status'], string> = {
  pending: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** "On the server: queued / running (attempt 2) · experiment 1a2b3c4d". */
export function ServerRunLine() {
  const stage = useServerRun((s) => s.stage);
  const job = useServerRun((s) => s.job);
  const active = useServerRun((s) => s.active);
  const target = useServerSettings((s) => s.target);
  if (stage)
    return (
      <p className="small muted" data-testid="server-status" data-status={stage}>
        {stage === 'uploading' ? 'Uploading the dataset to the server…' : 'Submitting the job…'}
      </p>
    );
  if (!job || (target !== 'server' && !active)) return null;
  return (
    <p className="small muted" data-testid="server-status" data-status={job.status}>
      On the server: {active?.cancelling && !isTerminal(job.status) ? 'cancelling' : STATUS_TEXT[job.status]}
      {job.attempts && job.attempts > 1 ? ` (attempt ${job.attempts})` : ''} · experiment{' '}
      <span className="mono">{job.experiment_id.slice(0, 8)}</span>
    </p>
  );
}
