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

// dist-lib/cli/bundle.js (scripts/build-cli-bundle.mjs) is the same CLI in fewer files, with the built-in
// models bundled beside it: it starts faster, but shares no module with dist-lib/, so it runs only the
// commands that load nothing of one's own (no model file, package or TOML, which may name one).
const BUNDLED_COMMANDS = new Set(['run', 'list', 'show', 'validate']);
function bundled() {
  if (!BUNDLED_COMMANDS.has(process.argv[2] ?? '')) return false;
  const own = (a) => /^(--model|--package|--toml|-[a-z]*t)/.test(a) || /\.(m?ts|m?js|toml)$/i.test(a);
  return !process.argv.slice(3).some(own) && existsSync(new URL('../dist-lib/cli/bundle.js', import.meta.url));
}

if (existsSync(sources) && !(await builtFromTheseSources())) {
  await import('./source-loader.js');
  await import(sources.href);
} else if (bundled()) {
  await import('../dist-lib/cli/bundle.js');
} else {
  await import('../dist-lib/cli/main.js');
}
