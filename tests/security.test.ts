/**
 * Static security rules, checked on the source tree (so a regression fails
 * `npm test`, not a review):
 * - no HTML sinks anywhere in src/: innerHTML, outerHTML, insertAdjacentHTML,
 *   dangerouslySetInnerHTML, document.write, srcdoc, createContextualFragment —
 *   user strings (file names, columns, record fields, messages) reach the page
 *   only as React text;
 * - nothing in src/ evaluates code: no eval, new Function / Function(…),
 *   string timers, javascript: URLs — records and links are parsed as data only;
 * - index.html carries a Content-Security-Policy without 'unsafe-eval' (its one
 *   relaxation is 'wasm-unsafe-eval', WebAssembly compilation for the grid kernels)
 *   and without inline scripts, and has no inline <script> itself; the page-model
 *   worker's own policy allows neither.
 * The e2e suite (e2e/faults.spec.ts) checks the built page and its behaviour.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_WORKER_CSP } from '../vite.config.ts';

const root = resolve(import.meta.dirname, '..');

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx|js|mjs|html)$/.test(name)) yield p;
  }
}

/** The code of a file without comments and string-literal contents that are only prose. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const SINKS: Array<[string, RegExp]> = [
  ['innerHTML', /\.innerHTML\b/],
  ['outerHTML', /\.outerHTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['dangerouslySetInnerHTML', /\bdangerouslySetInnerHTML\b/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['srcdoc', /\bsrcdoc\b/i],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['DOMParser (HTML)', /\bnew\s+DOMParser\b/],
];

const EVALUATORS: Array<[string, RegExp]> = [
  ['eval', /(^|[^.\w$])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['Function(…)', /(^|[^.\w$])Function\s*\(\s*['"`]/],
  ['string timer', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['javascript: URL', /['"`]\s*javascript:/i],
  ['import() of a computed string', /\bimport\s*\(\s*[^'"`)\s]/],
];

describe('the source tree has no HTML sinks and evaluates nothing', () => {
  const files = [...sourceFiles(join(root, 'src'))];

  it('scans every file under src/', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith('.tsx'))).toBe(true);
  });

  it.each(SINKS)('no %s', (_name, re) => {
    const hits = files.filter((f) => re.test(code(readFileSync(f, 'utf8')))).map((f) => relative(root, f));
    expect(hits).toEqual([]);
  });

  /**
   * The places that import code by a computed name, each for a reason records, links and
   * datasets never reach:
   * - the CLI loading the model file or package its user names on the command line
   *   (`--model FILE`, a TOML `[model] package`), as DisSModel's CLI does;
   * - the compiled CLI importing a built-in model's module from the catalogue `build:lib`
   *   wrote beside it (lazy models);
   * - the page-model worker importing the code the person opened or confirmed (its own CSP,
   *   no storage, see ARCHITECTURE.md "Models written in the page"), and its unit test.
   */
  const CODE_LOADERS = [
    'src/cli/catalogue.ts',
    'src/cli/model-source.ts',
    'src/worker/user-model-worker.ts',
    'src/worker/user-model.test.ts',
  ];

  it.each(EVALUATORS)('no %s', (name, re) => {
    // the worker's `new URL('./worker.ts', import.meta.url)` and static imports are fine; the test file itself is not in src/
    const hits = files.filter((f) => re.test(code(readFileSync(f, 'utf8')))).map((f) => relative(root, f));
    expect(hits).toEqual(name === 'import() of a computed string' ? CODE_LOADERS : []);
  });

  it('the scan itself catches what it looks for', () => {
    expect(SINKS.some(([, re]) => re.test('el.innerHTML = name'))).toBe(true);
    expect(SINKS.some(([, re]) => re.test('<div dangerouslySetInnerHTML={{ __html: x }} />'))).toBe(true);
    expect(EVALUATORS.some(([, re]) => re.test('const f = new Function("return 1")'))).toBe(true);
    expect(EVALUATORS.some(([, re]) => re.test('x = eval(text)'))).toBe(true);
    expect(EVALUATORS.some(([, re]) => re.test('retrieval(x)'))).toBe(false);
    expect(EVALUATORS.some(([, re]) => re.test('setTimeout("alert(1)", 0)'))).toBe(true);
    expect(EVALUATORS.some(([, re]) => re.test('setTimeout(() => 1, 0)'))).toBe(false);
  });
});

/** The directives of a CSP string. */
export function parseCsp(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), values);
  }
  return m;
}

describe('index.html: Content-Security-Policy without unsafe-eval or inline script', () => {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);

  it('has a CSP meta tag', () => {
    expect(meta).not.toBeNull();
  });

  it("script-src is 'self' and 'wasm-unsafe-eval' only: no 'unsafe-eval', no 'unsafe-inline', no wildcard, no data:/blob: scripts", () => {
    const csp = parseCsp(meta![1]);
    const scripts = csp.get('script-src') ?? csp.get('default-src')!;
    // 'wasm-unsafe-eval' lets the grid kernels compile the WebAssembly modules the page's own code encodes
    // (src/sim/wasm); it allows no eval, Function or string timer (the e2e faults test checks that in the page).
    expect(scripts).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(meta![1].replaceAll("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-eval/);
    for (const [name, values] of csp) {
      if (name.startsWith('script') || name === 'default-src') expect(values, name).not.toContain("'unsafe-inline'");
    }
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it("the page-model worker's own policy allows no WebAssembly compilation, nor eval", () => {
    const csp = parseCsp(MODEL_WORKER_CSP);
    expect(csp.get('script-src')).toEqual(["'self'", 'blob:']);
    expect(MODEL_WORKER_CSP).not.toMatch(/unsafe-eval/);
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('has no inline <script> and no inline event handlers', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});
