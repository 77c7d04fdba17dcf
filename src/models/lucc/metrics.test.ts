/** The validation metrics on cases small enough to check by hand. */
import { describe, expect, it } from 'vitest';
import { continuousMetrics, discreteMetrics } from './metrics.ts';

describe('validation metrics', () => {
  it('continuous: |a − b| = 0, 0.005, 0.02, 0.1 → match 50 %, MAE 0.03125, RMSE √(0.0104250/4), max 0.1', () => {
    const m = continuousMetrics([0.5, 0.5, 0.5, 0.5], [0.5, 0.505, 0.48, 0.6], 0.01);
    expect(m.match_pct).toBe(50);
    expect(m.mae).toBeCloseTo(0.03125, 15);
    expect(m.rmse).toBeCloseTo(Math.sqrt((0.005 ** 2 + 0.02 ** 2 + 0.1 ** 2) / 4), 15);
    expect(m.max_err).toBeCloseTo(0.1, 15);
    expect(m.n_cells).toBe(4);
  });

  it('discrete: TP 2, TN 3, FP 1, FN 0 → accuracy 5/6, quantity 1/6, allocation 0, precision 2/3, recall 1, F1 0.8', () => {
    const sim = [true, true, true, false, false, false];
    const ref = [true, true, false, false, false, false];
    const m = discreteMetrics(sim, ref);
    expect(m).toMatchObject({ tp: 2, tn: 3, fp: 1, fn: 0, n_cells: 6 });
    expect(m.accuracy).toBeCloseTo(5 / 6, 15);
    expect(m.quantity_disagreement).toBeCloseTo(1 / 6, 15);
    expect(m.allocation_disagreement).toBe(0);
    expect(m.precision).toBeCloseTo(2 / 3, 15);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.8, 15);
  });

  it('discrete: a swap of one cell is allocation disagreement, not quantity (Pontius)', () => {
    const m = discreteMetrics([true, false, false], [false, true, false]);
    expect(m.quantity_disagreement).toBe(0);
    expect(m.allocation_disagreement).toBeCloseTo(2 / 3, 15);
    expect(m.f1).toBe(0);
  });
});
