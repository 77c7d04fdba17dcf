/**
 * Models written in the page: the template edited and run, the same file
 * through the CLI (same output SHA-256), a link that carries the code
 * (consent, then "reproduced"), a link whose code was altered (refused), and
 * a syntax error, a throwing model and an endless loop (each a message at the
 * editor; the page keeps working).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync, inflateSync } from 'fflate';
import { MODEL_TEMPLATE } from '../src/app/editor/template.ts';
import { openWorkbench, ROOT, runAndWait, selectModel, sha256 } from './helpers.ts';

const outputSha = (page: Page) => page.getByTestId('output-sha256').innerText();

/** The editor's run, by the keyboard shortcut, and its end. */
async function runFromEditor(page: Page, how: 'button' | 'keys' = 'button'): Promise<string> {
  const status = page.getByTestId('run-status');
  const before = await status.getAttribute('data-run-id');
  if (how === 'keys') {
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+Enter');
  } else await page.getByTestId('editor-run').click();
  // A new run started (a failing one may already have ended: 'running' can be too brief to see), then ended.
  await expect(status).not.toHaveAttribute('data-run-id', before ?? '', { timeout: 60_000 });
  await expect(status).not.toHaveAttribute('data-status', /^(idle|running)$/, { timeout: 120_000 });
  return (await status.getAttribute('data-status')) ?? '';
}

async function openModelFile(page: Page, name: string, source: string): Promise<void> {
  await page.getByTestId('model-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(source, 'utf8') });
  await expect(page.getByTestId('code-editor')).toContainText(source.split('\n')[0]!);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

test('the template, edited and run; the same file in the CLI; a link with its code reproduces; altered code is refused', async ({
  page,
  browser,
}) => {
  await openWorkbench(page);
  await page.getByTestId('model-new').click();
  await expect(page.getByTestId('code-editor')).toContainText('const BIRTH = [3];');

  expect(await runFromEditor(page)).toBe('completed');
  await expect(page.getByTestId('model-select')).toHaveValue('my_life');
  await expect(page.getByTestId('param-end_time')).toBeVisible();
  await expect(page.getByTestId('dataset-name')).toHaveText('gol_random_512x512.tif');
  const conway = await outputSha(page);
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const before = await page.getByTestId('map').screenshot();

  // Change the rule: a dead cell is also born with 2 live neighbours.
  await page.locator('.cm-line', { hasText: 'const BIRTH = [3];' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(', 2];');
  await expect(page.getByTestId('code-editor')).toContainText('const BIRTH = [3, 2];');
  expect(await runFromEditor(page, 'keys')).toBe('completed');
  const changed = await outputSha(page);
  expect(changed).toMatch(/^[0-9a-f]{64}$/);
  expect(changed).not.toBe(conway);
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  expect(Buffer.compare(await page.getByTestId('map').screenshot(), before)).not.toBe(0);

  // Download it and run it through the CLI: the same output bytes, model_commit = the file's SHA-256.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('editor-download').click()]);
  expect(dl.suggestedFilename()).toBe('my_life.ts');
  const dir = join(ROOT, 'test-results', `editor-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'my_life.ts');
  await dl.saveAs(file);
  const fileBytes = readFileSync(file);
  expect(fileBytes.toString('utf8')).toContain('const BIRTH = [3, 2];');
  const out = mkdtempSync(join(tmpdir(), 'dissmodel-editor-'));
  try {
    const cli = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'dissmodel.js'),
        'run',
        '--model',
        file,
        '--input',
        join(ROOT, 'public/samples/gol_random_512x512.tif'),
        '--output',
        join(out, 'life.tif'),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const tif = readdirSync(out).find((f) => f.endsWith('.tif'))!;
    expect(sha256(readFileSync(join(out, tif)))).toBe(changed);
    const rec = JSON.parse(
      readFileSync(
        join(
          out,
          readdirSync(out).find((f) => f.endsWith('.record.json'))!,
        ),
        'utf8',
      ),
    ) as {
      model_commit: string;
    };
    expect(rec.model_commit).toBe(`sha256:${sha256(fileBytes)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }

  // The link carries the code; a fresh page shows it and runs nothing until asked.
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.goto(link);
    await expect(p2.getByTestId('link-code-consent')).toBeVisible();
    await expect(p2.getByTestId('link-code-source')).toContainText('const BIRTH = [3, 2];');
    await expect(p2.getByTestId('link-code-consent')).toContainText(sha256(fileBytes));
    await expect(p2.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    await p2.getByTestId('link-code-run').click();
    await expect(p2.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${changed})`, { timeout: 120_000 });
    await expect(p2.getByTestId('code-editor')).toContainText('const BIRTH = [3, 2];');

    // The same link with one character of the code changed (its recorded SHA-256 kept): refused, nothing runs.
    const frag = new URL(link).hash.slice('#run='.length);
    const payload = JSON.parse(Buffer.from(inflateSync(Buffer.from(frag, 'base64url'))).toString('utf8')) as { code: { source: string } };
    payload.code.source = payload.code.source.replace('const BIRTH = [3, 2];', 'const BIRTH = [3, 1];');
    const altered = `${link.split('#')[0]}#run=${b64url(deflateSync(Buffer.from(JSON.stringify(payload)), { level: 9 }))}`;
    const p3 = await fresh.newPage();
    await p3.goto(altered);
    await expect(p3.getByTestId('link-error')).toContainText("The link's model code does not match its record");
    await expect(p3.getByTestId('link-code-consent')).toHaveCount(0);
    await expect(p3.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  } finally {
    await fresh.close();
  }
});

test('a syntax error, a throwing model and an endless loop: each a message at the editor, and the page keeps working', async ({ page }) => {
  await openWorkbench(page);
  await page.getByTestId('model-new').click();
  expect(await runFromEditor(page)).toBe('completed');
  const good = await outputSha(page);

  // A syntax error: marked on its line; the previous version stays registered and runnable.
  const broken = MODEL_TEMPLATE.replace('const SURVIVE = [2, 3];', 'const SURVIVE = [2, 3;');
  const line = broken.split('\n').findIndex((l) => l.includes('const SURVIVE')) + 1;
  await openModelFile(page, 'broken.ts', broken);
  await page.getByTestId('editor-run').click();
  const message = page.getByTestId('editor-message');
  await expect(message).toHaveAttribute('data-kind', 'compile');
  await expect(message).toContainText(`Syntax error at line ${line}`);
  await expect(message).toContainText('is still registered and runnable');
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  await expect(page.getByTestId('model-select')).toHaveValue('my_life');
  expect(await runAndWait(page)).toBe('completed');
  expect(await outputSha(page)).toBe(good);

  // A file that registers nothing, and one whose top level never returns.
  await openModelFile(page, 'nothing.ts', 'export const answer: number = 42;\n');
  await page.getByTestId('editor-run').click();
  await expect(message).toHaveAttribute('data-kind', 'empty');
  await expect(message).toContainText('nothing.ts registered no executor');
  await openModelFile(page, 'stuck.ts', '// never returns\nwhile (true) {}\n');
  await page.getByTestId('editor-run').click();
  await expect(message).toContainText('The model did not finish loading', { timeout: 60_000 });
  await expect(page.getByTestId('model-select')).toHaveValue('my_life');

  // A model whose phase throws.
  await openModelFile(
    page,
    'throws.ts',
    MODEL_TEMPLATE.replace('const n = focalCount(', "throw new Error('the rule exploded');\n    const n = focalCount("),
  );
  expect(await runFromEditor(page)).toBe('failed');
  await expect(message).toHaveAttribute('data-kind', 'run-failed');
  await expect(message).toContainText('the rule exploded');

  // An endless loop: Cancel cannot stop it, so its worker is terminated and replaced.
  await openModelFile(page, 'loops.ts', MODEL_TEMPLATE.replace('const n = focalCount(', 'while (true) {}\n    const n = focalCount('));
  await page.getByTestId('editor-run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await page.getByTestId('editor-cancel').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(message).toContainText('did not stop after Cancel, so its worker was terminated and restarted');

  // The page still works: a built-in model runs, and so does the fixed page model.
  await selectModel(page, 'game_of_life');
  expect(await runAndWait(page)).toBe('completed');
  await page.getByTestId('model-new').click();
  await expect(page.getByTestId('code-editor')).toContainText('const BIRTH = [3];');
  await page.getByTestId('editor-run').click();
  await expect(page.getByTestId('model-select')).toHaveValue('my_life');
  await expect(page.getByTestId('run-status')).not.toHaveAttribute('data-status', /^(idle|running|cancelled)$/, { timeout: 120_000 });
  expect(await outputSha(page)).toBe(good);
});

test('a model opened by URL runs in a worker that cannot reach the page storage or eval', async ({ page }) => {
  await openWorkbench(page);
  const probe = MODEL_TEMPLATE.replace(
    'const BIRTH = [3];',
    "const BIRTH = [3];\nconst g = globalThis as Record<string, unknown>;\nconst reach = ['indexedDB', 'caches', 'Worker', 'SharedWorker', 'BroadcastChannel', 'WebAssembly'].filter((k) => g[k] !== undefined);\nif (reach.length) throw new Error('reachable: ' + reach.join(','));\ntry { new Function('return 1'); throw new Error('eval allowed'); } catch (e) { if ((e as Error).message === 'eval allowed') throw e; }",
  );
  // Opened by URL (the request answered by the test: no network).
  await page.route('https://models.example.org/lab/probe.ts', (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: probe }),
  );
  await page.getByTestId('model-url').fill('https://models.example.org/lab/probe.ts');
  await page.getByTestId('model-url-open').click();
  await expect(page.getByTestId('model-editor')).toContainText('probe.ts');
  await expect(page.getByTestId('code-editor')).toContainText("const reach = ['indexedDB'");
  expect(await runFromEditor(page)).toBe('completed');
});

test('examples/my_model.ts, opened as a file, runs as in the CLI; the history re-opens it with its code after a reload', async ({
  page,
}) => {
  const file = join(ROOT, 'examples', 'my_model.ts');
  const source = readFileSync(file, 'utf8');
  await openWorkbench(page);
  await openModelFile(page, 'my_model.ts', source);
  expect(await runFromEditor(page)).toBe('completed');
  await expect(page.getByTestId('model-select')).toHaveValue('majority_vote');
  await expect(page.getByTestId('dataset-name')).toHaveText('gol_random_512x512.tif');
  const pageSha = await outputSha(page);

  const out = mkdtempSync(join(tmpdir(), 'dissmodel-editor-'));
  try {
    const cli = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'dissmodel.js'),
        'run',
        '--model',
        file,
        '--input',
        join(ROOT, 'public/samples/gol_random_512x512.tif'),
        '--output',
        join(out, 'vote.tif'),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(
      sha256(
        readFileSync(
          join(
            out,
            readdirSync(out).find((f) => f.endsWith('.tif'))!,
          ),
        ),
      ),
    ).toBe(pageSha);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await openWorkbench(page);
  await expect(page.getByTestId('model-editor')).toHaveCount(0);
  await page.getByTestId('history-open').first().click();
  await expect(page.getByTestId('code-editor')).toContainText('MajorityVoteExecutor');
  await expect(page.getByTestId('model-select')).toHaveValue('majority_vote');
  expect(await runAndWait(page)).toBe('completed');
  expect(await outputSha(page)).toBe(pageSha);
});
