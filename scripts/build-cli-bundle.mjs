// The command line's start-up in one script (run by build-lib.mjs after the catalogue): esbuild bundles
// dist-lib/cli/start.js and every module of models/catalogue.json into dist-lib/cli/bundle.cjs, one
// CommonJS script in which each model module is evaluated only when the catalogue asks for it
// (src/cli/catalogue.ts useBundledModels). bin/dissmodel.js compiles it with a V8 code cache
// (dist-lib/cli/bundle.cache, made by build-lib.mjs's first run of it): no module loader, no file per
// module, no compilation of what the cache holds. Its import.meta.url is that of dist-lib/cli/bundle.js, a
// module of dist-lib/cli/ as src/cli's are in dist-lib, so its paths (the samples, the workers, the
// catalogue) resolve as before; the workers are dist-lib's own files (a thread shares no module with the
// main one). The bundle is the JavaScript tsc wrote, concatenated: the same code. bin/dissmodel.js runs it
// for the built-in models only (a model file or package of one's own imports dist-lib's registry, which
// the bundle does not share).
import { existsSync, readFileSync } from 'node:fs';
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
const modules = catalogue.modules.map(({ module }) => {
  if (!/^\.\/[\w/-]+\.js$/.test(module)) throw new Error(`build:lib: unexpected catalogue module '${module}'`);
  return module;
});
const entry = [
  "import { useBundledModels } from './catalogue.js';",
  "export { startCli } from './start.js';",
  `const modules = {\n${modules.map((m) => `  ${JSON.stringify(m)}: () => import(${JSON.stringify(`../models/${m.slice(2)}`)}),`).join('\n')}\n};`,
  'useBundledModels((m) => modules[m]());',
].join('\n');
// commander requires node:child_process (and with it net, dgram, …) for executable sub-commands, which this
// CLI has none of: it gets the module when it first uses it.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};
const out = join(lib, 'cli/bundle.cjs');
await esbuild.build({
  stdin: { contents: entry, resolveDir: join(lib, 'cli'), sourcefile: 'bundle-entry.js', loader: 'js' },
  outfile: out,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // what only `serve`, `worker` and GeoPackage output load stays in node_modules
  external: ['fastify', '@fastify/*', 'bullmq', 'ioredis', 'sql.js', 'tsx', 'tsx/*'],
  // a script has no import.meta: bin/dissmodel.js passes the URL of the module it stands for, dist-lib/cli/bundle.js
  define: { 'import.meta.url': '__dissmodelModuleUrl' },
  plugins: [lazyChildProcess],
  // import() of what stays outside (sql.js, tsx) as require(): a script compiled with a code cache has no
  // dynamic-import callback that survives the cache ('A dynamic import callback was not specified')
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});
if (!existsSync(out)) throw new Error('build:lib: esbuild wrote no dist-lib/cli/bundle.cjs');
console.log(`build:lib: dist-lib/cli/bundle.cjs bundles the CLI and ${modules.length} model modules.`);
