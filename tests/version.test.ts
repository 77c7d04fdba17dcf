import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CODE_VERSION } from '../src/version.ts';

it('CODE_VERSION equals package.json version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(CODE_VERSION).toBe(pkg.version);
});
