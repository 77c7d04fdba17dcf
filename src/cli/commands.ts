/**
 * The CLI's commands as functions (list, show, validate, run), so tests call
 * them directly. Each returns an exit code and prints through `out`/`err`.
 */
import { stat, mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import {
  describeError,
  describeRange,
  drawSeed,
  ExecutorRegistry,
  getOutputSha256,
  id8,
  newRunRecord,
  parseScalar,
  runContractTests,
  runExperiment,
  runWithSampleData,
  splitAssignment,
  ParameterError,
  RegistryError,
  type ExecutorClass,
  type ExperimentRecord,
  type HostIO,
  inferSpec,
  parseRecordJson,
  replayRecord,
  recordedInputs,
  verdict,
  describeVerdict,
  describeDefaults,
  dissmodelDefaultsFor,
  withValues,
  type JsonValue,
  type LifecycleOutcome,
  type Progress,
} from '../executor/index.ts';
import { MAX_INPUT_BYTES, MAX_RECORD_BYTES, MAX_TOML_BYTES } from '../io/limits.ts';
import { sourceTypeOf } from '../io/uri.ts';
import { verifiedIO } from '../io/verified-io.ts';
import { CODE_VERSION } from '../version.ts';
import { loadModelFile, loadModelPackage, MODEL_COMMIT_PREFIX, modelSourceOf, type ModelSource } from './model-source.ts';
import { readBoundedFile, readBoundedText } from './bounded-read.ts';
import { compareWithOriginal } from './original-output.ts';
import { removeStaleTemps, track, untrack, VALIDATE_PREFIX } from './cleanup.ts';
import { installNetworkGuard } from './network-guard.ts';
import { NodeIO } from './node-io.ts';

export interface Out {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Show step progress (a TTY). */
  progress?: (p: Progress) => void;
}

export interface SpecOptions {
  toml?: string;
  param?: string[];
}

/** How a command names its executor besides a registered name: `--model FILE`. */
export interface ModelOptions {
  model?: string;
}

export interface RunOptions extends SpecOptions {
  input: string;
  output?: string;
  columnMap?: string[];
  bandMap?: string[];
  format?: string;
  signal?: AbortSignal;
}

export { listCommand } from './list.ts';

const names = (classes: readonly ExecutorClass[]): string => classes.map((c) => c.spec.name).join(', ');

/**
 * The executor a command runs: from `--model FILE` (the one it registers, or
 * the one named), else from a TOML `[model] package` (imported from the
 * project's node_modules) and its `class`, else the registered name given as
 * argument or as `[model] class`.
 */
export async function resolveExecutor(
  name: string | undefined,
  opts: ModelOptions,
  spec: Record<string, JsonValue> | null,
): Promise<ExecutorClass> {
  const tomlClass = typeof spec?.class === 'string' ? spec.class : undefined;
  const wanted = name ?? tomlClass;
  let source: ModelSource | null = null;
  if (opts.model) {
    source = await loadModelFile(opts.model);
  } else if (spec && spec.package !== undefined) {
    if (typeof spec.package !== 'string') throw new RegistryError('[model] package must be a package name (text).');
    const module = spec.executor_module;
    if (module !== undefined && typeof module !== 'string') throw new RegistryError('[model] executor_module must be text.');
    source = await loadModelPackage(spec.package, module);
  }
  if (source && source.kind === 'file') {
    if (!wanted) {
      if (source.classes.length === 1) return source.classes[0];
      throw new RegistryError(
        `'${source.label}' registers ${names(source.classes)}; name the one to use (dissmodel run NAME --model ${source.label}).`,
      );
    }
    const cls = source.classes.find((c) => c.spec.name === wanted);
    if (!cls) throw new RegistryError(`'${source.label}' registers no executor named '${wanted}'. It registers: ${names(source.classes)}.`);
    return cls;
  }
  if (!wanted) {
    throw new RegistryError(
      `Name the model: dissmodel COMMAND NAME, --model FILE, or [model] class in a --toml file. Available: ${ExecutorRegistry.list().join(', ')}.`,
    );
  }
  if (source && !ExecutorRegistry.has(wanted)) {
    throw new RegistryError(
      `Package '${source.label}' registered no executor named '${wanted}'` +
        (source.classes.length ? ` (it registered ${names(source.classes)})` : '') +
        `. Available: ${ExecutorRegistry.list().join(', ')}.`,
    );
  }
  return ExecutorRegistry.load(wanted);
}

const FORBIDDEN_PARAM_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first reserved key (__proto__, constructor, prototype) in a parsed TOML value. */
function forbiddenKeyIn(v: unknown, path: string, depth = 0): string | null {
  if (typeof v !== 'object' || v === null || depth > 32) return null;
  for (const [k, x] of Object.entries(v)) {
    const here = Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`;
    if (!Array.isArray(v) && FORBIDDEN_PARAM_KEYS.has(k)) return here;
    const inner = forbiddenKeyIn(x, here, depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** TOML `[model]` table and merged parameters: TOML `[model.parameters]`, then --param overrides. */
export async function resolveSpec(
  opts: SpecOptions,
): Promise<{ spec: Record<string, JsonValue> | null; params: Record<string, JsonValue> }> {
  let spec: Record<string, JsonValue> | null = null;
  if (opts.toml) {
    const text = await readBoundedText(opts.toml, {
      what: 'the TOML file',
      limit: MAX_TOML_BYTES,
      makeError: (message) => new ParameterError(message),
    });
    let doc: Record<string, unknown>;
    const { parse: parseToml } = await import('smol-toml'); // only a run with --toml needs it
    try {
      doc = parseToml(text) as Record<string, unknown>;
    } catch (e) {
      throw new ParameterError(`${opts.toml} is not valid TOML: ${(e as Error).message.split('\n')[0]}`);
    }
    const model = doc.model;
    if (typeof model !== 'object' || model === null || Array.isArray(model)) {
      throw new ParameterError(`${opts.toml} has no [model] table; put parameters under [model.parameters].`);
    }
    const forbidden = forbiddenKeyIn(model, 'model');
    if (forbidden) {
      throw new ParameterError(
        `${opts.toml}: the table [${forbidden}] uses a reserved name; records refuse it, so a run with it could not be reproduced.`,
      );
    }
    spec = JSON.parse(JSON.stringify(model)) as Record<string, JsonValue>;
  }
  const params: Record<string, JsonValue> = {};
  const tomlParams = spec?.parameters;
  if (tomlParams && typeof tomlParams === 'object' && !Array.isArray(tomlParams)) Object.assign(params, tomlParams);
  for (const p of opts.param ?? []) {
    const [k, v] = splitAssignment(p);
    if (FORBIDDEN_PARAM_KEYS.has(k)) {
      throw new ParameterError(
        `--param ${k}: '${k}' is not a parameter name (it is refused in records, so a run with it could not be reproduced).`,
        k,
      );
    }
    Object.defineProperty(params, k, { value: parseScalar(v), enumerable: true, writable: true, configurable: true });
  }
  return { spec, params };
}

function parseMap(list: string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const [k, v] = splitAssignment(item, what);
    out[k] = v;
  }
  return out;
}

export async function showCommand(cls: ExecutorClass, opts: SpecOptions, io: Out): Promise<number> {
  const { spec, params } = await resolveSpec(opts);
  const s = cls.spec;
  const source = modelSourceOf(cls);
  io.out(`Executor: ${s.title}${source ? ` (${source.label}, sha256 ${source.sha256})` : ''}`);
  io.out(`Name: ${s.name}`);
  io.out(`Input: ${s.inputs.join(' | ')}    Output: ${s.output.kind} (.${s.output.extension})`);
  if (s.bands?.length) io.out(`Bands: ${s.bands.map((b) => b.name + (b.required === false ? '?' : '')).join(', ')}`);
  if (s.columns?.length) io.out(`Columns: ${s.columns.map((b) => b.name + (b.required === false ? '?' : '')).join(', ')}`);
  io.out('Resolved parameters (model.toml + CLI overrides):');
  const keys = Object.keys(s.params);
  if (keys.length === 0) io.out('  (none — this model takes no parameters)');
  for (const [k, p] of Object.entries(s.params)) {
    const given = Object.prototype.hasOwnProperty.call(params, k);
    const value = given ? params[k] : p.type === 'seed' ? '(drawn at run time)' : p.default;
    io.out(`  ${k} = ${JSON.stringify(value)}${given ? '' : ' (default)'}    ${p.type} ${describeRange(p)} — ${p.description}`);
  }
  for (const k of Object.keys(params)) if (!keys.includes(k)) io.out(`  ${k} = ${JSON.stringify(params[k])}    (not used by this model)`);
  io.out(`Spec sections: [${spec ? Object.keys(spec).join(', ') : ''}]`);
  return 0;
}

/** `model_commit` of a CLI run: the SHA-256 of the model's file when it was loaded from one, else 'local-cli'. */
export function modelCommitOf(cls: ExecutorClass): string {
  const source = modelSourceOf(cls);
  return source ? MODEL_COMMIT_PREFIX + source.sha256 : 'local-cli';
}

export async function buildRecord(cls: ExecutorClass, opts: RunOptions): Promise<ExperimentRecord> {
  const { spec, params } = await resolveSpec(opts);
  return newRunRecord({
    model_name: cls.spec.name,
    model_commit: modelCommitOf(cls),
    code_version: CODE_VERSION,
    resolved_spec: spec ? { model: spec } : {},
    source: { uri: opts.input },
    input_format: opts.format ?? 'auto',
    parameters: params,
    column_map: parseMap(opts.columnMap, '--column-map'),
    band_map: parseMap(opts.bandMap, '--band-map'),
  });
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `--output` names a file to create or a directory: an existing device, pipe or socket
 * (`/dev/full`, `/dev/stdout`) is neither, and the id-injected name beside it
 * (`/dev/full_<id8>`) would be a surprise file in /dev. Refused before the run.
 */
async function checkOutputTarget(output: string): Promise<void> {
  let st;
  try {
    st = await stat(output);
  } catch {
    return; // a new file or directory
  }
  if (st.isFile() || st.isDirectory()) return;
  const what = st.isCharacterDevice()
    ? 'a character device'
    : st.isBlockDevice()
      ? 'a block device'
      : st.isFIFO()
        ? 'a pipe'
        : 'not a regular file';
  throw new ParameterError(
    `--output '${output}' is ${what}, not a file or a directory; the output, its record and profiling report are files. Give a file path or a directory.`,
  );
}

export interface RunResult {
  code: number;
  outcome?: LifecycleOutcome;
  recordPath?: string;
}

/** Run one record (runExperiment: id injection, lifecycle, profiling, record) and write to disk; nothing is left on failure. */
export async function runRecord(
  cls: ExecutorClass,
  record: ExperimentRecord,
  output: string | undefined,
  io: Out,
  signal?: AbortSignal,
  wrapIO: (host: HostIO) => HostIO = (h) => h,
): Promise<RunResult> {
  if (output) await checkOutputTarget(output);
  const host = new NodeIO();
  const uri = record.source.uri;
  const r = await runExperiment(cls, record, {
    io: wrapIO(host),
    output: output ?? null,
    outputIsDir: output ? await isDirectory(output) : false,
    ...(uri && sourceTypeOf(uri) === 'local' ? { inputPath: uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri } : {}),
    ...(signal ? { signal } : {}),
    ...(io.progress ? { onProgress: io.progress } : {}),
  });
  if (r.error !== undefined) {
    await host.rollback();
    if (r.failedStep === 'artifacts') {
      io.err(`✖ Could not write the artefacts: ${describeError(r.error)}`);
      return { code: 1, outcome: r.outcome };
    }
    io.err(`✖ ${record.status === 'cancelled' ? 'Cancelled' : 'Failed'} during ${r.failedStep}: ${describeError(r.error)}`);
    return { code: record.status === 'cancelled' ? 130 : 1, outcome: r.outcome };
  }
  host.keep();
  const recordPath = r.artifacts!.recordPath;
  printSummary(record, recordPath, io);
  return { code: 0, outcome: r.outcome, recordPath };
}

export async function runCommand(cls: ExecutorClass, opts: RunOptions, io: Out): Promise<RunResult> {
  const record = await buildRecord(cls, opts);
  io.out('▶ Validating... ▶ Loading... ▶ Running... ▶ Saving...');
  return runRecord(cls, record, opts.output, io, opts.signal);
}

function printSummary(record: ExperimentRecord, recordPath: string, io: Out): void {
  const m = record.metrics as Record<string, number>;
  io.out('✅ Completed');
  io.out(`   output:   ${record.output_path}`);
  io.out(`   record:   ${recordPath}`);
  io.out(`   input:    ${record.source.uri} sha256 ${record.source.checksum || '(none)'}`);
  for (const [k, v] of Object.entries(record.artifacts)) io.out(`   ${k.padEnd(9)} sha256 ${v}`);
  io.out(`   status:   ${record.status}`);
  io.out(
    `   times:    validate ${fmt(m.time_validate_sec)}s · load ${fmt(m.time_load_sec)}s · run ${fmt(m.time_run_sec)}s · save ${fmt(m.time_save_sec)}s · total ${fmt(m.time_total_sec)}s`,
  );
  for (const l of record.logs) io.out(`   · ${l}`);
  // Warnings (a diverged model's NaN) also go to stderr: a completed run is not always a good one.
  for (const l of record.logs) if (l.startsWith('Warning:')) io.err(`⚠ ${l}`);
}

const fmt = (v: number | undefined): string => (v ?? 0).toFixed(3);

export async function validateCommand(
  cls: ExecutorClass,
  opts: SpecOptions & { input?: string; format?: string },
  io: Out,
): Promise<number> {
  // The record a run with these parameters would write must be one `reproduce` reads back.
  const record = await buildRecord(cls, { ...opts, input: opts.input ?? '' });
  const report = runContractTests(cls);
  // One line per check (a check's message may carry user data; the terminal escapes it, line by line).
  io.out(`Contract tests for '${report.executor}':`);
  for (const c of report.checks) io.out(`  ${c.ok ? '✅' : '❌'} ${c.name}${c.ok ? '' : ` — ${c.message}`}`);
  io.out(report.passed ? 'All contract tests passed.' : 'Contract tests FAILED.');
  let ok = report.passed;
  if (opts.input) {
    removeStaleTemps(tmpdir()); // validate dirs of runs killed earlier
    const dir = await mkdtemp(join(tmpdir(), `${VALIDATE_PREFIX}${process.pid}-`));
    track(dir);
    try {
      record.output_path = join(dir, `output_${id8(record)}.${cls.spec.output.extension}`);
      const host = new NodeIO();
      const r = await runWithSampleData(cls, { io: host, drawSeed }, record);
      io.out(`${r.passed ? '✅' : '❌'} full cycle on ${opts.input}: ${r.message}`);
      if (r.passed) io.out(`   output sha256 ${getOutputSha256(r.outcome.record)}`);
      ok = ok && r.passed;
    } finally {
      await rm(dir, { recursive: true, force: true });
      untrack(dir);
    }
  }
  return ok ? 0 : 1;
}

/**
 * Re-run a record (ours or one written by DisSModel's CLI) on its recorded input
 * and compare output checksums: exit 0 only when they match.
 */
export async function reproduceCommand(
  recordPath: string,
  opts: ModelOptions & { output?: string; originalOutput?: string; signal?: AbortSignal; allowPrivateNetwork?: boolean },
  io: Out,
): Promise<number> {
  // What a record names is not what this person typed: public addresses only, unless allowed.
  if (!opts.allowPrivateNetwork) await installNetworkGuard();
  let text: string;
  try {
    text = await readBoundedText(recordPath, { what: 'the record', limit: MAX_RECORD_BYTES });
  } catch (e) {
    io.err(`✖ ${describeError(e)}`);
    return 1;
  }
  const original = parseRecordJson(text);
  const fromFile = original.model_commit.startsWith(MODEL_COMMIT_PREFIX) ? original.model_commit.slice(MODEL_COMMIT_PREFIX.length) : null;
  const loaded = opts.model ? await loadModelFile(opts.model) : null;
  let cls: ExecutorClass;
  try {
    cls =
      loaded && loaded.classes.length === 1
        ? loaded.classes[0]
        : await ExecutorRegistry.load(inferSpec(original, ExecutorRegistry.specs()).name);
  } catch (e) {
    if (fromFile && !loaded) {
      throw new RegistryError(
        `${describeError(e)} The record was made by a model loaded from a file (sha256 ${fromFile}); pass that file with --model FILE.`,
      );
    }
    throw e;
  }
  const source = modelSourceOf(cls);
  const codeDiffers = !!fromFile && source?.kind === 'file' && source.sha256 !== fromFile;
  if (fromFile && source?.kind === 'file') {
    if (source.sha256 === fromFile) io.out(`✅ same model code: ${source.label} has the record's sha256 ${fromFile}`);
    else
      io.out(
        `⚠ the model code differs: the record was made by a file with sha256 ${fromFile}, ${source.label} has sha256 ${source.sha256}; ` +
          `a different output can come from the code, not the data.`,
      );
  } else if (fromFile) {
    io.out(
      `⚠ the record was made by a model file (sha256 ${fromFile}); this run uses '${cls.spec.name}' as registered here. Pass the file with --model to compare the code.`,
    );
  } else if (source) {
    io.out(
      `⚠ the record names no model file (model_commit '${original.model_commit}'); this run uses ${source.label} (sha256 ${source.sha256}).`,
    );
  }
  const record = replayRecord(original, cls.spec, CODE_VERSION, source ? MODEL_COMMIT_PREFIX + source.sha256 : undefined);
  const defaulted = dissmodelDefaultsFor(original, cls.spec);
  if (Object.keys(defaulted).length > 0) {
    io.out(`· the record (written by DisSModel) leaves out ${describeDefaults(defaulted)}: DisSModel's executor defaults, used here`);
  }
  const uri = record.source.uri;
  if (uri && sourceTypeOf(uri) === 'local' && !isAbsolute(uri) && !(await exists(uri))) {
    const beside = join(dirname(recordPath), uri);
    if (await exists(beside)) record.source.uri = beside;
  }
  const expected = new Map<string, string>();
  if (original.source.checksum) expected.set(record.source.uri, original.source.checksum);
  // Extra inputs (a demand CSV, a reference map): verified like the dataset, found beside the record when relative.
  for (const input of recordedInputs(original, cls.spec)) {
    if (input.param === null) continue;
    let where = input.uri;
    if (
      sourceTypeOf(where) === 'local' &&
      !isAbsolute(where) &&
      !(await exists(where)) &&
      (await exists(join(dirname(recordPath), where)))
    ) {
      where = join(dirname(recordPath), where);
      record.parameters[input.param] = where;
    }
    expected.set(where, input.sha256);
  }
  io.out(`▶ Reproducing ${original.experiment_id} with ${cls.spec.name} on ${record.source.uri || '(no input)'}`);
  const result = await runRecord(cls, record, opts.output, io, opts.signal, (h) => verifiedIO(h, expected));
  if (result.code !== 0) return result.code;
  let v = verdict(original.artifacts.output, record.artifacts.output ?? '', original.code_version, CODE_VERSION);
  if (v.kind === 'differs' && record.output_path) {
    // bytes differ: decode both outputs and say whether the values do (original-output.ts)
    const bytes = await readBoundedFile(record.output_path, { what: 'the output', limit: MAX_INPUT_BYTES });
    v = withValues(v, await compareWithOriginal(original, recordPath, { path: record.output_path, bytes }, opts.originalOutput));
  }
  io.out(
    `${v.kind === 'match' ? '✅' : '❌'} ${describeVerdict(v)}${codeDiffers ? ' — with model code that differs from the record’s' : ''}`,
  );
  return v.kind === 'match' ? 0 : 1;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
