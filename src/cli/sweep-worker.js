// A worker_threads entry of `dissmodel sweep` run from the sources: registers tsx and the source
// condition in this thread (loader hooks are per thread), then runs records sent by the parent.
// The compiled package starts sweep-worker-main.js directly.
// eslint-disable-next-line no-restricted-syntax -- run from the sources, this thread needs bin/'s loader hooks (tsx), like bin/dissmodel.js
await import('../../bin/source-loader.js');
await import('./sweep-worker-main.ts');
