import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * The page's security headers, sent by the dev and preview servers (and to be sent by any
 * production host: README, "Serving the workbench"). The Content-Security-Policy is the one
 * of index.html's meta tag (the single source, so static hosts without headers keep it), plus
 * what a meta tag cannot say: the page may not be framed.
 */
const metaCsp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(
  readFileSync(new URL('./index.html', import.meta.url), 'utf8'),
)?.[1];
if (!metaCsp) throw new Error('index.html has no Content-Security-Policy meta tag.');
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${metaCsp}; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { fs: { allow: ['.'] }, headers: SECURITY_HEADERS },
  preview: { headers: SECURITY_HEADERS },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
