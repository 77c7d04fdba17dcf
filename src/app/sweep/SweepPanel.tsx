/**
 * Parameter sweep: values per parameter × seeds for the current model and
 * dataset, run on a pool of workers; a table of every run (parameters, seed,
 * status, output SHA-256, time, last value of each per-step series) and a
 * chart of one summary metric per run.
 */
import { useMemo, useRef, useState } from 'react';
import { describeError } from '../../executor/errors.ts';
import { parseValueList, planSweep, type SweepGrid } from '../../executor/sweep.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import { SeriesChart } from '../components/charts.tsx';
import { sweepAxis } from './sweep-axis.ts';
import { useCopy } from '../components/useCopy.ts';
import { takesNoInput } from '../data/compat.ts';
import { buildRecord } from '../run/build-record.ts';
import { formToParams } from '../run/params-form.ts';
import type { RunOutcome } from '../run/run-service.ts';
import { useCurrentDataset, useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';
import { poolSize, runPool, type SweepHandle } from './pool.ts';
import { runServerPool } from '../server/sweep.ts';
import { useServerSettings } from '../server/settings.ts';

/** One run of the sweep: what the table shows (the outcome itself is not kept). */
interface Row {
  params: Record<string, unknown>;
  /** null while pending. */
  status: RunOutcome['status'] | null;
  sha: string;
  error: string;
  ms: number;
  metrics: Record<string, number>;
}

function summarise(row: Row, o: RunOutcome, ms: number): Row {
  return {
    // The record after the run: a seed drawn at validate time is in it.
    params: o.response?.record.parameters ?? row.params,
    status: o.status,
    sha: o.response?.output?.sha256 ?? '',
    error: o.error?.message ?? '',
    ms,
    metrics: lastValues(o),
  };
}

function lastValues(o: RunOutcome): Record<string, number> {
  const d = o.response?.display;
  if (!d) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(d.series.values)) if (v.length) out[k] = v[v.length - 1];
  if (d.kind === 'table' && d.series.steps.length === 0) {
    const last = d.table.rows[d.table.rows.length - 1];
    d.table.columns.forEach((c, j) => (out[c] = last?.[j] ?? Number.NaN));
  }
  return out;
}

/** Copy a run's full output SHA-256 (the table shows 12 hex). */
function CopySha({ sha }: { sha: string }) {
  const [state, copy] = useCopy();
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost"
      data-testid="sweep-copy-sha"
      aria-label={`Copy SHA-256 ${sha}`}
      title={state === 'fail' ? 'The clipboard is not available: hover the hash to read it.' : 'Copy the full SHA-256'}
      onClick={() => copy(sha)}
    >
      {state === 'ok' ? 'Copied' : state === 'fail' ? '—' : 'Copy'}
    </button>
  );
}

export function SweepPanel() {
  const spec = useSelectedSpec();
  const dq = useCurrentDataset();
  const fieldMap = useWorkbench((s) => s.fieldMap);
  const [values, setValues] = useState<Record<string, string>>({});
  const [seedCount, setSeedCount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [metric, setMetric] = useState('');
  // The columns of the table: the swept parameters, then the seed of a stochastic model.
  const [columns, setColumns] = useState<string[]>([]);
  const handle = useRef<SweepHandle | null>(null);
  const [running, setRunning] = useState(false);
  const onServer = useServerSettings((s) => s.target === 'server');
  const sweepable = spec ? Object.entries(spec.params).filter(([, p]) => p.type !== 'seed') : [];
  const stochastic = !!spec && spec.params.seed?.type === 'seed';
  const finished = rows.filter((r) => r.status).length;
  const metricNames = useMemo(() => [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))], [rows]);
  const shown = metric && metricNames.includes(metric) ? metric : (metricNames[0] ?? '');

  const start = () => {
    if (!spec) return;
    setError(null);
    let records: ExperimentRecord[];
    const needsInput = !takesNoInput(spec) && !spec.inputs.includes('none');
    const ds = dq.data;
    try {
      if (needsInput && !ds) throw new Error('Choose a dataset for this model first.');
      const grid: SweepGrid = {};
      for (const [k, text] of Object.entries(values)) {
        if (!text.trim()) continue;
        grid[k] = parseValueList(text);
      }
      let seeds: number[] | null = null;
      if (stochastic && seedCount.trim()) {
        const n = Number(seedCount);
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error('Seeds: a whole number from 1 to 1000.');
        seeds = Array.from({ length: n }, (_, i) => i + 1);
      }
      const form = formToParams(spec.params, useWorkbench.getState().form);
      if (Object.keys(form.errors).length) throw new Error(`Fix the parameter form first: ${Object.values(form.errors)[0]}`);
      const base = buildRecord({
        spec,
        params: form.params,
        uri: needsInput && ds ? ds.source.uri : null,
        ...(needsInput && ds ? { datasetKind: ds.summary.kind, fieldMap } : {}),
      });
      records = planSweep(spec, base, grid, seeds);
    } catch (e) {
      setError(describeError(e));
      return;
    }
    const initial: Row[] = records.map((r) => ({ params: r.parameters, status: null, sha: '', error: '', ms: 0, metrics: {} }));
    const swept = Object.keys(values).filter((k) => values[k]?.trim());
    setColumns(stochastic ? [...swept, 'seed'] : swept);
    setRows(initial);
    setRunning(true);
    const inputs = needsInput && ds ? [{ uri: ds.source.uri, bytes: ds.bytes }] : [];
    const onResult = (i: number, outcome: RunOutcome, ms: number) =>
      setRows((prev) => prev.map((row, j) => (j === i ? summarise(row, outcome, ms) : row)));
    handle.current = onServer
      ? runServerPool(
          records,
          needsInput && ds ? { source: ds.source, bytes: ds.bytes, sha256: ds.summary.sha256, name: ds.summary.name } : null,
          spec,
          onResult,
        )
      : runPool(records, inputs, onResult);
    void handle.current.done.finally(() => setRunning(false));
  };

  if (!spec) return null;
  const keys = columns;
  const axis = sweepAxis(rows, keys);
  return (
    <section className="card sweep" data-testid="sweep-panel" aria-labelledby="sweep-title">
      <h3 id="sweep-title" className="card-title">
        Parameter sweep{' '}
        <span className="card-sub">
          · {spec.title} {onServer ? 'on the server (Run panel: On server)' : `on ${poolSize()} workers`}
        </span>
      </h3>
      <div className="sweep-fields">
        {sweepable.map(([k, p]) => (
          <label key={k} className="small sweep-field">
            {p.label ?? k}
            <input
              className="input input-small mono"
              placeholder="values, comma separated"
              value={values[k] ?? ''}
              data-testid={`sweep-values-${k}`}
              onChange={(e) => setValues({ ...values, [k]: e.target.value })}
            />
          </label>
        ))}
        {stochastic && (
          <label className="small sweep-field">
            seeds (1…N)
            <input
              className="input input-small"
              value={seedCount}
              data-testid="sweep-seeds"
              onChange={(e) => setSeedCount(e.target.value)}
              placeholder="e.g. 3"
            />
          </label>
        )}
      </div>
      <div className="sweep-actions">
        <button type="button" className="btn btn-primary btn-small" disabled={running} onClick={start} data-testid="sweep-run">
          Run sweep
        </button>
        <button type="button" className="btn btn-small" disabled={!running} onClick={() => handle.current?.cancel()}>
          Cancel
        </button>
        <span className="small" data-testid="sweep-progress">
          {rows.length ? `${finished} / ${rows.length} runs` : 'Unfilled parameters keep their form value.'}
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="sweep-error">
          {error}
        </p>
      )}
      {rows.length > 0 && (
        <div className="sweep-results">
          <table className="history-compare small" data-testid="sweep-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                {keys.map((k) => (
                  <th key={k} scope="col">
                    {k}
                  </th>
                ))}
                <th scope="col">status</th>
                <th scope="col">output SHA-256</th>
                <th scope="col">time s</th>
                {metricNames.map((m) => (
                  <th key={m} scope="col">
                    last {m}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const sha = r.sha;
                return (
                  <tr key={i} data-testid="sweep-row" data-status={r.status ?? 'pending'} data-sha={sha}>
                    <td>{i + 1}</td>
                    {keys.map((k) => (
                      <td key={k} className="mono" data-param={k}>
                        {r.params[k] === undefined ? '(drawn)' : String(r.params[k])}
                      </td>
                    ))}
                    <td>{r.status ?? '…'}</td>
                    <td className="mono" title={sha || r.error}>
                      {sha ? sha.slice(0, 12) + '…' : r.error}
                      {sha && <CopySha sha={sha} />}
                    </td>
                    <td>{r.ms ? (r.ms / 1000).toFixed(3) : ''}</td>
                    {metricNames.map((m) => (
                      <td key={m}>{r.metrics[m] ?? ''}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {metricNames.length > 0 && (
            <>
              <label className="small">
                Chart{' '}
                <select className="input input-small" value={shown} onChange={(e) => setMetric(e.target.value)}>
                  {metricNames.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </label>
              <SeriesChart
                series={{ steps: axis.xs, values: { [shown]: axis.order.map((i) => rows[i].metrics[shown] ?? Number.NaN) } }}
                xLabel={axis.name}
                testId="sweep-chart"
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}
