/**
 * The layers of src/ are enforced by the build, both ways: ESLint (eslint.config.js)
 * refuses an import that points the wrong way or brings a host into the core, and the
 * core's tsconfig (tsconfig.core.json: ES2023 plus types/common-host.d.ts) refuses the
 * DOM and Node globals. Each check is run on probe files that exist only in memory.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The architecture: what each folder of src/ may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  executor: [],
  sim: ['executor'],
  io: ['executor', 'sim'],
  models: ['executor', 'sim', 'io'],
  worker: ['executor', 'sim', 'io', 'models', 'entries'],
  app: ['executor', 'sim', 'io', 'worker'],
  cli: ['executor', 'sim', 'io', 'models', 'platform'],
  platform: ['executor', 'sim', 'io', 'models', 'cli'],
  entries: ['executor', 'sim', 'io', 'models', 'cli'],
};
const LAYERS = Object.keys(MAY_IMPORT);
const CORE = ['executor', 'sim', 'io', 'models'];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The messages of the import rule for `code` linted as `filePath` (relative to the repository). */
async function importErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `${filePath} did not parse`).toEqual([]);
  return result.messages
    .filter((m) => (m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax') && m.severity === 2)
    .map((m) => m.message);
}

describe('ESLint: imports point one way', () => {
  for (const layer of LAYERS) {
    for (const target of LAYERS.filter((t) => t !== layer)) {
      const allowed = MAY_IMPORT[layer].includes(target);
      it(`src/${layer} ${allowed ? 'may' : 'may not'} import src/${target} (from src/${layer}/ and from a subfolder)`, async () => {
        const direct = await importErrors(`import { x } from '../${target}/probe.ts';\nexport const y = x;\n`, `src/${layer}/probe.ts`);
        const nested = await importErrors(`export * from '../../${target}/probe.ts';\n`, `src/${layer}/sub/probe.ts`);
        if (allowed) {
          expect(direct).toEqual([]);
          expect(nested).toEqual([]);
        } else {
          expect(direct).toEqual([expect.stringContaining(`src/${layer} may import only`)]);
          expect(nested).toEqual([expect.stringContaining(`src/${layer} may import only`)]);
        }
      });
    }
  }

  it('a same-named folder inside a layer is not mistaken for the layer (src/app/share → ../app is src/app/app)', async () => {
    expect(await importErrors(`import '../models/x.ts';\n`, 'src/app/share/probe.ts')).toEqual([]);
    expect(await importErrors(`import '../../models/x.ts';\n`, 'src/app/share/probe.ts')).toHaveLength(1);
  });

  it('the page does not load the registry (nor the index that re-exports it), while the rest of src/executor is open to it', async () => {
    expect(await importErrors(`import { ExecutorRegistry } from '../../executor/registry.ts';\n`, 'src/app/share/probe.ts')).toEqual([
      expect.stringContaining('src/app may not import src/executor/registry.ts: the page gets model specs from the worker'),
    ]);
    expect(await importErrors(`import { ExecutorRegistry } from '../executor/index.ts';\n`, 'src/app/probe.tsx')).toHaveLength(1);
    expect(await importErrors(`import type { ExecutorSpec } from '../../executor/executor.ts';\n`, 'src/app/share/probe.ts')).toEqual([]);
    expect(await importErrors(`import { ExecutorRegistry } from '../executor/registry.ts';\n`, 'src/worker/probe.ts')).toEqual([]);
  });

  it('type-only imports count as imports', async () => {
    expect(await importErrors(`import type { Store } from '../app/store.ts';\nexport type S = Store;\n`, 'src/sim/probe.ts')).toHaveLength(
      1,
    );
  });

  it('so do dynamic import() and import types', async () => {
    const code = `export const a = () => import('../app/store.ts');\nexport const b = () => import('node:fs');\nexport type C = import('../worker/protocol.ts').RunResponse;\nexport const d = () => import('../executor/errors.ts');\n`;
    expect(await importErrors(code, 'src/sim/probe.ts')).toEqual([
      expect.stringContaining('src/sim may import only src/executor'),
      expect.stringContaining('The core is host-free: no Node built-in'),
      expect.stringContaining('src/sim may import only src/executor'),
    ]);
  });

  it('nothing imports from outside src/', async () => {
    expect(await importErrors(`import x from '../../package.json';\nexport default x;\n`, 'src/io/probe.ts')).toEqual([
      "'../../package.json' import is restricted from being used by a pattern. src/io may not import from outside src/.",
    ]);
  });

  describe('the core imports no Node built-in and no UI library; the CLI and the page may', () => {
    const hostImports = [
      `import { readFileSync } from 'node:fs';`,
      `import { readFile } from 'fs/promises';`,
      `import { join } from 'path';`,
      `import { createHash } from 'crypto';`,
      `import { Worker } from 'worker_threads';`,
      `import { Buffer } from 'buffer';`,
      `import { EventEmitter } from 'events';`,
      `import { useState } from 'react';`,
      `import { createRoot } from 'react-dom/client';`,
      `import { Map } from 'maplibre-gl';`,
      `import { create } from 'zustand';`,
      `import { useQuery } from '@tanstack/react-query';`,
      `import * as Comlink from 'comlink';`,
    ];
    for (const layer of CORE) {
      it(`src/${layer}`, async () => {
        for (const line of hostImports) {
          expect(await importErrors(line + '\n', `src/${layer}/probe.ts`), `${line} in src/${layer}`).toEqual([
            expect.stringMatching(/^'.+' import is restricted from being used by a pattern\. The core is host-free: no /),
          ]);
        }
        // What the core is built on stays open to it.
        expect(
          await importErrors(
            `import { deflateSync } from 'fflate';\nimport { sha256 } from '@noble/hashes/sha2.js';\n`,
            `src/${layer}/probe.ts`,
          ),
        ).toEqual([]);
      });
    }

    it('tests in the core, src/cli and src/app', async () => {
      expect(await importErrors(`import { readFileSync } from 'node:fs';\n`, 'src/sim/probe.test.ts')).toEqual([]);
      expect(await importErrors(`import { readFileSync } from 'node:fs';\n`, 'src/cli/probe.ts')).toEqual([]);
      expect(await importErrors(`import { useState } from 'react';\n`, 'src/app/probe.tsx')).toEqual([]);
    });
  });

  it('a clean core file passes the whole configuration', async () => {
    const [result] = await eslint.lintText(
      `import { ParameterError } from '../executor/errors.ts';\n\nexport function probe(n: number): number {\n  if (n < 0) throw new ParameterError('negative');\n  return n * 2;\n}\n`,
      { filePath: join(ROOT, 'src/sim/probe.ts') },
    );
    expect(result.messages).toEqual([]);
  });

  it('every folder of src/ is a layer the rules know, and every file in it is under its import rule', async () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual([...LAYERS].sort());
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.(ts|tsx|js)$/.test(f) && !/\.test\.tsx?$/.test(f) && f.includes('/'),
    );
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const config = (await eslint.calculateConfigForFile(join(ROOT, 'src', f))) as { rules?: Record<string, unknown[]> };
      expect(config.rules?.['no-restricted-imports'], `src/${f}`).toEqual([2, { patterns: expect.any(Array) }]);
      expect(config.rules?.['no-restricted-syntax']?.length, `src/${f}`).toBeGreaterThan(1);
    }
  });
});

describe('tsconfig.core.json: the core sees ES2023 and the common host API, no DOM and no Node', () => {
  let options: ts.CompilerOptions;
  let hostFiles: string[];
  beforeAll(() => {
    const file = join(ROOT, 'tsconfig.core.json');
    const read = ts.readConfigFile(file, ts.sys.readFile);
    expect(read.error).toBeUndefined();
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
    expect(parsed.errors).toEqual([]);
    options = parsed.options;
    hostFiles = parsed.fileNames.filter((f) => f.endsWith('.d.ts'));
    // The configuration covers the core's real files and no test.
    const sources = parsed.fileNames.filter((f) => !f.endsWith('.d.ts')).map((f) => relative(ROOT, f));
    expect(sources).toContain('src/sim/raster.ts');
    expect(sources).toContain('src/models/index.ts');
    expect(sources.filter((f) => f.endsWith('.test.ts'))).toEqual([]);
    expect(sources.filter((f) => !/^src\/(executor|sim|io|models)\//.test(f))).toEqual([]);
  });

  /** The type errors of `code` checked as a new file in src/sim under the core's options. */
  function typeErrors(code: string): string[] {
    const probe = join(ROOT, 'src/sim/__probe__.ts');
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError, create) =>
      name === probe ? ts.createSourceFile(name, code, lang) : getSourceFile(name, lang, onError, create);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === probe || fileExists(name);
    const program = ts.createProgram([probe, ...hostFiles], options, host);
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it.each([
    ['document', `export const title = document.title;`, /Cannot find name 'document'/],
    ['window', `export const w = window.innerWidth;`, /Cannot find name 'window'/],
    ['navigator', `export const n = navigator.hardwareConcurrency;`, /Cannot find name 'navigator'/],
    ['Buffer', `export const b = Buffer.from('x');`, /Cannot find name 'Buffer'/],
    ['process', `export const cwd = process.cwd();`, /Cannot find name 'process'/],
    ['require', `export const fs = require('fs');`, /Cannot find name 'require'/],
    ['__dirname', `export const d = __dirname;`, /Cannot find name '__dirname'/],
    ['HTMLElement', `export function f(e: HTMLElement): void { void e; }`, /Cannot find name 'HTMLElement'/],
  ])('%s is a type error in the core', (_name, code, message) => {
    const errors = typeErrors(code);
    expect(errors).toEqual([expect.stringMatching(message)]);
  });

  it('the common host API type-checks: TextEncoder/TextDecoder, performance.now(), setTimeout/clearTimeout, crypto.getRandomValues, fetch, AbortController/AbortSignal', () => {
    const code = `
      export async function probe(url: string, signal?: AbortSignal): Promise<number> {
        const bytes = new TextEncoder().encode('dissmodel');
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        const t0 = performance.now();
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        const id = crypto.getRandomValues(new Uint8Array(16));
        const ctl = new AbortController();
        const onAbort = () => ctl.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(() => ctl.abort(), 30_000);
        const res = await fetch(url, { signal: ctl.signal });
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const reader = res.body?.getReader();
        const first = reader ? await reader.read() : null;
        const length = Number(res.headers.get('content-length') ?? NaN);
        return text.length + id.length + (first?.done === false ? first.value.byteLength : 0) + length + (signal?.aborted ? 1 : 0) + performance.now() - t0;
      }
    `;
    expect(typeErrors(code)).toEqual([]);
  });

  it('the same probe on document fails and on TextEncoder passes: the check is of the globals, not of the file', () => {
    expect(typeErrors(`export const a = new TextEncoder().encode(document.title);`)).toEqual([expect.stringMatching(/'document'/)]);
    expect(typeErrors(`export const a = new TextEncoder().encode('title');`)).toEqual([]);
  });
});
