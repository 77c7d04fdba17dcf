/**
 * The command-line part of the bad-input corpus (issue 18): inputs that are not bytes
 * but what the CLI is pointed at — devices, pipes, oversized sparse files, output names
 * that collide, parameters a record cannot hold, a record that tries to drive the
 * terminal. Each case prepares its files in a fresh directory and gives the arguments;
 * tests/corpus-cli.test.ts runs `node bin/dissmodel.js` on them and checks the exit
 * code, the one stderr line and that nothing is left in the case's output directory.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from './build.ts';

export interface CliCase {
  id: string;
  what: string;
  /** Write the case's files into `dir`; return the CLI arguments. `out` is the output directory that must stay empty. */
  args: (dir: string, out: string) => string[];
  code: number;
  /** The one stderr line (for code ≠ 0), or the warning line. */
  stderr: RegExp;
}

const fifo = (path: string): string => {
  execFileSync('mkfifo', [path]);
  return path;
};

/** A sparse file of `bytes` (stat says so; nothing is written to disk). */
const sparse = (path: string, bytes: number): string => {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
};

const glider = (dir: string): string => {
  const p = join(dir, 'glider.tif');
  copyFileSync(join(SAMPLES, 'gol_glider_64x64.tif'), p);
  return p;
};

export const CLI_CASES: CliCase[] = [
  // 1. files that are not regular, or too large
  {
    id: 'input-dev-zero',
    what: '--input /dev/zero: stat says 0 bytes, reading never ends',
    args: (_d, out) => ['run', 'game_of_life', '--input', '/dev/zero', '--output', join(out, 'g.tif')],
    code: 1,
    stderr: /^✖ Failed during load: Cannot read the input '\/dev\/zero': it is a character device, not a regular file/,
  },
  {
    id: 'input-fifo',
    what: '--input a FIFO (a process substitution is one): the open would block',
    args: (d, out) => ['run', 'game_of_life', '--input', fifo(join(d, 'in.fifo')), '--output', join(out, 'g.tif')],
    code: 1,
    stderr: /^✖ Failed during load: Cannot read the input '.*in\.fifo': it is a pipe \(a FIFO or a process substitution/,
  },
  {
    id: 'input-sparse-600mb',
    what: 'a 600 MB input (sparse): refused from its size, not read',
    args: (d, out) => ['run', 'game_of_life', '--input', sparse(join(d, 'big.tif'), 600 * 1024 * 1024), '--output', join(out, 'g.tif')],
    code: 1,
    stderr: /^✖ Failed during load: The input '.*big\.tif' is 629145600 bytes; the largest input accepted is 536870912 bytes\.$/,
  },
  {
    id: 'toml-dev-urandom',
    what: '--toml /dev/urandom: read 1.1 GB, then said "TOML file not found"',
    args: () => ['run', 'sir', '--toml', '/dev/urandom'],
    code: 1,
    stderr: /^✖ Cannot read the TOML file '\/dev\/urandom': it is a character device, not a regular file/,
  },
  {
    id: 'toml-not-utf8',
    what: 'a TOML file of binary bytes',
    args: (d) => {
      writeFileSync(join(d, 'bin.toml'), Buffer.from([0x5b, 0x6d, 0xff, 0xfe, 0x00, 0x80, 0x5d]));
      return ['run', 'sir', '--toml', join(d, 'bin.toml')];
    },
    code: 1,
    stderr: /^✖ The TOML file '.*bin\.toml' is not UTF-8 text\.$/,
  },
  {
    id: 'toml-sparse-2mb',
    what: 'a 2 MB TOML file',
    args: (d) => ['run', 'sir', '--toml', sparse(join(d, 'big.toml'), 2 * 1024 * 1024)],
    code: 1,
    stderr: /^✖ The TOML file '.*big\.toml' is 2097152 bytes; the largest accepted is 1048576 bytes\.$/,
  },
  {
    id: 'record-sparse-700mb',
    what: 'a 700 MB record: read 600 MB, then said "Cannot read the record"',
    args: (d, out) => ['reproduce', sparse(join(d, 'big.record.json'), 700 * 1024 * 1024), '--output', out + '/'],
    code: 1,
    stderr: /^✖ The record '.*big\.record\.json' is 734003200 bytes; the largest accepted is 100663296 bytes\.$/,
  },
  {
    id: 'record-fifo',
    what: 'a record that is a FIFO',
    args: (d, out) => ['reproduce', fifo(join(d, 'r.record.json')), '--output', out + '/'],
    code: 1,
    stderr: /^✖ Cannot read the record '.*r\.record\.json': it is a pipe/,
  },
  {
    id: 'model-dev-null',
    what: '--model a character device named like a module',
    args: (d) => {
      execFileSync('ln', ['-s', '/dev/null', join(d, 'null.ts')]);
      return ['run', 'sir', '--model', join(d, 'null.ts')];
    },
    code: 1,
    stderr: /^✖ Cannot read the model file '.*null\.ts': it is a character device, not a regular file/,
  },
  // 3. output names that collide
  {
    id: 'output-is-profiling',
    what: '--output DIR/profiling.md: the profiling report would replace the output',
    args: (_d, out) => ['run', 'sir', '--output', join(out, 'profiling.md')],
    code: 1,
    stderr:
      /^✖ Failed during validate: The output name '.*profiling_[0-9a-f]{8}\.md' makes the output and the profiling report the same file/,
  },
  {
    id: 'output-dev-full',
    what: '--output /dev/full: created regular files named /dev/full_<id8>…',
    args: () => ['run', 'sir', '--output', '/dev/full'],
    code: 1,
    stderr: /^✖ --output '\/dev\/full' is a character device, not a file or a directory/,
  },
  // 4. parameters a record cannot hold
  {
    id: 'param-constructor',
    what: '--param constructor=1: run exited 0, reproduce refused the record',
    args: (_d, out) => ['run', 'sir', '--param', 'constructor=1', '--output', join(out, 's.csv')],
    code: 1,
    stderr: /^✖ --param constructor: 'constructor' is not a parameter name/,
  },
  {
    id: 'toml-proto-table',
    what: 'a TOML [model.parameters.__proto__] table',
    args: (d, out) => {
      writeFileSync(join(d, 'proto.toml'), '[model.parameters.__proto__]\npolluted = 1\n');
      return ['run', 'sir', '--toml', join(d, 'proto.toml'), '--output', join(out, 's.csv')];
    },
    code: 1,
    stderr: /the table \[model\.parameters\.__proto__\] uses a reserved name/,
  },
  {
    id: 'param-9000-chars',
    what: 'a 9,000-character unknown parameter, refused at validate',
    args: () => ['validate', 'sir', '--param', `note=${'a'.repeat(9000)}`],
    code: 1,
    stderr:
      /^✖ The run's record could not be read back \(by reproduce\): 'parameters\.note' is 9000 characters long; at most 8192 are accepted\.$/,
  },
  // 6. messages that mislead
  {
    id: 'format-vector-on-tiff',
    what: '--format vector on a TIFF said "not UTF-8 text"',
    args: (d, out) => ['run', 'game_of_life', '--input', glider(d), '--format', 'vector', '--output', join(out, 'g.tif')],
    code: 1,
    stderr: /The input format 'vector' was asked for, but '.*glider\.tif' is a TIFF \(raster\)\. Use --format raster or auto/,
  },
  {
    id: 'format-raster-on-json',
    what: '--format raster on a GeoJSON',
    args: (d, out) => {
      writeFileSync(join(d, 'cells.geojson'), '{"type":"FeatureCollection","features":[]}');
      return ['run', 'game_of_life', '--input', join(d, 'cells.geojson'), '--format', 'raster', '--output', join(out, 'g.tif')];
    },
    code: 1,
    stderr: /is JSON \(vector\)\. Use --format vector or auto/,
  },
  // 5. a diverged model: completes, with a warning
  {
    id: 'lorenz-diverges',
    what: 'a Lorenz run inside the allowed ranges that diverges to NaN was reported "completed" silently',
    args: (_d, out) => [
      'run',
      'lorenz',
      '--param',
      'delta=1',
      '--param',
      'sigma=1000',
      '--param',
      'rho=1000',
      '--param',
      'end_time=50',
      '--output',
      join(out, 'l.csv'),
    ],
    code: 0,
    stderr: /^⚠ Warning: \d+ of 204 values are not finite \(NaN or ±inf\) in x, y, z: the model diverged/,
  },
];
