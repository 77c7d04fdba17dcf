/** The LUCC models from the command line: DisSModel's model.toml with --toml, the demand as a second input that reproduce verifies. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { reproduceCommand, runCommand, type Out } from '../../cli/commands.ts';
import { parseRecordJson } from '../../executor/record.ts';
import '../index.ts';
import { LuccRasterExecutor } from './executor.ts';

const fix = (name: string) => fileURLToPath(new URL(`../../../tests/fixtures/lucc/${name}`, import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dissmodel-lucc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function out(): Out & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l) };
}

describe('dissmodel run lucc_raster --toml model.toml', () => {
  const demand = join(work, 'demand.csv');
  copyFileSync(fix('examples_demand_lab1.csv'), demand);

  it('runs DisSModel’s examples/model.toml, records the demand’s URI and SHA-256, and reproduce verifies both inputs', async () => {
    const io = out();
    const r = await runCommand(
      LuccRasterExecutor,
      {
        input: fix('csAC.zip'),
        toml: fix('model.toml'),
        param: [`demand_csv=${demand}`, 'start_time=1', 'n_steps=6'],
        output: join(work, 'lab1.tif'),
      },
      io,
    );
    expect(r.code, io.lines.join('\n')).toBe(0);
    const record = parseRecordJson(readFileSync(r.recordPath!, 'utf8'));
    expect(record.parameters).toMatchObject({ demand_csv: demand, start_time: 1, n_steps: 6, cell_area: 25, land_use_no_data: 'outros' });
    expect((record.resolved_spec.model as { potential: unknown[] }).potential).toHaveLength(3);
    expect(record.artifacts.input_demand_csv).toBe('6dba13276497d203af75eda49382c5e00127ff38e8a62c8156a3cc88307e79c4');
    expect(record.logs.join('\n')).not.toMatch(/Ignored parameters/);

    const again = out();
    expect(await reproduceCommand(r.recordPath!, { output: join(work, 'again.tif') }, again), again.lines.join('\n')).toBe(0);
    expect(again.lines.join('\n')).toContain('reproduced — output SHA-256 matches');

    writeFileSync(demand, readFileSync(demand, 'utf8') + '1,2,3\n');
    const changed = out();
    expect(await reproduceCommand(r.recordPath!, { output: join(work, 'changed.tif') }, changed)).toBe(1);
    expect(changed.lines.join('\n')).toMatch(
      /The input '.*demand\.csv' is not the recorded one: its SHA-256 is [0-9a-f]{64}, the record expects 6dba1327/,
    );
  });
});
