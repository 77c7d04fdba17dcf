/**
 * The command line, built once for both of its forms:
 *
 * - `dissmodel …` — every registered executor, named as an argument, by
 *   `--model FILE` or by a TOML's `[model] class` (and `package`);
 * - `runCli(MyExecutor)` — DisSModel's `run_cli`: one executor, fixed, so
 *   `run`, `validate`, `show` and `check` take no model name.
 *
 * Both call the same command functions (commands.ts), so artefacts, exit codes
 * and one-line errors are the same.
 */
import { Command, Option } from 'commander';
import { describeError, RegistryError } from '../executor/errors.ts';
import type { ExecutorClass } from '../executor/executor.ts';
import { CODE_VERSION } from '../version.ts';
import type { Out } from './commands.ts';
import { listCommand } from './list.ts';
import { bandThreadsFrom, useNodeBands } from './node-bands.ts';
import { onInterrupt } from './cleanup.ts';
import { oneLine } from './one-line.ts';
import { registerPlatformCommands } from '../platform/commands.ts';

// What a command runs is imported when it runs, so `dissmodel list` and `--help` load little.
const commands = () => import('./commands.ts');

/** Longer than an error line: a sweep's table row or a summary line with a long path. */
const STDOUT_LINE_CHARS = 20_000;

const THREADS_HELP =
  'threads for one large Game of Life / forest-fire raster, stepped in row bands (same output bytes; default DISSMODEL_THREADS, else os.availableParallelism(); 1 = one thread)';
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The terminal: stdout for results, one line per error on stderr, step progress on a TTY.
 * Every line carries user data (a record's source.uri, band descriptions, column names),
 * so stdout is sanitised as stderr is: control characters shown escaped, one line per call.
 */
export function terminalOut(): Out {
  // stdout closed by its reader (`dissmodel list | head -1`): the rest is dropped, the command
  // finishes (its files are written or rolled back as usual) instead of dying on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    out: (l) => process.stdout.write(oneLine(l, STDOUT_LINE_CHARS) + '\n'),
    // Errors carry user data (names from records and files): one line, no control characters.
    err: (l) => process.stderr.write(oneLine(l) + '\n'),
    progress: process.stderr.isTTY
      ? (p) => {
          if (p.step !== undefined && p.total)
            process.stderr.write(`\r  ${p.phase} step ${p.step}/${p.total}   ${p.step === p.total ? '\n' : ''}`);
        }
      : undefined,
  };
}

export interface ProgramOptions {
  /** The one executor of a runCli program; absent for `dissmodel`. */
  fixed?: ExecutorClass;
  name: string;
  description: string;
  io: Out;
}

const MODEL_FILE = '--model <file>';
const MODULE_FILE = /\.(ts|mts|js|mjs)$/i;
const MODEL_FILE_HELP = 'a model file (.ts or .js) that defines and registers an executor';

export function buildProgram(options: ProgramOptions): Command {
  const { fixed, io } = options;
  const program = new Command(options.name).description(options.description).version(CODE_VERSION).showHelpAfterError();
  program.exitOverride((e) => {
    throw e;
  });
  // Ctrl-C in any command: nothing left behind (run and reproduce cancel first, see cleanup.ts).
  program.hook('preAction', () => onInterrupt(null));

  /** A sub-command: `[model]` and `--model FILE` in `dissmodel`, nothing extra in a runCli program. */
  const command = (name: string, description: string): Command => {
    const c = program.command(name).description(description);
    if (!fixed)
      c.argument('[model]', 'registered executor name or a model file (else [model] class in --toml, or the one in --model)').option(
        MODEL_FILE,
        MODEL_FILE_HELP,
      );
    return c;
  };
  /** The executor an action runs, from its arguments. */
  const target = async (args: unknown[], opts: { model?: string; toml?: string }): Promise<ExecutorClass> => {
    if (fixed) return fixed;
    let name = typeof args[0] === 'string' ? args[0] : undefined;
    let model = opts.model;
    // `dissmodel check ./my_model.ts`: a module file where a name goes (registry names have no dots).
    if (name && MODULE_FILE.test(name)) {
      if (model) throw new RegistryError(`Give the model file once: '${name}' or --model ${model}.`);
      [model, name] = [name, undefined];
    }
    const { resolveSpec, resolveExecutor } = await commands();
    const { spec } = await resolveSpec({ ...(opts.toml ? { toml: opts.toml } : {}) });
    return resolveExecutor(name, { ...(model ? { model } : {}) }, spec);
  };
  const optsOf = (args: unknown[]): Record<string, unknown> => args[fixed ? 0 : 1] as Record<string, unknown>;

  if (!fixed) {
    program
      .command('list')
      .description('list the registered executors')
      .option(MODEL_FILE, 'also load this model file')
      .action(async (opts: { model?: string }) => {
        if (opts.model) await (await import('./model-source.ts')).loadModelFile(opts.model);
        process.exitCode = listCommand(io);
      });
  }

  command('show', 'show an executor and its resolved parameters')
    .option('-t, --toml <file>', 'model.toml with [model.parameters]')
    .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
    .action(async (...args: unknown[]) => {
      const opts = optsOf(args);
      const cls = await target(args, opts);
      process.exitCode = await (await commands()).showCommand(cls, opts, io);
    });

  command('validate', 'run the contract tests, then a full cycle if an input is given')
    .option('-t, --toml <file>', 'model.toml with [model.parameters]')
    .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
    .option('-i, --input <uri>', 'input dataset: path, http(s)://, s3://bucket/key or sample:NAME')
    .action(async (...args: unknown[]) => {
      const opts = optsOf(args);
      const cls = await target(args, opts);
      process.exitCode = await (await commands()).validateCommand(cls, opts, io);
    });

  command('run', 'run an executor: output, <stem>.record.json and profiling_<id8>.md')
    .option('-i, --input <uri>', 'input dataset: path, http(s)://, s3://bucket/key or sample:NAME (omit for models without input)')
    .option('-o, --output <path>', 'output file or directory (the experiment id is injected into the name)')
    .option('-t, --toml <file>', 'model.toml with [model.parameters]')
    .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
    .option('--column-map <canonical=real>', 'rename a vector column (repeatable)', collect)
    .option('--band-map <canonical=real>', 'map a raster band by name or number (repeatable)', collect)
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'raster', 'vector']).default('auto'))
    .option('--threads <n>', THREADS_HELP)
    .action(async (...args: unknown[]) => {
      const opts = optsOf(args) as { input?: string; model?: string; toml?: string; threads?: string };
      useNodeBands(bandThreadsFrom(opts.threads));
      const cls = await target(args, opts);
      const ac = new AbortController();
      onInterrupt(() => ac.abort());
      const input = !opts.input || opts.input === 'none' ? '' : opts.input;
      const r = await (await commands()).runCommand(cls, { ...opts, input, signal: ac.signal }, io);
      process.exitCode = r.code;
    });

  command('check', 'contract check of a model: name, phases, parameter schema, validate without I/O, a full run, two runs alike')
    .option('-i, --input <uri>', "input dataset (default: the model's spec.sample)")
    .action(async (...args: unknown[]) => {
      const opts = optsOf(args) as { input?: string; model?: string; toml?: string };
      const cls = await target(args, opts);
      process.exitCode = await (await import('./check.ts')).checkCommand(cls, opts, io);
    });

  if (fixed) return program;

  program
    .command('sweep')
    .description(
      'run a grid of parameter values (× seeds) on a pool of workers; each run writes output, record and profiling; a CSV table sums up',
    )
    .argument('[model]', 'registered executor name (or [model] class in --toml, or the one in --model)')
    .option(MODEL_FILE, MODEL_FILE_HELP)
    .option('-i, --input <uri>', 'input dataset: path, http(s)://, s3://bucket/key or sample:NAME (omit for models without input)')
    .option('-p, --param <key=a,b,c>', 'values swept for a parameter, comma-separated (repeatable; one value = fixed)', collect)
    .option('--seeds <n>', 'run every combination with seeds 1..n (stochastic models)', (v) => Number(v))
    .option('--seed-list <s1,s2,...>', 'run every combination with these seeds')
    .option('-o, --output <dir>', 'directory for the runs and sweep_<id8>.csv (default outputs/sweep_<id8>)')
    .option('-j, --jobs <n>', 'worker threads (default: os.availableParallelism())', (v) => Number(v))
    .option('-t, --toml <file>', 'model.toml with [model.parameters] (fixed values)')
    .option('--column-map <canonical=real>', 'rename a vector column (repeatable)', collect)
    .option('--band-map <canonical=real>', 'map a raster band by name or number (repeatable)', collect)
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'raster', 'vector']).default('auto'))
    .option('-s, --server <url>', 'run the sweep as jobs on a platform server (dissmodel serve) and gather one table')
    .option('-k, --api-key <key>', 'X-API-Key for --server (default DISSMODEL_API_KEY)')
    .action(async (...args: unknown[]) => {
      const opts = optsOf(args) as { input?: string; model?: string; toml?: string; server?: string };
      const cls = await target(args, opts);
      const input = !opts.input || opts.input === 'none' ? '' : opts.input;
      if (opts.server) {
        process.exitCode = await (await import('../platform/commands.ts')).serverSweep(cls, { ...opts, input }, io);
        return;
      }
      const r = await (await import('./sweep.ts')).sweepCommand(cls, { ...opts, input }, io);
      process.exitCode = r.code;
    });

  program
    .command('reproduce')
    .description('re-run a record on its recorded input; exit 0 only when the output SHA-256 matches')
    .argument('<record>', 'a record.json written by this CLI, the workbench or DisSModel')
    .option('-o, --output <path>', 'output file or directory')
    .option(MODEL_FILE, 'the model file the record was made with (its SHA-256 is compared with the record)')
    .option('--allow-private-network', "let the record's input come from loopback, private or link-local addresses (refused by default)")
    .option(
      '--original-output <file>',
      "the original run's output, to compare values when the checksums differ (default: the record's output_path, or that name beside the record)",
    )
    .option('--threads <n>', THREADS_HELP)
    .action(
      async (
        recordPath: string,
        opts: { output?: string; model?: string; allowPrivateNetwork?: boolean; originalOutput?: string; threads?: string },
      ) => {
        useNodeBands(bandThreadsFrom(opts.threads));
        const ac = new AbortController();
        onInterrupt(() => ac.abort());
        process.exitCode = await (await commands()).reproduceCommand(recordPath, { ...opts, signal: ac.signal }, io);
      },
    );

  registerPlatformCommands(program, io);

  return program;
}

/** Parse and run; any error is one line on stderr and exit code 1 (commander's own: its code). */
export async function runProgram(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e: unknown) {
    const ce = e as { code?: unknown; exitCode?: unknown };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.') && typeof ce.exitCode === 'number') {
      process.exitCode = ce.exitCode;
      return ce.exitCode;
    }
    process.stderr.write(`✖ ${oneLine(describeError(e))}\n`);
    process.exitCode = 1;
    return 1;
  }
}
