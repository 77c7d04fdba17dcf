/**
 * The repository stands on its own: it tracks only what people wrote, and no
 * tracked file names a path outside the checkout (a clone anywhere, with no
 * sibling folders, must pass `npm ci && npm test`; `.ci/run` proves that by
 * testing a fresh clone in an empty temporary folder).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);

/** Folders that tools generate: installed packages, builds, test and bench outputs. */
const GENERATED = /^(node_modules|dist|dist-[^/]+|lib|out|outputs|coverage|test-results|playwright-report|bench\/results|\.vite)\//;

/** Text files whose lines could name a path (code, config, scripts). */
const CODE = /\.(ts|tsx|js|mjs|cjs|json|html|css|sh|py|toml|ya?ml)$|^\.ci\/run$/;

/** A path that leaves the checkout: the steering folder beside it, or an absolute machine path. */
const OUTSIDE = /(\.\.\/)+shared\/|['"`]\/(work|home|root|tmp\/[^'"`]*shared)\//;

describe('the repository', () => {
  it('tracks files (this is a git checkout)', () => {
    expect(tracked.length).toBeGreaterThan(50);
    expect(tracked).toContain('package.json');
  });

  it('tracks nothing generated: no node_modules, builds or test outputs', () => {
    expect(tracked.filter((f) => GENERATED.test(f))).toEqual([]);
  });

  it('names no path outside itself in any tracked code, config or script', () => {
    const offenders: string[] = [];
    for (const f of tracked) {
      if (!CODE.test(f) || f.startsWith('tests/reference/') || f === 'package-lock.json') continue;
      const lines = readFileSync(join(root, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (OUTSIDE.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the check above does catch such paths', () => {
    // Assembled here, so that this file itself names no such path.
    const up = '../';
    const steering = 'shared/reference/';
    const machine = ['', 'work', ''].join('/');
    for (const bad of [
      `readFileSync(new URL('${up}${up}${up}${steering}gol.json', import.meta.url))`,
      `const COAST = '${machine}${steering}inputs/coast_10x14.tif';`,
      `join(root, '${up}${steering}x.json')`,
    ]) {
      expect(OUTSIDE.test(bad), bad).toBe(true);
    }
    expect(OUTSIDE.test("new URL('../../tests/reference/gol.json', import.meta.url)")).toBe(false);
    expect(GENERATED.test('node_modules/react/index.js')).toBe(true);
    expect(GENERATED.test('src/models/index.ts')).toBe(false);
  });
});
