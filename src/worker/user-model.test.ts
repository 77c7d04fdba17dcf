import { createHash } from 'node:crypto';
import { transform } from 'sucrase';
import { describe, expect, it } from 'vitest';
import * as entryExecutor from '../entries/executor.ts';
import * as entryIo from '../entries/io.ts';
import * as entryKit from '../entries/kit.ts';
import * as entryModels from '../entries/models.ts';
import * as entrySim from '../entries/sim.ts';
import { ExecutorRegistry } from '../executor/registry.ts';
import { MODEL_TEMPLATE, TEMPLATE_FILE_NAME } from '../app/editor/template.ts';
import { PAGE_MODEL_NAMESPACES } from './user-model-entries.ts';
import { loadModelSource, PAGE_MODEL_ENTRIES, shimModule, type LoadOptions } from './user-model.ts';

const KEY = '__dissmodelPageModulesTest';
(globalThis as Record<string, unknown>)[KEY] = PAGE_MODEL_NAMESPACES;
const dataUrl = (code: string) => `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
const shims = new Map(PAGE_MODEL_ENTRIES.map((e) => [e, dataUrl(shimModule(KEY, e, Object.keys(PAGE_MODEL_NAMESPACES[e])))]));

let imports = 0;
/** The worker's loader, with data: URLs where the worker uses blob: URLs (each import a new module, as a new blob: URL is). */
const options = (fileName: string): LoadOptions => ({
  fileName,
  transpile: (src, o) =>
    transform(src, { transforms: o.typescript ? ['typescript'] : [], filePath: o.fileName, disableESTransforms: true }).code,
  entryUrl: (e) => shims.get(e)!,
  importCode: (code) => import(/* @vite-ignore */ dataUrl(`${code}\n// ${++imports}`)),
});

describe('page models: compile, import, register', () => {
  it('the page offers the same names as the package entry points (cli: runCli only)', () => {
    const names = (ns: object) => Object.keys(ns).sort();
    expect(names(PAGE_MODEL_NAMESPACES.executor)).toEqual(names(entryExecutor));
    expect(names(PAGE_MODEL_NAMESPACES.io)).toEqual(names(entryIo));
    expect(names(PAGE_MODEL_NAMESPACES.sim)).toEqual(names(entrySim));
    expect(names(PAGE_MODEL_NAMESPACES.kit)).toEqual(names(entryKit));
    expect(names(PAGE_MODEL_NAMESPACES.models)).toEqual(names(entryModels));
    expect(names(PAGE_MODEL_NAMESPACES.cli)).toEqual(['runCli']);
  });

  it('the template registers my_life, with the SHA-256 of its UTF-8 bytes as the CLI hashes a file', async () => {
    const r = await loadModelSource(MODEL_TEMPLATE, options(TEMPLATE_FILE_NAME));
    expect(r.ok).toBe(true);
    expect(r.sha256).toBe(createHash('sha256').update(Buffer.from(MODEL_TEMPLATE, 'utf8')).digest('hex'));
    if (r.ok) expect(r.specs.map((s) => s.name)).toEqual(['my_life']);
    expect(ExecutorRegistry.has('my_life')).toBe(true);
  });

  it('a second model with a taken name is refused, naming it', async () => {
    const r = await loadModelSource(MODEL_TEMPLATE, options(TEMPLATE_FILE_NAME));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.kind).toBe('register');
      expect(r.problem.message).toMatch(/'my_life' is already registered/);
    }
  });

  it('a syntax error is reported with its line and column', async () => {
    const r = await loadModelSource('const a = 1;\nconst b: number = ;\n', options('bad.ts'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toMatchObject({ kind: 'compile', line: 2 });
      expect(r.problem.message).toMatch(/^Syntax error at line 2, column \d+: Unexpected token/);
    }
  });

  it('an import other than dissmodel-workbench/<entry> is refused with its line', async () => {
    const r = await loadModelSource("import { x } from 'dissmodel-workbench/kit';\nimport fs from 'node:fs';\nx(fs);\n", options('m.ts'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ kind: 'import', line: 2 });
  });

  it('a module that registers nothing says so', async () => {
    const r = await loadModelSource('export const x = 1;\n', options('nothing.js'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.kind).toBe('empty');
  });

  it('a module that throws while it is evaluated gives the exception', async () => {
    const r = await loadModelSource("throw new Error('boom at load');\n", options('throws.js'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ kind: 'evaluate', message: expect.stringMatching(/boom at load/) });
  });

  it('runCli(MyExecutor) only registers, as under dissmodel --model', async () => {
    const src =
      MODEL_TEMPLATE.replace("name: 'my_life'", "name: 'my_life_cli'").replace(
        /static \{\n\s*ExecutorRegistry.register\(this\);\n\s*\}/,
        '',
      ) + "\nimport { runCli } from 'dissmodel-workbench/cli';\nrunCli(MyLife);\n";
    const r = await loadModelSource(src, options('cli.ts'));
    expect(r.ok && r.specs.map((s) => s.name)).toEqual(['my_life_cli']);
  });
});
