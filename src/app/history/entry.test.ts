import { describe, expect, it } from 'vitest';
import { createRecord, recordToJson } from '../../executor/record.ts';
import {
  checkStoredEntry,
  compareEntries,
  compareRecords,
  isQuotaError,
  makeEntry,
  MAX_KEPT_OUTPUT_BYTES,
  saveWithFallback,
  sortEntries,
  STORAGE_FULL_NOTE,
  verdictWord,
  type HistoryEntry,
} from './entry.ts';

const quota = () => Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
const out = (n = 4) => ({ name: 'gol_1.tif', mediaType: 'image/tiff', sha256: 'c'.repeat(64), bytes: new Uint8Array(n) });

describe('run history entries', () => {
  it('keeps what a run needs to be re-opened', () => {
    const r = createRecord({ model_name: 'sir', status: 'completed' });
    const e = makeEntry(r, '{}', { time_total_sec: 1 }, null, { savedAt: '2026-01-01T00:00:00.000Z' });
    expect(e).toMatchObject({
      id: r.experiment_id,
      model: 'sir',
      status: 'completed',
      savedAt: '2026-01-01T00:00:00.000Z',
      verdict: null,
      note: null,
    });
    expect(e.timings).toEqual({ time_total_sec: 1 });
  });

  it('carries the verdict of a re-run', () => {
    const e = makeEntry(createRecord(), '{}', {}, out(), { verdict: 'reproduced — output SHA-256 matches (abc)' });
    expect(e.verdict).toBe('reproduced — output SHA-256 matches (abc)');
    expect(verdictWord(e.verdict)).toBe('reproduced');
    expect(verdictWord(`differs (expected ${'a'.repeat(64)}, got ${'b'.repeat(64)}) — the original…`)).toBe('differs');
    expect(verdictWord(null)).toBeNull();
  });

  it('keeps an oversized output without its bytes, and says so', () => {
    const big = { ...out(0), bytes: { byteLength: MAX_KEPT_OUTPUT_BYTES + 1 } as Uint8Array };
    const e = makeEntry(createRecord(), '{}', {}, big);
    expect(e.output?.bytes).toBeNull();
    expect(e.output?.sha256).toBe('c'.repeat(64));
    expect(e.note).toMatch(/too large to keep/);
  });
});

describe('saving with a full storage', () => {
  it('stores the entry as is when it fits', async () => {
    const puts: HistoryEntry[] = [];
    const e = makeEntry(createRecord(), '{}', {}, out());
    expect(await saveWithFallback(async (x) => void puts.push(x), e)).toBeNull();
    expect(puts).toHaveLength(1);
    expect(puts[0].output?.bytes).toHaveLength(4);
  });

  it('on QuotaExceededError keeps the record without the output bytes and returns the note', async () => {
    const puts: HistoryEntry[] = [];
    const put = async (x: HistoryEntry) => {
      if (x.output?.bytes) throw quota();
      puts.push(x);
    };
    const e = makeEntry(createRecord(), '{}', {}, out());
    expect(await saveWithFallback(put, e)).toBe(STORAGE_FULL_NOTE);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ id: e.id, note: STORAGE_FULL_NOTE, output: { sha256: 'c'.repeat(64), bytes: null } });
  });

  it('throws any other failure, and a quota error with nothing left to drop', async () => {
    const e = makeEntry(createRecord(), '{}', {}, out());
    await expect(saveWithFallback(async () => Promise.reject(new Error('disk on fire')), e)).rejects.toThrow('disk on fire');
    await expect(saveWithFallback(async () => Promise.reject(quota()), makeEntry(createRecord(), '{}', {}, null))).rejects.toThrow('quota');
    // Still full without the bytes: the second failure is reported, not swallowed.
    await expect(saveWithFallback(async () => Promise.reject(quota()), e)).rejects.toThrow('quota');
  });

  it('recognises quota errors by name or legacy code', () => {
    expect(isQuotaError(quota())).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('entries read back from storage', () => {
  it('accepts a stored entry and drops unknown timing keys', () => {
    const e = makeEntry(createRecord({ model_name: 'sir' }), '{}', { time_run_sec: 2 }, out(), { savedAt: '2026-01-02T00:00:00.000Z' });
    const back = checkStoredEntry({ ...e, timings: { ...e.timings, evil: 1, time_load_sec: 'x' } });
    expect(back).toEqual({ ...e, timings: { time_run_sec: 2 } });
  });

  it('refuses malformed ones', () => {
    for (const bad of [
      null,
      1,
      'x',
      {},
      { id: 1 },
      { id: 'a', savedAt: 'b', model: 'c', status: 'd' },
      { id: 'a', savedAt: 'b', model: 'c', status: 'd', recordJson: '{}', output: { name: 1 } },
    ]) {
      expect(checkStoredEntry(bad)).toBeNull();
    }
  });

  it('sorts newest first', () => {
    const mk = (savedAt: string) => makeEntry(createRecord(), '{}', {}, null, { savedAt });
    expect(sortEntries([mk('2026-01-01'), mk('2026-03-01'), mk('2026-02-01')]).map((e) => e.savedAt)).toEqual([
      '2026-03-01',
      '2026-02-01',
      '2026-01-01',
    ]);
  });
});

describe('comparing two runs', () => {
  it('compares parameters and checksums side by side, marking differences', () => {
    const a = createRecord({
      model_name: 'game_of_life',
      parameters: { end_time: 5, start_time: 1 },
      artifacts: { output: 'a'.repeat(64) },
    });
    const b = createRecord({
      model_name: 'game_of_life',
      parameters: { end_time: 6, start_time: 1 },
      artifacts: { output: 'b'.repeat(64) },
    });
    const rows = compareRecords(a, b);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['parameters.end_time']).toEqual({ key: 'parameters.end_time', a: '5', b: '6', differs: true });
    expect(byKey['parameters.start_time'].differs).toBe(false);
    expect(byKey['output SHA-256'].differs).toBe(true);
    expect(byKey.model.differs).toBe(false);
  });

  it('lists a parameter only one run has, and never marks timings', () => {
    const a = createRecord({ model_name: 'brmangue', parameters: { end_time: 8, crs: 'EPSG:31984' }, metrics: { time_run_sec: 0.9 } });
    const b = createRecord({ model_name: 'brmangue', parameters: { end_time: 8 }, metrics: { time_run_sec: 0.1 } });
    const byKey = Object.fromEntries(compareRecords(a, b).map((r) => [r.key, r]));
    expect(byKey['parameters.crs']).toEqual({ key: 'parameters.crs', a: 'EPSG:31984', b: '—', differs: true });
    expect(byKey['run time (s)'].differs).toBe(false);
  });

  it('compares stored entries through their record JSON, with their verdicts', () => {
    const ra = createRecord({ model_name: 'sir', parameters: { beta: 0.3 } });
    const rb = createRecord({ model_name: 'sir', parameters: { beta: 0.3 } });
    const a = makeEntry(ra, recordToJson(ra), {}, null, { verdict: 'reproduced — output SHA-256 matches (x)' });
    const b = makeEntry(rb, recordToJson(rb), {}, null);
    const rows = compareEntries(a, b);
    expect(rows.filter((r) => r.differs)).toEqual([]);
    expect(rows.at(-1)).toEqual({ key: 'verdict', a: 'reproduced', b: '—', differs: false });
  });
});
