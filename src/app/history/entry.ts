/**
 * Run-history entries (pure, no IndexedDB here): what is kept of a run, how an
 * entry read back from storage is checked, the "keep it without its output
 * when storage is full" rule, and a side-by-side comparison of two runs.
 */
import type { Timings } from '../../executor/lifecycle.ts';
import { parseRecordJson, type ExperimentRecord } from '../../executor/record.ts';
import { modelSha256 } from '../../worker/user-model.ts';

export interface HistoryOutput {
  name: string;
  mediaType: string;
  sha256: string;
  /** The output file, or null when it was not kept (storage full, or too large). */
  bytes: Uint8Array | null;
}

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
  output: HistoryOutput | null;
  /** Why the output bytes were not kept (storage full…). */
  note: string | null;
  /** A page model's source (its SHA-256 is the record's model_commit), so the run can be re-opened with its code. */
  modelSource?: HistoryModelSource | null;
}

export interface HistoryModelSource {
  source: string;
  fileName: string;
  sha256: string;
}

/** Output files above this size are kept without their bytes (the record and checksum stay). */
export const MAX_KEPT_OUTPUT_BYTES = 64 * 1024 * 1024;

export function makeEntry(
  record: ExperimentRecord,
  recordJson: string,
  timings: Timings,
  output: HistoryOutput | null,
  options: { savedAt?: string; verdict?: string | null; modelSource?: HistoryModelSource | null } = {},
): HistoryEntry {
  let note: string | null = null;
  let kept = output;
  if (output?.bytes && output.bytes.byteLength > MAX_KEPT_OUTPUT_BYTES) {
    kept = { ...output, bytes: null };
    note = `The output (${output.bytes.byteLength} bytes) is too large to keep in the history; its record and SHA-256 are kept.`;
  }
  return {
    id: record.experiment_id,
    savedAt: options.savedAt ?? new Date().toISOString(),
    model: record.model_name,
    status: record.status,
    recordJson,
    timings: { ...timings },
    verdict: options.verdict ?? null,
    output: kept,
    note,
    ...(options.modelSource ? { modelSource: { ...options.modelSource } } : {}),
  };
}

/** A stored model source, kept only when it still hashes to its SHA-256. */
function checkModelSource(raw: unknown): HistoryModelSource | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (!isStr(m.source) || !isStr(m.fileName) || !isStr(m.sha256)) return null;
  return modelSha256(m.source) === m.sha256 ? { source: m.source, fileName: m.fileName, sha256: m.sha256 } : null;
}

export const STORAGE_FULL_NOTE = 'Storage is full: the run was kept without its output file.';

export const isQuotaError = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  ((e as { name?: unknown }).name === 'QuotaExceededError' ||
    (e as { code?: unknown }).code === 22 ||
    (e as { name?: unknown }).name === 'NS_ERROR_DOM_QUOTA_REACHED');

/**
 * Store an entry with `put`; when storage is full, store it again without its
 * output bytes and return the note saying so. Any other failure (or a second
 * failure) is thrown for the caller to report.
 */
export async function saveWithFallback(put: (e: HistoryEntry) => Promise<void>, entry: HistoryEntry): Promise<string | null> {
  try {
    await put(entry);
    return entry.note;
  } catch (e) {
    if (!isQuotaError(e) || !entry.output?.bytes) throw e;
    const note = STORAGE_FULL_NOTE;
    await put({ ...entry, output: { ...entry.output, bytes: null }, note });
    return note;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** An entry read back from storage, checked (storage is shared with other versions of the page); null when unusable. */
export function checkStoredEntry(raw: unknown): HistoryEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (!isStr(o.id) || !isStr(o.savedAt) || !isStr(o.model) || !isStr(o.status) || !isStr(o.recordJson)) return null;
  let output: HistoryOutput | null = null;
  if (typeof o.output === 'object' && o.output !== null) {
    const out = o.output as Record<string, unknown>;
    if (!isStr(out.name) || !isStr(out.sha256)) return null;
    output = {
      name: out.name,
      mediaType: isStr(out.mediaType) ? out.mediaType : 'application/octet-stream',
      sha256: out.sha256,
      bytes: out.bytes instanceof Uint8Array ? out.bytes : null,
    };
  }
  const timings: Timings = {};
  if (typeof o.timings === 'object' && o.timings !== null) {
    for (const [k, v] of Object.entries(o.timings))
      if (/^time_\w+_sec$/.test(k) && typeof v === 'number') (timings as Record<string, number>)[k] = v;
  }
  return {
    id: o.id,
    savedAt: o.savedAt,
    model: o.model,
    status: o.status,
    recordJson: o.recordJson,
    timings,
    verdict: isStr(o.verdict) ? o.verdict : null,
    output,
    note: isStr(o.note) ? o.note : null,
    ...(checkModelSource(o.modelSource) ? { modelSource: checkModelSource(o.modelSource) } : {}),
  };
}

/** Newest first. */
export function sortEntries(entries: HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
}

/** The short verdict word for a list ("reproduced", "differs", "ran"). */
export function verdictWord(verdict: string | null): string | null {
  if (!verdict) return null;
  return verdict.split(/ [—(]/)[0].trim();
}

export interface DiffRow {
  key: string;
  a: string;
  b: string;
  /** Only parameters, maps, model, input and checksums are marked; timings are shown for information. */
  differs: boolean;
}

const show = (v: unknown): string => (v === undefined || v === null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Model, parameters, maps, input and output checksums of two records, row by row. */
export function compareRecords(a: ExperimentRecord, b: ExperimentRecord): DiffRow[] {
  const rows: DiffRow[] = [];
  const add = (key: string, x: unknown, y: unknown, marked = true) =>
    rows.push({ key, a: show(x), b: show(y), differs: marked && show(x) !== show(y) });
  add('model', a.model_name, b.model_name);
  add('code version', a.code_version, b.code_version);
  const keys = [...new Set([...Object.keys(a.parameters), ...Object.keys(b.parameters)])].sort();
  for (const k of keys) add(`parameters.${k}`, a.parameters[k], b.parameters[k]);
  add('band_map', a.band_map, b.band_map);
  add('column_map', a.column_map, b.column_map);
  add('input', a.source.uri, b.source.uri);
  add('input SHA-256', a.source.checksum, b.source.checksum);
  add('output SHA-256', a.artifacts.output, b.artifacts.output);
  add('status', a.status, b.status);
  add('run time (s)', a.metrics.time_run_sec, b.metrics.time_run_sec, false);
  add('total time (s)', a.metrics.time_total_sec, b.metrics.time_total_sec, false);
  return rows;
}

/** Two history entries side by side (their records, and verdicts when re-runs). */
export function compareEntries(a: HistoryEntry, b: HistoryEntry): DiffRow[] {
  const rows = compareRecords(parseRecordJson(a.recordJson), parseRecordJson(b.recordJson));
  rows.push({ key: 'verdict', a: show(verdictWord(a.verdict)), b: show(verdictWord(b.verdict)), differs: false });
  return rows;
}
