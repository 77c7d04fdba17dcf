/** Run / Cancel, the progress bar with "step k / N", the run's status and its error. */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatElapsed } from '../format.ts';
import { RUN_REPAINT_INTERVAL_MS } from '../run/frame-batch.ts';
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
    const t = setInterval(() => setNow(performance.now()), RUN_REPAINT_INTERVAL_MS);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/**
 * The run's line under the buttons: its status, "step k / N", the elapsed time and the bar. Its own
 * component (as Elapsed is), so a progress notice or the clock's tick re-renders these few elements,
 * not the panel's buttons and inputs.
 */
function ProgressArea({ paused, cancelling }: { paused: boolean; cancelling: boolean }) {
  const {
    id,
    status,
    progress: p,
    startedAt,
    endedAt,
  } = useWorkbench(
    useShallow((s) => ({
      id: s.run.id,
      status: s.run.status,
      progress: s.run.progress,
      startedAt: s.run.startedAt,
      endedAt: s.run.endedAt,
    })),
  );
  const step = p?.step ?? 0;
  const total = p?.total ?? 0;
  const frac = status === 'completed' ? 1 : total > 0 ? Math.min(1, step / total) : 0;

  let statusText: string;
  switch (status) {
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
    <div className="progress-area" data-testid="progress-area">
      <div className="progress-line">
        <span
          className={`status status-${paused ? 'paused' : status}`}
          data-testid="run-status"
          data-status={paused ? 'paused' : status}
          data-run-id={id}
        >
          {statusText}
        </span>
        <span className="progress-count mono" data-testid="step-counter">
          {total > 0 ? `step ${step} / ${total}` : ' '}
        </span>
        <Elapsed startedAt={startedAt} endedAt={endedAt} running={status === 'running'} />
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={total || 1}
        aria-valuenow={status === 'completed' ? total || 1 : step}
        data-testid="progress-bar"
      >
        <div className={`progress-fill progress-${status}`} style={{ transform: `scaleX(${frac})` }} />
      </div>
    </div>
  );
}

/**
 * The run's elapsed time, ticking while it runs: with the page's run's other notices (LiveState.clock), or on
 * its own for a run without them (on a server).
 */
function Elapsed({ startedAt, endedAt, running }: { startedAt: number | null; endedAt: number | null; running: boolean }) {
  const runId = useWorkbench((s) => s.run.id);
  const clock = useLive((s) => (s.runId === runId ? s.clock : null));
  const ticked = useTicker(running && clock === null);
  const now = clock ?? ticked;
  const elapsed = startedAt !== null ? (running ? Math.max(0, now - startedAt) : (endedAt ?? now) - startedAt) : 0;
  return <span className="progress-time mono">{startedAt !== null ? formatElapsed(elapsed) : ' '}</span>;
}

export function RunPanel() {
  const { blockers, running, start, cancel } = useRunController();
  // Not the whole run: its progress changes many times a second and is shown by ProgressArea alone.
  const { runId, status, error, response } = useWorkbench(
    useShallow((s) => ({ runId: s.run.id, status: s.run.status, error: s.run.error, response: s.run.response })),
  );
  const keepFrames = useWorkbench((s) => s.keepFrames);
  const setKeepFrames = useWorkbench((s) => s.setKeepFrames);
  const formErrors = useWorkbench((s) => s.formErrors);
  // The run the user asked to cancel: a later run (new id) is not "cancelling".
  const [cancelledRun, setCancelledRun] = useState<number | null>(null);
  const cancelling = running && cancelledRun === runId;
  const paused = useLive((s) => s.paused && s.runId === runId) && running;
  const hasFormErrors = Object.keys(formErrors).length > 0;

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
            setCancelledRun(runId);
            cancel();
          }}
        >
          Cancel
        </button>
      </div>
      <RunControls canStart={blockers.length === 0} start={start} />
      <ProgressArea paused={paused} cancelling={cancelling} />
      <ServerRunLine />
      <div className="run-message" aria-live="polite">
        {blockers.length > 0 && !running && status !== 'failed' && (
          <p className="muted small" data-testid="run-blocker">
            {blockers[0]}
          </p>
        )}
        {hasFormErrors && !running && (
          <p className="field-error small" role="alert">
            Fix the parameter marked above before running.
          </p>
        )}
        {status === 'failed' && error && (
          <div className="error-box" role="alert" data-testid="run-error">
            <strong>
              Run failed{error.phase ? ` during ${error.phase}` : ''}
              {error.code === 'crash' ? ' (worker crashed)' : ''}.
            </strong>
            <p>{error.message}</p>
          </div>
        )}
        {status === 'cancelled' && (
          <p className="muted small" data-testid="run-cancelled">
            {response?.partial
              ? `Cancelled after step ${response.partial.step} of ${response.partial.total}: the state reached is on the map and can be downloaded as a partial result (not a completed output).`
              : (error?.message ?? 'The run was cancelled.')}
          </p>
        )}
      </div>
    </section>
  );
}
