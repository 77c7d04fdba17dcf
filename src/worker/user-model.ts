/**
 * A model written in the page (or opened from a file) made runnable in a worker:
 * TypeScript stripped by sucrase, its `dissmodel-workbench/…` imports pointed at
 * the modules the worker bundles, imported, and what it registered found by
 * comparing the registry before and after — the same contract as the CLI's
 * `--model FILE` (src/cli/model-source.ts). Its SHA-256 is that of the source's
 * UTF-8 bytes, so the same file gives the same `model_commit` in both hosts.
 *
 * Nothing here touches the DOM or storage; the importer is injected (a blob: URL
 * in the worker, a data: URL in Node's tests).
 */
import { describeError } from '../executor/errors.ts';
import type { ExecutorSpec } from '../executor/executor.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import { sha256Hex } from '../executor/sha256.ts';

/** The package's entry points a page model may import (package.json exports). */
export const PAGE_MODEL_ENTRIES = ['executor', 'io', 'sim', 'kit', 'models', 'cli'] as const;
export type PageModelEntry = (typeof PAGE_MODEL_ENTRIES)[number];

/** Largest model source accepted (UTF-8 bytes), as a link can carry it. */
export const MAX_PAGE_MODEL_BYTES = 256 * 1024;

/** `record.model_commit` of a run of a model loaded from source: its SHA-256, as the CLI writes it. */
export const MODEL_COMMIT_PREFIX = 'sha256:';

export type ModelProblemKind = 'compile' | 'import' | 'evaluate' | 'empty' | 'register' | 'size';

/** Why a model did not load: a message for the editor, with the line (1-based) and column (0-based) when known. */
export interface ModelProblem {
  kind: ModelProblemKind;
  message: string;
  line?: number;
  column?: number;
}

export type ModelLoadResult = { ok: true; sha256: string; specs: ExecutorSpec[] } | { ok: false; sha256: string; problem: ModelProblem };

export class ModelLoadError extends Error {
  constructor(readonly problem: ModelProblem) {
    super(problem.message);
    this.name = 'ModelLoadError';
  }
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The SHA-256 (hex) of a model's source, hashed as the file's UTF-8 bytes. */
export function modelSha256(source: string): string {
  return sha256Hex(utf8(source));
}

export type Transpile = (source: string, options: { typescript: boolean; fileName: string }) => string;

/** True for a file name that is TypeScript (.ts, .mts). */
export const isTypeScriptName = (fileName: string): boolean => /\.m?ts$/i.test(fileName);

/**
 * Compile with a transpiler (sucrase's transform in both hosts). A syntax error
 * becomes a `compile` problem with its line and column.
 */
export function compileModel(source: string, fileName: string, transpile: Transpile): string {
  try {
    return transpile(source, { typescript: isTypeScriptName(fileName), fileName });
  } catch (e) {
    const loc = (e as { loc?: { line?: unknown; column?: unknown } }).loc;
    const line = typeof loc?.line === 'number' ? loc.line : undefined;
    const column = typeof loc?.column === 'number' ? loc.column : undefined;
    const raw = (e instanceof Error ? e.message : String(e)).replace(/^Error transforming [^:]*: /, '');
    const where = line !== undefined ? `line ${line}${column !== undefined ? `, column ${column + 1}` : ''}` : '';
    throw new ModelLoadError({
      kind: 'compile',
      message: `Syntax error${where ? ` at ${where}` : ''}: ${raw.replace(/\s*\(\d+:\d+\)$/, '')}.`,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  }
}

// `from '…'`, `import '…'` and `import('…')` with a literal specifier (transpiled code: no comments
// are needed to fool it, and a specifier inside a string only matters when the string is imported).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\2/g;

/** Line (1-based) of an offset in text. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/**
 * Point every `dissmodel-workbench/<entry>` import at `urlOf(entry)`; refuse any
 * other import (a page model is one file, and nothing is fetched from a registry).
 */
export function rewriteImports(code: string, urlOf: (entry: PageModelEntry) => string): string {
  return code.replace(SPECIFIER, (whole, lead: string, quote: string, spec: string, offset: number) => {
    const m = /^dissmodel-workbench\/([a-z]+)$/.exec(spec);
    const entry = m?.[1] as PageModelEntry | undefined;
    if (entry && (PAGE_MODEL_ENTRIES as readonly string[]).includes(entry)) return `${lead}${quote}${urlOf(entry)}${quote}`;
    const line = lineAt(code, offset);
    throw new ModelLoadError({
      kind: 'import',
      message:
        `Line ${line}: '${spec.slice(0, 80)}' cannot be imported here. A model in the page is one file that imports only ` +
        `${PAGE_MODEL_ENTRIES.map((e) => `dissmodel-workbench/${e}`).join(', ')}.`,
      line,
    });
  });
}

/** The source of a module that re-exports a namespace the host provides under `globalKey`. */
export function shimModule(globalKey: string, entry: PageModelEntry, names: readonly string[]): string {
  const valid = names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
  return `const m = globalThis[${JSON.stringify(globalKey)}][${JSON.stringify(entry)}];\nexport const { ${valid.join(', ')} } = m;\n`;
}

export interface LoadOptions {
  fileName: string;
  transpile: Transpile;
  /** URL of the module for an entry point. */
  entryUrl: (entry: PageModelEntry) => string;
  /** Import a module's code (blob: URL in the worker). */
  importCode: (code: string) => Promise<unknown>;
}

/**
 * Compile, import and register a model's source. Never throws: a problem comes back as
 * `{ ok: false, problem }` — a syntax error (with its line), a forbidden import, an
 * exception while the module is evaluated, a registration refused, or a module that
 * registered no executor.
 */
export async function loadModelSource(source: string, options: LoadOptions): Promise<ModelLoadResult> {
  const sha256 = modelSha256(source);
  try {
    const size = utf8(source).byteLength;
    if (size > MAX_PAGE_MODEL_BYTES) {
      throw new ModelLoadError({
        kind: 'size',
        message: `The model is ${size} bytes; the largest accepted is ${MAX_PAGE_MODEL_BYTES} bytes.`,
      });
    }
    const code = rewriteImports(compileModel(source, options.fileName, options.transpile), options.entryUrl);
    const before = new Set(ExecutorRegistry.list());
    try {
      await options.importCode(code);
    } catch (e) {
      const message = describeError(e);
      const refused = /already registered|must declare spec\.name/.test(message);
      throw new ModelLoadError({
        kind: refused ? 'register' : 'evaluate',
        message: refused ? `The model could not register: ${message}` : `The model threw while it was loaded: ${message}`,
      });
    }
    const added = ExecutorRegistry.list().filter((n) => !before.has(n));
    if (added.length === 0) {
      throw new ModelLoadError({
        kind: 'empty',
        message:
          `${options.fileName} registered no executor: a model defines a class extending ModelExecutor (or the kit's ` +
          `SimulationExecutor) with a static spec and registers it (static { ExecutorRegistry.register(this); }).`,
      });
    }
    return { ok: true, sha256, specs: added.map((n) => ExecutorRegistry.get(n).spec) };
  } catch (e) {
    const problem: ModelProblem = e instanceof ModelLoadError ? e.problem : { kind: 'evaluate', message: describeError(e) };
    return { ok: false, sha256, problem };
  }
}
