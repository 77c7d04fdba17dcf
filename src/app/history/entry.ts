/** Run-history entries (pure): what is kept of a run, and a side-by-side comparison of two runs. */
import type { Timings } from '../../executor/lifecycle.ts';
import type { ExperimentRecord } from '../../executor/record.ts';

export interface HistoryEntry {
  /** The experiment id. */
  id: string;
  savedAt: string;
  model: string;
  status: string;
  recordJson: string;
  timings: Timings;
  /** Text of the reproduction verdict, when the run was a re-run. */
  verdict: string | null;
  output: { name: string; mediaType: string; sha256: string; bytes: Uint8Array | null } | null;
  /** Why the output bytes were not kept (storage full…). */
  note: string | null;
}

export function makeEntry(
  record: ExperimentRecord,
  recordJson: string,
  timings: Timings,
  output: HistoryEntry['output'],
  savedAt = new Date().toISOString(),
): HistoryEntry {
  return { id: record.experiment_id, savedAt, model: record.model_name, status: record.status, recordJson, timings, verdict: null, output, note: null };
}

export interface DiffRow {
  key: string;
  a: string;
  b: string;
  differs: boolean;
}

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Model, parameters, maps, input and output checksums of two records, row by row. */
export function compareRecords(a: ExperimentRecord, b: ExperimentRecord): DiffRow[] {
  const rows: DiffRow[] = [];
  const add = (key: string, x: unknown, y: unknown) => rows.push({ key, a: show(x), b: show(y), differs: show(x) !== show(y) });
  add('model', a.model_name, b.model_name);
  const keys = [...new Set([...Object.keys(a.parameters), ...Object.keys(b.parameters)])];
  for (const k of keys) add(`parameters.${k}`, a.parameters[k], b.parameters[k]);
  add('band_map', a.band_map, b.band_map);
  add('column_map', a.column_map, b.column_map);
  add('input', a.source.uri, b.source.uri);
  add('input SHA-256', a.source.checksum, b.source.checksum);
  add('output SHA-256', a.artifacts.output, b.artifacts.output);
  add('status', a.status, b.status);
  add('run time (s)', a.metrics.time_run_sec, b.metrics.time_run_sec);
  return rows;
}
