import { describe, expect, it } from 'vitest';
import { sweepAxis } from './sweep-axis.ts';

describe('sweepAxis', () => {
  it('uses the one swept numeric parameter, runs ordered by its value', () => {
    const rows = [{ params: { end_time: 10, seed: 1 } }, { params: { end_time: 5, seed: 1 } }, { params: { end_time: 20, seed: 1 } }];
    expect(sweepAxis(rows, ['end_time', 'seed'])).toEqual({ name: 'end_time', order: [1, 0, 2], xs: [5, 10, 20] });
  });
  it('falls back to the run number when two parameters vary or the value is not a number', () => {
    const two = [{ params: { a: 1, b: 2 } }, { params: { a: 2, b: 3 } }];
    expect(sweepAxis(two, ['a', 'b'])).toEqual({ name: 'run', order: [0, 1], xs: [1, 2] });
    const text = [{ params: { n: 'moore' } }, { params: { n: 'von_neumann' } }];
    expect(sweepAxis(text, ['n']).name).toBe('run');
  });
});
