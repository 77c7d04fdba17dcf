/**
 * The results' Compare mode: swipe the run's start against its output on the
 * map, or open the difference of two runs. One mode at a time; pressing the
 * active one again leaves it.
 */
import { useWorkbench } from '../store.ts';
import { useCompare, type CompareMode } from './compare-store.ts';
import './compare.css';

export function CompareControls() {
  const mode = useCompare((s) => s.mode);
  const setMode = useCompare((s) => s.setMode);
  const display = useWorkbench((s) => s.run.response?.display);
  const hasMap = !!display && display.kind !== 'table';
  const toggle = (m: CompareMode) => setMode(mode === m ? 'off' : m);
  return (
    <div className="compare-controls" role="group" aria-label="Compare" data-testid="compare-controls">
      <span className="sha-label">Compare</span>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={mode === 'swipe'}
        disabled={!hasMap}
        title="Swipe between the input (step 0) and the output on the map"
        data-testid="compare-swipe"
        onClick={() => toggle('swipe')}
      >
        Swipe input ↔ output
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={mode === 'diff'}
        title="The difference of two runs of one model on one grid"
        data-testid="compare-diff"
        onClick={() => toggle('diff')}
      >
        Difference of two runs
      </button>
    </div>
  );
}

/** On the map's toolbar while a compare mode is on: what it is, and the way out. */
export function CompareBadge() {
  const mode = useCompare((s) => s.mode);
  const setMode = useCompare((s) => s.setMode);
  if (mode === 'off') return null;
  return (
    <span className="compare-badge" data-testid="compare-badge">
      {mode === 'swipe' ? 'Swipe' : 'Difference'}
      <button type="button" className="btn btn-small btn-ghost" data-testid="compare-exit" onClick={() => setMode('off')}>
        Exit compare
      </button>
    </span>
  );
}
