/**
 * A smoke run of the benchmark (quick mode, 100² only): figures are positive
 * and finite. Never a timing threshold: CI machines vary.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gridVerdict } from '../bench/grid-bench.ts';
import { runNodeBench } from '../bench/node-bench.ts';
import { markdown } from '../bench/report.ts';

describe('bench smoke', () => {
  it('runs every model at 100² through executeLifecycle and reports finite figures', async () => {
    const r = await runNodeBench({ sizes: [100], repeats: 1, ioSize: 256 });
    expect(r.rows.map((x) => x.model)).toEqual(['game_of_life', 'forest_fire', 'flood_benchmark', 'brmangue']);
    for (const row of r.rows) {
      expect(row.status).toBe('completed');
      expect(row.minMs).toBeGreaterThan(0);
      expect(Number.isFinite(row.cellsPerSec)).toBe(true);
      expect(Number.isFinite(row.minMs)).toBe(true);
      expect(Number.isFinite(row.medianMs)).toBe(true);
      expect(row.verdict.length).toBeGreaterThan(0);
    }
    for (const x of r.io!.rows) {
      expect(x.minSec).toBeGreaterThan(0);
      expect(Number.isFinite(x.mbPerSec)).toBe(true);
    }
    expect(r.memory.maxRssMB).toBeGreaterThan(0);
    expect(r.memory.heapUsedMB).toBeGreaterThan(0);
    const md = markdown({
      date: 'now',
      machine: 'test',
      mode: 'smoke',
      method: '',
      rows: r.rows,
      io: r.io,
      memory: r.memory,
      browser: 'none',
      wallSec: 1,
    });
    expect(md).toContain('| node | game_of_life | 100² |');
  }, 20_000);

  it('a grid row runs in a process of its own on a file and reports its memory against the state bytes', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/grid-row.ts', 'forest_fire', '64', '5'], { encoding: 'utf8' });
    const row = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number | string>;
    expect(row.status).toBe('completed');
    expect(row.stateMB).toBe((64 * 64) / 2 ** 20); // one uint8 band
    expect(row.peakRssMB).toBeGreaterThanOrEqual(row.baselineRssMB as number);
    expect(row.outputMB).toBeGreaterThan(0);
    expect(Number.isFinite(row.kernelMsPerStep)).toBe(true);
    // The step loop lies inside the run phase, the kernel inside the step loop.
    expect(row.stepMsPerStep).toBeGreaterThanOrEqual(row.kernelMsPerStep as number);
    expect(row.wallMsPerStep).toBeGreaterThanOrEqual(row.stepMsPerStep as number);
  }, 30_000);

  it("the grid verdict checks issue #17's targets: host ≤ 10 % everywhere, ≥ 50× DisSModel where it ran, RSS ≤ 3× state from 4000²", () => {
    expect(gridVerdict(4000, 0.08, 2.8)).toBe('ok');
    expect(gridVerdict(4000, 0.08, 2.8, 51)).toBe('ok');
    expect(gridVerdict(4000, 0.12, 3.2)).toBe('host > 10 %, RSS > 3× state');
    expect(gridVerdict(2000, 0.12, 3.2, 49)).toBe('host > 10 %, < 50× DisSModel');
    expect(gridVerdict(1000, 0.05, 8)).toBe('ok');
    expect(gridVerdict(1000, NaN, 1)).toBe('—');
  });
});
