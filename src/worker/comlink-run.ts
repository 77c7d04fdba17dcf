/**
 * One run over Comlink, for both workers (the simulation worker and a page model's worker):
 * progress and live frames go back through the page's callbacks, the response's buffers
 * are transferred, an error becomes a plain object that keeps its code and field, and the
 * callbacks' MessageChannels are closed when the run ends.
 */
import * as Comlink from 'comlink';
import type { LiveEvent, ProgressEvent, RunRequest } from './protocol.ts';
import { toWorkerError, type WorkbenchRuntime } from './runtime.ts';

export async function runForPage(
  runtime: WorkbenchRuntime,
  request: RunRequest,
  onProgress?: (p: ProgressEvent) => void,
  onLive?: (e: LiveEvent) => void,
) {
  try {
    const sendLive = onLive ? (e: LiveEvent, transfer: ArrayBuffer[]) => void onLive(Comlink.transfer(e, transfer)) : undefined;
    const { response, transfer } = await runtime.run(request, onProgress, sendLive);
    return Comlink.transfer(response, transfer);
  } catch (e) {
    // A plain object survives Comlink with its code and field (an Error keeps only name and message).
    throw toWorkerError(e);
  } finally {
    // The callbacks are Comlink proxies (MessageChannels): close them.
    for (const cb of [onProgress, onLive]) {
      const release = (cb as unknown as Record<symbol, unknown> | undefined)?.[Comlink.releaseProxy];
      if (typeof release === 'function') (release as () => void)();
    }
  }
}
