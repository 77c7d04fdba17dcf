/**
 * Models from outside this package: a file (`--model ./my_model.ts` or `.js`)
 * or an installed package (`[model] package = "…"` in a TOML). Importing the
 * module defines its executor classes, which register themselves; what a file
 * registered is found by comparing the registry before and after. A file's
 * SHA-256 identifies the code that ran (it goes into `record.model_commit`).
 * Nothing is ever installed: a package is imported from the current project's
 * node_modules or refused.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError, RegistryError } from '../executor/errors.ts';
import type { ExecutorClass } from '../executor/executor.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import { MAX_MODEL_FILE_BYTES } from '../io/limits.ts';

// Imported when a model is loaded: `dissmodel list` reads modelSourceOf and nothing else.
const sha256Hex = async (bytes: Uint8Array) => (await import('../executor/sha256.ts')).sha256Hex(bytes);

export interface ModelSource {
  kind: 'file' | 'package';
  /** Absolute path of the file imported (for a package: its entry module). */
  path: string;
  /** As the user named it: the file path given, or the package (and module) name. */
  label: string;
  /** SHA-256 of the file (for a package: of its entry module). */
  sha256: string;
  /** The executors it registered, in registration order. */
  classes: ExecutorClass[];
}

/** `record.model_commit` of a run of a model loaded from a file: the file's SHA-256. */
export const MODEL_COMMIT_PREFIX = 'sha256:';

const bySource = new Map<string, ModelSource>();
const byClass = new Map<ExecutorClass, ModelSource>();
let loading = 0;

/** True while a model module is being imported by the CLI (runCli then only registers its class). */
export function isLoadingModel(): boolean {
  return loading > 0;
}

/** Where a registered executor came from, when it was loaded from a file or package. */
export function modelSourceOf(cls: ExecutorClass): ModelSource | undefined {
  return byClass.get(cls);
}

/** Record a class as coming from a file (runCli: the script being run is the model). */
export function noteModelSource(source: ModelSource): void {
  for (const c of source.classes) byClass.set(c, source);
  bySource.set(source.path, source);
}

const available = (): string => ExecutorRegistry.list().join(', ') || 'none';
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

let tsxReady: Promise<void> | null = null;

/**
 * TypeScript model files need a loader. From the repository the CLI runs under
 * tsx already; the installed package runs compiled JavaScript and uses tsx only
 * if the user's project has it.
 */
async function ensureTypeScript(file: string): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return;
  tsxReady ??= (async () => {
    let api: { register: () => unknown };
    try {
      api = (await import('tsx/esm/api')) as { register: () => unknown };
    } catch {
      tsxReady = null;
      throw new RegistryError(
        `'${file}' is TypeScript, and loading TypeScript needs tsx, which this project does not have: ` +
          `install it (npm install --save-dev tsx) or compile the model to JavaScript (npx tsc) and pass the .js file.`,
      );
    }
    api.register();
  })();
  await tsxReady;
}

async function importCounting(url: string, what: string): Promise<ExecutorClass[]> {
  const before = new Set(ExecutorRegistry.list());
  loading++;
  try {
    await import(url);
  } catch (e) {
    const message = describeError(e);
    const esmHint = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(message)
      ? ' It is an ES module: put it in a project whose package.json says "type": "module", or name it .mts / .mjs.'
      : '';
    throw new RegistryError(`Loading ${what} failed: ${message}${esmHint}`);
  } finally {
    loading--;
  }
  return ExecutorRegistry.list()
    .filter((n) => !before.has(n))
    .map((n) => ExecutorRegistry.get(n));
}

/** Import a model file and return what it registered (a file already loaded is not imported twice). */
export async function loadModelFile(file: string): Promise<ModelSource> {
  const path = resolve(file);
  const known = bySource.get(path);
  if (known) return known;
  const ext = extname(path).toLowerCase();
  if (!MODULE_EXTENSIONS.includes(ext)) {
    throw new RegistryError(`'${file}' is not a model module: give a ${MODULE_EXTENSIONS.join(', ')} file.`);
  }
  const { readBoundedFile } = await import('./bounded-read.ts');
  const bytes = await readBoundedFile(path, {
    what: 'the model file',
    limit: MAX_MODEL_FILE_BYTES,
    makeError: (message) => new RegistryError(message.replace(path, file)),
  });
  if (ext === '.ts' || ext === '.mts') await ensureTypeScript(file);
  const classes = await importCounting(pathToFileURL(path).href, `the model file '${file}'`);
  if (classes.length === 0) {
    throw new RegistryError(
      `'${file}' registered no executor: a model file defines a class extending ModelExecutor with a static spec ` +
        `and registers it (static { ExecutorRegistry.register(this); } or runCli(MyExecutor)). Available: ${available()}.`,
    );
  }
  const source: ModelSource = { kind: 'file', path, label: file, sha256: await sha256Hex(bytes), classes };
  noteModelSource(source);
  return source;
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** The export of a package.json for a subpath ('.' or './x'), under the conditions import, node, default. */
function exportTarget(pkg: Record<string, unknown>, subpath: string): string | null {
  const pick = (t: unknown): string | null => {
    if (typeof t === 'string') return t;
    if (Array.isArray(t)) return t.map(pick).find((x) => x !== null) ?? null;
    if (t && typeof t === 'object') {
      for (const [k, v] of Object.entries(t)) if (k === 'import' || k === 'node' || k === 'default') return pick(v) ?? null;
    }
    return null;
  };
  const ex = pkg.exports;
  if (ex !== undefined && ex !== null) {
    const isMap = typeof ex === 'object' && !Array.isArray(ex) && Object.keys(ex).some((k) => k.startsWith('.'));
    const target = isMap ? (ex as Record<string, unknown>)[subpath] : subpath === '.' ? ex : undefined;
    return target === undefined ? null : pick(target);
  }
  if (subpath === '.') return typeof pkg.main === 'string' ? pkg.main : 'index.js';
  return subpath.slice(2);
}

/**
 * Import an installed package that defines executors: `[model] package = "name"`,
 * optionally `executor_module = "name/sub"` (DisSModel's platform: the module
 * imported to trigger registration). Found in `cwd`'s node_modules or above.
 */
export async function loadModelPackage(name: string, executorModule?: string, cwd = process.cwd()): Promise<ModelSource> {
  if (!PACKAGE_NAME.test(name)) throw new RegistryError(`[model] package = '${name}' is not an npm package name.`);
  const specifier = executorModule ?? name;
  if (specifier !== name && !specifier.startsWith(name + '/')) {
    throw new RegistryError(`[model] executor_module = '${specifier}' must be '${name}' or a module of it ('${name}/…').`);
  }
  let dir = resolve(cwd);
  let pkgDir: string | null = null;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      pkgDir = candidate;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!pkgDir) {
    throw new RegistryError(
      `The TOML names package '${name}', which is not installed in this project (no node_modules/${name} in ${resolve(cwd)} or above). ` +
        `Install it first (npm install ${name}); dissmodel never installs anything.`,
    );
  }
  const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const subpath = specifier === name ? '.' : `./${specifier.slice(name.length + 1)}`;
  const target = exportTarget(pkg, subpath);
  if (!target) throw new RegistryError(`Package '${name}' exports no '${subpath}' module to import.`);
  const path = resolve(pkgDir, target);
  const known = bySource.get(path);
  if (known) return known;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new RegistryError(`Package '${name}' names '${target}' as its module, but that file is missing.`);
  }
  const classes = await importCounting(pathToFileURL(path).href, `package '${specifier}'`);
  const source: ModelSource = { kind: 'package', path, label: specifier, sha256: await sha256Hex(bytes), classes };
  noteModelSource(source);
  return source;
}
