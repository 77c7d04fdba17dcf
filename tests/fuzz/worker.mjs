// worker_threads entry of the fuzz test: registers tsx in this thread (loader
// hooks are per thread), then runs the checks in worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
