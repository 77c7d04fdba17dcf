/** Canonical encodings of a time-series table: CSV (RFC 4180, \n) and JSON. */
import type { TableData } from '../../sim/output.ts';

/** A CSV cell: ±inf and NaN as pandas reads and writes them (inf, -inf, nan), never an empty field. */
const num = (v: number): string =>
  Number.isFinite(v) ? (Object.is(v, -0) ? '0' : String(v)) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';

/** How many values of a table are NaN or ±inf (a diverged model), and in which columns. */
export function nonFiniteValues(table: TableData): { count: number; columns: string[] } {
  let count = 0;
  const columns = new Set<string>();
  for (const row of table.rows)
    row.forEach((v, c) => {
      if (!Number.isFinite(v)) {
        count++;
        columns.add(table.columns[c] ?? String(c));
      }
    });
  return { count, columns: table.columns.filter((c) => columns.has(c)) };
}

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
