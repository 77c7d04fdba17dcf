/**
 * Results strip under the map: per-phase timings, the per-step series (live
 * during a run), and the output with its SHA-256 and downloads.
 */
import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { recordPathFor } from '../../executor/artifacts.ts';
import type { TableData } from '../../sim/output.ts';
import { SeriesChart, TimingsChart, type SeriesData } from '../components/charts.tsx';
import { useCopy } from '../components/useCopy.ts';
import { formatBytes } from '../format.ts';
import { useWorkbench } from '../store.ts';
import { PartialOutput } from './PartialOutput.tsx';
import { useExecutors } from '../data/queries.ts';
import { seriesColors } from '../map/series-colors.ts';
import { useBandStyles } from '../map/band-style-store.ts';
import { styleKey } from '../map/style-edits.ts';
import { useLive } from '../run/live-store.ts';
import { CompareControls } from '../compare/CompareControls.tsx';

function useObjectUrl(data: BlobPart | null | undefined, type: string): string | null {
  const url = useMemo(() => (data ? URL.createObjectURL(new Blob([data], { type })) : null), [data, type]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/** A table's columns as series over its time column (the first column named time/t/step, else the row number). */
export function tableSeries(table: TableData): SeriesData {
  const ti = table.columns.findIndex((c) => /^(time|t|step|tick)$/i.test(c));
  const steps = table.rows.map((r, i) => (ti >= 0 ? r[ti] : i));
  const values: Record<string, number[]> = {};
  table.columns.forEach((c, j) => {
    if (j !== ti) values[c] = table.rows.map((r) => r[j]);
  });
  return { steps, values };
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, copy] = useCopy();
  return (
    <button type="button" className="btn btn-small" data-testid="copy-sha" aria-label={label} onClick={() => copy(text)}>
      {copied === 'ok' ? 'Copied' : copied === 'fail' ? 'Select & copy' : 'Copy'}
    </button>
  );
}

function OutputCard() {
  // Not the whole run: its progress changes many times a second, and this card shows none of it.
  const run = useWorkbench(useShallow((s) => ({ status: s.run.status, model: s.run.model, response: s.run.response })));
  const r = run.response;
  const out = r?.output;
  const outUrl = useObjectUrl(out?.bytes as BlobPart | undefined, out?.mediaType ?? 'application/octet-stream');
  const recUrl = useObjectUrl(r?.recordJson, 'application/json');
  const mdUrl = useObjectUrl(r?.profiling?.markdown, 'text/markdown');
  const recName = out ? recordPathFor(out.name) : 'record.json';
  return (
    <div className="card output-card" data-testid="output-card">
      <h3 className="card-title">Output{run.model ? <span className="card-sub"> · {run.model}</span> : null}</h3>
      {!r && run.status !== 'running' && <p className="muted small">Run a model to get its output, record and profiling report here.</p>}
      {run.status === 'running' && <p className="muted small">Running…</p>}
      {r && (
        <>
          {out ? (
            <>
              <p className="out-name">
                <span className="mono" data-testid="output-name">
                  {out.name}
                </span>{' '}
                <span className="muted small">{formatBytes(out.bytes.byteLength)}</span>
              </p>
              <div className="sha-row">
                <span className="sha-label">SHA-256</span>
                <code className="hash" data-testid="output-sha256">
                  {out.sha256}
                </code>
                <CopyButton text={out.sha256} label="Copy the output SHA-256" />
              </div>
            </>
          ) : r.partial ? (
            <PartialOutput partial={r.partial} />
          ) : (
            <p className="muted small">No output ({r.status}).</p>
          )}
          <div className="downloads">
            {out && outUrl && (
              <a className="btn btn-small" href={outUrl} download={out.name} data-testid="download-output">
                ⬇ {out.name.split('.').pop()?.toUpperCase()} output
              </a>
            )}
            {recUrl && (
              <a className="btn btn-small" href={recUrl} download={recName} data-testid="download-record">
                ⬇ record.json
              </a>
            )}
            {r.profiling && mdUrl && (
              <a className="btn btn-small" href={mdUrl} download={r.profiling.name} data-testid="download-profiling">
                ⬇ profiling.md
              </a>
            )}
          </div>
          <CompareControls />
          <details className="logs">
            <summary>
              Record <span className="mono small">{r.record.experiment_id.slice(0, 8)}</span> · {r.record.logs.length} log lines
            </summary>
            {r.record.source.checksum && (
              <p className="small">
                input SHA-256 <code className="hash">{r.record.source.checksum}</code>
              </p>
            )}
            <ul className="log-list mono small" data-testid="run-logs">
              {r.record.logs.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          </details>
        </>
      )}
    </div>
  );
}

export function ResultsPanel() {
  const run = useWorkbench((s) => s.run);
  const display = run.response?.display;
  const series: SeriesData | null = useMemo(() => {
    if (run.status === 'running') return run.live;
    if (!display) return run.live.steps.length ? run.live : null;
    if (display.kind === 'table' && display.series.steps.length === 0) return tableSeries(display.table);
    return display.series;
  }, [run.status, run.live, display]);
  const isTable = display?.kind === 'table';
  // Series in the map legend's colours, and a cursor at the step the map shows.
  const executors = useExecutors();
  const runSpec = useMemo(() => executors.data?.find((x) => x.name === run.model) ?? null, [executors.data, run.model]);
  // The user's class colours for the band the map draws (per model and band) count too.
  const shownLayer = display && display.kind !== 'table' ? display.layer : undefined;
  const bandStyle = useBandStyles((s) => s.styles[styleKey(runSpec?.name, shownLayer ?? runSpec?.displayLayer ?? '')]);
  const colors = useMemo(() => seriesColors(runSpec, shownLayer, bandStyle), [runSpec, shownLayer, bandStyle]);
  const frame = useWorkbench((s) => s.frame);
  const liveStep = useLive((s) => (s.runId === run.id ? s.step : null));
  const cursor =
    run.status === 'running'
      ? liveStep
      : display && display.kind !== 'table' && display.frames.length > 0
        ? (display.frames[Math.max(0, Math.min(display.frames.length - 1, frame))]?.step ?? null)
        : null;
  return (
    <section className="results" aria-label="Results" data-testid="results">
      <div className="card">
        <h3 className="card-title">Timings</h3>
        <TimingsChart timings={run.response?.timings ?? null} />
      </div>
      <div className="card">
        <h3 className="card-title">{isTable ? 'Output table (series)' : 'Per-step summary'}</h3>
        <SeriesChart series={series} xLabel={isTable ? 'time' : 'step'} colors={colors} cursor={cursor} />
      </div>
      <OutputCard />
    </section>
  );
}
