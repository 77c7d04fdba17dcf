/** Plain-SVG charts: per-phase timings (bars) and per-step series (lines). */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Timings } from '../../executor/lifecycle.ts';
import { formatValue } from '../map/colors.ts';
import { niceTicks, tickLabel } from './ticks.ts';

/** The element's content width in CSS pixels (so SVG text stays at its real size). */
export function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const cw = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (cw > 40) setW(cw);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

const PHASES = [
  ['validate', 'Validate'],
  ['load', 'Load'],
  ['run', 'Run'],
  ['save', 'Save'],
] as const;

export function TimingsChart({ timings }: { timings: Timings | null }) {
  const [ref, W] = useWidth<HTMLDivElement>(300);
  const rowH = 24;
  const labelW = 62;
  const valueW = 64;
  const total = timings?.time_total_sec ?? null;
  const values = PHASES.map(([k]) => timings?.[`time_${k}_sec`] ?? null);
  const max = Math.max(1e-9, ...values.map((v) => v ?? 0));
  const barW = W - labelW - valueW;
  const H = rowH * (PHASES.length + 1) + 4;
  return (
    <div ref={ref} className="chart-box">
      <svg
        className="chart timings-chart"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label="Per-phase timings in seconds"
        data-testid="timings-chart"
      >
        {PHASES.map(([k, label], i) => {
          const v = values[i];
          const y = i * rowH + 4;
          return (
            <g key={k} data-testid={`timing-${k}`}>
              <text x={0} y={y + 14} className="chart-label">
                {label}
              </text>
              <rect x={labelW} y={y + 3} width={barW} height={rowH - 8} className="bar-track" rx={3} />
              {v !== null && (
                <rect x={labelW} y={y + 3} width={Math.max(1, (v / max) * barW)} height={rowH - 8} className={`bar bar-${k}`} rx={3} />
              )}
              <text x={W} y={y + 14} className="chart-value" textAnchor="end">
                {v === null ? '—' : `${v.toFixed(3)} s`}
              </text>
            </g>
          );
        })}
        <g data-testid="timing-total">
          <line x1={0} x2={W} y1={PHASES.length * rowH + 4} y2={PHASES.length * rowH + 4} className="chart-rule" />
          <text x={0} y={PHASES.length * rowH + 19} className="chart-label strong">
            Total
          </text>
          <text x={W} y={PHASES.length * rowH + 19} className="chart-value strong" textAnchor="end">
            {total === null ? '—' : `${total.toFixed(3)} s`}
          </text>
        </g>
      </svg>
    </div>
  );
}

export const SERIES_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** At most `max` points, keeping each bucket's extremes so spikes stay visible. */
function decimate(xs: number[], ys: number[], max: number): [number[], number[]] {
  if (xs.length <= max) return [xs, ys];
  const per = Math.ceil(xs.length / (max / 2));
  const ox: number[] = [];
  const oy: number[] = [];
  for (let i = 0; i < xs.length; i += per) {
    let lo = i;
    let hi = i;
    for (let j = i; j < Math.min(xs.length, i + per); j++) {
      if (ys[j] < ys[lo]) lo = j;
      if (ys[j] > ys[hi]) hi = j;
    }
    for (const j of lo <= hi ? [lo, hi] : [hi, lo]) {
      ox.push(xs[j]);
      oy.push(ys[j]);
    }
  }
  return [ox, oy];
}

export interface SeriesData {
  steps: number[];
  values: Record<string, number[]>;
}

/** Default height and the margins of a series chart (pixels). */
const H_DEFAULT = 132;
const m = { l: 50, r: 10, t: 8, b: 30 };

export function SeriesChart({
  series,
  xLabel = 'step',
  testId = 'series-chart',
  height,
  cursor = null,
  colors,
  onVisible,
}: {
  series: SeriesData | null;
  xLabel?: string;
  testId?: string;
  /** Pixels (default 132). */
  height?: number;
  /** An x value marked by a vertical line (the step shown on the map or the slider). */
  cursor?: number | null;
  /** Colours by series name (e.g. the map legend's category colours); others get the default cycle. */
  colors?: Readonly<Record<string, string>>;
  /** Told the series shown (after a legend toggle), e.g. for a CSV export of what is charted. */
  onVisible?: (keys: string[]) => void;
}) {
  const H = height ?? H_DEFAULT;
  const keys = useMemo(() => Object.keys(series?.values ?? {}), [series]);
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  const [modeChoice, setModeChoice] = useState<'auto' | 'shared' | 'each'>('auto');
  const visible = useMemo(() => keys.filter((k) => !hidden[k]), [keys, hidden]);
  useEffect(() => onVisible?.(visible), [visible, onVisible]);
  // Series of very different magnitudes (cells vs metres) are each scaled to their own range by default.
  const spread = useMemo(() => {
    const spans = visible
      .map((k) => {
        const v = (series?.values[k] ?? []).filter(Number.isFinite);
        return v.length ? Math.max(Math.abs(Math.max(...v)), Math.abs(Math.min(...v))) : 0;
      })
      .filter((x) => x > 0);
    return spans.length > 1 ? Math.max(...spans) / Math.min(...spans) : 1;
  }, [series, visible]);
  const mode = modeChoice === 'auto' ? (spread > 20 ? 'each' : 'shared') : modeChoice;
  const [ref, W] = useWidth<HTMLDivElement>(340);
  const colorOf = (k: string) => colors?.[k] ?? SERIES_COLORS[keys.indexOf(k) % SERIES_COLORS.length];

  const geom = useMemo(() => {
    const xs = series?.steps ?? [];
    if (!series || xs.length === 0 || visible.length === 0) return null;
    const rangeOf = (ks: string[]): [number, number] | null => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const k of ks)
        for (const v of series.values[k] ?? []) {
          if (!Number.isFinite(v)) continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      if (!(lo <= hi)) return null;
      return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
    };
    const shared = rangeOf(visible);
    if (!shared) return null;
    let [ymin, ymax] = shared;
    const xmin = xs[0];
    const xmax = xs[xs.length - 1] === xmin ? xmin + 1 : xs[xs.length - 1];
    const sx = (x: number) => m.l + ((x - xmin) / (xmax - xmin)) * (W - m.l - m.r);
    const paths = visible.map((k) => {
      const [lo, hi] = mode === 'each' ? (rangeOf([k]) ?? [ymin, ymax]) : [ymin, ymax];
      const sy = (y: number) => m.t + (1 - (y - lo) / (hi - lo)) * (H - m.t - m.b);
      const [dx, dy] = decimate(xs, series.values[k] ?? [], 800);
      let d = '';
      let pen = false;
      for (let i = 0; i < dx.length; i++) {
        if (!Number.isFinite(dy[i])) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${sx(dx[i]).toFixed(1)},${sy(dy[i]).toFixed(1)}`;
        pen = true;
      }
      return { k, d, color: colorOf(k) };
    });
    if (mode === 'each') {
      ymin = 0;
      ymax = 1;
    }
    const sy = (y: number) => m.t + (1 - (y - ymin) / (ymax - ymin)) * (H - m.t - m.b);
    const yTicks = niceTicks(ymin, ymax, Math.max(2, Math.floor((H - m.t - m.b) / 28))).map((v) => ({
      y: sy(v),
      label: mode === 'each' ? `${Math.round(v * 100)}%` : tickLabel(v),
    }));
    const xTicks = niceTicks(xmin, xs[xs.length - 1], Math.max(2, Math.floor((W - m.l - m.r) / 70))).map((v) => ({
      x: sx(v),
      label: tickLabel(v),
    }));
    const cx = cursor !== null && cursor >= xmin && cursor <= xmax ? sx(cursor) : null;
    return { ymin, ymax, xmin, xmax: xs[xs.length - 1], paths, yTicks, xTicks, cx };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- colorOf follows keys and colors, both listed
  }, [series, visible, keys, W, H, mode, cursor, colors]);

  return (
    <div className="series" data-testid={testId} ref={ref}>
      <svg
        className="chart"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Per-${xLabel} series: ${keys.join(', ') || 'none'}`}
      >
        <rect x={m.l} y={m.t} width={W - m.l - m.r} height={H - m.t - m.b} className="plot-bg" />
        {geom ? (
          <>
            <g className="axis axis-y" data-testid={`${testId}-yticks`}>
              {geom.yTicks.map((t) => (
                <g key={t.label}>
                  <line x1={m.l} x2={W - m.r} y1={t.y} y2={t.y} className="grid-line" />
                  <text x={m.l - 4} y={t.y + 3.5} className="axis-label" textAnchor="end">
                    {t.label}
                  </text>
                </g>
              ))}
            </g>
            <g className="axis axis-x" data-testid={`${testId}-xticks`}>
              {geom.xTicks.map((t) => (
                <g key={t.label}>
                  <line x1={t.x} x2={t.x} y1={H - m.b} y2={H - m.b + 4} className="tick-line" />
                  <text x={t.x} y={H - m.b + 14} className="axis-label" textAnchor="middle">
                    {t.label}
                  </text>
                </g>
              ))}
              <text x={W - m.r} y={H - 2} className="axis-label axis-title" textAnchor="end">
                {xLabel}
                {mode === 'each' ? ' · y: % of each series range' : ''}
              </text>
            </g>
            {geom.paths.map((p) => (
              <path key={p.k} d={p.d} stroke={p.color} className="series-line" data-series={p.k} />
            ))}
            {geom.cx !== null && (
              <line x1={geom.cx} x2={geom.cx} y1={m.t} y2={H - m.b} className="chart-cursor" data-testid={`${testId}-cursor`} />
            )}
          </>
        ) : (
          <text x={W / 2} y={H / 2} className="axis-label" textAnchor="middle">
            {keys.length ? 'No values to plot' : 'No per-step summary yet'}
          </text>
        )}
      </svg>
      {keys.length > 0 && (
        <div className="series-legend">
          {keys.map((k) => {
            const vals = series?.values[k] ?? [];
            const last = vals.length ? vals[vals.length - 1] : null;
            return (
              <button
                key={k}
                type="button"
                className={`legend-toggle${hidden[k] ? ' is-off' : ''}`}
                aria-pressed={!hidden[k]}
                onClick={() => setHidden({ ...hidden, [k]: !hidden[k] })}
                title={hidden[k] ? `Show ${k}` : `Hide ${k}`}
              >
                <span className="swatch" style={{ background: colorOf(k) }} />
                {k} <span className="mono">{formatValue(last)}</span>
              </button>
            );
          })}
          {visible.length > 1 && (
            <span className="series-tools" role="group" aria-label="Y axis">
              <button
                type="button"
                className={`legend-toggle${mode === 'shared' ? '' : ' is-off'}`}
                aria-pressed={mode === 'shared'}
                onClick={() => setModeChoice('shared')}
                title="One y axis for every series"
              >
                shared axis
              </button>
              <button
                type="button"
                className={`legend-toggle${mode === 'each' ? '' : ' is-off'}`}
                aria-pressed={mode === 'each'}
                onClick={() => setModeChoice('each')}
                title="Each series scaled to its own min–max"
              >
                each scaled
              </button>
            </span>
          )}
        </div>
      )}
    </div>
  );
}
