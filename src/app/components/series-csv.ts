/** What a chart shows, as CSV: the x column, then each charted series (RFC 4180, '.' decimals, empty = no value). */
import type { SeriesData } from './charts.tsx';

const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const num = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);

export function seriesToCsv(series: SeriesData, keys: readonly string[], xName: string): string {
  const lines = [[xName, ...keys].map(cell).join(',')];
  for (let i = 0; i < series.steps.length; i++) {
    lines.push([num(series.steps[i]), ...keys.map((k) => num(series.values[k]?.[i]))].join(','));
  }
  return lines.join('\n') + '\n';
}
