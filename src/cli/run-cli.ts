/**
 * `runCli(MyExecutor)` — DisSModel's `run_cli(executor_cls)`: put it at the
 * bottom of a model file and the file is a command line of its own:
 *
 *   npx tsx my_model.ts run --input in.tif --output out/ --param k=v
 *   node my_model.js validate --input in.tif
 *   node my_model.js show --param k=v
 *   node my_model.js check
 *
 * with the same artefacts (`<stem>.record.json`, `profiling_<id8>.md`, the id
 * injected into the output name), exit codes and one-line errors as
 * `dissmodel`, whose command code it runs. The record's `model_commit` is the
 * SHA-256 of the script file.
 *
 * When `dissmodel run --model my_model.ts` imports the file, runCli only
 * registers the executor (the file is a model, not the program being run).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeError, ExecutorRegistry, sha256Hex, type ExecutorClass } from '../executor/index.ts';
import { isLoadingModel, modelSourceOf, noteModelSource } from './model-source.ts';
import { useNodeInflate } from './node-inflate.ts';
import { useNodeSha256 } from './node-sha256.ts';
import { oneLine } from './one-line.ts';
import { buildProgram, runProgram, terminalOut } from './program.ts';

export interface RunCliOptions {
  /** Arguments as process.argv has them (node, script, …); default process.argv. */
  argv?: readonly string[];
  /** The program's name in help and errors; default the executor's name. */
  name?: string;
}

/**
 * Register `cls` (if its file did not) and, unless a CLI is loading the file as a model, run its
 * command line. Resolves to the exit code (also set as process.exitCode); never rejects.
 */
export function runCli(cls: ExecutorClass, options: RunCliOptions = {}): Promise<number> {
  try {
    if (!(ExecutorRegistry.isLoaded(cls?.spec?.name) && ExecutorRegistry.get(cls.spec.name) === cls)) ExecutorRegistry.register(cls);
  } catch (e) {
    // Loaded by `dissmodel --model`: the import fails and the loader says why, on one line.
    if (isLoadingModel()) throw e;
    process.stderr.write(`✖ ${oneLine(describeError(e))}\n`);
    process.exitCode = 1;
    return Promise.resolve(1);
  }
  if (isLoadingModel()) return Promise.resolve(0);
  useNodeInflate();
  useNodeSha256();
  return main(cls, options);
}

async function main(cls: ExecutorClass, options: RunCliOptions): Promise<number> {
  const argv = options.argv ?? process.argv;
  const script = argv[1];
  if (script && !modelSourceOf(cls)) {
    const path = resolve(script);
    try {
      noteModelSource({ kind: 'file', path, label: script, sha256: sha256Hex(readFileSync(path)), classes: [cls] });
    } catch {
      // No readable script (a REPL, an eval): the record keeps model_commit 'local-cli'.
    }
  }
  const program = buildProgram({
    name: options.name ?? cls.spec.name,
    description: `${cls.spec.title}: ${cls.spec.description}`,
    fixed: cls,
    io: terminalOut(),
  });
  return runProgram(program, argv);
}
