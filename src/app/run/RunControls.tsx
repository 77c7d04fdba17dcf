/**
 * NetLogo-style run controls beside Run: Setup (load and stop before the first
 * step), Step, Pause / Resume, a speed and the tick reached. They act on the
 * run in progress through the worker's control channel.
 */
import { useId } from 'react';
import { SPEEDS, useLive } from './live-store.ts';
import { getSimWorker } from './worker-instance.ts';
import { useWorkbench } from '../store.ts';

export function RunControls({ canStart, start }: { canStart: boolean; start: (o: { paused?: boolean }) => Promise<void> }) {
  // Not the whole run nor the whole live store: the step changes many times a second and only TickCounter shows it.
  const runId = useWorkbench((s) => s.run.id);
  const running = useWorkbench((s) => s.run.status === 'running');
  const mine = useLive((s) => s.runId === runId) && running;
  const paused = useLive((s) => s.paused) && mine;
  const speedIndex = useLive((s) => s.speed);
  const setSpeed = useLive((s) => s.setSpeed);
  const speedId = useId();
  const speed = SPEEDS[speedIndex] ?? SPEEDS[SPEEDS.length - 1];

  return (
    <div className="run-controls" data-testid="run-controls">
      <button
        type="button"
        className="btn btn-small"
        data-testid="setup-button"
        title="Load the model and stop before the first step"
        disabled={running || !canStart}
        onClick={() => void start({ paused: true })}
      >
        Setup
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="step-button"
        title="Run one step, then pause"
        disabled={!paused}
        onClick={() => getSimWorker().control({ kind: 'step', steps: 1 })}
      >
        Step
      </button>
      {paused ? (
        <button
          type="button"
          className="btn btn-small"
          data-testid="resume-button"
          title="Go on running from here"
          onClick={() => getSimWorker().control({ kind: 'resume' })}
        >
          ▶ Go
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          data-testid="pause-button"
          title="Pause after the current step"
          disabled={!mine}
          onClick={() => getSimWorker().control({ kind: 'pause' })}
        >
          ❚❚ Pause
        </button>
      )}
      <label className="speed" htmlFor={speedId}>
        <span className="small">Speed</span>
        <input
          id={speedId}
          type="range"
          min={0}
          max={SPEEDS.length - 1}
          step={1}
          value={speedIndex}
          data-testid="speed-slider"
          aria-valuetext={speed.delayMs > 0 ? `${speed.label}, ${speed.delayMs} ms per step` : speed.label}
          onChange={(e) => {
            const i = Number(e.target.value);
            setSpeed(i);
            if (mine) getSimWorker().control({ kind: 'speed', delayMs: SPEEDS[i]?.delayMs ?? 0 });
          }}
        />
      </label>
      <TickCounter mine={mine} />
    </div>
  );
}

/** The tick the run reached: its own component, so a step re-renders this text only. */
function TickCounter({ mine }: { mine: boolean }) {
  const step = useLive((s) => s.step);
  return (
    <span className="tick mono small" data-testid="tick-counter" aria-live="off">
      {mine ? `tick ${step}` : ' '}
    </span>
  );
}
