/**
 * The CLI end to end, as a user runs it: `node bin/dissmodel.js …` in a
 * child process, on real files, checking exit codes, artefacts and checksums.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readGeoTiff } from '../src/io/geotiff-read.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/dissmodel.js');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const glider = join(root, 'public/samples/gol_glider_64x64.tif');

describe('dissmodel CLI', () => {
  it('lists the registered executors', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/game_of_life\s+raster\|vector\s+Game of Life/);
  });

  it('shows resolved parameters with TOML then --param overrides', async () => {
    const toml = join(work, 'model.toml');
    writeFileSync(toml, '[model]\nclass = "game_of_life"\n[model.parameters]\nend_time = 20\nstart_time = 2\n');
    const r = await cli('show', 'game_of_life', '--toml', toml, '--param', 'end_time=50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('end_time = 50');
    expect(r.stdout).toContain('start_time = 2');
    expect(r.stdout).toContain('Spec sections: [class, parameters]');
  });

  it('runs game_of_life: output with the id injected, record and profiling beside it, checksums true', async () => {
    const r = await cli('run', 'game_of_life', '--input', glider, '--output', 'out/gol.tif', '--param', 'end_time=300');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(join(work, 'out'));
    const tif = files.find((f) => /^gol_[0-9a-f]{8}\.tif$/.test(f))!;
    const id8 = tif.slice(4, 12);
    expect(files.sort()).toEqual([`gol_${id8}.record.json`, tif, `profiling_${id8}.md`].sort());
    const record = JSON.parse(readFileSync(join(work, 'out', `gol_${id8}.record.json`), 'utf8'));
    const bytes = readFileSync(join(work, 'out', tif));
    expect(record.artifacts.output).toBe(sha(bytes));
    expect(record.artifacts.profiling).toBe(sha(readFileSync(join(work, 'out', `profiling_${id8}.md`))));
    expect(record.source.checksum).toBe(sha(readFileSync(glider)));
    expect(record.experiment_id.startsWith(id8)).toBe(true);
    expect(record.status).toBe('completed');
    expect(record.parameters).toEqual({ start_time: 1, end_time: 300 });
    expect(Object.keys(record.metrics)).toEqual(['time_validate_sec', 'time_load_sec', 'time_run_sec', 'time_save_sec', 'time_total_sec']);
    const out = await readGeoTiff(new Uint8Array(bytes));
    expect(out.bands.map((b) => [b.name, b.dtype])).toEqual([['state', 'uint8']]);
    expect(out.width).toBe(64);
    expect(r.stdout).toContain('✅ Completed');
  });

  it('gives identical output bytes on two runs', async () => {
    const a = await cli('run', 'game_of_life', '--input', glider, '--output', 'twice/a.tif', '--param', 'end_time=50');
    const b = await cli('run', 'game_of_life', '--input', glider, '--output', 'twice/b.tif', '--param', 'end_time=50');
    expect([a.code, b.code]).toEqual([0, 0]);
    const tifs = readdirSync(join(work, 'twice')).filter((f) => f.endsWith('.tif'));
    expect(tifs).toHaveLength(2);
    const [x, y] = tifs.map((f) => readFileSync(join(work, 'twice', f)));
    expect(sha(x)).toBe(sha(y));
  });

  it('reproduces its own record and exits 0; a tampered record exits 1', async () => {
    const r = await cli('run', 'game_of_life', '--input', glider, '--output', 'rep/gol.tif', '--param', 'end_time=40');
    expect(r.code).toBe(0);
    const recPath = join(
      work,
      'rep',
      readdirSync(join(work, 'rep')).find((f) => f.endsWith('.record.json'))!,
    );
    const ok = await cli('reproduce', recPath, '--output', 'rep2/');
    expect(ok.stdout).toContain('reproduced — output SHA-256 matches');
    expect(ok.code).toBe(0);
    const rec = JSON.parse(readFileSync(recPath, 'utf8'));
    rec.parameters.end_time = 41;
    const tampered = join(work, 'tampered.record.json');
    writeFileSync(tampered, JSON.stringify(rec));
    const bad = await cli('reproduce', tampered, '--output', 'rep3/');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/differs \(expected [0-9a-f]{64}, got [0-9a-f]{64}\)/);
  });

  it('re-runs the record written by DisSModel’s Python CLI: same pixel values, bytes of another encoder', async () => {
    const pyRecord = resolve(root, 'tests/reference/dissmodel_cli_record.json');
    const r = await cli('reproduce', pyRecord, '--output', 'py/');
    expect(r.stdout).toContain('with brmangue on');
    expect(r.stdout).toMatch(
      /differs \(expected 3a3edbb1[0-9a-f]{56}, got [0-9a-f]{64}\) — the original was written by another code version/,
    );
    expect(r.code).toBe(1);
    const tif = readdirSync(join(work, 'py')).find((f) => f.endsWith('.tif'))!;
    const out = await readGeoTiff(new Uint8Array(readFileSync(join(work, 'py', tif))));
    const ref = JSON.parse(readFileSync(resolve(root, 'tests/reference/brmangue_flood_mangrove.json'), 'utf8'));
    const after8 = ref.cases.find((c: { case: string }) => c.case === 'taxa0.5_nomask').after_step['8'];
    for (const name of ['uso', 'alt', 'solo']) {
      const band = out.bands.find((b) => b.name === name)!;
      expect(Array.from(band.data), name).toEqual((after8[name] as number[][]).flat().map((v) => Math.fround(v)));
    }
  });

  it('runs a model with no input', async () => {
    const r = await cli('run', 'sir', '--output', 'sir/sir.csv');
    expect(r.code).toBe(0);
    const csv = readFileSync(
      join(
        work,
        'sir',
        readdirSync(join(work, 'sir')).find((f) => f.endsWith('.csv'))!,
      ),
      'utf8',
    );
    expect(csv.split('\n')[0]).toBe('time,susceptible,infected,recovered');
    expect(csv.trim().split('\n')).toHaveLength(32);
  });

  it.each([
    [['run', 'no_such_model', '--input', 'x.tif'], /Executor 'no_such_model' is not registered\. Available: .*game_of_life/],
    [['run', 'game_of_life', '--input', 'missing.tif', '--output', 'fail/x.tif'], /Cannot read 'missing.tif': no such file/],
    [['run', 'game_of_life', '--input', 'GLIDER', '--output', 'fail/x.tif', '--param', 'end_time=-1'], /'end_time' = -1 is out of range/],
    [
      ['run', 'game_of_life', '--input', 'GLIDER', '--output', 'fail/x.tif', '--band-map', 'state=nope'],
      /band_map maps 'state' to 'nope'.*Bands: 1:state/,
    ],
    [
      ['run', 'game_of_life', '--input', 'GLIDER', '--output', 'fail/x.tif', '--band-map', 'uso=1'],
      /band_map names 'uso', which is not a canonical name/,
    ],
    [['run', 'game_of_life', '--input', 'NOTTIFF', '--output', 'fail/x.tif'], /Not a TIFF file: it looks like text/],
  ])('fails with a one-line reason and leaves no output: %j', async (args, message) => {
    const notTiff = join(work, 'not.tif');
    writeFileSync(notTiff, 'hello, I am text');
    const real = args.map((a) => (a === 'GLIDER' ? glider : a === 'NOTTIFF' ? notTiff : a));
    const r = await cli(...real);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(work, 'fail')) ? readdirSync(join(work, 'fail')) : []).toEqual([]);
  });

  it('validate runs the contract tests and a full cycle', async () => {
    const r = await cli('validate', 'game_of_life', '--input', glider);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All contract tests passed.');
    expect(r.stdout).toMatch(/✅ full cycle on .*: completed, output sha256 [0-9a-f]{64}/);
  });
});

describe('dissmodel with a model of your own, from the sources', () => {
  const example = join(root, 'examples/my_model.ts');
  const core = pathToFileURL(join(root, 'src/executor/index.ts')).href;
  /** A model module in the work folder (an ES module project), importing the core by path. */
  const modelFile = (name: string, body: string) => {
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(work, name), body);
    return join(work, name);
  };

  it('runs examples/my_model.ts with --model (TypeScript, through tsx) and records the SHA-256 of the file', async () => {
    const r = await cli(
      'run',
      '--model',
      example,
      '--input',
      'sample:gol_random_512x512.tif',
      '--output',
      'mine/',
      '--param',
      'end_time=5',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(join(work, 'mine')).sort();
    const tif = files.find((f) => /^simulacao_[0-9a-f]{8}\.tif$/.test(f))!;
    const id8 = tif.slice(10, 18);
    expect(files).toEqual([`profiling_${id8}.md`, `simulacao_${id8}.record.json`, tif]);
    const record = JSON.parse(readFileSync(join(work, 'mine', `simulacao_${id8}.record.json`), 'utf8'));
    expect(record.model_name).toBe('majority_vote');
    expect(record.model_commit).toBe(`sha256:${sha(readFileSync(example))}`);
    expect(record.artifacts.output).toBe(sha(readFileSync(join(work, 'mine', tif))));
  });

  it('check passes the example; list shows where it came from', async () => {
    const r = await cli('check', example);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✅ two runs give the same output bytes — sha256 [0-9a-f]{64}/);
    const l = await cli('list', '--model', example);
    expect(l.stdout).toMatch(/majority_vote\s+raster\s+Majority vote {2}\(from .*my_model\.ts\)/);
  });

  it('refuses a file that registers nothing, a name taken by a built-in, a name the file does not define', async () => {
    const empty = modelFile('empty.ts', 'export const x: number = 1;\n');
    const e = await cli('run', '--model', empty, '--input', glider);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/^✖ '.*empty\.ts' registered no executor: .*Available: game_of_life, .*brmangue(, \w+)*\.\n$/);
    const clash = modelFile(
      'clash.ts',
      `import { ExecutorRegistry, ModelExecutor } from '${core}';\n` +
        `class Clash extends ModelExecutor { static spec = { name: 'game_of_life' } as never; static { ExecutorRegistry.register(this); }\n` +
        `  load() {} run() {} save(): never { throw new Error('no'); } }\n`,
    );
    const c = await cli('run', '--model', clash, '--input', glider);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(
      /^✖ Loading the model file '.*clash\.ts' failed: An executor named 'game_of_life' is already registered; choose another name\. Registered: game_of_life, /,
    );
    const cliModule = pathToFileURL(join(root, 'src/cli/run-cli.ts')).href;
    const noSpec = modelFile(
      'nospec.ts',
      `import { ModelExecutor } from '${core}';\nimport { runCli } from '${cliModule}';\n` +
        `class NoSpec extends ModelExecutor { load() {} run() {} save(): never { throw new Error('no'); } }\nrunCli(NoSpec as never);\n`,
    );
    const s = await cli('run', '--model', noSpec, '--input', glider);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(
      /^✖ Loading the model file '.*nospec\.ts' failed: An executor must declare spec\.name before registering\.\n$/,
    );
    const n = await cli('run', 'majority', '--model', example, '--input', glider);
    expect(n.code).toBe(1);
    expect(n.stderr).toBe(`✖ '${example}' registers no executor named 'majority'. It registers: majority_vote.\n`);
  });
});
