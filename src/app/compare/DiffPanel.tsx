/**
 * The difference of two runs, on the map: pick run A and run B (the current
 * run and the history's runs that kept their output), a band and how to
 * compare it; the worker computes the difference, the map draws it, and this
 * panel gives the counts — changed cells and the from → to table for
 * categories, the range of B − A for values — or the reason it was refused.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { describeError } from '../../executor/errors.ts';
import { useExecutors } from '../data/queries.ts';
import { listEntries } from '../history/db.ts';
import type { HistoryEntry } from '../history/entry.ts';
import { formatValue } from '../map/colors.ts';
import { useWorkbench } from '../store.ts';
import { useCompare } from './compare-store.ts';
import type { DiffKind, Transition } from './diff.ts';
import { computeDiff } from './diff-client.ts';
import { diffLayer } from './diff-layer.ts';
import { comparableRuns, defaultPair, type RunChoice } from './runs.ts';
import './compare.css';

/** Rows of the from → to table shown (the rest are counted). */
const TABLE_ROWS = 24;

const share = (n: number, total: number) => (total > 0 ? `${((100 * n) / total).toFixed(n === total || n === 0 ? 0 : 1)} %` : '—');

function categoryText(spec: ExecutorSpec | undefined, band: string, v: number, labels: Record<number, string> | null): string {
  // A text column's code stands for its text; a declared category shows code and label.
  if (labels) return labels[v] ?? formatValue(v);
  const label = [...(spec?.bands ?? []), ...(spec?.columns ?? [])].find((f) => f.name === band)?.categories?.[v];
  return label ? `${formatValue(v)} ${label}` : formatValue(v);
}

function Transitions({
  rows,
  spec,
  band,
  labels,
  unit,
}: {
  rows: Transition[];
  spec: ExecutorSpec | undefined;
  band: string;
  labels: Record<number, string> | null;
  unit: string;
}) {
  // Changes first (most frequent first), then the cells that kept their class.
  const sorted = [...rows.filter((t) => t.from !== t.to), ...rows.filter((t) => t.from === t.to)];
  const shown = sorted.slice(0, TABLE_ROWS);
  return (
    <table className="diff-transitions" data-testid="diff-transitions">
      <caption className="muted small">From A → to B, {unit}</caption>
      <thead>
        <tr>
          <th scope="col">A</th>
          <th scope="col">B</th>
          <th scope="col">{unit}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((t) => (
          <tr key={`${t.from}>${t.to}`} className={t.from !== t.to ? 'is-change' : undefined} data-from={t.from} data-to={t.to}>
            <td>{categoryText(spec, band, t.from, labels)}</td>
            <td>{t.from === t.to ? '(same)' : categoryText(spec, band, t.to, labels)}</td>
            <td className="num">{t.count}</td>
          </tr>
        ))}
        {sorted.length > shown.length && (
          <tr>
            <td colSpan={3} className="muted">
              … {sorted.length - shown.length} more pairs
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function RunSelect({
  id,
  label,
  runs,
  value,
  onChange,
}: {
  id: string;
  label: string;
  runs: RunChoice[];
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label htmlFor={id}>
      <span>{label}</span>
      <select id={id} className="input input-small" value={value} data-testid={id} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DiffPanel() {
  const response = useWorkbench((s) => s.run.response);
  const runId = useWorkbench((s) => s.run.id);
  const shown = useCompare((s) => s.diff);
  const showDiff = useCompare((s) => s.showDiff);
  const setMode = useCompare((s) => s.setMode);
  const executors = useExecutors();
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [pick, setPick] = useState<{ a: string | null; b: string | null }>({ a: null, b: null });
  const [band, setBand] = useState<string | null>(null);
  const [kind, setKind] = useState<DiffKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Folded: only the counts, so the map shows.
  const [open, setOpen] = useState(true);
  const request = useRef(0);

  // The history's runs, read again after each run (the current run is listed from the page's state).
  useEffect(() => {
    let live = true;
    listEntries().then(
      (list) => live && setEntries(list),
      (e: unknown) => live && setListError(`The run history cannot be read: ${describeError(e)}`),
    );
    return () => {
      live = false;
    };
  }, [runId]);

  const runs = useMemo(() => comparableRuns(response, entries), [response, entries]);
  const fallback = defaultPair(runs);
  const aId = pick.a && runs.some((r) => r.id === pick.a) ? pick.a : fallback.a;
  const bId = pick.b && runs.some((r) => r.id === pick.b) ? pick.b : fallback.b;
  const a = runs.find((r) => r.id === aId);
  const b = runs.find((r) => r.id === bId);
  const spec = executors.data?.find((s) => s.name === (b ?? a)?.model);

  const compute = (withBand: string | null, withKind: DiffKind | null) => {
    if (!a || !b) return;
    const n = ++request.current;
    setBusy(true);
    setError(null);
    const categoricalBands = [...(spec?.bands ?? []), ...(spec?.columns ?? [])]
      .filter((f) => f.categories && Object.keys(f.categories).length > 0)
      .map((f) => f.name);
    const req = { band: withBand, display: spec?.displayLayer ?? null, categoricalBands, ...(withKind ? { kind: withKind } : {}) };
    computeDiff(a.file, b.file, req).then(
      (r) => {
        if (n !== request.current) return;
        setBusy(false);
        if (!r.ok) {
          setError(r.message);
          showDiff(null);
          return;
        }
        const title =
          r.diff.kind === 'categorical'
            ? `Changed cells · A ${a.id.slice(0, 8)} → B ${b.id.slice(0, 8)}`
            : `Difference · B ${b.id.slice(0, 8)} − A ${a.id.slice(0, 8)}`;
        const layer = diffLayer(r.layer, r.band, r.diff, title);
        showDiff({ a: a.id, b: b.id, band: r.band, bands: r.bands, diff: r.diff, layer, labels: r.labels });
      },
      (e: unknown) => {
        if (n !== request.current) return;
        setBusy(false);
        setError(`The difference could not be computed: ${describeError(e)}`);
      },
    );
  };

  const current = shown && shown.a === a?.id && shown.b === b?.id ? shown : null;
  const d = current?.diff;
  const compared = d ? d.changed + d.unchanged : 0;
  const unit = current?.layer.kind === 'vector' ? 'features' : 'cells';

  return (
    <section className="diff-panel" aria-labelledby="diff-title" data-testid="diff-panel">
      <div className="legend-title">
        <h3 id="diff-title">Difference of two runs</h3>
        <span>
          <button
            type="button"
            className="legend-fold"
            aria-expanded={open}
            aria-label={open ? 'Fold the difference panel to its counts' : 'Unfold the difference panel'}
            data-testid="diff-fold"
            onClick={() => setOpen(!open)}
          >
            {open ? '–' : '+'}
          </button>{' '}
          <button type="button" className="btn btn-small btn-ghost" data-testid="diff-close" onClick={() => setMode('off')}>
            Close
          </button>
        </span>
      </div>
      {listError && (
        <p className="field-error small" role="alert">
          {listError}
        </p>
      )}
      {!open ? null : runs.length < 2 ? (
        <p className="muted small" data-testid="diff-need-runs">
          Two finished runs with their output kept are needed: run the model again with other parameters or another seed.
        </p>
      ) : (
        <>
          <RunSelect id="diff-run-a" label="Run A" runs={runs} value={aId ?? ''} onChange={(v) => setPick({ a: v, b: bId })} />
          <RunSelect id="diff-run-b" label="Run B" runs={runs} value={bId ?? ''} onChange={(v) => setPick({ a: aId, b: v })} />
          <div className="diff-row">
            {current && current.bands.length > 1 && (
              <label htmlFor="diff-band">
                <span>Band</span>
                <select
                  id="diff-band"
                  className="input input-small"
                  value={current.band}
                  data-testid="diff-band"
                  onChange={(e) => {
                    setBand(e.target.value);
                    setKind(null);
                    compute(e.target.value, null);
                  }}
                >
                  {current.bands.map((x) => (
                    <option key={x}>{x}</option>
                  ))}
                </select>
              </label>
            )}
            {current && (
              <label htmlFor="diff-kind">
                <span>Compare as</span>
                <select
                  id="diff-kind"
                  className="input input-small"
                  value={current.diff.kind}
                  data-testid="diff-kind"
                  onChange={(e) => {
                    const k = e.target.value as DiffKind;
                    setKind(k);
                    compute(current.band, k);
                  }}
                >
                  <option value="categorical">categories (changed cells)</option>
                  <option value="continuous">values (B − A)</option>
                </select>
              </label>
            )}
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={!a || !b || busy}
              data-testid="diff-show"
              onClick={() => compute(current ? current.band : band, current ? kind : null)}
            >
              {busy ? 'Computing…' : 'Show difference'}
            </button>
          </div>
        </>
      )}
      <div aria-live="polite" data-testid="diff-status" data-busy={busy ? 'true' : 'false'}>
        {error && (
          <p className="field-error small" role="alert" data-testid="diff-error">
            {error}
          </p>
        )}
        {d && current && (
          <div data-testid="diff-summary" data-kind={d.kind} data-band={current.band}>
            <ul className="diff-counts">
              <li>
                <strong className="mono" data-testid="diff-changed">
                  {d.changed}
                </strong>{' '}
                of {compared} {unit} differ ({share(d.changed, compared)}) in <code>{current.band}</code>
              </li>
              <li>
                <span className="mono" data-testid="diff-unchanged">
                  {d.unchanged}
                </span>{' '}
                unchanged
                {d.nodata > 0 && (
                  <>
                    {' '}
                    · <span className="mono">{d.nodata}</span> not compared (nodata in a run)
                  </>
                )}
              </li>
              {d.kind === 'continuous' && (
                <li>
                  B − A from{' '}
                  <span className="mono" data-testid="diff-min">
                    {d.min === null ? '—' : formatValue(d.min)}
                  </span>{' '}
                  to{' '}
                  <span className="mono" data-testid="diff-max">
                    {d.max === null ? '—' : formatValue(d.max)}
                  </span>
                </li>
              )}
            </ul>
            {open &&
              d.kind === 'categorical' &&
              (d.transitions ? (
                <Transitions rows={d.transitions} spec={spec} band={current.band} labels={current.labels} unit={unit} />
              ) : (
                <p className="muted small">More than 64 distinct values: no from → to table (compare as values instead).</p>
              ))}
          </div>
        )}
      </div>
    </section>
  );
}
