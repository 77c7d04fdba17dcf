/**
 * The page's simulation worker (one, shared by every panel). A crash replaces
 * it and posts a notice; the run that was in progress is failed by the run
 * service with the crash reason.
 */
import { SimWorker } from '../../worker/client.ts';
import { useWorkbench } from '../store.ts';

let instance: SimWorker | null = null;

/** `?stall=MS` shortens the watchdog (tests of a hung worker). */
function stallFromUrl(): number | undefined {
  try {
    const v = Number(new URLSearchParams(globalThis.location?.search ?? '').get('stall'));
    return Number.isFinite(v) && v >= 200 ? v : undefined;
  } catch {
    return undefined;
  }
}

export function getSimWorker(): SimWorker {
  if (!instance) {
    const stallMs = stallFromUrl();
    instance = new SimWorker(stallMs ? { stallMs, cancelGraceMs: Math.max(1000, stallMs) } : {});
    instance.onRestart((reason) =>
      useWorkbench.getState().setNotice(`${reason} A fresh worker has been started; the page is ready for another run.`),
    );
    if (new URLSearchParams(globalThis.location?.search ?? '').has('e2e')) {
      (globalThis as unknown as { __dissmodel?: unknown }).__dissmodel = { worker: instance };
    }
  }
  return instance;
}
