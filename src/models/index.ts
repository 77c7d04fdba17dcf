/**
 * The model catalogue. Importing this module defines — and so registers —
 * every executor. Add one line per model family.
 */
import './game-of-life/executor.ts';
import './forest-fire-prob/executor.ts';
import './sysdyn/executor.ts';
import './sysdyn/catalogue.ts';
import './forest-fire/executor.ts';
import './flood-benchmark/executor.ts';
import './ca/catalogue.ts';
import './brmangue/executor.ts';
import './abm/executor.ts';
import './lucc/executor.ts';
import './lucc/validation.ts';
import './lucc/clue-s-executor.ts';

export { ExecutorRegistry } from '../executor/registry.ts';
