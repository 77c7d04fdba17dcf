import { describe, expect, it } from 'vitest';
import { createRecord, recordToJson } from '../../executor/record.ts';
import { entryDetail } from './describe.ts';

describe('entryDetail', () => {
  it('names the dataset and lists every parameter', () => {
    const r = createRecord({
      model_name: 'forest_fire_prob',
      source: { type: 'sample', uri: 'sample:fire_forest_50x50.tif' },
      parameters: { end_time: 10, prob_combustion: 0.05, rng: 'python', seed: 42 },
    });
    expect(entryDetail(recordToJson(r))).toEqual({
      dataset: 'fire_forest_50x50.tif',
      params: ['end_time=10', 'prob_combustion=0.05', 'rng=python', 'seed=42'],
    });
  });
  it('a model without input has no dataset; unreadable JSON shows nothing rather than throwing', () => {
    const r = createRecord({ model_name: 'sir', source: { type: 'local', uri: '' }, parameters: {} });
    expect(entryDetail(recordToJson(r)).dataset).toBeNull();
    expect(entryDetail('{not json')).toEqual({ dataset: null, params: [] });
  });
});
