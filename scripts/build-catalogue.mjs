// Writes dist-lib/models/catalogue.json (run by build-lib.mjs after tsc): the modules that the compiled
// dist-lib/models/index.js imports, in its order, each with the specs of the executors it registers, found
// by importing them one by one and watching the registry. The catalogue must list exactly what importing
// index.js registers, in the same order, with specs that survive JSON unchanged — else the build fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = join(root, 'dist-lib/models');
const index = readFileSync(join(models, 'index.js'), 'utf8');
const modules = [...index.matchAll(/^import\s+['"](\.\/[^'"]+)['"];?\s*$/gm)].map((m) => m[1]);
if (modules.length === 0) fail('dist-lib/models/index.js imports no model module');

const { ExecutorRegistry } = await import(pathToFileURL(join(root, 'dist-lib/executor/registry.js')).href);
const entries = [];
for (const module of modules) {
  const before = new Set(ExecutorRegistry.list());
  await import(pathToFileURL(join(models, module)).href);
  const specs = ExecutorRegistry.list()
    .filter((n) => !before.has(n))
    .map((n) => ExecutorRegistry.get(n).spec);
  for (const spec of specs) {
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(spec)), spec)) fail(`the spec of '${spec.name}' does not survive JSON unchanged`);
  }
  entries.push({ module, specs });
}
// Importing index.js registers nothing more (every executor comes from one of its side-effect imports).
const listed = ExecutorRegistry.list();
await import(pathToFileURL(join(models, 'index.js')).href);
if (!isDeepStrictEqual(ExecutorRegistry.list(), listed)) fail('dist-lib/models/index.js registers executors outside its model imports');

writeFileSync(join(models, 'catalogue.json'), JSON.stringify({ format: 1, modules: entries }, null, 1) + '\n');
console.log(`build:lib: models/catalogue.json lists ${listed.length} executors from ${entries.length} modules.`);

function fail(why) {
  console.error(`build:lib: cannot write the model catalogue: ${why}.`);
  process.exit(1);
}
