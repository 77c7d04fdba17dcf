/**
 * Re-running a record: which registered executor it belongs to (a record written
 * by DisSModel's Python CLI says model_name "local"), the record for the re-run,
 * and the verdict comparing output checksums.
 */
import { RegistryError } from './errors.ts';
import type { ExecutorClass } from './executor.ts';
import type { ExperimentRecord } from './record.ts';
import { newRunRecord } from './run-record.ts';
import { ExecutorRegistry } from './registry.ts';

/**
 * The executor for a record: its model_name when registered, else the
 * `resolved_spec.model.class` / `.name`, else the one registered executor whose
 * parameter schema knows the most of the record's parameters (at least two,
 * and unambiguous).
 */
export function inferExecutor(record: ExperimentRecord): ExecutorClass {
  if (ExecutorRegistry.has(record.model_name)) return ExecutorRegistry.get(record.model_name);
  const model = record.resolved_spec.model;
  if (model && typeof model === 'object' && !Array.isArray(model)) {
    for (const key of ['class', 'name'] as const) {
      const v = (model as Record<string, unknown>)[key];
      if (typeof v === 'string' && ExecutorRegistry.has(v)) return ExecutorRegistry.get(v);
    }
  }
  const keys = Object.keys(record.parameters);
  let best: ExecutorClass | null = null;
  let bestScore = 0;
  let tie = false;
  for (const name of ExecutorRegistry.list()) {
    const cls = ExecutorRegistry.get(name);
    const score = keys.filter((k) => Object.prototype.hasOwnProperty.call(cls.spec.params, k)).length;
    if (score > bestScore) {
      best = cls;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) {
      tie = true;
    }
  }
  if (best && bestScore >= 2 && !tie) return best;
  throw new RegistryError(
    `Cannot tell which model this record ran: model_name '${record.model_name}' is not registered and its parameters ` +
      `(${keys.join(', ') || 'none'}) do not identify one. Available: ${ExecutorRegistry.list().join(', ')}.`,
  );
}

/**
 * A new record that repeats `original` with `executor`: same parameters, maps,
 * format and source. `modelCommit` says which code re-runs it ('reproduce', or
 * `sha256:<hex>` of a model file).
 */
export function replayRecord(
  original: ExperimentRecord,
  executor: ExecutorClass,
  codeVersion: string,
  modelCommit = 'reproduce',
): ExperimentRecord {
  return newRunRecord({
    model_name: executor.spec.name,
    model_commit: modelCommit,
    code_version: codeVersion,
    resolved_spec: original.resolved_spec,
    source: original.source,
    input_format: original.input_format === 'tiff' ? 'raster' : original.input_format,
    column_map: original.column_map,
    band_map: original.band_map,
    parameters: original.parameters,
    period: original.period,
  });
}

export type Verdict =
  | { kind: 'match'; sha256: string }
  | { kind: 'differs'; expected: string; actual: string; foreign: boolean }
  | { kind: 'no-reference'; actual: string };

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
      return (
        `differs (expected ${v.expected}, got ${v.actual})` +
        (v.foreign ? ' — the original was written by another code version, whose file encoder may lay out bytes differently' : '')
      );
  }
}
