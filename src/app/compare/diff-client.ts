/**
 * The page's side of the compare worker: one worker, started on the first
 * difference asked for. The output bytes are copied to it (the history and the
 * current run keep theirs).
 */
import * as Comlink from 'comlink';
import type { DiffOutcome, DiffRequest, RunOutputFile } from './diff-outputs.ts';
import type { DiffWorkerApi } from './diff-worker.ts';

let remote: Comlink.Remote<DiffWorkerApi> | null = null;

function worker(): Comlink.Remote<DiffWorkerApi> {
  if (!remote)
    remote = Comlink.wrap<DiffWorkerApi>(
      new Worker(new URL('./diff-worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-compare' }),
    );
  return remote;
}

const copy = (f: RunOutputFile): RunOutputFile => ({ ...f, bytes: f.bytes.slice() });

export function computeDiff(a: RunOutputFile, b: RunOutputFile, req: DiffRequest): Promise<DiffOutcome> {
  const ca = copy(a);
  const cb = copy(b);
  return worker().diff(Comlink.transfer(ca, [ca.bytes.buffer]), Comlink.transfer(cb, [cb.bytes.buffer]), req);
}
