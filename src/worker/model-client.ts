/**
 * The page's handle on a model worker (user-model-worker.ts): a SimWorker
 * (watchdog, cancel, crash replacement) that can also load a model's source.
 * A load that does not answer within `loadTimeoutMs` (a model whose top level
 * never returns) ends with a problem and the worker is terminated.
 */
import * as Comlink from 'comlink';
import { SimWorker, type SimWorkerOptions } from './client.ts';
import type { ModelWorkerApi } from './user-model-worker.ts';
import type { ModelLoadResult } from './user-model.ts';
import { modelSha256 } from './user-model.ts';

export function createModelWorker(): Worker {
  return new Worker(new URL('./user-model-worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-model' });
}

export class ModelWorker extends SimWorker {
  constructor(options: SimWorkerOptions = {}) {
    super({ createWorker: createModelWorker, ...options });
  }

  private get modelApi(): Comlink.Remote<ModelWorkerApi> {
    return this.api as unknown as Comlink.Remote<ModelWorkerApi>;
  }

  /** Compile, import and register `source` in this worker. Never rejects. */
  loadModel(source: string, fileName: string, loadTimeoutMs = 10_000): Promise<ModelLoadResult> {
    const sha256 = modelSha256(source);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ModelLoadResult>((resolve) => {
      timer = setTimeout(() => {
        this.dispose();
        resolve({
          ok: false,
          sha256,
          problem: {
            kind: 'evaluate',
            message: `The model did not finish loading within ${loadTimeoutMs / 1000} s (an endless loop at its top level?); its worker was terminated.`,
          },
        });
      }, loadTimeoutMs);
    });
    const load = this.guard(
      (api) => (api as unknown as Comlink.Remote<ModelWorkerApi>).loadModel(source, fileName) as Promise<ModelLoadResult>,
      4,
    ).then(
      (r) => r,
      (e: unknown): ModelLoadResult => ({
        ok: false,
        sha256,
        problem: {
          kind: 'evaluate',
          message:
            (e as { code?: string }).code === 'crash'
              ? 'The model did not finish loading: its worker stopped answering (an endless loop at its top level?) and was terminated.'
              : `The model worker failed while loading the model: ${(e as { message?: string }).message ?? String(e)}`,
        },
      }),
    );
    return Promise.race([load, timeout]).finally(() => clearTimeout(timer));
  }

  /** Globals the worker's lockdown left reachable (expected: none). */
  lockdownReport(): Promise<string[]> {
    return this.modelApi.lockdownReport() as Promise<string[]>;
  }
}
