/**
 * A pool of simulation workers for parameter sweeps: as many workers as the
 * machine has cores (at most 8), each run a normal record through the same
 * run service as the Run button. Each outcome is handed to `onResult` as it
 * arrives and not kept here (outputs and display arrays of a long sweep would
 * add up): `done` resolves with the statuses, in record order.
 */
import type { ExperimentRecord } from '../../executor/record.ts';
import { SimWorker } from '../../worker/client.ts';
import { runExperiment, type RunOutcome } from '../run/run-service.ts';

export const poolSize = (): number => Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 2));

export type SweepStatus = RunOutcome['status'];

export interface SweepHandle {
  done: Promise<SweepStatus[]>;
  cancel(): void;
}

export function runPool(
  records: ExperimentRecord[],
  inputs: { uri: string; bytes: Uint8Array }[],
  onResult: (index: number, outcome: RunOutcome, ms: number) => void,
  size = poolSize(),
): SweepHandle {
  const workers = Array.from({ length: Math.min(size, records.length) }, () => new SimWorker());
  const results: (SweepStatus | undefined)[] = new Array(records.length);
  let next = 0;
  let cancelled = false;
  const lane = async (w: SimWorker): Promise<void> => {
    while (!cancelled && next < records.length) {
      const i = next++;
      const t0 = performance.now();
      const outcome = await runExperiment(w, records[i], { inputs });
      results[i] = outcome.status;
      onResult(i, outcome, performance.now() - t0);
    }
  };
  const done = Promise.all(workers.map(lane)).then(() => {
    for (const w of workers) w.dispose();
    for (let i = 0; i < records.length; i++) {
      if (!results[i]) {
        results[i] = 'cancelled';
        onResult(i, { status: 'cancelled' }, 0);
      }
    }
    return results as SweepStatus[];
  });
  return {
    done,
    cancel() {
      cancelled = true;
      for (const w of workers) w.cancel();
    },
  };
}
