/**
 * The package as a modeller gets it. `npm pack` (its prepack runs
 * `npm run build:lib`) makes the tarball; a fresh project elsewhere installs
 * it offline (a lockfile built from this repository's, so npm takes every
 * tarball from the cache), copies examples/my_model.ts in, type-checks it with
 * tsc against the installed .d.ts, and runs it three ways — its own
 * `runCli` (node on the compiled .js), `dissmodel run --model`, and a TOML
 * `[model] package` — which must give the same output bytes; `dissmodel check`
 * must pass it and name the failing check of a broken copy.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutorRegistry } from '../src/models/index.ts';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-package-'));
const project = join(work, 'project');
// The project holds an installed node_modules: removing it takes more than the default 10 s hook time on a busy machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], cwd: string, timeout = 120_000): Promise<Result> {
  return new Promise((done) => {
    execFile(file, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const npm = (args: string[], cwd: string) => exec(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd);
/** `npx dissmodel …` in the project: the installed bin. */
const dissmodel = (...args: string[]) => exec(join(project, 'node_modules/.bin/dissmodel'), args, project);
/** The example's own command line: node on its compiled JavaScript. */
const ownCli = (...args: string[]) => exec(process.execPath, ['build/my_model.js', ...args], project);

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const SAMPLE = 'sample:gol_random_512x512.tif';
const RUN = ['--input', SAMPLE, '--param', 'end_time=20'];

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

/**
 * The project's package-lock.json: the tarball plus the closure of the given
 * dependencies, copied from this repository's lockfile (resolved URLs and
 * integrity), so an offline install finds every tarball in npm's cache.
 */
function projectLock(tgz: string, extra: Record<string, string>) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packages: Record<string, unknown> = {};
  const visit = (key: string) => {
    if (key in packages) return;
    const entry = lock.packages[key];
    if (!entry) throw new Error(`${key} is not in package-lock.json`);
    const { dev: _d, devOptional: _o, ...rest } = entry;
    packages[key] = rest;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      // Node's lookup: nested node_modules first, then each parent's.
      let base = key;
      for (;;) {
        const nested = `${base}/node_modules/${dep}`;
        if (lock.packages[nested]) {
          visit(nested);
          break;
        }
        const i = base.lastIndexOf('/node_modules/');
        if (i < 0) {
          if (lock.packages[`node_modules/${dep}`]) visit(`node_modules/${dep}`);
          else if (!entry.optionalDependencies?.[dep]) throw new Error(`${dep} (needed by ${key}) is not in package-lock.json`);
          break;
        }
        base = base.slice(0, i);
      }
    }
  };
  for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(extra)]) visit(`node_modules/${name}`);
  const dependencies = { [pkg.name]: `file:${tgz}`, ...extra };
  packages[''] = { name: 'my-models', dependencies };
  packages[`node_modules/${pkg.name}`] = {
    version: pkg.version,
    resolved: `file:${tgz}`,
    dependencies: pkg.dependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  return { dependencies, lock: { name: 'my-models', lockfileVersion: 3, requires: true, packages } };
}

let packed: { filename: string; files: { path: string }[] };

beforeAll(async () => {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pack = await npm(['pack', '--json', '--pack-destination', work], root);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  // prepack's output (build:lib) comes first on stdout; the JSON report is the array at the end.
  packed = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[') + 1))[0];
  mkdirSync(project);
  cpSync(join(work, packed.filename), join(project, packed.filename));
  const tools = { typescript: rootPkg.devDependencies.typescript, '@types/node': rootPkg.devDependencies['@types/node'] };
  const { dependencies, lock } = projectLock(packed.filename, tools);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-models', private: true, type: 'module', dependencies }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  const install = await npm(['install', '--offline', '--no-audit', '--no-fund'], project);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  cpSync(join(root, 'examples/my_model.ts'), join(project, 'my_model.ts'));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        types: ['node'],
        outDir: 'build',
      },
      files: ['my_model.ts'],
    }),
  );
}, 240_000);

/** The files of a run in `dir`: output, record and profiling, named with the id. */
function artefacts(dir: string, stem: string) {
  const files = readdirSync(join(project, dir)).sort();
  const tif = files.find((f) => new RegExp(`^${stem}_[0-9a-f]{8}\\.tif$`).test(f));
  expect(tif, files.join(', ')).toBeDefined();
  const id8 = tif!.slice(stem.length + 1, stem.length + 9);
  expect(files).toEqual([`${stem}_${id8}.record.json`, tif!, `profiling_${id8}.md`].sort());
  const bytes = readFileSync(join(project, dir, tif!));
  const record = JSON.parse(readFileSync(join(project, dir, `${stem}_${id8}.record.json`), 'utf8'));
  expect(record.experiment_id.startsWith(id8)).toBe(true);
  expect(record.status).toBe('completed');
  expect(record.artifacts.output).toBe(sha(bytes));
  expect(record.artifacts.profiling).toBe(sha(readFileSync(join(project, dir, `profiling_${id8}.md`))));
  expect(record.source.checksum).toBe(sha(readFileSync(join(root, 'public/samples/gol_random_512x512.tif'))));
  return { bytes, record, recordPath: join(dir, `${stem}_${id8}.record.json`) };
}

describe('the export map', () => {
  it('has one entry per module of src/entries, each with the same shape (sources in the repository, compiled elsewhere)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const entries = readdirSync(join(root, 'src/entries'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    const subpaths = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => k.slice(2))
      .sort();
    expect(subpaths).toEqual(entries);
    for (const name of entries) {
      expect(pkg.exports[`./${name}`]).toEqual({
        'dissmodel-source': `./src/entries/${name}.ts`,
        types: `./dist-lib/entries/${name}.d.ts`,
        default: `./dist-lib/entries/${name}.js`,
      });
    }
  });
});

describe('the packed package, installed in a fresh project', () => {
  it('ships compiled JavaScript, declarations, the bin and the samples — no sources, no tests, no TypeScript at run time', () => {
    const paths = packed.files.map((f) => f.path);
    for (const sub of ['executor', 'io', 'sim', 'models', 'cli']) {
      expect(paths).toContain(`dist-lib/entries/${sub}.js`);
      expect(paths).toContain(`dist-lib/entries/${sub}.d.ts`);
    }
    expect(paths).toContain('bin/dissmodel.js');
    expect(paths).toContain('public/samples/gol_random_512x512.tif');
    expect(paths.filter((p) => p.startsWith('src/') || /\.test\.|\.ts$/.test(p.replace(/\.d\.ts$/, '')))).toEqual([]);
    expect(existsSync(join(project, 'node_modules/dissmodel-workbench/src'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
  });

  it('imports a model only when it runs: list reads the catalogue alone, run NAME imports that model and no other', async () => {
    // A resolve hook that notes every module the CLI imports, in a file.
    writeFileSync(
      join(project, 'trace-hooks.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.TRACE, r.url + "\\n"); return r; }\n',
    );
    writeFileSync(join(project, 'trace.mjs'), "import { register } from 'node:module';\nregister('./trace-hooks.mjs', import.meta.url);\n");
    // DISSMODEL_BUNDLE=0: dist-lib's modules, whose imports the hook sees (the CLI bundle is one script: its
    // model modules are evaluated as lazily, from the same catalogue, but import no file).
    const traced = async (name: string, bundle: boolean, ...args: string[]) => {
      const trace = join(project, `${name}.trace`);
      const bin = join(project, 'node_modules/dissmodel-workbench/bin/dissmodel.js');
      const env = [`TRACE=${trace}`, ...(bundle ? [] : ['DISSMODEL_BUNDLE=0'])];
      const r = await exec('/usr/bin/env', [...env, process.execPath, '--import', './trace.mjs', bin, ...args], project);
      const urls = [...new Set(readFileSync(trace, 'utf8').split('\n'))];
      const models = urls.map((u) => /\/dist-lib\/models\/(.+)$/.exec(u)?.[1]);
      return { ...r, urls, models: models.filter((m) => m !== undefined) };
    };
    const names = (stdout: string) =>
      stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(' ')[0]);
    const list = await traced('list', false, 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(names(list.stdout)).toEqual(ExecutorRegistry.list()); // every built-in model, in registration order, from the catalogue alone
    expect(list.models).toEqual([]);
    const run = await traced('run', false, 'run', 'game_of_life', ...RUN, '--output', 'lazy/');
    expect(run.code, run.stderr).toBe(0);
    expect(run.models).toContain('game-of-life/executor.js');
    expect(run.models.filter((m) => /^(brmangue|coastal|flood-benchmark|forest-fire|forest-fire-prob|sysdyn)\//.test(m))).toEqual([]);
    // `list` alone prints the text build:lib wrote (dist-lib/cli/list.txt): byte for byte what the CLI
    // computes from the catalogue above, and no module of dist-lib imported for it
    expect(readFileSync(join(project, 'node_modules/dissmodel-workbench/dist-lib/cli/list.txt'), 'utf8')).toBe(list.stdout);
    const printed = await traced('list-printed', true, 'list');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(list.stdout);
    expect(printed.urls.filter((u) => u.includes('/dist-lib/'))).toEqual([]);
  });

  it('ships the CLI bundle with its code cache, made from that bundle', () => {
    const cli = join(project, 'node_modules/dissmodel-workbench/dist-lib/cli');
    const cache = readFileSync(join(cli, 'bundle.cache'));
    const bundle = readFileSync(join(cli, 'bundle.cjs'));
    expect(cache.toString('latin1', 0, 64)).toBe(createHash('sha256').update(bundle).digest('hex'));
  });

  it('type-checks the example against the installed .d.ts, and the types are real (a wrong spec fails)', async () => {
    const ok = await exec(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(existsSync(join(project, 'build/my_model.js'))).toBe(true);
    writeFileSync(
      join(project, 'wrong.ts'),
      "import type { ExecutorSpec } from 'dissmodel-workbench/executor';\n" +
        "export const spec: ExecutorSpec = { name: 'x', title: 'x', description: 'x', family: 'x', inputs: ['grid'], params: {}, output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' } };\n",
    );
    const config = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8'));
    writeFileSync(
      join(project, 'tsconfig.wrong.json'),
      JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, noEmit: true, skipLibCheck: true }, files: ['wrong.ts'] }),
    );
    const bad = await exec(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.wrong.json'], project);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.ts.*Type '"grid"' is not assignable to type 'InputKind'/);
  });

  it("runs through its own runCli: DisSModel's artefacts, the model file's SHA-256 as model_commit", async () => {
    const r = await ownCli('run', ...RUN, '--output', 'own/vote.tif');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✅ Completed');
    const { record } = artefacts('own', 'vote');
    expect(record.model_name).toBe('majority_vote');
    expect(record.model_commit).toBe(`sha256:${sha(readFileSync(join(project, 'build/my_model.js')))}`);
    expect(record.parameters).toEqual({ end_time: 20, threshold: 5 });

    const show = await ownCli('show', '--param', 'threshold=6');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('threshold = 6');
    expect(show.stdout).toContain('end_time = 10 (default)');
    const validate = await ownCli('validate', '--input', SAMPLE);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('All contract tests passed.');
  });

  it('fails in its own runCli as dissmodel does: exit 1, one line, nothing written', async () => {
    for (const cli of [ownCli, (...a: string[]) => dissmodel(a[0], '--model', './build/my_model.js', ...a.slice(1))]) {
      const r = await cli('run', '--input', 'missing.tif', '--output', 'failed/vote.tif');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("✖ Failed during load: Cannot read 'missing.tif': no such file.\n");
      expect(existsSync(join(project, 'failed'))).toBe(false);
      const p = await cli('run', '--input', SAMPLE, '--output', 'failed/vote.tif', '--param', 'threshold=10');
      expect(p.code).toBe(1);
      expect(p.stderr.trim().split('\n')).toHaveLength(1);
      expect(p.stderr).toMatch(/^✖ Failed during validate: .*threshold/);
    }
  });

  it('runs through dissmodel run --model and a TOML [model] package with the same output bytes as its own CLI', async () => {
    const own = artefacts('own', 'vote');
    const r = await dissmodel('run', '--model', './build/my_model.js', ...RUN, '--output', 'cli/vote.tif');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cli = artefacts('cli', 'vote');
    expect(sha(cli.bytes)).toBe(sha(own.bytes));
    expect(cli.record.model_commit).toBe(own.record.model_commit);

    // An installed package that defines the executor, named by a TOML.
    const pkgDir = join(project, 'node_modules/majority-vote-model');
    mkdirSync(pkgDir);
    cpSync(join(project, 'build/my_model.js'), join(pkgDir, 'index.js'));
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'majority-vote-model', type: 'module', exports: './index.js' }));
    writeFileSync(
      join(project, 'model.toml'),
      '[model]\nclass = "majority_vote"\npackage = "majority-vote-model"\n[model.parameters]\nend_time = 20\n',
    );
    const t = await dissmodel('run', '--toml', 'model.toml', '--input', SAMPLE, '--output', 'toml/vote.tif');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(sha(artefacts('toml', 'vote').bytes)).toBe(sha(own.bytes));

    writeFileSync(join(project, 'unknown.toml'), '[model]\nclass = "majority"\npackage = "majority-vote-model"\n');
    const u = await dissmodel('run', '--toml', 'unknown.toml', '--input', SAMPLE);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(
      /^✖ Package 'majority-vote-model' registered no executor named 'majority' \(it registered majority_vote\)\. Available: game_of_life, .*majority_vote\.\n$/,
    );
    writeFileSync(join(project, 'missing.toml'), '[model]\nclass = "majority_vote"\npackage = "not-installed-model"\n');
    const m = await dissmodel('run', '--toml', 'missing.toml', '--input', SAMPLE);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/not installed in this project .*npm install not-installed-model\); dissmodel never installs anything/);
  });

  it('dissmodel check passes the example and names the failing check of a broken copy', async () => {
    const ok = await dissmodel('check', './build/my_model.js');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    for (const name of ['validate does no I/O', `full cycle on ${SAMPLE}`, 'two runs give the same output bytes']) {
      expect(ok.stdout).toContain(`✅ ${name}`);
    }
    expect(ok.stdout).toMatch(/✅ all \d+ checks passed/);
    const js = readFileSync(join(project, 'build/my_model.js'), 'utf8');
    const broken = js.replace(/setOutputSha256\(record, await sha256HexAsync\(bytes\)\);/, '');
    expect(broken).not.toBe(js);
    writeFileSync(join(project, 'build/broken.js'), broken);
    const bad = await dissmodel('check', './build/broken.js');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`✖ check failed: full cycle on ${SAMPLE} — save did not set artifacts.output\n`);
  });

  it('reproduce checks the model file: same code, or says that it differs', async () => {
    const { recordPath } = artefacts('cli', 'vote');
    const same = await dissmodel('reproduce', recordPath, '--model', './build/my_model.js', '--output', 'rep/');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("✅ same model code: ./build/my_model.js has the record's sha256");
    expect(same.stdout).toContain('reproduced — output SHA-256 matches');
    writeFileSync(join(project, 'build/edited.js'), readFileSync(join(project, 'build/my_model.js'), 'utf8') + '\n// edited\n');
    const edited = await dissmodel('reproduce', recordPath, '--model', './build/edited.js', '--output', 'rep/');
    expect(edited.stdout).toMatch(
      /⚠ the model code differs: the record was made by a file with sha256 [0-9a-f]{64}, \.\/build\/edited\.js has sha256/,
    );
    const none = await dissmodel('reproduce', recordPath);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/made by a model loaded from a file \(sha256 [0-9a-f]{64}\); pass that file with --model FILE\.\n$/);
  });

  it('refuses clearly: TypeScript without tsx, a file that registers nothing, a built-in name', async () => {
    const ts = await dissmodel('run', '--model', './my_model.ts', ...RUN);
    expect(ts.code).toBe(1);
    expect(ts.stderr).toMatch(
      /^✖ '\.\/my_model\.ts' is TypeScript, and loading TypeScript needs tsx.*npm install --save-dev tsx.*\.js file\.\n$/,
    );
    writeFileSync(join(project, 'empty.js'), 'export const nothing = 1;\n');
    const empty = await dissmodel('run', '--model', './empty.js', ...RUN);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^✖ '\.\/empty\.js' registered no executor: .*Available: game_of_life, .*brmangue(, [a-z_, ]+)?\.\n$/);
    const js = readFileSync(join(project, 'build/my_model.js'), 'utf8');
    writeFileSync(join(project, 'build/clash.js'), js.replace("name: 'majority_vote'", "name: 'game_of_life'"));
    const clash = await dissmodel('run', '--model', './build/clash.js', ...RUN);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(
      /^✖ Loading the model file '\.\/build\/clash\.js' failed: An executor named 'game_of_life' is already registered; choose another name\. Registered: game_of_life, /,
    );
  });
});
