/**
 * A smoke run of the benchmark (quick mode, 100² only): figures are positive
 * and finite. Never a timing threshold: CI machines vary.
 */
import { describe, expect, it } from 'vitest';
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
});
