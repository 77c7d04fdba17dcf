/**
 * What `dissmodel-workbench/<entry>` means to a model in the page: the
 * package's entry points themselves (src/entries/*.ts), bundled into the model
 * worker. `cli` is the one
 * difference: the page has no command line, so `runCli(MyExecutor)` only
 * registers the class — what it does when `dissmodel --model` imports a file.
 */
import * as executor from '../entries/executor.ts';
import * as io from '../entries/io.ts';
import * as kit from '../entries/kit.ts';
import * as models from '../entries/models.ts';
import * as sim from '../entries/sim.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import type { ExecutorClass } from '../executor/executor.ts';
import type { PageModelEntry } from './user-model.ts';

/** `runCli` for a model in the page: registers the class (if its static block did not) and resolves to 0. */
export function runCli(cls: ExecutorClass): Promise<number> {
  const name = cls?.spec?.name;
  if (!(ExecutorRegistry.has(name) && ExecutorRegistry.get(name) === cls)) ExecutorRegistry.register(cls);
  return Promise.resolve(0);
}

export const PAGE_MODEL_NAMESPACES: Record<PageModelEntry, Record<string, unknown>> = {
  executor: { ...executor },
  io: { ...io },
  sim: { ...sim },
  kit: { ...kit },
  models: { ...models },
  cli: { runCli },
};
