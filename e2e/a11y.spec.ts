/**
 * Accessibility: an axe scan (WCAG 2 A/AA rules) of every panel and state of the page —
 * before a run, after a map run (legend, step slider, results), a table model's chart, the
 * settings dialog, the sweep, the run controls paused — in the light and the dark theme.
 * No serious or critical violation is allowed.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openWorkbench, pickSample, runAndWait, selectModel, setParam } from './helpers.ts';

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: 0 serious/critical violations on every panel (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    await openWorkbench(page);
    found.push(...(await seriousViolations(page, 'empty page')));

    await selectModel(page, 'game_of_life');
    await pickSample(page, 'gol_glider_64x64.tif');
    await setParam(page, 'end_time', '12');
    found.push(...(await seriousViolations(page, 'dataset picked')));
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
    await page.locator('.logs > summary').click();
    found.push(...(await seriousViolations(page, 'after a map run')));

    await page.getByTestId('setup-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
    found.push(...(await seriousViolations(page, 'paused at setup')));
    await page.getByTestId('cancel-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
    found.push(...(await seriousViolations(page, 'partial result')));

    await page.getByTestId('settings-button').click();
    found.push(...(await seriousViolations(page, 'settings dialog')));
    await page.getByTestId('settings-button').click();

    await page.locator('.sweep-details > summary').click();
    await page.getByTestId('sweep-values-end_time').fill('3, 6');
    await page.getByTestId('sweep-run').click();
    await expect(page.getByTestId('sweep-chart')).toBeVisible();
    found.push(...(await seriousViolations(page, 'sweep')));

    await selectModel(page, 'sir');
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('table-view')).toBeVisible();
    found.push(...(await seriousViolations(page, 'table model')));

    expect(found, found.join('\n')).toEqual([]);
  });
}
