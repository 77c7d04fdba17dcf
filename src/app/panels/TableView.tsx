/**
 * The main area for a model that writes a table (sir, predator_prey, lorenz):
 * its series as a large chart with real axis ticks, a step slider with a
 * cursor on the chart and the values at that step, and a CSV export of the
 * series charted.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { SeriesChart, type SeriesData } from '../components/charts.tsx';
import { seriesToCsv } from '../components/series-csv.ts';
import { formatValue } from '../map/colors.ts';
import { useWorkbench } from '../store.ts';
import { tableSeries } from './ResultsPanel.tsx';

/** The height of an element (pixels), followed with a ResizeObserver. */
function useHeight(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [h, setH] = useState(320);
  useEffect(() => {
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const ch = Math.floor(entries[0]?.contentRect.height ?? 0);
      if (ch > 60) setH(ch);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, h];
}

export function TableView() {
  const run = useWorkbench((s) => s.run);
  const display = run.response?.display;
  const series: SeriesData | null = useMemo(() => {
    if (display?.kind === 'table') return display.series.steps.length ? display.series : tableSeries(display.table);
    return run.live.steps.length ? run.live : null;
  }, [display, run.live]);
  const xName = display?.kind === 'table' ? (display.table.columns.find((c) => /^(time|t|step|tick)$/i.test(c)) ?? 'row') : 'step';
  const n = series?.steps.length ?? 0;
  const [pick, setPick] = useState<number | null>(null);
  const k = pick === null ? n - 1 : Math.min(pick, n - 1);
  const [visible, setVisible] = useState<string[]>([]);
  const onVisible = useCallback((keys: string[]) => setVisible(keys), []);
  const [boxRef, boxH] = useHeight();
  const sliderId = useId();

  const csvUrl = useMemo(() => {
    if (!series || visible.length === 0) return null;
    return URL.createObjectURL(new Blob([seriesToCsv(series, visible, xName)], { type: 'text/csv' }));
  }, [series, visible, xName]);
  useEffect(() => () => (csvUrl ? URL.revokeObjectURL(csvUrl) : undefined), [csvUrl]);

  const x = k >= 0 ? series?.steps[k] : undefined;
  return (
    <div className="table-view" data-testid="table-view">
      <div className="table-view-head">
        <h2 className="card-title">{run.model ?? 'Model'} · series</h2>
        {csvUrl && (
          <a className="btn btn-small" href={csvUrl} download={`${run.model ?? 'series'}_charted.csv`} data-testid="download-chart-csv">
            ⬇ CSV of the charted series
          </a>
        )}
      </div>
      <div className="table-view-chart" ref={boxRef}>
        {series ? (
          <SeriesChart
            series={series}
            xLabel={xName}
            testId="table-chart"
            height={Math.max(160, boxH - 40)}
            cursor={x ?? null}
            onVisible={onVisible}
          />
        ) : (
          <p className="map-empty" data-testid="map-empty">
            This model writes a table, not a map: run it to chart its series here.
          </p>
        )}
      </div>
      {series && n > 1 && (
        <div className="table-view-steps">
          <label htmlFor={sliderId} className="small">
            {xName}
          </label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={n - 1}
            step={1}
            value={Math.max(0, k)}
            data-testid="table-step-slider"
            aria-valuetext={`${xName} ${formatValue(x ?? null)}`}
            onChange={(e) => setPick(Number(e.target.value))}
          />
          <span className="mono small" data-testid="table-readout">
            {xName} = {formatValue(x ?? null)}
            {visible.map((key) => ` · ${key} ${formatValue(series.values[key]?.[k] ?? null)}`).join('')}
          </span>
        </div>
      )}
    </div>
  );
}
