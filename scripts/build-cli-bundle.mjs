// The command line's start-up in fewer files (run by build-lib.mjs after the catalogue): esbuild bundles
// dist-lib/cli/main.js into dist-lib/cli/bundle.js, and each module of models/catalogue.json into
// dist-lib/cli/models/, with the code they share in dist-lib/cli/bundle-<hash>.js chunks — a run loads a
// few dozen files instead of some ninety. Every bundled file sits in dist-lib/cli/, as src/cli's modules do
// in dist-lib, so their import.meta.url paths (the samples, the workers, the catalogue) resolve as before;
// the workers are dist-lib's own files (a thread shares no module with the main one). The bundle is the
// JavaScript tsc wrote, concatenated: the same code. bin/dissmodel.js runs it for the built-in models only
// (a model file or package of one's own imports dist-lib's registry, which the bundle does not share).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'dist-lib');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('build:lib: esbuild is not installed; no CLI bundle (bin/dissmodel.js runs dist-lib/cli/main.js).');
  process.exit(0);
}
const catalogue = JSON.parse(readFileSync(join(lib, 'models/catalogue.json'), 'utf8'));
const modelEntries = catalogue.modules.map(({ module }) => {
  if (!/^\.\/[\w/-]+\.js$/.test(module)) throw new Error(`build:lib: unexpected catalogue module '${module}'`);
  return { in: join(lib, 'models', module), out: `cli/models/${module.slice(2, -3)}` };
});
await esbuild.build({
  entryPoints: [{ in: join(lib, 'cli/main.js'), out: 'cli/bundle' }, ...modelEntries],
  outdir: lib,
  chunkNames: 'cli/bundle-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // what only `serve`, `worker` and GeoPackage output load stays in node_modules
  external: ['fastify', '@fastify/*', 'bullmq', 'ioredis', 'sql.js', 'tsx', 'tsx/*'],
  define: { DISSMODEL_BUNDLED_MODELS: '"./models/"' },
  // commander is CommonJS: its require() calls need one in an ES module
  banner: {
    js: "import { createRequire as __dissmodelRequire } from 'node:module';\nconst require = __dissmodelRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
mkdirSync(join(lib, 'cli/models'), { recursive: true });
copyFileSync(join(lib, 'models/catalogue.json'), join(lib, 'cli/models/catalogue.json'));
if (!existsSync(join(lib, 'cli/bundle.js'))) throw new Error('build:lib: esbuild wrote no dist-lib/cli/bundle.js');
console.log(`build:lib: dist-lib/cli/bundle.js bundles the CLI and ${modelEntries.length} model modules.`);
