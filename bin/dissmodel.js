#!/usr/bin/env node
// Entry point of `dissmodel`. An installed package ships no src/ and runs the compiled JavaScript of
// dist-lib/, with no TypeScript compiler at run time. In the repository (src/ beside bin/) it runs dist-lib/
// too when `npm run build:lib` built it from exactly the sources there now (bin/source-stamp.js), else the
// TypeScript sources through tsx — so it never runs a stale build. A model file of one's own (`--model FILE`,
// `check FILE`) runs on the sources too: in the repository such a file may import src/ directly, and only the
// source CLI shares its registry with it. DISSMODEL_FROM_SOURCE=1 forces the sources.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = new URL('../src/cli/main.ts', import.meta.url);

async function builtFromTheseSources() {
  if (process.env.DISSMODEL_FROM_SOURCE === '1') return false;
  if (process.argv.slice(2).some((a) => a === '--model' || a.startsWith('--model=') || /\.(m?ts|m?js)$/i.test(a))) return false;
  const { STAMP_FILE, sourceStamp } = await import('./source-stamp.js');
  let stamp;
  try {
    stamp = readFileSync(new URL(`../${STAMP_FILE}`, import.meta.url), 'utf8');
  } catch {
    return false;
  }
  return stamp === sourceStamp(root);
}

// dist-lib/cli/bundle.cjs (scripts/build-cli-bundle.mjs) is the same CLI in one script, with the built-in
// models bundled in it: it starts faster, but shares no module with dist-lib/, so it runs only the
// commands that load nothing of one's own (no model file, package or TOML, which may name one).
// DISSMODEL_BUNDLE=0 runs dist-lib/cli/main.js instead.
const BUNDLE = new URL('../dist-lib/cli/bundle.cjs', import.meta.url);
const BUNDLED_COMMANDS = new Set(['run', 'list', 'show', 'validate']);
function bundled() {
  if (process.env.DISSMODEL_BUNDLE === '0' || !BUNDLED_COMMANDS.has(process.argv[2] ?? '')) return false;
  const own = (a) => /^(--model|--package|--toml|-[a-z]*t)/.test(a) || /\.(m?ts|m?js|toml)$/i.test(a);
  return !process.argv.slice(3).some(own) && existsSync(BUNDLE);
}

/**
 * Runs the bundle as Node runs a CommonJS module, but compiled with the V8 code cache beside it
 * (bundle.cache: the SHA-256 of the bundle it was made from, in hex, then V8's data), so that what the
 * cache holds is not parsed and compiled again. A cache of another bundle is not used; one V8 rejects
 * (another Node) compiles from the source. Either way, when the command has run the cache is made anew
 * from this run, where the folder can be written (an installed package's may not be: then none).
 */
async function runBundle() {
  const vm = await import('node:vm');
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  const file = fileURLToPath(BUNDLE);
  const cacheFile = file.replace(/\.cjs$/, '.cache');
  const bytes = readFileSync(file);
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
  let cachedData;
  try {
    const cache = readFileSync(cacheFile);
    if (cache.toString('latin1', 0, 64) === hash) cachedData = cache.subarray(64);
  } catch {
    // no cache yet
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname, __dissmodelModuleUrl) {${bytes.toString('utf8')}\n})`;
  // (the bundle has no import(): build-cli-bundle.mjs makes them require())
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} };
  // its import.meta.url: that of a module of dist-lib/cli/, as src/cli's are in dist-lib (catalogue, samples, workers)
  const url = new URL('../dist-lib/cli/bundle.js', import.meta.url).href;
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), url);
  await module.exports.startCli(process.argv);
  if (cachedData && !script.cachedDataRejected) return;
  try {
    const { accessSync, constants, renameSync, writeFileSync } = await import('node:fs');
    accessSync(dirname(file), constants.W_OK);
    const part = `${cacheFile}.${process.pid}`;
    writeFileSync(part, Buffer.concat([Buffer.from(hash, 'latin1'), script.createCachedData()]));
    renameSync(part, cacheFile);
  } catch {
    // a folder that cannot be written: the next run compiles from the source again
  }
}

// `dissmodel list` alone prints the built-in models, the same text on every run of one build:
// `npm run build:lib` writes it, as the compiled CLI prints it, into dist-lib/cli/list.txt, which is printed
// here without loading the CLI (its start-up was most of the command's time). Anything more (`list --model
// FILE`, `list --help`) or DISSMODEL_BUNDLE=0 runs the CLI, which computes it from the catalogue.
const LIST = new URL('../dist-lib/cli/list.txt', import.meta.url);
function printedList() {
  if (process.env.DISSMODEL_BUNDLE === '0' || process.argv.length !== 3 || process.argv[2] !== 'list') return false;
  let text;
  try {
    text = readFileSync(LIST);
  } catch {
    return false;
  }
  // as the CLI's terminal does: a reader that closes stdout early (`| head -1`) is no error
  process.stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
  process.stdout.write(text);
  return true;
}

if (existsSync(sources) && !(await builtFromTheseSources())) {
  await import('./source-loader.js');
  await import(sources.href);
} else if (printedList()) {
  // printed
} else if (bundled()) {
  await runBundle();
} else {
  await import('../dist-lib/cli/main.js');
}
