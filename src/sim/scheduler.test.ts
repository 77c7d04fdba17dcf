import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Environment, Model } from './scheduler.ts';

const ref = JSON.parse(readFileSync(new URL('../../tests/reference/framework_semantics.json', import.meta.url), 'utf8'));

type Call = [string, string, number];

class Recorder extends Model {
  constructor(
    env: Environment,
    private readonly calls: Call[],
    opts: { name: string; step?: number; start_time?: number; end_time?: number },
  ) {
    super(env, { name: opts.name, step: opts.step, startTime: opts.start_time, endTime: opts.end_time });
  }
  override preExecute() {
    this.calls.push(['pre', this.name, this.env.now()]);
  }
  override execute() {
    this.calls.push(['exec', this.name, this.env.now()]);
  }
  override postExecute() {
    this.calls.push(['post', this.name, this.env.now()]);
  }
}

describe('Environment / Model (DisSModel 0.6.1 semantics)', () => {
  for (const [i, sched] of (
    ref.environment_schedules as Array<{
      env: { start_time?: number; end_time?: number };
      till: number | null;
      models: Array<{ name: string; step?: number; start_time?: number; end_time?: number }>;
      stdout: string;
      calls: Call[];
    }>
  ).entries()) {
    it(`schedule ${i}: ${JSON.stringify(sched.env)} till=${sched.till} models=${JSON.stringify(sched.models)}`, async () => {
      const env = new Environment({ startTime: sched.env.start_time, endTime: sched.env.end_time ?? null });
      const calls: Call[] = [];
      for (const m of sched.models) new Recorder(env, calls, m);
      await env.run(sched.till ?? undefined);
      expect(calls).toEqual(sched.calls);
      expect(env.banner() + '\n').toBe(sched.stdout);
    });
  }

  it('accumulates fractional steps as IEEE doubles', async () => {
    const env = new Environment({ startTime: 0, endTime: 0.35 });
    const calls: Call[] = [];
    new Recorder(env, calls, { name: 'A', step: 0.1 });
    await env.run();
    expect(calls.filter((c) => c[0] === 'exec').map((c) => c[2])).toEqual([0, 0.1, 0.2, 0.30000000000000004]);
  });

  it('needs an end time or till', async () => {
    await expect(new Environment().run()).rejects.toThrow(/till/);
  });
});
