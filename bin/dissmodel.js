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

if (existsSync(sources) && !(await builtFromTheseSources())) {
  await import('./source-loader.js');
  await import(sources.href);
} else {
  await import('../dist-lib/cli/main.js');
}
