/**
 * The built-in models for the CLI, imported only when one runs.
 *
 * From the sources (tsx) every model is imported at once, through src/models/index.ts, as
 * always. The compiled CLI (dist-lib/) reads `models/catalogue.json`, which `npm run build:lib`
 * writes from the same build — each module of src/models/index.ts with the specs it registers —
 * and registers each executor as deferred (ExecutorRegistry.defer): `dissmodel list` and the
 * name checks answer from the specs, and `run NAME` imports that model's module alone.
 */
import { readFileSync } from 'node:fs';
import { RegistryError } from '../executor/errors.ts';
import type { ExecutorSpec } from '../executor/executor.ts';
import { ExecutorRegistry } from '../executor/registry.ts';

/** The file build:lib writes beside dist-lib/models/index.js. */
export const CATALOGUE_FILE = 'catalogue.json';

export interface CatalogueModule {
  /** Relative to the models directory, as src/models/index.ts imports it (compiled: `.js`). */
  module: string;
  specs: ExecutorSpec[];
}

export interface Catalogue {
  format: 1;
  modules: CatalogueModule[];
}

/** The models directory, relative to this module (dist-lib/cli/ and the CLI bundle beside it: dist-lib/models/). */
const MODELS_DIR = '../models/';

let registered: Promise<void> | null = null;
let bundledModule: ((module: string) => Promise<unknown>) | null = null;

/**
 * The single-script CLI bundle (scripts/build-cli-bundle.mjs) holds the catalogue's modules itself:
 * `load(module)` evaluates the one named (a catalogue `module` path) instead of importing its file.
 */
export function useBundledModels(load: (module: string) => Promise<unknown>): void {
  bundledModule = load;
}

/** Registers the built-in executors once: deferred from the compiled catalogue, else by importing them all. */
export function registerBuiltInModels(): Promise<void> {
  registered ??= (async () => {
    const models = new URL(MODELS_DIR, import.meta.url);
    const catalogue = import.meta.url.endsWith('.js') ? readCatalogue(new URL(CATALOGUE_FILE, models)) : null;
    if (!catalogue) {
      await import('../models/index.ts');
      return;
    }
    for (const m of catalogue.modules) {
      const url = new URL(m.module, models).href;
      const load = bundledModule;
      for (const spec of m.specs) ExecutorRegistry.defer(spec, load ? () => load(m.module) : () => import(url));
    }
  })();
  return registered;
}

function readCatalogue(url: URL): Catalogue | null {
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const parsed = JSON.parse(text) as Catalogue;
  if (parsed?.format !== 1 || !Array.isArray(parsed.modules))
    throw new RegistryError(
      `${url.pathname} is not a catalogue this CLI reads (format ${String(parsed?.format)}); rebuild with npm run build:lib.`,
    );
  return parsed;
}
