/**
 * The model catalogue. Importing this module defines — and so registers —
 * every executor. Add one line per model family.
 */
import './game-of-life/executor.ts';

export { ExecutorRegistry } from '../executor/registry.ts';
