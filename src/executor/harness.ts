/**
 * Contract harness, after DisSModel's ExecutorTestHarness: static checks of an
 * executor class, and a full cycle on sample data.
 */
import { RunContext, type HostIO, type LifecycleContext } from './context.ts';
import { describeError } from './errors.ts';
import { ModelExecutor, type ExecutorClass } from './executor.ts';
import { executeLifecycle, type LifecycleOutcome } from './lifecycle.ts';
import { MemoryIO } from './memory-io.ts';
import { schemaProblems } from './params.ts';
import { getOutputSha256, type ExperimentRecord } from './record.ts';
import { runExperiment } from './run-experiment.ts';
import { newRunRecord } from './run-record.ts';
import { sha256HexAsync } from './sha256.ts';

export interface HarnessCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface HarnessReport {
  executor: string;
  passed: boolean;
  checks: HarnessCheck[];
}

export function runContractTests(cls: ExecutorClass): HarnessReport {
  const checks: HarnessCheck[] = [];
  const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });
  const spec = cls.spec;
  const name = spec?.name;
  add('name present', name !== undefined, name !== undefined ? 'spec.name is declared' : 'spec.name is missing');
  add('name is a non-empty string', typeof name === 'string' && name.length > 0, `name = ${JSON.stringify(name)}`);
  add('name has no whitespace', typeof name === 'string' && !/\s/.test(name), 'registry names cannot contain spaces');
  add('name is snake_case', typeof name === 'string' && /^[a-z][a-z0-9_]*$/.test(name), 'lowercase letters, digits and _');
  add('title and description', !!spec?.title?.trim() && !!spec?.description?.trim(), 'shown in the UI and `dissmodel list`');
  add('declares inputs', Array.isArray(spec?.inputs) && spec.inputs.length > 0, `inputs = ${JSON.stringify(spec?.inputs)}`);
  let instance: ModelExecutor | null = null;
  try {
    instance = new cls();
  } catch (e) {
    add('constructs', false, describeError(e));
  }
  for (const phase of ['load', 'run', 'save'] as const) {
    const fn = instance ? (instance as unknown as Record<string, unknown>)[phase] : undefined;
    const base = (ModelExecutor.prototype as unknown as Record<string, unknown>)[phase];
    add(`${phase} implemented`, typeof fn === 'function' && fn !== base, `${phase}() must be implemented`);
  }
  if (instance) {
    add('run takes (data, record, ctx)', instance.run.length >= 2, `run declares ${instance.run.length} parameters`);
    add('save takes (result, record, ctx)', instance.save.length >= 2, `save declares ${instance.save.length} parameters`);
  }
  const problems = spec?.params ? schemaProblems(spec.params) : ['no parameter schema'];
  add('parameter schema is sane', problems.length === 0, problems.length ? problems.join('; ') : 'defaults within ranges');
  const fields = [...(spec?.bands ?? []), ...(spec?.columns ?? [])].map((f) => f.name);
  add(
    'canonical names unique',
    new Set(spec?.bands?.map((f) => f.name)).size === (spec?.bands?.length ?? 0) &&
      new Set(spec?.columns?.map((f) => f.name)).size === (spec?.columns?.length ?? 0),
    fields.join(', ') || 'none',
  );
  return { executor: String(name), passed: checks.every((c) => c.ok), checks };
}

export interface SampleRunReport {
  passed: boolean;
  message: string;
  outcome: LifecycleOutcome;
}

/** A full validate → load → run → save cycle; passes when completed with an output sha256. */
export async function runWithSampleData(cls: ExecutorClass, ctx: LifecycleContext, record?: ExperimentRecord): Promise<SampleRunReport> {
  const rec = record ?? sampleRecord(cls);
  const outcome = await executeLifecycle(new cls(), rec, { drawSeed: () => 42, ...ctx });
  const sha = getOutputSha256(outcome.record);
  const passed = outcome.record.status === 'completed' && !!sha;
  const message = passed
    ? `completed, output sha256 ${sha}`
    : `status ${outcome.record.status}${outcome.error ? ': ' + describeError(outcome.error) : ''}${sha ? '' : ', no output sha256'}`;
  return { passed, message, outcome };
}

export function formatReport(report: HarnessReport): string {
  const lines = [`Contract tests for '${report.executor}':`];
  for (const c of report.checks) lines.push(`  ${c.ok ? '✅' : '❌'} ${c.name}${c.ok ? '' : ` — ${c.message}`}`);
  lines.push(report.passed ? 'All contract tests passed.' : 'Contract tests FAILED.');
  return lines.join('\n');
}

/** The harness's record: DisSModel's defaults, on the executor's bundled sample (or no input). */
export function sampleRecord(cls: ExecutorClass, input?: string): ExperimentRecord {
  const uri = input ?? cls.spec.sample ?? '';
  // The extra inputs that go with the bundled sample (a demand CSV beside its cellular space).
  const parameters: Record<string, string> = {};
  if (input === undefined) for (const extra of cls.spec.extraInputs ?? []) if (extra.sample) parameters[extra.param] = extra.sample;
  return newRunRecord({
    model_name: cls.spec.name,
    model_commit: 'local-test',
    code_version: 'dev',
    resolved_spec: { model: { class: cls.spec.name, parameters: {} } },
    source: { uri },
    parameters,
  });
}

export interface CheckOptions {
  /** Reads the input (writes are kept in memory: a check leaves no file behind). */
  io: Pick<HostIO, 'read'>;
  /** The input URI; default the executor's `spec.sample`, or none for a model without input. */
  input?: string;
  /** The seed drawn for a stochastic model left unseeded (the same in both runs). */
  seed?: number;
}

/**
 * `dissmodel check`: DisSModel's ExecutorTestHarness and more, on a user's
 * model. The contract tests; `validate` reads and writes nothing through the
 * host; a full run (validate → load → run → save, then profiling and record)
 * on the sample input ends `completed` with `source.checksum` (for a model
 * with input) and `artifacts.output` — the SHA-256 of the bytes written;
 * a second run gives the same output bytes. Checks stop at the first failure
 * that makes the later ones meaningless.
 */
export async function checkExecutor(cls: ExecutorClass, options: CheckOptions): Promise<HarnessReport> {
  const contract = runContractTests(cls);
  const checks = [...contract.checks];
  const report = (): HarnessReport => ({ executor: contract.executor, passed: checks.every((c) => c.ok), checks });
  const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });
  if (!contract.passed) return report();
  const spec = cls.spec;
  const input = options.input ?? spec.sample ?? '';
  const seed = options.seed ?? 42;
  if (!input && !spec.inputs.includes('none')) {
    add('sample input', false, `${spec.name} takes ${spec.inputs.join(' or ')} input but declares no spec.sample; give --input`);
    return report();
  }

  // validate: no I/O through the host.
  const touched: string[] = [];
  const spy: HostIO = {
    read: async (uri) => (touched.push(`read ${uri}`), new Uint8Array(0)),
    write: async (path) => (touched.push(`write ${path}`), path),
  };
  try {
    const rec = sampleRecord(cls, input);
    await new cls().validate(rec, new RunContext({ io: spy }), () => seed);
    add('validate does no I/O', touched.length === 0, touched.length ? `validate did ${touched.join(', ')}` : 'no read, no write');
  } catch (e) {
    add('validate accepts the sample record', false, describeError(e));
    return report();
  }
  if (touched.length) return report();

  const cycle = async (): Promise<{ ok: boolean; message: string; bytes?: Uint8Array; sha?: string }> => {
    const io = new MemoryIO((uri, o) => options.io.read(uri, o));
    const rec = sampleRecord(cls, input);
    const r = await runExperiment(cls, rec, { io, output: `check/${spec.name}.${spec.output.extension}`, drawSeed: () => seed });
    if (r.error !== undefined) return { ok: false, message: `failed during ${r.failedStep}: ${describeError(r.error)}` };
    const problems: string[] = [];
    if (rec.status !== 'completed') problems.push(`status is '${rec.status}', not 'completed'`);
    const needsInput = !!input;
    if (needsInput && !/^[0-9a-f]{64}$/.test(rec.source.checksum)) problems.push('load did not set source.checksum');
    const sha = getOutputSha256(rec);
    if (!sha) problems.push('save did not set artifacts.output');
    const bytes = rec.output_path ? io.written.get(rec.output_path) : undefined;
    if (!bytes) problems.push(`save wrote nothing at output_path (${rec.output_path})`);
    else if (sha && (await sha256HexAsync(bytes)) !== sha) problems.push('artifacts.output is not the SHA-256 of the bytes written');
    if (problems.length) return { ok: false, message: problems.join('; ') };
    const checksum = needsInput ? `source.checksum ${rec.source.checksum.slice(0, 16)}…, ` : '';
    return { ok: true, message: `completed, ${checksum}artifacts.output ${sha!.slice(0, 16)}…`, bytes: bytes!, sha: sha! };
  };
  const first = await cycle();
  add(`full cycle on ${input || '(no input)'}`, first.ok, first.message);
  if (!first.ok) return report();
  const second = await cycle();
  const same = second.ok && second.bytes!.length === first.bytes!.length && second.sha === first.sha;
  add(
    'two runs give the same output bytes',
    same,
    same ? `sha256 ${first.sha}` : second.ok ? `run 1 gave ${first.sha}, run 2 gave ${second.sha}` : `run 2 ${second.message}`,
  );
  return report();
}
