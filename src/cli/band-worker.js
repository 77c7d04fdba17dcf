// A worker_threads band worker (src/cli/node-bands.ts) run from the sources: registers tsx and the source
// condition in this thread (loader hooks are per thread), then serves bands. The compiled package starts
// band-worker-main.js directly.
// eslint-disable-next-line no-restricted-syntax -- run from the sources, this thread needs bin/'s loader hooks (tsx), like bin/dissmodel.js
await import('../../bin/source-loader.js');
await import('./band-worker-main.ts');
