/** Run / Cancel, the progress bar with "step k / N", the run's status and its error. */
import { useEffect, useState } from 'react';
import { formatElapsed } from '../format.ts';
import { useLive } from '../run/live-store.ts';
import { RunControls } from '../run/RunControls.tsx';
import { useRunController } from '../run/useRun.ts';
import { RunTargetChoice, ServerRunLine, ServerRunWatcher } from '../server/ServerRun.tsx';
import { useWorkbench } from '../store.ts';

const PHASE_LABEL: Record<string, string> = { validate: 'Validating', load: 'Loading', run: 'Running', save: 'Saving' };

function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(performance.now()), 200);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function RunPanel() {
  const { blockers, running, start, cancel } = useRunController();
  const run = useWorkbench((s) => s.run);
  const keepFrames = useWorkbench((s) => s.keepFrames);
  const setKeepFrames = useWorkbench((s) => s.setKeepFrames);
  const formErrors = useWorkbench((s) => s.formErrors);
  // The run the user asked to cancel: a later run (new id) is not "cancelling".
  const [cancelledRun, setCancelledRun] = useState<number | null>(null);
  const cancelling = running && cancelledRun === run.id;
  const now = useTicker(running);
  const paused = useLive((s) => s.paused && s.runId === run.id) && running;

  const p = run.progress;
  const step = p?.step ?? 0;
  const total = p?.total ?? 0;
  const frac = run.status === 'completed' ? 1 : total > 0 ? Math.min(1, step / total) : 0;
  const elapsed = run.startedAt !== null ? (running ? now : (run.endedAt ?? now)) - run.startedAt : 0;
  const hasFormErrors = Object.keys(formErrors).length > 0;

  let statusText: string;
  switch (run.status) {
    case 'idle':
      statusText = 'Ready';
      break;
    case 'running':
      statusText = paused && !cancelling ? 'Paused' : `${cancelling ? 'Cancelling' : (PHASE_LABEL[p?.phase ?? 'validate'] ?? 'Running')}…`;
      break;
    case 'completed':
      statusText = 'Completed';
      break;
    case 'cancelled':
      statusText = 'Cancelled';
      break;
    case 'failed':
      statusText = 'Failed';
      break;
  }

  return (
    <section className="run-panel" aria-label="Run" data-testid="run-panel">
      <ServerRunWatcher />
      <RunTargetChoice disabled={running} />
      <label className="check small">
        <input type="checkbox" checked={keepFrames} disabled={running} onChange={(e) => setKeepFrames(e.target.checked)} />
        <span>Keep per-step frames (step slider)</span>
      </label>
      <div className="run-buttons">
        <button
          type="button"
          className="btn btn-primary btn-run"
          data-testid="run-button"
          disabled={running || blockers.length > 0}
          onClick={() => void start()}
        >
          {running ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          data-testid="cancel-button"
          title="Stop the run; the state reached is kept as a partial result"
          disabled={!running || cancelling}
          onClick={() => {
            setCancelledRun(run.id);
            cancel();
          }}
        >
          Cancel
        </button>
      </div>
      <RunControls canStart={blockers.length === 0} start={start} />
      <div className="progress-area" data-testid="progress-area">
        <div className="progress-line">
          <span
            className={`status status-${paused ? 'paused' : run.status}`}
            data-testid="run-status"
            data-status={paused ? 'paused' : run.status}
            data-run-id={run.id}
          >
            {statusText}
          </span>
          <span className="progress-count mono" data-testid="step-counter">
            {total > 0 ? `step ${step} / ${total}` : ' '}
          </span>
          <span className="progress-time mono">{run.startedAt !== null ? formatElapsed(elapsed) : ' '}</span>
        </div>
        <div
          className="progress"
          role="progressbar"
          aria-label="Run progress"
          aria-valuemin={0}
          aria-valuemax={total || 1}
          aria-valuenow={run.status === 'completed' ? total || 1 : step}
          data-testid="progress-bar"
        >
          <div className={`progress-fill progress-${run.status}`} style={{ transform: `scaleX(${frac})` }} />
        </div>
      </div>
      <ServerRunLine />
      <div className="run-message" aria-live="polite">
        {blockers.length > 0 && !running && run.status !== 'failed' && (
          <p className="muted small" data-testid="run-blocker">
            {blockers[0]}
          </p>
        )}
        {hasFormErrors && !running && (
          <p className="field-error small" role="alert">
            Fix the parameter marked above before running.
          </p>
        )}
        {run.status === 'failed' && run.error && (
          <div className="error-box" role="alert" data-testid="run-error">
            <strong>
              Run failed{run.error.phase ? ` during ${run.error.phase}` : ''}
              {run.error.code === 'crash' ? ' (worker crashed)' : ''}.
            </strong>
            <p>{run.error.message}</p>
          </div>
        )}
        {run.status === 'cancelled' && (
          <p className="muted small" data-testid="run-cancelled">
            {run.response?.partial
              ? `Cancelled after step ${run.response.partial.step} of ${run.response.partial.total}: the state reached is on the map and can be downloaded as a partial result (not a completed output).`
              : (run.error?.message ?? 'The run was cancelled.')}
          </p>
        )}
      </div>
    </section>
  );
}
