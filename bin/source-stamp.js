// What the compiled CLI in dist-lib/ was built from: every source file it compiles (tsconfig.lib.json's
// folders, tests left out) with its size and modification time. `npm run build:lib` writes it into
// dist-lib/; bin/dissmodel.js runs dist-lib/ from the repository only while the sources still match it,
// so a build never runs stale: any edit, checkout, added or deleted file sends the CLI back to tsx.
import { readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

export const STAMP_FILE = 'dist-lib/.source-stamp.json';
const FOLDERS = ['src/entries', 'src/executor', 'src/io', 'src/sim', 'src/models', 'src/cli', 'src/platform'];
const FILES = ['src/version.ts', 'tsconfig.lib.json'];

/**
 * The fingerprint of the sources under `root`, one line per file (its path relative to `root`, size and
 * mtime), sorted. The paths are joined as strings: path.join and path.relative on every file were most of
 * the check's time in bin/dissmodel.js.
 */
export function sourceStamp(root) {
  const base = resolve(root);
  const native = (p) => p.split('/').join(sep);
  const lines = [];
  const add = (rel) => {
    const s = statSync(base + sep + rel);
    lines.push(`${rel} ${s.size} ${s.mtimeMs}`);
  };
  for (const folder of FOLDERS) {
    const dir = base + sep + native(folder);
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || e.name.endsWith('.test.ts')) continue;
      const parent = e.parentPath ?? e.path;
      add(parent.slice(base.length + 1) + sep + e.name);
    }
  }
  for (const f of FILES) add(native(f));
  return lines.sort().join('\n');
}
