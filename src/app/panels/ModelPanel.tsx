/** Model picker: every registered executor, grouped by family, with what it takes and gives. */
import { useEffect, useId, useMemo } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { inputsLabel, takesNoInput } from '../data/compat.ts';
import { useExecutors } from '../data/queries.ts';
import { useCurrentDataset, useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench, type DatasetSource } from '../store.ts';
import { ModelSourceControls } from '../editor/ModelSourceControls.tsx';

export function sampleSource(uri: string): DatasetSource {
  const file = uri.replace(/^sample:/, '');
  return { kind: 'sample', uri: `sample:${file}`, file, id: 0 };
}

export function ModelPanel() {
  const executors = useExecutors();
  const spec = useSelectedSpec();
  const selectModel = useWorkbench((s) => s.selectModel);
  const setSource = useWorkbench((s) => s.setSource);
  const running = useWorkbench((s) => s.run.status === 'running');
  const dq = useCurrentDataset();
  const id = useId();

  const families = useMemo(() => {
    const m = new Map<string, ExecutorSpec[]>();
    for (const s of executors.data ?? []) m.set(s.family, [...(m.get(s.family) ?? []), s]);
    return [...m.entries()];
  }, [executors.data]);

  const choose = (next: ExecutorSpec) => {
    selectModel(next);
    const st = useWorkbench.getState();
    if (!next.sample || takesNoInput(next)) return;
    // Open the model's own sample when no dataset is chosen (or the chosen one failed to load);
    // a loaded dataset the model cannot take stays, with the reason shown.
    if (!st.source || dq.isError) setSource(sampleSource(next.sample));
  };

  // First visit: pick the first registered model.
  useEffect(() => {
    if (!spec && executors.data && executors.data.length > 0 && !useWorkbench.getState().model) choose(executors.data[0]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [executors.data, spec]);

  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="model-panel">
      <h2 id={`${id}-h`} className="panel-title">
        <span className="step-no">1</span> Model
      </h2>
      {executors.isPending && <p className="muted">Loading the model catalogue…</p>}
      {executors.isError && (
        <div className="error-text" role="alert">
          The model catalogue could not be loaded: {executors.error.message}{' '}
          <button type="button" className="btn btn-small" onClick={() => void executors.refetch()}>
            Retry
          </button>
        </div>
      )}
      {executors.data && (
        <>
          <label className="field-label" htmlFor={`${id}-sel`}>
            Registered executor
          </label>
          <select
            id={`${id}-sel`}
            className="input"
            data-testid="model-select"
            value={spec?.name ?? ''}
            disabled={running}
            onChange={(e) => {
              const next = executors.data.find((s) => s.name === e.target.value);
              if (next) choose(next);
            }}
          >
            {families.map(([family, specs]) => (
              <optgroup key={family} label={family}>
                {specs.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.title} ({s.name})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <ModelSourceControls disabled={running} />
          {spec && (
            <div className="model-card" data-testid="model-card">
              <div className="badges">
                <span className="badge">{spec.family}</span>
                <span className="badge badge-outline" title="Accepted input">
                  in: {inputsLabel(spec)}
                </span>
                <span className="badge badge-outline" title="Output">
                  out: {spec.output.kind} (.{spec.output.extension})
                </span>
                {spec.stochastic && <span className="badge badge-warn">stochastic</span>}
              </div>
              <p className="model-desc">{spec.description}</p>
              {spec.bands?.length || spec.columns?.length ? (
                <p className="muted small">
                  {spec.bands?.length ? <>Bands: {spec.bands.map((b) => b.name + (b.required === false ? '?' : '')).join(', ')}. </> : null}
                  {spec.columns?.length ? (
                    <>Columns: {spec.columns.map((b) => b.name + (b.required === false ? '?' : '')).join(', ')}.</>
                  ) : null}
                </p>
              ) : null}
            </div>
          )}
        </>
      )}
    </section>
  );
}
