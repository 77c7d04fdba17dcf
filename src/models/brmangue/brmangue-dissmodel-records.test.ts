/**
 * Reproducing what DisSModel wrote: its record leaves out the parameters its executor
 * defaulted (BR-MANGUE: taxa_elevacao 0.5, end_time 88, not this spec's 0.011 and 20), and a
 * GeoTIFF it saved mid-run carries a `passo` tag, from which its raster executor continues.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, parseRecordJson } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { dissmodelDefaultsFor, replayRecord } from '../../executor/reproduce.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { plain } from '../test-grids.ts';
import '../index.ts';
import { BrMangueExecutor, rasterGrid } from './executor.ts';

const REF = new URL('../../../tests/reference/', import.meta.url);
const recordText = readFileSync(new URL('dissmodel_cli_record.json', REF), 'utf8');
const coast = new Uint8Array(readFileSync(new URL('inputs/coast_10x14.tif', REF)));
// gdal_translate -mo passo=3 of inputs/coast_10x14.tif (tests/reference/README.md)
const coastPasso3 = new Uint8Array(readFileSync(new URL('gdal/coast_10x14_passo3.tif', REF)));
const spec = ExecutorRegistry.get('brmangue').spec;

async function run(bytes: Uint8Array, parameters: Record<string, number | boolean>) {
  const io = new MemoryIO();
  io.inputs.set('in.tif', bytes);
  const record = createRecord({ model_name: 'brmangue', source: { type: 'local', uri: 'in.tif' }, parameters });
  const outcome = await executeLifecycle(new BrMangueExecutor(), record, { io });
  return { outcome, record, out: record.output_path ? await readGeoTiff(io.written.get(record.output_path)!) : null };
}

describe("a DisSModel record's missing parameters take DisSModel's executor defaults", () => {
  it('taxa_elevacao 0.5 and end_time 88 when the record leaves them out; what it gives is kept', () => {
    const original = parseRecordJson(recordText);
    delete original.parameters.taxa_elevacao;
    delete original.parameters.end_time;
    expect(dissmodelDefaultsFor(original, spec)).toEqual({ taxa_elevacao: 0.5, end_time: 88 });
    const replay = replayRecord(original, spec, '0.1.0');
    expect(replay.parameters).toMatchObject({ taxa_elevacao: 0.5, end_time: 88, altura_mare: 6.0, acrecao_ativa: false });
    const full = parseRecordJson(recordText);
    full.parameters.taxa_elevacao = 0.011;
    expect(replayRecord(full, spec, '0.1.0').parameters).toMatchObject({ taxa_elevacao: 0.011, end_time: 8 });
  });

  it("this project's own records are re-run as they are (they carry every resolved parameter)", () => {
    const ours = createRecord({ model_name: 'brmangue', parameters: { end_time: 5 } });
    expect(dissmodelDefaultsFor(ours, spec)).toEqual({});
    expect(replayRecord(ours, spec, '0.1.0').parameters).toEqual({ end_time: 5 });
  });
});

describe("DisSModel's passo tag: the raster run continues from step passo + 1", () => {
  it('reads the tag and runs steps 4…8, equal to the kernel stepped from t = 4 on the same cells', async () => {
    const ds = await readGeoTiff(coastPasso3);
    expect(ds.tags).toEqual({ passo: '3' });
    expect((await readGeoTiff(coast)).tags).toBeUndefined();
    const { outcome, record, out } = await run(coastPasso3, { end_time: 8, taxa_elevacao: 0.5 });
    expect(outcome.error).toBeUndefined();
    expect(record.logs).toContain("Continuing from step 4: the input's passo tag is 3 (from_passo; start_time 1 not used)");
    expect(record.logs).toContain('Running steps 4 → 8...');
    const grid = rasterGrid(ds, {}, { rate: 0.5, padLower: false, mangrove: true, tide: 6, accretion: false });
    for (let t = 4; t <= 8; t++) grid.step(t);
    expect(plain(out!.bands[0].data)).toEqual(plain(grid.uso));
    expect(plain(out!.bands[1].data)).toEqual(plain(grid.alt).map(Math.fround));
    // the same input without the tag starts at 1: a different result
    const plainRun = await run(coast, { end_time: 8, taxa_elevacao: 0.5 });
    expect(plain(plainRun.out!.bands[1].data)).not.toEqual(plain(out!.bands[1].data));
  });

  it('from_passo=false runs from start_time; a passo at or after end_time is refused with the reason', async () => {
    const a = await run(coastPasso3, { end_time: 8, taxa_elevacao: 0.5, from_passo: false });
    const b = await run(coast, { end_time: 8, taxa_elevacao: 0.5 });
    expect(a.record.logs).toContain('Running steps 1 → 8...');
    expect(plain(a.out!.bands[1].data)).toEqual(plain(b.out!.bands[1].data));
    const late = await run(coastPasso3, { end_time: 3 });
    expect(late.record.status).toBe('failed');
    expect(String((late.outcome.error as Error | undefined)?.message)).toMatch(
      /passo tag says step 3 is done, so the run would start at 4, after end_time 3: nothing to run/,
    );
  });
});
