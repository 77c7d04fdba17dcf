/**
 * The runs a difference can be taken of: the current run and every history
 * entry that kept its output file, newest first, each once.
 */
import type { HistoryEntry } from '../history/entry.ts';
import { entryDetail } from '../history/describe.ts';
import type { RunResponse } from '../../worker/protocol.ts';
import type { RunOutputFile } from './diff-outputs.ts';

export interface RunChoice {
  id: string;
  model: string;
  label: string;
  file: RunOutputFile;
}

function label(model: string, id: string, recordJson: string, current: boolean): string {
  const d = entryDetail(recordJson);
  const params = d.params.join(', ');
  return `${current ? 'current run · ' : ''}${model} ${id.slice(0, 8)}${d.dataset ? ` on ${d.dataset}` : ''}${params ? ` · ${params}` : ''}`;
}

export function comparableRuns(current: RunResponse | null, entries: readonly HistoryEntry[]): RunChoice[] {
  const out: RunChoice[] = [];
  const seen = new Set<string>();
  if (current?.output && current.status === 'completed') {
    const r = current.record;
    const o = current.output;
    out.push({
      id: r.experiment_id,
      model: r.model_name,
      label: label(r.model_name, r.experiment_id, current.recordJson, true),
      file: { model: r.model_name, name: o.name, sha256: o.sha256, bytes: o.bytes },
    });
    seen.add(r.experiment_id);
  }
  for (const e of entries) {
    if (seen.has(e.id) || !e.output?.bytes || e.status !== 'completed') continue;
    seen.add(e.id);
    out.push({
      id: e.id,
      model: e.model,
      label: label(e.model, e.id, e.recordJson, false),
      file: { model: e.model, name: e.output.name, sha256: e.output.sha256, bytes: e.output.bytes },
    });
  }
  return out;
}

/** Run B: the newest; run A: the newest other run of B's model (else the next one). */
export function defaultPair(runs: readonly RunChoice[]): { a: string | null; b: string | null } {
  const b = runs[0];
  if (!b) return { a: null, b: null };
  const a = runs.find((r) => r.id !== b.id && r.model === b.model) ?? runs.find((r) => r.id !== b.id);
  return { a: a?.id ?? null, b: b.id };
}
