#!/usr/bin/env node
/**
 * `npm run fuzz -- --minutes N`: run every parser's fuzz properties (tests/fuzz.test.ts)
 * round after round, each with a new seed and FUZZ_SCALE runs, until N minutes have
 * passed. Each failing input is kept as a new corpus file in tests/corpus/files/
 * (fuzz-<kind>-<seed>-<hash>.<ext>); add it to tests/corpus/cases.ts with the error it
 * must give. CI runs the short fixed budget of `vitest run tests/fuzz.test.ts` instead.
 *
 *   npm run fuzz -- --minutes 30 [--scale 4] [--seed 123]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 5);
const scale = arg('scale', 4);
let seed = arg('seed', Date.now() % 2 ** 31);
if (!Number.isFinite(minutes) || minutes <= 0) {
  console.error('✖ --minutes must be a positive number.');
  process.exit(2);
}
const saveDir = join(root, 'tests', 'corpus', 'files');
const before = new Set(readdirSync(saveDir));
const deadline = Date.now() + minutes * 60_000;
let rounds = 0;
let failed = 0;
while (Date.now() < deadline) {
  rounds++;
  console.log(`▶ fuzz round ${rounds}: seed ${seed}, scale ${scale} (${Math.ceil((deadline - Date.now()) / 60_000)} min left)`);
  const r = spawnSync('npx', ['vitest', 'run', 'tests/fuzz.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_SCALE: String(scale), FUZZ_SAVE_DIR: saveDir },
  });
  if (r.status !== 0) failed++;
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
}
const found = readdirSync(saveDir).filter((f) => !before.has(f));
console.log(`fuzz: ${rounds} round(s) in ${minutes} min, ${failed} failing; new corpus files: ${found.length ? found.join(', ') : 'none'}`);
process.exit(found.length || failed ? 1 : 0);
