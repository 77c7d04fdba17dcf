/**
 * The one function that builds the record of a new run, in every host: the
 * CLI's `run`, the page, a share link, `reproduce`, a sweep and the harness.
 * A run record starts pending and empty (fresh id and date, no checksum, no
 * output, no artefacts, metrics or logs); what it runs is copied, never
 * aliased, and the source type follows from the URI.
 */
import { ParameterError, RecordError } from './errors.ts';
import {
  createRecord,
  parseRecord,
  recordToJson,
  type DataSource,
  type ExperimentRecord,
  type JsonValue,
  type SourceType,
} from './record.ts';

/** DataSource.type of a URI: s3://, http(s)://, sample:NAME, file:NAME (a dropped file), else a local path. */
export function sourceTypeOf(uri: string): 'local' | 's3' | 'http' | 'sample' | 'file' {
  if (/^s3:\/\//i.test(uri)) return 's3';
  if (/^https?:\/\//i.test(uri)) return 'http';
  if (uri.startsWith('sample:')) return 'sample';
  if (uri.startsWith('file:') && !uri.startsWith('file://')) return 'file';
  return 'local';
}

export interface RunRecordInit {
  /** Registry name of the executor. */
  model_name: string;
  /** What identifies the model's code: 'local-cli', 'workbench', 'share-link', 'reproduce', or `sha256:<hex>` of a model file. */
  model_commit: string;
  /** This framework's version (CODE_VERSION). */
  code_version: string;
  resolved_spec?: Record<string, JsonValue>;
  /** The input: its URI ('' for a model without input); the type is derived from the URI unless given. */
  source?: Partial<Pick<DataSource, 'type' | 'uri' | 'collection' | 'version'>>;
  input_format?: string;
  parameters?: Record<string, JsonValue>;
  column_map?: Record<string, string>;
  band_map?: Record<string, string>;
  period?: [string, string] | null;
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function newRunRecord(init: RunRecordInit): ExperimentRecord {
  const uri = init.source?.uri ?? '';
  const type: SourceType = init.source?.type ?? (uri ? sourceTypeOf(uri) : 'local');
  const record = createRecord({
    model_name: init.model_name,
    model_commit: init.model_commit,
    code_version: init.code_version,
    resolved_spec: copy(init.resolved_spec ?? {}),
    source: { type, uri, collection: init.source?.collection ?? '', version: init.source?.version ?? '', checksum: '' },
    input_format: init.input_format ?? 'auto',
    parameters: copy(init.parameters ?? {}),
    column_map: { ...(init.column_map ?? {}) },
    band_map: { ...(init.band_map ?? {}) },
    period: init.period ? [init.period[0], init.period[1]] : null,
  });
  assertReadable(record);
  return record;
}

/**
 * The writer holds the record to the reader's limits (parseRecord: no prototype keys,
 * strings of at most RECORD_LIMITS.maxString characters, bounded depth and size): a run
 * whose record `reproduce` would refuse is refused before it starts, naming the field.
 */
export function assertReadable(record: ExperimentRecord): void {
  try {
    parseRecord(JSON.parse(recordToJson(record)));
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    throw new ParameterError(`The run's record could not be read back (by reproduce): ${e.message}`, e.field);
  }
}
