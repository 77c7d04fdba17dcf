// Running from the repository's sources (never in an installed package): tsx compiles TypeScript on the
// fly, and the `dissmodel-source` export condition makes `dissmodel-workbench/…` imports — e.g. from a
// model file such as examples/my_model.ts — resolve to these same sources, so the model registers in the
// CLI's own registry, not in a compiled copy of it.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerHooks('./source-condition.js', import.meta.url);
