/** The ExperimentRecord the workbench runs: model, parameters, source and field maps. */
import type { ExperimentRecord, JsonValue } from '../../executor/record.ts';
import { newRunRecord } from '../../executor/run-record.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { ParamValue } from '../../executor/params.ts';
import { CODE_VERSION } from '../../version.ts';

export const WORKBENCH_COMMIT = 'workbench';

export interface RecordInput {
  spec: ExecutorSpec;
  params: Record<string, ParamValue>;
  /** Dataset URI (sample:NAME, file:NAME, https://…), or null for a model with no input. */
  uri: string | null;
  /** The dataset's kind decides whether the field map is a band_map or a column_map. */
  datasetKind?: 'raster' | 'vector';
  fieldMap?: Record<string, string>;
  /** The `[model]` specification (resolved_spec.model), for models with specification tables. */
  modelSpec?: Readonly<Record<string, JsonValue>> | null;
}

export function buildRecord(input: RecordInput): ExperimentRecord {
  const uri = input.uri ?? '';
  const map = input.fieldMap ?? {};
  return newRunRecord({
    model_name: input.spec.name,
    model_commit: WORKBENCH_COMMIT,
    code_version: CODE_VERSION,
    source: { uri },
    ...(input.modelSpec ? { resolved_spec: { model: JSON.parse(JSON.stringify(input.modelSpec)) as Record<string, JsonValue> } } : {}),
    parameters: input.params as Record<string, JsonValue>,
    band_map: input.datasetKind === 'raster' ? map : {},
    column_map: input.datasetKind === 'vector' ? map : {},
  });
}
