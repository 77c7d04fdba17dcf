/** `dissmodel` — run the workbench's executors headless. */
import { Command, Option } from 'commander';
import { describeError } from '../executor/errors.ts';
import '../models/index.ts';
import { CODE_VERSION } from '../version.ts';
import { listCommand, reproduceCommand, runCommand, showCommand, validateCommand, type Out } from './commands.ts';
import { oneLine } from './one-line.ts';
import { sweepCommand } from './sweep.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const io: Out = {
  out: (l) => process.stdout.write(l + '\n'),
  // Errors carry user data (names from records and files): one line, no control characters.
  err: (l) => process.stderr.write(oneLine(l) + '\n'),
  progress: process.stderr.isTTY
    ? (p) => {
        if (p.step !== undefined && p.total)
          process.stderr.write(`\r  ${p.phase} step ${p.step}/${p.total}   ${p.step === p.total ? '\n' : ''}`);
      }
    : undefined,
};

const program = new Command('dissmodel')
  .description('Run DisSModel-style spatial simulation executors headless.')
  .version(CODE_VERSION)
  .showHelpAfterError();

program
  .command('list')
  .description('list the registered executors')
  .action(() => {
    process.exitCode = listCommand(io);
  });

program
  .command('show')
  .description('show an executor and its resolved parameters')
  .argument('<model>', 'registered executor name')
  .option('-t, --toml <file>', 'model.toml with [model.parameters]')
  .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
  .action(async (model: string, opts) => {
    process.exitCode = await showCommand(model, opts, io);
  });

program
  .command('validate')
  .description('run the contract tests, then a full cycle if an input is given')
  .argument('<model>', 'registered executor name')
  .option('-t, --toml <file>', 'model.toml with [model.parameters]')
  .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
  .option('-i, --input <uri>', 'input dataset: path, http(s)://, s3://bucket/key or sample:NAME')
  .action(async (model: string, opts) => {
    process.exitCode = await validateCommand(model, opts, io);
  });

program
  .command('run')
  .description('run an executor: output, <stem>.record.json and profiling_<id8>.md')
  .argument('<model>', 'registered executor name')
  .option('-i, --input <uri>', 'input dataset: path, http(s)://, s3://bucket/key or sample:NAME (omit for models without input)')
  .option('-o, --output <path>', 'output file or directory (the experiment id is injected into the name)')
  .option('-t, --toml <file>', 'model.toml with [model.parameters]')
  .option('-p, --param <key=value>', 'parameter override (repeatable)', collect)
  .option('--column-map <canonical=real>', 'rename a vector column (repeatable)', collect)
  .option('--band-map <canonical=real>', 'map a raster band by name or number (repeatable)', collect)
  .addOption(new Option('--format <format>', 'input format').choices(['auto', 'raster', 'vector']).default('auto'))
  .action(async (model: string, opts) => {
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    const input = !opts.input || opts.input === 'none' ? '' : opts.input;
    const r = await runCommand(model, { ...opts, input, signal: ac.signal }, io);
    process.exitCode = r.code;
  });

program
  .command('sweep')
  .description(
    'run a grid of parameter values (× seeds) on a pool of workers; each run writes output, record and profiling; a CSV table sums up',
  )
  .argument('<model>', 'registered executor name')
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
  .action(async (model: string, opts) => {
    const input = !opts.input || opts.input === 'none' ? '' : opts.input;
    const r = await sweepCommand(model, { ...opts, input }, io);
    process.exitCode = r.code;
  });

program
  .command('reproduce')
  .description('re-run a record on its recorded input; exit 0 only when the output SHA-256 matches')
  .argument('<record>', 'a record.json written by this CLI, the workbench or DisSModel')
  .option('-o, --output <path>', 'output file or directory')
  .action(async (recordPath: string, opts) => {
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    process.exitCode = await reproduceCommand(recordPath, { ...opts, signal: ac.signal }, io);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`✖ ${oneLine(describeError(e))}\n`);
  process.exitCode = 1;
});
