/**
 * What `dissmodel-workbench/<entry>` means to a model in the page: the same
 * modules as the package's entry points (src/entries/*.ts; a test holds the
 * export names equal), bundled into the model worker. `cli` is the one
 * difference: the page has no command line, so `runCli(MyExecutor)` only
 * registers the class — what it does when `dissmodel --model` imports a file.
 */
import * as executor from '../executor/index.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import type { ExecutorClass } from '../executor/executor.ts';
import * as dataset from '../io/dataset.ts';
import * as fetch from '../io/fetch.ts';
import * as geojson from '../io/geojson.ts';
import * as geotiffRead from '../io/geotiff-read.ts';
import * as geotiffWrite from '../io/geotiff-write.ts';
import * as limits from '../io/limits.ts';
import * as sha256 from '../io/sha256.ts';
import * as uri from '../io/uri.ts';
import * as verifiedIo from '../io/verified-io.ts';
import * as kit from '../models/kit/index.ts';
import * as models from '../models/index.ts';
import * as simDataset from '../sim/dataset.ts';
import * as output from '../sim/output.ts';
import * as scheduler from '../sim/scheduler.ts';
import * as raster from '../sim/raster.ts';
import * as vector from '../sim/vector.ts';
import * as bitgrid from '../sim/bitgrid.ts';
import { PythonRandom, SeededRandom } from '../sim/random.ts';
import type { PageModelEntry } from './user-model.ts';

/** `runCli` for a model in the page: registers the class (if its static block did not) and resolves to 0. */
export function runCli(cls: ExecutorClass): Promise<number> {
  const name = cls?.spec?.name;
  if (!(ExecutorRegistry.has(name) && ExecutorRegistry.get(name) === cls)) ExecutorRegistry.register(cls);
  return Promise.resolve(0);
}

export const PAGE_MODEL_NAMESPACES: Record<PageModelEntry, Record<string, unknown>> = {
  executor: { ...executor },
  io: { ...dataset, ...fetch, ...geojson, ...geotiffRead, ...geotiffWrite, ...limits, ...sha256, ...uri, ...verifiedIo },
  sim: { ...simDataset, ...output, ...scheduler, ...raster, ...vector, ...bitgrid, PythonRandom, SeededRandom },
  kit: { ...kit },
  models: { ...models },
  cli: { runCli },
};
