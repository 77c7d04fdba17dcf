import { describe, expect, it } from 'vitest';
import { ParameterError } from './errors.ts';
import type { ExecutorSpec } from './executor.ts';
import { createRecord } from './record.ts';
import { cartesian, planSweep } from './sweep.ts';

const spec = (withSeed: boolean): ExecutorSpec => ({
  name: 'toy',
  title: 'Toy',
  description: 'a toy',
  family: 'test',
  inputs: ['none'],
  params: {
    a: { type: 'int', default: 1, min: 0, max: 10, description: 'a' },
    b: { type: 'enum', default: 'x', options: ['x', 'y'], description: 'b' },
    c: { type: 'float', default: 0.5, description: 'c' },
    ...(withSeed ? { seed: { type: 'seed', description: 'seed' } as const } : {}),
  },
  output: { kind: 'table', extension: 'csv', mediaType: 'text/csv' },
});

const base = () => createRecord({ model_name: 'toy', parameters: { c: 0.25 }, source: { uri: 'in.tif' }, output_path: 'out.csv' });

describe('planSweep', () => {
  it('is the cartesian product in a deterministic order, last key fastest', () => {
    expect(cartesian({ a: [1, 2], b: ['x', 'y'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    const recs = planSweep(spec(false), base(), { a: [1, 2, 3], b: ['y', 'x'] }, null);
    expect(recs.map((r) => [r.parameters.a, r.parameters.b])).toEqual([
      [1, 'y'],
      [1, 'x'],
      [2, 'y'],
      [2, 'x'],
      [3, 'y'],
      [3, 'x'],
    ]);
    // base fields kept, defaults filled, fixed base parameters kept; fresh ids
    for (const r of recs) {
      expect(r.parameters).toEqual({ a: r.parameters.a, b: r.parameters.b, c: 0.25 });
      expect(r.source.uri).toBe('in.tif');
      expect(r.status).toBe('pending');
    }
    expect(new Set(recs.map((r) => r.experiment_id)).size).toBe(6);
  });

  it('adds seeds innermost only for a model with a seed parameter', () => {
    const recs = planSweep(spec(true), base(), { a: [1, 2] }, [7, 8]);
    expect(recs.map((r) => [r.parameters.a, r.parameters.seed])).toEqual([
      [1, 7],
      [1, 8],
      [2, 7],
      [2, 8],
    ]);
    expect(() => planSweep(spec(false), base(), { a: [1] }, [1])).toThrow(ParameterError);
    // no seeds: the seed is left for validate to draw
    const drawn = planSweep(spec(true), base(), { a: [1] }, null);
    expect(drawn[0].parameters).not.toHaveProperty('seed');
  });

  it('validates every value and key before anything runs', () => {
    expect(() => planSweep(spec(false), base(), { a: [1, 11] }, null)).toThrow(/out of range/);
    expect(() => planSweep(spec(false), base(), { b: ['z'] }, null)).toThrow(/must be one of/);
    expect(() => planSweep(spec(false), base(), { nope: [1] }, null)).toThrow(/no such parameter/);
    expect(() => planSweep(spec(false), base(), { a: [] }, null)).toThrow(/no values/);
    expect(() => planSweep(spec(true), base(), { a: [1] }, [])).toThrow(/empty list of seeds/);
  });
});
