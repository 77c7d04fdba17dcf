/** Canonical encodings of a time-series table: CSV (RFC 4180, \n) and JSON. */
import type { TableData } from '../../sim/output.ts';

const num = (v: number): string => (Number.isFinite(v) ? (Object.is(v, -0) ? '0' : String(v)) : '');

export function encodeTable(table: TableData, format: 'csv' | 'json'): Uint8Array {
  let text: string;
  if (format === 'csv') {
    const lines = [table.columns.join(',')];
    for (const row of table.rows) lines.push(row.map(num).join(','));
    text = lines.join('\n') + '\n';
  } else {
    const rows = table.rows.map((r) => '[' + r.map((v) => (Number.isFinite(v) ? num(v) : 'null')).join(',') + ']');
    text = `{"columns":${JSON.stringify(table.columns)},"rows":[\n${rows.join(',\n')}\n]}\n`;
  }
  return new TextEncoder().encode(text);
}
