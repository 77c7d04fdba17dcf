/**
 * The contract harness over every registered executor: static checks, then a
 * full validate → load → run → save cycle on its bundled sample (or with no
 * input for models that take none), as `dissmodel validate` does.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, getOutputSha256, runContractTests, runWithSampleData } from '../src/executor/index.ts';
import { ExecutorRegistry } from '../src/models/index.ts';
import { NodeIO } from '../src/cli/node-io.ts';
import { sha256HexAsync } from '../src/io/sha256.ts';

const names = ExecutorRegistry.list();

describe('every registered executor', () => {
  it('the catalogue is not empty', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    const cls = ExecutorRegistry.get(name);
    it(`${name}: contract tests pass`, () => {
      const report = runContractTests(cls);
      expect(report.passed, formatReport(report)).toBe(true);
    });

    it(`${name}: runs a full cycle on its sample (or with no input)`, async () => {
      const spec = cls.spec;
      expect(spec.inputs.includes('none') || !!spec.sample, `${name} declares no bundled sample`).toBe(true);
      const io = new NodeIO();
      const writes: Uint8Array[] = [];
      const capture = { read: io.read.bind(io), write: async (p: string, b: Uint8Array) => (writes.push(b), p) };
      const r = await runWithSampleData(cls, { io: capture });
      expect(r.passed, r.message).toBe(true);
      expect(writes).toHaveLength(1);
      expect(getOutputSha256(r.outcome.record)).toBe(await sha256HexAsync(writes[0]));
      if (spec.sample) expect(r.outcome.record.source.checksum).toMatch(/^[0-9a-f]{64}$/);
    });
  }
});
