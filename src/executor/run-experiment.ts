/**
 * One way to run an experiment, in every host (the CLI's run, reproduce and
 * sweep, the page's worker, the harness): DisSModel's `run` around
 * executeLifecycle.
 *
 *   1. the experiment id's first 8 hex are injected into the output name
 *      (a directory gets `simulacao_<id8>.<ext>`);
 *   2. validate → load → run → save (executeLifecycle), a missing seed drawn by {@link drawSeed};
 *   3. on success, `profiling_<id8>.md` beside the output, its SHA-256 in
 *      `artifacts.profiling` and a log line, then `<stem>.record.json` — written
 *      last, so it holds the profiling checksum.
 *
 * Artefacts go through the host's `io.write` (files in the CLI, memory in the
 * worker). A failure is returned, never thrown; the host decides what to roll back.
 */
import { id8, injectId, defaultOutputPath, profilingMarkdown, profilingPathFor, recordPathFor } from './artifacts.ts';
import type { HostIO, LifecycleContext, Phase } from './context.ts';
import { CancelledError, describeError, ParameterError } from './errors.ts';
import type { ExecutorClass } from './executor.ts';
import { executeLifecycle, type LifecycleOutcome } from './lifecycle.ts';
import { addArtifact, recordToJson, type ExperimentRecord } from './record.ts';
import { drawSeed } from './seed.ts';
import { sha256HexAsync } from './sha256.ts';

export interface ExperimentOptions extends LifecycleContext {
  /** The output as the user gave it: a file (the id is injected into its name) or a directory. */
  output?: string | null;
  /** `output` names an existing directory (the host knows; the core has no file system). */
  outputIsDir?: boolean;
  /** The output path when none is given and the record has none: DisSModel's `outputs/<id>/output.<ext>` by default. */
  defaultOutput?: (record: ExperimentRecord, extension: string) => string;
  /** The input's local path, when it has one: the output must not replace it. */
  inputPath?: string;
}

export interface RunArtifacts {
  recordPath: string;
  recordJson: string;
  profilingPath: string;
  profilingMarkdown: string;
  profilingSha256: string;
}

export interface ExperimentResult<Result = unknown> {
  record: ExperimentRecord;
  outcome: LifecycleOutcome<Result>;
  /** Set when the run completed and its artefacts were written. */
  artifacts?: RunArtifacts;
  /** Set when a phase failed, the run was cancelled, or writing the artefacts failed. */
  error?: unknown;
  failedStep?: Phase | 'artifacts';
}

/** Inject the id into the output name (or fall back to the default output) before the run. */
export function planOutputPath(
  record: ExperimentRecord,
  extension: string,
  options: Pick<ExperimentOptions, 'output' | 'outputIsDir' | 'defaultOutput'> = {},
): string {
  if (options.output) return injectId(options.output, id8(record), extension, options.outputIsDir ?? false);
  return record.output_path ?? (options.defaultOutput ?? defaultOutputPath)(record, extension);
}

/** A path as compared for collisions: separators unified, `.` segments and repeated slashes dropped. */
const samePathKey = (p: string): string =>
  p
    .replace(/\\/g, '/')
    .split('/')
    .filter((seg, i) => seg !== '.' && (seg !== '' || i === 0))
    .join('/');

/**
 * The three artefacts of a run must be three files: an output named like the profiling
 * report (`--output DIR/profiling.md`) or the record, or an output that is the input
 * itself, would be overwritten and lost. Refused before the run, naming the clash.
 */
export function checkArtifactPaths(record: ExperimentRecord, inputPath?: string): void {
  const output = record.output_path;
  if (!output) return;
  const paths: Array<[string, string]> = [
    ['the output', output],
    ['the profiling report', profilingPathFor(output, id8(record))],
    ['the record', recordPathFor(output)],
  ];
  if (inputPath) paths.push(['the input', inputPath]);
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++)
      if (samePathKey(paths[i][1]) === samePathKey(paths[j][1])) {
        throw new ParameterError(
          `The output name '${output}' makes ${paths[i][0]} and ${paths[j][0]} the same file (${paths[j][1]}); one would replace the other. ` +
            `Choose another output name (not profiling*.md, *.record.json or the input).`,
        );
      }
}

/** What follows a completed lifecycle: profiling markdown, its checksum, the record JSON — written through `io`. */
export async function finishRun(record: ExperimentRecord, executorName: string, io: HostIO): Promise<RunArtifacts> {
  // save may have changed the output's extension (GeoJSON written for a .tif name): check again.
  checkArtifactPaths(record);
  const markdown = profilingMarkdown(record, executorName);
  const mdBytes = new TextEncoder().encode(markdown);
  const profilingPath = profilingPathFor(record.output_path, id8(record));
  await io.write(profilingPath, mdBytes);
  const profilingSha256 = await sha256HexAsync(mdBytes);
  addArtifact(record, 'profiling', profilingSha256);
  record.logs.push(`Profiling saved to ${profilingPath}`);
  const recordPath = recordPathFor(record.output_path ?? `experiment_${id8(record)}`);
  const recordJson = recordToJson(record);
  await io.write(recordPath, new TextEncoder().encode(recordJson));
  return { recordPath, recordJson, profilingPath, profilingMarkdown: markdown, profilingSha256 };
}

export async function runExperiment<Result>(
  cls: ExecutorClass,
  record: ExperimentRecord,
  options: ExperimentOptions,
): Promise<ExperimentResult<Result>> {
  const spec = cls.spec;
  record.output_path = planOutputPath(record, spec.output.extension, options);
  try {
    checkArtifactPaths(record, options.inputPath);
  } catch (error) {
    record.status = 'failed';
    record.logs.push(`Failed during validate: ${describeError(error)}`);
    return { record, outcome: { record, timings: {}, error, failedPhase: 'validate' }, error, failedStep: 'validate' };
  }
  const outcome = (await executeLifecycle(new cls(), record, { drawSeed, ...options })) as LifecycleOutcome<Result>;
  if (outcome.error !== undefined)
    return { record, outcome, error: outcome.error, ...(outcome.failedPhase ? { failedStep: outcome.failedPhase } : {}) };
  try {
    const artifacts = await finishRun(record, spec.name, options.io);
    if (options.signal?.aborted) {
      // Cancelled while the profiling report and the record were written: not a completed run.
      const error = new CancelledError();
      record.status = 'cancelled';
      outcome.error = error;
      outcome.failedPhase = 'save';
      return { record, outcome, error, failedStep: 'save' };
    }
    return { record, outcome, artifacts };
  } catch (error) {
    return { record, outcome, error, failedStep: 'artifacts' };
  }
}
