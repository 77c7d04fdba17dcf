/**
 * Re-running a record: which executor it belongs to (a record written by
 * DisSModel's Python CLI says model_name "local"), the record for the re-run,
 * and the verdict comparing output checksums. Executors are looked up in a list
 * of specs (the registry's where the models are loaded, the worker's on the page).
 */
import { findSpec } from './catalogue.ts';
import { RegistryError } from './errors.ts';
import { extraInputArtifact, type ExecutorSpec } from './executor.ts';
import type { ExperimentRecord } from './record.ts';
import { newRunRecord } from './run-record.ts';

/**
 * The executor for a record, among `specs`: its model_name when known, else the
 * `resolved_spec.model.class` / `.name`, else the one executor whose parameter
 * schema knows the most of the record's parameters (at least two, and unambiguous).
 */
export function inferSpec(record: ExperimentRecord, specs: readonly ExecutorSpec[]): ExecutorSpec {
  const named = findSpec(specs, record.model_name);
  if (named) return named;
  const model = record.resolved_spec.model;
  if (model && typeof model === 'object' && !Array.isArray(model)) {
    for (const key of ['class', 'name'] as const) {
      const v = (model as Record<string, unknown>)[key];
      const spec = typeof v === 'string' ? findSpec(specs, v) : undefined;
      if (spec) return spec;
    }
  }
  const keys = Object.keys(record.parameters);
  let best: ExecutorSpec | null = null;
  let bestScore = 0;
  let tie = false;
  for (const spec of specs) {
    const score = keys.filter((k) => Object.prototype.hasOwnProperty.call(spec.params, k)).length;
    if (score > bestScore) {
      best = spec;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) {
      tie = true;
    }
  }
  if (best && bestScore >= 2 && !tie) return best;
  throw new RegistryError(
    `Cannot tell which model this record ran: model_name '${record.model_name}' is not registered and its parameters ` +
      `(${keys.join(', ') || 'none'}) do not identify one. Available: ${specs.map((s) => s.name).join(', ')}.`,
  );
}

/**
 * Whether `original` was written by DisSModel (its CLI says model_name "local", or names
 * DisSModel's executor, e.g. "brmangue_raster"), not by this project, whose records carry
 * the registry name of the model that ran them.
 */
export function writtenByDisSModel(original: ExperimentRecord, spec: ExecutorSpec): boolean {
  return original.model_name !== spec.name;
}

/**
 * The parameters a DisSModel record leaves out, with the values DisSModel's executor used
 * for them (`spec.dissmodelDefaults`, e.g. BR-MANGUE's taxa_elevacao 0.5 and end_time 88,
 * not this project's 0.011 and 20). Empty for this project's own records, which carry
 * every resolved parameter.
 */
export function dissmodelDefaultsFor(original: ExperimentRecord, spec: ExecutorSpec): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  if (!spec.dissmodelDefaults || !writtenByDisSModel(original, spec)) return out;
  for (const [k, v] of Object.entries(spec.dissmodelDefaults)) {
    if (!Object.prototype.hasOwnProperty.call(original.parameters, k)) out[k] = v;
  }
  return out;
}

/** "taxa_elevacao = 0.5, end_time = 88" */
export function describeDefaults(d: Readonly<Record<string, number | boolean | string>>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
}

/**
 * A new record that repeats `original` with the executor of `spec`: same
 * parameters (plus DisSModel's defaults for what a DisSModel record leaves out), maps, format and source. `modelCommit` says which code re-runs it
 * ('reproduce', or `sha256:<hex>` of a model file).
 */
export function replayRecord(
  original: ExperimentRecord,
  spec: ExecutorSpec,
  codeVersion: string,
  modelCommit = 'reproduce',
): ExperimentRecord {
  return newRunRecord({
    model_name: spec.name,
    model_commit: modelCommit,
    code_version: codeVersion,
    resolved_spec: original.resolved_spec,
    source: original.source,
    input_format: original.input_format === 'tiff' ? 'raster' : original.input_format,
    column_map: original.column_map,
    band_map: original.band_map,
    parameters: { ...dissmodelDefaultsFor(original, spec), ...original.parameters },
    period: original.period,
  });
}

/**
 * What the decoded outputs say when their bytes differ (src/io/compare-outputs.ts):
 * the same values laid out differently, the differences found, or why no
 * comparison could be made (no original output at hand).
 */
export type ValueComparison =
  | { kind: 'same-values'; what: 'pixels' | 'features and columns' | 'rows and columns'; layout: string }
  | { kind: 'values-differ'; differences: string[] }
  | { kind: 'not-compared'; reason: string };

/** One input a re-run must read unchanged: the dataset (param null) or an extra input (its parameter), with the recorded SHA-256. */
export interface RecordedInput {
  param: string | null;
  uri: string;
  sha256: string;
}

/** The inputs a record names with their checksums: `source` and each extra input of the spec (`artifacts["input_<param>"]`). */
export function recordedInputs(record: ExperimentRecord, spec: ExecutorSpec): RecordedInput[] {
  const out: RecordedInput[] = [];
  if (record.source.uri && record.source.checksum) out.push({ param: null, uri: record.source.uri, sha256: record.source.checksum });
  for (const extra of spec.extraInputs ?? []) {
    const uri = record.parameters[extra.param];
    const sha = record.artifacts[extraInputArtifact(extra)];
    if (typeof uri === 'string' && uri && sha) out.push({ param: extra.param, uri, sha256: sha });
  }
  return out;
}

export type Verdict =
  | { kind: 'match'; sha256: string }
  | { kind: 'differs'; expected: string; actual: string; foreign: boolean; values?: ValueComparison }
  | { kind: 'no-reference'; actual: string };

/** The verdict with what the decoded outputs say (a 'differs' verdict only). */
export function withValues(v: Verdict, values: ValueComparison | undefined): Verdict {
  return v.kind === 'differs' && values ? { ...v, values } : v;
}

/** One phrase for a value comparison: "pixels match, bytes differ (GDAL's layout: …)", "3 cells differ in band 2 (alt)". */
export function describeValues(c: ValueComparison): string {
  switch (c.kind) {
    case 'same-values':
      return `${c.what} match, bytes differ (${c.layout})`;
    case 'values-differ':
      return c.differences.join('; ');
    case 'not-compared':
      return `values not compared: ${c.reason}`;
  }
}

/**
 * Compare a re-run's output checksum with the expected one. `foreign` marks a
 * record made by other software (e.g. DisSModel's GDAL writer), whose bytes can
 * differ while the values agree.
 */
export function verdict(expected: string | null | undefined, actual: string, expectedCodeVersion: string, ourCodeVersion: string): Verdict {
  if (!expected) return { kind: 'no-reference', actual };
  if (expected === actual) return { kind: 'match', sha256: actual };
  return { kind: 'differs', expected, actual, foreign: expectedCodeVersion !== ourCodeVersion };
}

export function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case 'match':
      return `reproduced — output SHA-256 matches (${v.sha256})`;
    case 'no-reference':
      return `ran — the original gives no output SHA-256 to compare (got ${v.actual})`;
    case 'differs':
      if (v.values && v.values.kind !== 'not-compared')
        return `differs: ${describeValues(v.values)} (expected ${v.expected}, got ${v.actual})`;
      return (
        `differs (expected ${v.expected}, got ${v.actual})` +
        (v.foreign ? ' — the original was written by another code version, whose file encoder may lay out bytes differently' : '') +
        (v.values ? ` — ${describeValues(v.values)}` : '')
      );
  }
}
