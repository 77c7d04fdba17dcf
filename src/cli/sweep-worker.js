// A worker_threads entry of `dissmodel sweep`: registers tsx in this thread
// (loader hooks are per thread), then runs records sent by the parent.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker-main.ts');
