import { describe, expect, it } from 'vitest';
import { createRecord } from '../../executor/record.ts';
import { compareRecords, makeEntry } from './entry.ts';

describe('run history entries', () => {
  it('keeps what a run needs to be re-opened', () => {
    const r = createRecord({ model_name: 'sir', status: 'completed' });
    const e = makeEntry(r, '{}', { time_total_sec: 1 }, null, '2026-01-01T00:00:00.000Z');
    expect(e).toMatchObject({ id: r.experiment_id, model: 'sir', status: 'completed', savedAt: '2026-01-01T00:00:00.000Z', verdict: null, note: null });
  });

  it('compares parameters and checksums side by side, marking differences', () => {
    const a = createRecord({ model_name: 'game_of_life', parameters: { end_time: 5, start_time: 1 }, artifacts: { output: 'a'.repeat(64) } });
    const b = createRecord({ model_name: 'game_of_life', parameters: { end_time: 6, start_time: 1 }, artifacts: { output: 'b'.repeat(64) } });
    const rows = compareRecords(a, b);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['parameters.end_time']).toEqual({ key: 'parameters.end_time', a: '5', b: '6', differs: true });
    expect(byKey['parameters.start_time'].differs).toBe(false);
    expect(byKey['output SHA-256'].differs).toBe(true);
    expect(byKey.model.differs).toBe(false);
  });
});
