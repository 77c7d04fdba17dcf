/**
 * The x axis of a sweep's chart: the swept parameter's value when exactly one
 * numeric parameter varies across the runs (rows ordered by it), else the run number.
 */
export interface SweepAxis {
  name: string;
  /** Row indices in plotting order. */
  order: number[];
  xs: number[];
}

export function sweepAxis(rows: readonly { params: Record<string, unknown> }[], keys: readonly string[]): SweepAxis {
  const varying = keys.filter((k) => new Set(rows.map((r) => JSON.stringify(r.params[k]))).size > 1);
  const k = varying.length === 1 ? varying[0] : null;
  if (k !== null && rows.every((r) => typeof r.params[k] === 'number' && Number.isFinite(r.params[k]))) {
    const order = rows.map((_, i) => i).sort((a, b) => (rows[a].params[k] as number) - (rows[b].params[k] as number) || a - b);
    return { name: k, order, xs: order.map((i) => rows[i].params[k] as number) };
  }
  const order = rows.map((_, i) => i);
  return { name: 'run', order, xs: order.map((i) => i + 1) };
}
