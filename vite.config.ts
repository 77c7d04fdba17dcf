import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';

/**
 * The page's security headers, sent by the dev and preview servers (and to be sent by any
 * production host: README, "Serving the workbench"). The Content-Security-Policy is the one
 * of index.html's meta tag (the single source, so static hosts without headers keep it), plus
 * what a meta tag cannot say: the page may not be framed. COOP same-origin + COEP require-corp make the
 * page cross-origin isolated, which SharedArrayBuffer needs (the simulation worker's row bands on Web
 * Workers, src/worker/web-bands.ts). Every cross-origin load of the page is a CORS request (MapLibre
 * fetches basemap tiles with CORS, as WebGL needs; the platform server's API answers CORS), which
 * require-corp admits; 'credentialless' is not needed and Safari does not support it.
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
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The model worker's own policy (ARCHITECTURE.md, "Models written in the page"): a dedicated worker
 * served from a URL takes the CSP of its own response, not the page's. It may import blob: modules
 * (the model's transpiled code) and the app's own chunks, and nothing else: no eval, no network.
 */
export const MODEL_WORKER_CSP = "default-src 'none'; script-src 'self' blob:; connect-src 'none'; worker-src 'none'";
/** The model worker's script: the built chunk (assets/user-model-worker-<hash>.js) or the dev module. */
export const MODEL_WORKER_PATH = /\/user-model-worker[^/?]*\.(?:js|ts)(?:\?|$)/;

function modelWorkerCsp(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    if (MODEL_WORKER_PATH.test(req.url ?? '')) {
      const set = res.setHeader.bind(res);
      res.setHeader = (name, value) => set(name, name.toLowerCase() === 'content-security-policy' ? MODEL_WORKER_CSP : value);
      set('Content-Security-Policy', MODEL_WORKER_CSP);
    }
    next();
  };
  return {
    name: 'model-worker-csp',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  plugins: [react(), modelWorkerCsp()],
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
