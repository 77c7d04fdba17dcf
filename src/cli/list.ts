/** `dissmodel list`: the registered executors, from their specs alone (no model is imported for it). */
import { ExecutorRegistry } from '../executor/registry.ts';
import type { Out } from './commands.ts';
import { modelSourceOf } from './model-source.ts';

export function listCommand(io: Out): number {
  const specs = ExecutorRegistry.specs();
  const width = Math.max(...specs.map((s) => s.name.length), 4);
  io.out(`${'NAME'.padEnd(width)}  ${'INPUT'.padEnd(14)}  TITLE`);
  for (const s of specs) {
    const source = ExecutorRegistry.isLoaded(s.name) ? modelSourceOf(ExecutorRegistry.get(s.name)) : undefined;
    io.out(`${s.name.padEnd(width)}  ${s.inputs.join('|').padEnd(14)}  ${s.title}${source ? `  (from ${source.label})` : ''}`);
  }
  return 0;
}
