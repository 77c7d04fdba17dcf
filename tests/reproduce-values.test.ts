/**
 * `dissmodel reproduce` when the output checksums differ: both outputs are decoded and the
 * verdict says whether the values agree ("pixels match, bytes differ (GDAL's layout: …)") or
 * which cells differ, in a child process on real files. The original outputs are GDAL-written
 * files (tests/reference/gdal, made with gdal_translate) beside a DisSModel record.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/dissmodel.js');
const ref = (p: string) => join(root, 'tests/reference', p);
const work = mkdtempSync(join(tmpdir(), 'dissmodel-repvalues-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** DisSModel's record, in its own folder, naming `output` (copied to where its output_path points) as its output. */
function dissmodelRecord(dir: string, output: string, edit: (r: Record<string, unknown>) => void = () => {}): string {
  const folder = join(work, dir);
  mkdirSync(join(folder, 'tif'), { recursive: true });
  mkdirSync(join(folder, 'inputs'), { recursive: true });
  copyFileSync(ref('inputs/coast_10x14.tif'), join(folder, 'inputs/coast_10x14.tif'));
  const rec = JSON.parse(readFileSync(ref('dissmodel_cli_record.json'), 'utf8'));
  copyFileSync(ref(output), join(folder, rec.output_path));
  rec.artifacts.output = sha(ref(output));
  edit(rec);
  const path = join(folder, 'record.json');
  writeFileSync(path, JSON.stringify(rec, null, 1));
  return path;
}

describe('reproduce compares decoded values when the bytes differ', () => {
  it("DisSModel's GDAL-written output beside its record: pixels match, bytes differ (GDAL's layout)", async () => {
    const r = await cli('reproduce', dissmodelRecord('same', 'gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif'), '--output', 'same-out/');
    expect(r.stdout).toMatch(
      /❌ differs: pixels match, bytes differ \(GDAL's layout: pixel-interleaved vs band-interleaved \(planar\)\) \(expected [0-9a-f]{64}, got [0-9a-f]{64}\)/,
    );
    expect(r.code).toBe(1); // the checksum is the contract: exit 0 only when it matches
  });

  it('an original whose pixels differ: the cells that differ in each band', async () => {
    const r = await cli('reproduce', dissmodelRecord('other', 'gdal/brmangue_coast_10x14_t8_taxa0.011.gdal.tif'), '--output', 'other-out/');
    expect(r.stdout).toMatch(
      /❌ differs: 103 cells differ in band 1 \(uso; largest difference 8\); 140 cells differ in band 2 \(alt; largest difference 4\.17\d*\) \(expected/,
    );
    expect(r.code).toBe(1);
  });

  it('--original-output names the file; one with another checksum is not used, and the verdict says why', async () => {
    const rec = dissmodelRecord('given', 'gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif', (r) => (r.output_path = 'elsewhere/out.tif'));
    const found = await cli(
      'reproduce',
      rec,
      '--output',
      'given-out/',
      '--original-output',
      ref('gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif'),
    );
    expect(found.stdout).toContain('❌ differs: pixels match, bytes differ');
    const wrong = await cli(
      'reproduce',
      rec,
      '--output',
      'given-out2/',
      '--original-output',
      ref('gdal/brmangue_coast_10x14_t8_taxa0.011.gdal.tif'),
    );
    expect(wrong.stdout).toMatch(
      /values not compared: .*brmangue_coast_10x14_t8_taxa0\.011\.gdal\.tif has SHA-256 [0-9a-f]{64}, not the recorded [0-9a-f]{64}/,
    );
    const missing = await cli('reproduce', rec, '--output', 'given-out3/');
    expect(missing.stdout).toMatch(/values not compared: the original output elsewhere\/out\.tif is not here .*--original-output FILE/);
  });

  it('a vector run: same features and columns in another encoding, then one changed value', async () => {
    const input = join(root, 'public/samples/coast_10x14.geojson');
    const run = await cli('run', 'brmangue', '--input', input, '--output', 'vec/out.geojson', '--param', 'end_time=4');
    expect(run.code).toBe(0);
    const recPath = resolve(work, run.stdout.match(/record:\s+(\S+)/)![1]);
    const rec = JSON.parse(readFileSync(recPath, 'utf8'));
    const out = resolve(work, rec.output_path);
    const layer = JSON.parse(readFileSync(out, 'utf8'));
    writeFileSync(out, JSON.stringify(layer, null, 2)); // the same values, other bytes
    rec.artifacts.output = sha(out);
    writeFileSync(recPath, JSON.stringify(rec));
    const same = await cli('reproduce', recPath, '--output', 'vec2/');
    expect(same.stdout).toContain(
      "❌ differs: features and columns match, bytes differ (the encoder's layout: number formatting, key order or whitespace)",
    );
    layer.features[7].properties.alt += 1;
    writeFileSync(out, JSON.stringify(layer));
    rec.artifacts.output = sha(out);
    writeFileSync(recPath, JSON.stringify(rec));
    const one = await cli('reproduce', recPath, '--output', 'vec3/');
    expect(one.stdout).toMatch(/❌ differs: 1 feature differs in column alt \(expected/);
  });

  it("a DisSModel record that leaves out taxa_elevacao and end_time is re-run with DisSModel's 0.5 and 88", async () => {
    const rec = dissmodelRecord('defaults', 'gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif', (r) => {
      const p = r.parameters as Record<string, unknown>;
      delete p.taxa_elevacao;
      delete p.end_time;
    });
    const r = await cli('reproduce', rec, '--output', 'defaults-out/');
    expect(r.stdout).toContain(
      "· the record (written by DisSModel) leaves out end_time = 88, taxa_elevacao = 0.5: DisSModel's executor defaults, used here",
    );
    expect(r.stdout).toContain('Running steps 1 → 88...');
    const rerun = JSON.parse(readFileSync(resolve(work, r.stdout.match(/record:\s+(\S+)/)![1]), 'utf8'));
    expect(rerun.parameters).toMatchObject({ taxa_elevacao: 0.5, end_time: 88 });
  });
});
