/**
 * A table editor for a model's specification tables (spec.defaultModel's lists of
 * tables, DisSModel's `[[model.potential]]` and `[[model.allocation]]`): one row per
 * table, one column per number (a `betas` sub-table spread into `betas.<driver>`
 * columns). The edited tables go with the run as `resolved_spec.model`.
 */
import { useId } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { JsonValue } from '../../executor/record.ts';
import { useWorkbench } from '../store.ts';

type Table = Record<string, JsonValue>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Column keys of a list of tables: top-level scalars, then `betas.<k>` (first-seen order). */
function columnsOf(rows: readonly Table[]): string[] {
  const cols: string[] = [];
  const add = (k: string) => {
    if (!cols.includes(k)) cols.push(k);
  };
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (!isTable(v)) add(k);
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (isTable(v)) for (const b of Object.keys(v)) add(`${k}.${b}`);
  return cols;
}

function cell(row: Table, col: string): JsonValue | undefined {
  const dot = col.indexOf('.');
  if (dot < 0) return row[col];
  const sub = row[col.slice(0, dot)];
  return isTable(sub) ? sub[col.slice(dot + 1)] : undefined;
}

function withCell(row: Table, col: string, value: JsonValue | undefined): Table {
  const out: Table = JSON.parse(JSON.stringify(row)) as Table;
  const dot = col.indexOf('.');
  if (dot < 0) {
    if (value === undefined) delete out[col];
    else out[col] = value;
    return out;
  }
  const key = col.slice(0, dot);
  const sub: Table = isTable(out[key]) ? (out[key] as Table) : {};
  if (value === undefined) delete sub[col.slice(dot + 1)];
  else sub[col.slice(dot + 1)] = value;
  out[key] = sub;
  return out;
}

export function SpecTables({ spec }: { spec: ExecutorSpec }) {
  const edited = useWorkbench((s) => s.modelTables);
  const setTables = useWorkbench((s) => s.setModelTables);
  const running = useWorkbench((s) => s.run.status === 'running');
  const id = useId();
  const base = spec.defaultModel;
  if (!base) return null;
  const model: Table = edited ?? (JSON.parse(JSON.stringify(base)) as Table);
  const lists = Object.entries(model).filter((e): e is [string, Table[]] => Array.isArray(e[1]) && e[1].length > 0 && e[1].every(isTable));
  if (lists.length === 0) return null;
  const change = (key: string, i: number, col: string, text: string) => {
    const rows = (model[key] as Table[]).slice();
    const t = text.trim();
    const old = cell(rows[i], col);
    const value: JsonValue | undefined = t === '' ? undefined : typeof old === 'string' ? t : Number(t);
    rows[i] = withCell(rows[i], col, value);
    setTables({ ...model, [key]: rows });
  };
  return (
    <div className="spec-tables" data-testid="spec-tables">
      <h3 className="sub-title" id={`${id}-h`}>
        Specification tables
        {edited && (
          <button type="button" className="btn btn-small" disabled={running} onClick={() => setTables(null)}>
            Reset
          </button>
        )}
      </h3>
      {lists.map(([key, rows]) => {
        const cols = columnsOf(rows);
        return (
          <div key={key} className="spec-table-wrap">
            <p className="small mono">[[model.{key}]]</p>
            <table className="spec-table" data-testid={`spec-table-${key}`}>
              <thead>
                <tr>
                  {cols.map((c) => (
                    <th key={c} className="mono small">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {cols.map((c) => {
                      const v = cell(r, c);
                      const invalid = typeof v === 'number' && !Number.isFinite(v);
                      return (
                        <td key={c}>
                          <input
                            className={`mono small${invalid ? ' is-invalid' : ''}`}
                            aria-label={`${key} row ${i + 1} ${c}`}
                            data-testid={`spec-${key}-${i}-${c}`}
                            disabled={running || c === 'lu'}
                            defaultValue={v === undefined ? '' : String(v)}
                            size={Math.max(4, Math.min(12, String(v ?? '').length))}
                            onChange={(e) => change(key, i, c, e.target.value)}
                          />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
