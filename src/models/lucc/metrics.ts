/**
 * Map comparison metrics, as DisSModel's validation executors compute them
 * (DISSMODEL-SPEC §6.3–6.5, §12): for continuous maps the share of cells
 * within a tolerance, MAE, RMSE and the largest error (NumPy's pairwise
 * means, so the figures match to the last digit); for categorical (binary)
 * maps the confusion counts, accuracy, Pontius' quantity and allocation
 * disagreement and precision / recall / F1.
 */
import { npMean } from './numeric.ts';

export interface ContinuousMetrics {
  match_pct: number;
  mae: number;
  rmse: number;
  max_err: number;
  n_cells: number;
}

/** `_metrics(a, b, tol)`: diff = |a − b|; match % = mean(diff ≤ tol)·100, mae, rmse, max. */
export function continuousMetrics(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): ContinuousMetrics {
  const n = a.length;
  const diff = new Float64Array(n);
  const sq = new Float64Array(n);
  const within = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[i] - b[i]);
    diff[i] = d;
    sq[i] = d ** 2;
    within[i] = d <= tolerance ? 1 : 0;
    if (d > max || Number.isNaN(d)) max = d;
  }
  return { match_pct: npMean(within) * 100, mae: npMean(diff), rmse: Math.sqrt(npMean(sq)), max_err: max, n_cells: n };
}

export interface DiscreteMetrics {
  accuracy: number;
  quantity_disagreement: number;
  allocation_disagreement: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  n_cells: number;
}

/** Binary comparison of "is the class" maps (simulated vs reference); ratios with a zero denominator are 0. */
export function discreteMetrics(sim: ArrayLike<boolean>, ref: ArrayLike<boolean>): DiscreteMetrics {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < sim.length; i++) {
    if (sim[i] && ref[i]) tp++;
    else if (!sim[i] && !ref[i]) tn++;
    else if (sim[i]) fp++;
    else fn++;
  }
  const n = sim.length;
  const ratio = (x: number, y: number) => (y === 0 ? 0 : x / y);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: ratio(tp + tn, n),
    quantity_disagreement: ratio(Math.abs(fp - fn), n),
    allocation_disagreement: ratio(2 * Math.min(fp, fn), n),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    tp,
    tn,
    fp,
    fn,
    n_cells: n,
  };
}
