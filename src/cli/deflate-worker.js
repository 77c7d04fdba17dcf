// A worker_threads deflate worker (src/cli/node-deflate.ts) run from the sources: registers tsx and the source
// condition in this thread (loader hooks are per thread), then serves strips. The compiled package starts
// deflate-worker-main.js directly.
// eslint-disable-next-line no-restricted-syntax -- run from the sources, this thread needs bin/'s loader hooks (tsx), like bin/dissmodel.js
await import('../../bin/source-loader.js');
await import('./deflate-worker-main.ts');
