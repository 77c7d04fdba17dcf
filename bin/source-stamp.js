// What the compiled CLI in dist-lib/ was built from: every source file it compiles (tsconfig.lib.json's
// folders, tests left out) with its size and modification time. `npm run build:lib` writes it into
// dist-lib/; bin/dissmodel.js runs dist-lib/ from the repository only while the sources still match it,
// so a build never runs stale: any edit, checkout, added or deleted file sends the CLI back to tsx.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const STAMP_FILE = 'dist-lib/.source-stamp.json';
const FOLDERS = ['src/entries', 'src/executor', 'src/io', 'src/sim', 'src/models', 'src/cli', 'src/platform'];
const FILES = ['src/version.ts', 'tsconfig.lib.json'];

/** The fingerprint of the sources under `root`, one line per file, sorted. */
export function sourceStamp(root) {
  const lines = [];
  const add = (abs) => {
    const s = statSync(abs);
    lines.push(`${relative(root, abs)} ${s.size} ${s.mtimeMs}`);
  };
  for (const folder of FOLDERS) {
    for (const e of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (e.isFile() && !e.name.endsWith('.test.ts')) add(join(e.parentPath ?? e.path, e.name));
    }
  }
  for (const f of FILES) add(join(root, f));
  return lines.sort().join('\n');
}
