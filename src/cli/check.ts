/**
 * `dissmodel check [MODEL | --model FILE]` (and `check` in a runCli program):
 * the contract check of a model, after DisSModel's ExecutorTestHarness
 * (checkExecutor in the core). Reads the input through the CLI's host; every
 * write stays in memory, so a check leaves no file behind. Exit 0 only when
 * every check passes; otherwise the first failing check is named on stderr.
 */
import { checkExecutor, type ExecutorClass } from '../executor/index.ts';
import type { Out } from './commands.ts';
import { modelSourceOf } from './model-source.ts';
import { NodeIO } from './node-io.ts';

export async function checkCommand(cls: ExecutorClass, opts: { input?: string }, io: Out): Promise<number> {
  const source = modelSourceOf(cls);
  io.out(`Checking '${cls.spec?.name}'${source ? ` from ${source.label} (sha256 ${source.sha256})` : ''}:`);
  const report = await checkExecutor(cls, { io: new NodeIO(), ...(opts.input ? { input: opts.input } : {}) });
  for (const c of report.checks) io.out(`  ${c.ok ? '✅' : '❌'} ${c.name} — ${c.message}`);
  const failed = report.checks.find((c) => !c.ok);
  if (failed) {
    io.err(`✖ check failed: ${failed.name} — ${failed.message}`);
    return 1;
  }
  io.out(`✅ all ${report.checks.length} checks passed`);
  return 0;
}
