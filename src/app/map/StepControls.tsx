/** Step slider and play/pause over the frames a run kept. */
import { useEffect, useId, useState } from 'react';
import type { Frame } from '../../sim/output.ts';
import { useWorkbench } from '../store.ts';

export function StepControls({ frames }: { frames: Frame[] }) {
  const frame = useWorkbench((s) => s.frame);
  const setFrame = useWorkbench((s) => s.setFrame);
  const [playing, setPlaying] = useState(false);
  const id = useId();
  const k = Math.max(0, Math.min(frames.length - 1, frame));

  useEffect(() => {
    if (!playing) return;
    const fps = Math.min(20, Math.max(4, frames.length / 6));
    const t = setInterval(() => {
      const cur = useWorkbench.getState().frame;
      if (cur >= frames.length - 1) {
        setPlaying(false);
        return;
      }
      useWorkbench.getState().setFrame(cur + 1);
    }, 1000 / fps);
    return () => clearInterval(t);
  }, [playing, frames.length]);

  return (
    <div className="step-controls" data-testid="step-controls">
      <button
        type="button"
        className="btn btn-small"
        data-testid="play-button"
        aria-label={playing ? 'Pause the animation' : 'Play the steps'}
        onClick={() => {
          if (!playing && k >= frames.length - 1) setFrame(0);
          setPlaying(!playing);
        }}
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <label htmlFor={id} className="visually-hidden">
        Step
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={frames.length - 1}
        step={1}
        value={k}
        data-testid="step-slider"
        aria-valuetext={`step ${frames[k]?.step}`}
        onChange={(e) => {
          setPlaying(false);
          setFrame(Number(e.target.value));
        }}
      />
      <span className="mono step-label" data-testid="step-label">
        t = {frames[k]?.step} · {k + 1}/{frames.length}
      </span>
    </div>
  );
}
