import { describe, expect, it } from 'vitest';
import { newRunRecord } from '../../executor/run-record.ts';
import { recordToJson } from '../../executor/record.ts';
import { modelSha256 } from '../../worker/user-model.ts';
import { MODEL_TEMPLATE } from '../editor/template.ts';
import { checkStoredEntry, makeEntry } from './entry.ts';

const sha = modelSha256(MODEL_TEMPLATE);
const record = newRunRecord({
  model_name: 'my_life',
  model_commit: `sha256:${sha}`,
  code_version: '0.1.0',
  source: { uri: '' },
  parameters: {},
});

describe('history entries of page models', () => {
  it('keep the model source, and read it back from storage', () => {
    const modelSource = { source: MODEL_TEMPLATE, fileName: 'my_life.ts', sha256: sha };
    const entry = makeEntry(record, recordToJson(record), {}, null, { modelSource });
    expect(checkStoredEntry(structuredClone(entry))?.modelSource).toEqual(modelSource);
  });

  it('drop a stored source that no longer hashes to its SHA-256 (the entry itself stays)', () => {
    const entry = makeEntry(record, recordToJson(record), {}, null, {
      modelSource: { source: MODEL_TEMPLATE + '// edited\n', fileName: 'my_life.ts', sha256: sha },
    });
    const back = checkStoredEntry(structuredClone(entry));
    expect(back?.id).toBe(record.experiment_id);
    expect(back?.modelSource).toBeUndefined();
  });
});
