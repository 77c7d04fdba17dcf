/**
 * Contract harness, after DisSModel's ExecutorTestHarness: static checks of an
 * executor class, and a full cycle on sample data.
 */
import type { LifecycleContext } from './context.ts';
import { describeError } from './errors.ts';
import { ModelExecutor, type ExecutorClass } from './executor.ts';
import { executeLifecycle, type LifecycleOutcome } from './lifecycle.ts';
import { schemaProblems } from './params.ts';
import { createRecord, getOutputSha256, type ExperimentRecord } from './record.ts';

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
  const rec =
    record ??
    createRecord({
      model_name: cls.spec.name,
      model_commit: 'local-test',
      code_version: 'dev',
      resolved_spec: { model: { class: cls.spec.name, parameters: {} } },
      source: { type: cls.spec.sample ? 'sample' : 'local', uri: cls.spec.sample ?? '' },
    });
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
