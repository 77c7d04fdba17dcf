/**
 * `dissmodel sweep` end to end: `node bin/dissmodel.js sweep …` in a child
 * process, a pool of two worker threads, one normal record per run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/dissmodel.js');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-sweep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const glider = join(root, 'public/samples/gol_glider_64x64.tif');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

describe('dissmodel sweep', () => {
  it('runs a grid on two workers: one completed record per run, a CSV, identical parameters give the same sha', async () => {
    const r = await cli('sweep', 'game_of_life', '--input', glider, '--param', 'end_time=5,10,5', '--jobs', '2', '--output', 'sw');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3/3 completed');
    const files = readdirSync(join(work, 'sw'));
    const records = files.filter((f) => f.endsWith('.record.json')).map((f) => JSON.parse(readFileSync(join(work, 'sw', f), 'utf8')));
    expect(records).toHaveLength(3);
    expect(records.every((x) => x.status === 'completed')).toBe(true);
    expect(files.filter((f) => /^profiling_[0-9a-f]{8}\.md$/.test(f))).toHaveLength(3);
    const byEnd = (e: number) => records.filter((x) => x.parameters.end_time === e).map((x) => x.artifacts.output as string);
    expect(byEnd(10)).toHaveLength(1);
    const fives = byEnd(5);
    expect(fives).toHaveLength(2);
    expect(fives[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(fives[0]).toBe(fives[1]);
    expect(byEnd(10)[0]).not.toBe(fives[0]);
    const csvName = files.find((f) => /^sweep_[0-9a-f]{8}\.csv$/.test(f))!;
    const csv = readFileSync(join(work, 'sw', csvName), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toContain('end_time');
    expect(csv[0]).toContain('last_population');
    expect(csv).toHaveLength(4);
    // plan order kept in the table whatever worker finished first
    expect(csv.slice(1).map((l) => l.split(',')[2])).toEqual(['5', '10', '5']);
  });

  it('runs the two-value grid of the issue and refuses a bad value before running anything', async () => {
    const ok = await cli('sweep', 'game_of_life', '--input', glider, '--param', 'end_time=5,10', '--jobs', '2', '--output', 'two');
    expect(ok.code).toBe(0);
    expect(readdirSync(join(work, 'two')).filter((f) => f.endsWith('.record.json'))).toHaveLength(2);
    const bad = await cli('sweep', 'game_of_life', '--input', glider, '--param', 'end_time=5,-1', '--output', 'bad');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/end_time/);
  });
});
