#!/usr/bin/env node
// Entry point of `dissmodel`. In the repository (src/ beside bin/) it runs the TypeScript sources through
// tsx, so it can never run a stale build; an installed package ships no src/ and runs the compiled
// JavaScript of dist-lib/, with no TypeScript compiler at run time.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  await import('./source-loader.js');
  await import(sources.href);
} else {
  await import('../dist-lib/cli/main.js');
}
