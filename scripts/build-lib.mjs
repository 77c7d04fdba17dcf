// `npm run build:lib`: the installable package — dist-lib/ from scratch (no stale file of a deleted
// source survives), compiled by tsc with tsconfig.lib.json, then every target of package.json's
// `exports` checked to exist, so an entry added to the map without its source fails here, not in a user's project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { STAMP_FILE, sourceStamp } from '../bin/source-stamp.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist-lib'), { recursive: true, force: true });
const stamp = sourceStamp(root);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.lib.json')], { stdio: 'inherit', cwd: root });

// The compiled CLI's catalogue (src/cli/catalogue.ts): each module src/models/index.ts imports, in order,
// with the specs of the executors it registers, so `dissmodel list` and `run NAME` import no other model.
execFileSync(process.execPath, [join(root, 'scripts/build-catalogue.mjs')], { stdio: 'inherit', cwd: root });

// The CLI and those modules bundled into one script, dist-lib/cli/bundle.cjs, which bin/dissmodel.js runs for the
// built-in models: no module loader and a code cache at start-up (scripts/build-cli-bundle.mjs).
execFileSync(process.execPath, [join(root, 'scripts/build-cli-bundle.mjs')], { stdio: 'inherit', cwd: root });

// What this build was made from, so bin/dissmodel.js runs it from the repository only while it is current.
// The stamp is taken before tsc ran (a source edited during the build makes it stale, never the reverse).
writeFileSync(join(root, STAMP_FILE), stamp);

// `dissmodel list`'s text (dist-lib/cli/list.txt): the compiled CLI's own output, from the catalogue, which
// bin/dissmodel.js prints for `list` alone without starting the CLI (the built-in models are fixed at build time).
const listed = execFileSync(process.execPath, [join(root, 'dist-lib/cli/main.js'), 'list'], { cwd: root });
if (!/^NAME /.test(listed.toString('utf8'))) throw new Error('build:lib: `dissmodel list` printed no table');
writeFileSync(join(root, 'dist-lib/cli/list.txt'), listed);

// The bundle's V8 code cache (dist-lib/cli/bundle.cache), made by bin/dissmodel.js on the bundle's first run:
// a short BR-MANGUE run on the Ilha sample, so that it holds the code of a whole run (start-up, commander,
// the lifecycle, GeoTIFF read and write, the coastal model) as well as `list`'s.
if (existsSync(join(root, 'dist-lib/cli/bundle.cjs'))) {
  const out = mkdtempSync(join(tmpdir(), 'dissmodel-cache-run-'));
  try {
    const sample = join(root, 'public/samples/ilha_maranhao_epsg31983.tif');
    const args = ['run', 'brmangue', '--input', sample, '--param', 'end_time=2', '--output', out];
    execFileSync(process.execPath, [join(root, 'bin/dissmodel.js'), ...args], { stdio: 'ignore', cwd: root });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  if (!existsSync(join(root, 'dist-lib/cli/bundle.cache'))) throw new Error('build:lib: the CLI bundle wrote no code cache');
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = [];
for (const [subpath, target] of Object.entries(pkg.exports)) {
  const files = typeof target === 'string' ? [target] : [target.types, target.default];
  for (const f of files) if (!existsSync(join(root, f))) missing.push(`${subpath} → ${f}`);
}
if (missing.length) {
  console.error(`build:lib: package.json exports files that the build did not produce:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`build:lib: dist-lib/ built; ${Object.keys(pkg.exports).length} export entries resolve.`);
