/**
 * Lint rules, and the layering of src/ as lint errors.
 *
 * Layers (one-way; a folder may import only the folders listed for it, and itself):
 *
 *   src/executor  → nothing
 *   src/sim       → executor
 *   src/io        → executor, sim
 *   src/models    → executor, sim, io
 *   src/worker    → executor, sim, io, models, version.ts
 *   src/app       → executor (not registry.ts, nor index.ts which re-exports it), sim, io, worker, version.ts
 *   src/cli       → executor, sim, io, models, platform, version.ts
 *   src/platform  → executor, sim, io, models, cli, version.ts (Node-side with the CLI: serve, worker, S3)
 *   src/entries   → executor, sim, io, models, cli, version.ts (the package's exports)
 *   src/main.tsx  → app
 *
 * The core (executor, sim, io, models) also imports no UI or browser library (React,
 * react-dom, MapLibre, zustand, TanStack, Comlink) and no Node built-in (`node:*` or a bare
 * name such as `fs`). The page gets model specs from the worker: it never loads model code,
 * nor the registry that model code fills, on the main thread. Test files (`*.test.ts`,
 * tests/, e2e/) are exempt: they may use Node and register the models to check the layers.
 *
 * The imports are relative, so each rule is a regular expression anchored on the number
 * of `../` that leads from a file at that depth back to src/ (a file in
 * src/app/share/ needs exactly `../../models/` to reach src/models): precise, with no
 * resolver. Static imports and re-exports are checked by no-restricted-imports, `import()`
 * and `import('…').T` types by no-restricted-syntax with the same patterns. No file of
 * src/ may import from outside it. tsconfig.core.json enforces the other half (no DOM or
 * Node globals in the core); tests/layers.test.ts checks both.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** What each folder of src/ may import besides itself ('version.ts' is src/version.ts). */
const LAYERS = {
  executor: [],
  sim: ['executor'],
  io: ['executor', 'sim'],
  models: ['executor', 'sim', 'io'],
  // The page-model worker hands a model the package's own entry points (never entries/cli.ts, which is Node-side).
  worker: ['executor', 'sim', 'io', 'models', 'entries', 'version.ts'],
  app: ['executor', 'sim', 'io', 'worker', 'version.ts'],
  cli: ['executor', 'sim', 'io', 'models', 'platform', 'version.ts'],
  // The platform (serve, worker, the S3 client) is Node-side with the CLI: the two share the model loader and the HostIO.
  platform: ['executor', 'sim', 'io', 'models', 'cli', 'version.ts'],
  // The installable package's entry points (package.json "exports"): the core, the models and the CLI, never the page.
  entries: ['executor', 'sim', 'io', 'models', 'cli', 'version.ts'],
};
const TARGETS = [...Object.keys(LAYERS), 'version.ts', 'main.tsx'];
const CORE = ['executor', 'sim', 'io', 'models'];
/** Files that one folder may not import although their folder is allowed. */
const FORBIDDEN_FILES = {
  app: [
    [
      'executor/registry.ts',
      'the page gets model specs from the worker (useExecutors()); the registry lives with the models in the worker',
    ],
    ['executor/index.ts', 'it re-exports the registry; import the module you need'],
  ],
};
/** The deepest folder nesting under src/<layer>/ the rules cover (tests/layers.test.ts checks that every file is covered). */
const MAX_DEPTH = 4;

const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', 'tests/**', 'e2e/**'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const up = (depth) => '\\.\\./'.repeat(depth);

const UI_PACKAGES = {
  regex: '^(react|react-dom|maplibre-gl|zustand|comlink)(/|$)|^@tanstack/',
  message: 'The core is host-free: no UI or browser library (React, react-dom, MapLibre, zustand, TanStack, Comlink).',
};
const NODE_BUILTINS = {
  regex: `^node:|^(${builtinModules.map(escape).join('|')})(/|$)`,
  message: 'The core is host-free: no Node built-in. Take bytes, not paths; the CLI (src/cli) does the file system.',
};

/** no-restricted-imports patterns for a file at `depth` folders below src/<layer>/ (depth 0: src/<layer>/file.ts). */
function folderPatterns(layer, depth) {
  const toSrc = up(depth + 1);
  const denied = TARGETS.filter((t) => t !== layer && !LAYERS[layer].includes(t));
  const allowed = LAYERS[layer].length ? LAYERS[layer].map((t) => `src/${t}`).join(', ') : 'nothing outside itself';
  const patterns = [
    {
      regex: `^${toSrc}(${denied.map(escape).join('|')})(/|$)`,
      message: `src/${layer} may import only ${allowed} (dependencies point one way: app → worker → models → io → sim → executor).`,
    },
    { regex: `^${toSrc}\\.\\./`, message: `src/${layer} may not import from outside src/.` },
  ];
  for (const [file, why] of FORBIDDEN_FILES[layer] ?? []) {
    patterns.push({ regex: `^${toSrc}${escape(file)}$`, message: `src/${layer} may not import src/${file}: ${why}.` });
  }
  if (CORE.includes(layer)) patterns.push(UI_PACKAGES, NODE_BUILTINS);
  return patterns;
}

/**
 * The same patterns for what no-restricted-imports does not see: `import('…')` and the
 * type `import('…').T`. (esquery ends a /regex/ at '/', so '/' is written \x2F.)
 */
const dynamicImportSelectors = (patterns) =>
  patterns.map(({ regex, message }) => ({
    selector: `:matches(ImportExpression, TSImportType) Literal[value=/${regex.replaceAll('/', '\\x2F')}/]`,
    message,
  }));

const layerConfigs = Object.keys(LAYERS).flatMap((layer) =>
  Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    const patterns = folderPatterns(layer, depth);
    return {
      name: `layers/${layer}/depth-${depth}`,
      files: [`src/${layer}/${'*/'.repeat(depth)}*.{ts,tsx,js}`],
      ignores: TEST_FILES,
      rules: {
        'no-restricted-imports': ['error', { patterns }],
        'no-restricted-syntax': ['error', ...dynamicImportSelectors(patterns)],
      },
    };
  }),
);

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-lib/',
      'out/',
      'outputs/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'public/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project/typescript',
    rules: {
      // `_name` marks a parameter or binding kept for its position (an interface method, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    name: 'project/global-declarations',
    files: ['types/*.d.ts'],
    // A global declared with `var` is also a property of globalThis (globalThis.crypto), as in lib.dom.d.ts.
    rules: { 'no-var': 'off' },
  },
  {
    name: 'project/node-scripts',
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bench/**', 'tests/**', 'e2e/**', '*.config.ts', 'src/cli/**', 'src/platform/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'project/react-hooks',
    files: ['src/app/**/*.{ts,tsx}', 'src/main.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  ...layerConfigs,
  {
    name: 'layers/main',
    files: ['src/main.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\./(executor|sim|io|models|worker|cli)(/|$)',
              message: 'src/main.tsx mounts src/app; it imports nothing else of src/.',
            },
          ],
        },
      ],
    },
  },
);
