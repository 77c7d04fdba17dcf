/**
 * ExperimentRecord: DisSModel's provenance record, with its JSON field names,
 * order and defaults, so records move freely between the Python CLI and this
 * project. Every record that crosses a boundary (file, link, worker message)
 * goes through {@link parseRecord}.
 */
import { RecordError } from './errors.ts';

export type SourceType = 'local' | 's3' | 'http' | 'bdc_stac' | 'sample' | 'file' | 'inline';
export type RecordStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface DataSource {
  type: SourceType;
  uri: string;
  collection: string;
  version: string;
  checksum: string;
}

export interface ExperimentRecord {
  experiment_id: string;
  created_at: string;
  model_name: string;
  model_commit: string;
  code_version: string;
  resolved_spec: Record<string, JsonValue>;
  source: DataSource;
  input_format: string;
  column_map: Record<string, string>;
  band_map: Record<string, string>;
  parameters: Record<string, JsonValue>;
  period: [string, string] | null;
  output_path: string | null;
  artifacts: Record<string, string>;
  metrics: Record<string, JsonValue>;
  status: RecordStatus;
  logs: string[];
}

const SOURCE_TYPES: readonly SourceType[] = ['local', 's3', 'http', 'bdc_stac', 'sample', 'file', 'inline'];
const STATUSES: readonly RecordStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const RECORD_KEYS = [
  'experiment_id',
  'created_at',
  'model_name',
  'model_commit',
  'code_version',
  'resolved_spec',
  'source',
  'input_format',
  'column_map',
  'band_map',
  'parameters',
  'period',
  'output_path',
  'artifacts',
  'metrics',
  'status',
  'logs',
] as const;
const SOURCE_KEYS = ['type', 'uri', 'collection', 'version', 'checksum'] as const;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Bounds on untrusted records. */
export const RECORD_LIMITS = {
  maxString: 8192,
  maxLogs: 10_000,
  maxLogLength: 8192,
  maxDepth: 16,
  maxKeys: 1000,
};

export function newExperimentId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createDataSource(init: Partial<DataSource> = {}): DataSource {
  return {
    type: init.type ?? 'local',
    uri: init.uri ?? '',
    collection: init.collection ?? '',
    version: init.version ?? '',
    checksum: init.checksum ?? '',
  };
}

export function createRecord(init: Partial<Omit<ExperimentRecord, 'source'>> & { source?: Partial<DataSource> } = {}): ExperimentRecord {
  return {
    experiment_id: init.experiment_id ?? newExperimentId(),
    created_at: init.created_at ?? new Date().toISOString(),
    model_name: init.model_name ?? '',
    model_commit: init.model_commit ?? '',
    code_version: init.code_version ?? '',
    resolved_spec: init.resolved_spec ?? {},
    source: createDataSource(init.source),
    input_format: init.input_format ?? 'auto',
    column_map: init.column_map ?? {},
    band_map: init.band_map ?? {},
    parameters: init.parameters ?? {},
    period: init.period ?? null,
    output_path: init.output_path ?? null,
    artifacts: init.artifacts ?? {},
    metrics: init.metrics ?? {},
    status: init.status ?? 'pending',
    logs: init.logs ?? [],
  };
}

/** DisSModel's `output_sha256` property: an accessor over `artifacts.output`. */
export function getOutputSha256(record: ExperimentRecord): string | null {
  return record.artifacts.output ?? null;
}

/** Setting null is ignored, as in DisSModel. */
export function setOutputSha256(record: ExperimentRecord, sha: string | null): void {
  if (sha !== null && sha !== undefined) record.artifacts.output = sha;
}

export function addLog(record: ExperimentRecord, message: string): void {
  record.logs.push(message);
}

export function addArtifact(record: ExperimentRecord, name: string, checksum: string): void {
  record.artifacts[name] = checksum;
}

export function cloneRecord(record: ExperimentRecord): ExperimentRecord {
  return parseRecord(JSON.parse(JSON.stringify(record)));
}

/** Pretty JSON with DisSModel's field order (2-space indent, newline at the end). */
export function recordToJson(record: ExperimentRecord): string {
  const ordered: Record<string, unknown> = {};
  for (const k of RECORD_KEYS) {
    if (k === 'source') {
      const s: Record<string, unknown> = {};
      for (const sk of SOURCE_KEYS) s[sk] = record.source[sk];
      ordered.source = s;
    } else {
      ordered[k] = record[k];
    }
  }
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** Parse JSON text of a record (a file, a paste). */
export function parseRecordJson(text: string): ExperimentRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`The record is not valid JSON: ${(e as Error).message}`);
  }
  return parseRecord(raw);
}

/**
 * Validate an untrusted value as an ExperimentRecord: every field of the right
 * type, unknown fields refused, prototype keys refused, sizes bounded. Missing
 * fields take DisSModel's defaults (older Python records have no `period`).
 */
export function parseRecord(raw: unknown): ExperimentRecord {
  const obj = asObject(raw, 'record');
  for (const key of Object.keys(obj)) {
    if (!(RECORD_KEYS as readonly string[]).includes(key)) {
      throw new RecordError(`Unknown field '${clip(key)}' in the record. Known fields: ${RECORD_KEYS.join(', ')}.`, key);
    }
  }
  const rec = createRecord({ experiment_id: 'x', created_at: 'x' });
  rec.experiment_id = optString(obj, 'experiment_id') ?? newExperimentId();
  if (!/^[0-9a-f]{32}$/.test(rec.experiment_id)) {
    throw new RecordError(`'experiment_id' must be 32 lowercase hex characters; got '${clip(rec.experiment_id)}'.`, 'experiment_id');
  }
  rec.created_at = optString(obj, 'created_at') ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(rec.created_at))) {
    throw new RecordError(`'created_at' must be an ISO 8601 date; got '${clip(rec.created_at)}'.`, 'created_at');
  }
  rec.model_name = optString(obj, 'model_name') ?? '';
  rec.model_commit = optString(obj, 'model_commit') ?? '';
  rec.code_version = optString(obj, 'code_version') ?? '';
  rec.resolved_spec = 'resolved_spec' in obj ? jsonObject(obj.resolved_spec, 'resolved_spec') : {};
  if ('source' in obj) {
    const s = asObject(obj.source, 'source');
    for (const key of Object.keys(s)) {
      if (!(SOURCE_KEYS as readonly string[]).includes(key)) {
        throw new RecordError(`Unknown field 'source.${clip(key)}'. Known: ${SOURCE_KEYS.join(', ')}.`, `source.${key}`);
      }
    }
    const type = optString(s, 'type', 'source.type') ?? 'local';
    if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
      throw new RecordError(`'source.type' must be one of ${SOURCE_TYPES.join(', ')}; got '${clip(type)}'.`, 'source.type');
    }
    rec.source = createDataSource({
      type: type as SourceType,
      uri: optString(s, 'uri', 'source.uri') ?? '',
      collection: optString(s, 'collection', 'source.collection') ?? '',
      version: optString(s, 'version', 'source.version') ?? '',
      checksum: optString(s, 'checksum', 'source.checksum') ?? '',
    });
    if (rec.source.checksum && !/^[0-9a-f]{64}$/.test(rec.source.checksum)) {
      throw new RecordError(`'source.checksum' must be a SHA-256 in 64 lowercase hex characters.`, 'source.checksum');
    }
  }
  rec.input_format = optString(obj, 'input_format') ?? 'auto';
  rec.column_map = stringMap(obj, 'column_map');
  rec.band_map = stringMap(obj, 'band_map');
  rec.parameters = 'parameters' in obj ? jsonObject(obj.parameters, 'parameters') : {};
  if ('period' in obj && obj.period !== null) {
    const p = obj.period;
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
      throw new RecordError(`'period' must be null or a pair of strings like ["2000", "2014"].`, 'period');
    }
    rec.period = [clipCheck(p[0], 'period'), clipCheck(p[1], 'period')];
  }
  if ('output_path' in obj && obj.output_path !== null) {
    rec.output_path = optString(obj, 'output_path') ?? null;
  }
  rec.artifacts = stringMap(obj, 'artifacts');
  for (const [k, v] of Object.entries(rec.artifacts)) {
    if (!/^[0-9a-f]{64}$/.test(v)) {
      throw new RecordError(`artifact '${clip(k)}' must be a SHA-256 in 64 lowercase hex characters.`, `artifacts.${k}`);
    }
  }
  rec.metrics = 'metrics' in obj ? jsonObject(obj.metrics, 'metrics') : {};
  const status = optString(obj, 'status') ?? 'pending';
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new RecordError(`'status' must be one of ${STATUSES.join(', ')}; got '${clip(status)}'.`, 'status');
  }
  rec.status = status as RecordStatus;
  if ('logs' in obj) {
    if (!Array.isArray(obj.logs)) throw new RecordError(`'logs' must be a list of strings.`, 'logs');
    if (obj.logs.length > RECORD_LIMITS.maxLogs) {
      throw new RecordError(`'logs' has ${obj.logs.length} entries; at most ${RECORD_LIMITS.maxLogs} are accepted.`, 'logs');
    }
    rec.logs = obj.logs.map((l, i) => {
      if (typeof l !== 'string') throw new RecordError(`'logs[${i}]' must be a string.`, 'logs');
      return l.length > RECORD_LIMITS.maxLogLength ? l.slice(0, RECORD_LIMITS.maxLogLength) + '…' : l;
    });
  }
  return rec;
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RecordError(`'${where}' must be an object.`, where);
  }
  const keys = Object.keys(v);
  if (keys.length > RECORD_LIMITS.maxKeys) {
    throw new RecordError(`'${where}' has ${keys.length} fields; at most ${RECORD_LIMITS.maxKeys} are accepted.`, where);
  }
  for (const k of keys) {
    if (FORBIDDEN_KEYS.has(k)) throw new RecordError(`'${where}' contains the forbidden key '${k}'.`, where);
  }
  return v as Record<string, unknown>;
}

function optString(obj: Record<string, unknown>, key: string, where = key): string | undefined {
  if (!(key in obj) || obj[key] === undefined) return undefined;
  const v = obj[key];
  if (typeof v !== 'string') throw new RecordError(`'${where}' must be a string; got ${typeof v}.`, where);
  return clipCheck(v, where);
}

function clipCheck(v: string, where: string): string {
  if (v.length > RECORD_LIMITS.maxString) {
    throw new RecordError(`'${where}' is ${v.length} characters long; at most ${RECORD_LIMITS.maxString} are accepted.`, where);
  }
  return v;
}

function stringMap(obj: Record<string, unknown>, key: string): Record<string, string> {
  if (!(key in obj) || obj[key] === null || obj[key] === undefined) return {};
  const m = asObject(obj[key], key);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') throw new RecordError(`'${key}.${clip(k)}' must be a string.`, key);
    out[clipCheck(k, key)] = clipCheck(v, `${key}.${k}`);
  }
  return out;
}

/** Deep-copy an untrusted JSON object, refusing prototype keys and bounding depth and size. */
export function jsonObject(v: unknown, where: string, depth = 0): Record<string, JsonValue> {
  const obj = asObject(v, where);
  const out: Record<string, JsonValue> = {};
  for (const [k, val] of Object.entries(obj)) out[clipCheck(k, where)] = jsonValue(val, `${where}.${k}`, depth + 1);
  return out;
}

function jsonValue(v: unknown, where: string, depth: number): JsonValue {
  if (depth > RECORD_LIMITS.maxDepth) throw new RecordError(`'${clip(where)}' is nested too deeply.`, where);
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RecordError(`'${clip(where)}' must be a finite number.`, where);
    return v;
  }
  if (typeof v === 'string') return clipCheck(v, where);
  if (Array.isArray(v)) {
    if (v.length > RECORD_LIMITS.maxKeys) throw new RecordError(`'${clip(where)}' is too long.`, where);
    return v.map((x, i) => jsonValue(x, `${where}[${i}]`, depth + 1));
  }
  if (typeof v === 'object') return jsonObject(v, where, depth);
  throw new RecordError(`'${clip(where)}' has an unsupported value.`, where);
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}
