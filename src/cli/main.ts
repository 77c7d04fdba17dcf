/** `dissmodel` — run the workbench's executors headless. */
import { Command, Option } from 'commander';
import { describeError } from '../executor/errors.ts';
import '../models/index.ts';
import { CODE_VERSION } from '../version.ts';
import { listCommand, reproduceCommand, runCommand, showCommand, validateCommand, type Out } from './commands.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const io: Out = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  progress: process.stderr.isTTY
    ? (p) => {
        if (p.step !== undefined && p.total) process.stderr.write(`\r  ${p.phase} step ${p.step}/${p.total}   ${p.step === p.total ? '\n' : ''}`);
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
  process.stderr.write(`✖ ${describeError(e)}\n`);
  process.exitCode = 1;
});
