/**
 * Artefact naming and the profiling report, as DisSModel's CLI writes them:
 * the experiment id's first 8 hex in the output name, `<stem>.record.json`
 * beside the output, `profiling_<id8>.md` with the phase table.
 */
import type { ExperimentRecord } from './record.ts';

export const id8 = (record: ExperimentRecord): string => record.experiment_id.slice(0, 8);

function splitPath(p: string): { dir: string; base: string } {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? { dir: '', base: p } : { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}

function splitExt(base: string): { stem: string; ext: string } {
  const i = base.lastIndexOf('.');
  return i <= 0 ? { stem: base, ext: '' } : { stem: base.slice(0, i), ext: base.slice(i) };
}

/**
 * Inject `_<id8>` into an output path unless it is already there; a directory
 * (ends with / or \\, or `isDir`) gets `simulacao_<id8>.<ext>` inside it.
 */
export function injectId(output: string, idPrefix: string, extension: string, isDir = false): string {
  if (isDir || output.endsWith('/') || output.endsWith('\\')) {
    const dir = output.endsWith('/') || output.endsWith('\\') ? output : output + '/';
    return `${dir}simulacao_${idPrefix}.${extension}`;
  }
  const { dir, base } = splitPath(output);
  if (base.includes(idPrefix)) return output;
  const { stem, ext } = splitExt(base);
  return `${dir}${stem}_${idPrefix}${ext}`;
}

/** `out/gol_1a2b3c4d.tif` → `out/gol_1a2b3c4d.record.json`. */
export function recordPathFor(outputPath: string): string {
  const { dir, base } = splitPath(outputPath);
  return `${dir}${splitExt(base).stem}.record.json`;
}

/** `out/gol_1a2b3c4d.tif` → `out/profiling_1a2b3c4d.md`. */
export function profilingPathFor(outputPath: string | null, idPrefix: string): string {
  const dir = outputPath ? splitPath(outputPath).dir : '';
  return `${dir}profiling_${idPrefix}.md`;
}

/** Default output when none is given: DisSModel's local branch, ./outputs/<id>/output.<ext>. */
export function defaultOutputPath(record: ExperimentRecord, extension: string): string {
  return `outputs/${record.experiment_id}/output.${extension}`;
}

const pct = (part: number, total: number): string => (total > 0 ? ((part / total) * 100).toFixed(1) : '0.0');

/** The profiling markdown in DisSModel's template (percentages guard a zero total). */
export function profilingMarkdown(record: ExperimentRecord, executorName: string): string {
  const m = record.metrics as Record<string, number>;
  const v = m.time_validate_sec ?? 0;
  const l = m.time_load_sec ?? 0;
  const r = m.time_run_sec ?? 0;
  const s = m.time_save_sec ?? 0;
  const t = m.time_total_sec ?? 0;
  return [
    `# Profiling Report: ${executorName}`,
    '',
    `**Experiment ID:** \`${record.experiment_id}\``,
    `**Date:** \`${record.created_at}\``,
    '',
    '## Execution Times',
    '',
    '| Phase | Time (seconds) | % of Total |',
    '|---|---|---|',
    `| **Validate** | ${v.toFixed(3)}   | ${pct(v, t)}% |`,
    `| **Load**     | ${l.toFixed(3)}  | ${pct(l, t)}% |`,
    `| **Run**      | ${r.toFixed(3)}   | ${pct(r, t)}% |`,
    `| **Save**     | ${s.toFixed(3)}  | ${pct(s, t)}% |`,
    `| **Total**    | **${t.toFixed(3)}** | **100%** |`,
    '',
  ].join('\n');
}
