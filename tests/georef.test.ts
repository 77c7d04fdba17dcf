/**
 * Georeferencing survives a run: read → model → write through the CLI
 * (`node bin/dissmodel.js run …`) on inputs made by GDAL (tests/fixtures/georef/,
 * see its README), each output checked with this project's reader and with
 * `gdalinfo -json` against the input (CRS WKT, geotransform, nodata,
 * AREA_OR_POINT, band type). Without gdalinfo the GDAL checks are skipped with
 * that reason in their names, except under CI, where its absence fails.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import type { RasterDataset } from '../src/sim/dataset.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/dissmodel.js');
const fixtures = join(root, 'tests/fixtures/georef');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-georef-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HAVE_GDAL = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' }).status === 0;
const SKIP = HAVE_GDAL ? '' : ' [SKIPPED: gdalinfo not found; install Debian gdal-bin]';
if (!HAVE_GDAL) console.warn(`tests/georef.test.ts:${SKIP} — the GDAL-side checks are skipped${process.env.CI ? ' (and CI fails)' : ''}.`);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

/** Run a model on an input through the CLI; the path of the GeoTIFF it wrote. */
async function run(model: string, input: string, name: string, ...params: string[]): Promise<string> {
  const r = await cli('run', model, '--input', input, '--output', `${name}/out.tif`, ...params.flatMap((p) => ['--param', p]));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const tif = readdirSync(join(work, name)).find((f) => f.endsWith('.tif'))!;
  return join(work, name, tif);
}

const read = async (path: string): Promise<RasterDataset> => readGeoTiff(new Uint8Array(readFileSync(path)));

interface GdalView {
  wkt: string | null;
  geoTransform: number[] | null;
  nodata: (number | string | null)[];
  areaOrPoint: string | null;
  types: string[];
  means: (number | null)[];
}

/** What GDAL reports about a file (statistics over valid pixels only). */
function gdal(path: string): GdalView {
  const r = spawnSync('gdalinfo', ['-json', '-stats', path], { encoding: 'utf8', env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
  if (r.status !== 0) throw new Error(`gdalinfo failed on ${path}: ${r.stderr}`);
  const d = JSON.parse(r.stdout) as {
    coordinateSystem?: { wkt?: string };
    geoTransform?: number[];
    metadata?: Record<string, Record<string, string>>;
    bands: { type: string; noDataValue?: number | string; mean?: number }[];
  };
  return {
    wkt: d.coordinateSystem?.wkt ?? null,
    geoTransform: d.geoTransform ?? null,
    nodata: d.bands.map((b) => b.noDataValue ?? null),
    areaOrPoint: d.metadata?.['']?.AREA_OR_POINT ?? null,
    types: d.bands.map((b) => b.type),
    means: d.bands.map((b) => b.mean ?? null),
  };
}

/** The output says to GDAL what the input said: CRS, geotransform, nodata, AREA_OR_POINT and band type. */
function expectSameGeoreferencing(input: string, output: string, types?: string[]): GdalView {
  const a = gdal(input);
  const b = gdal(output);
  expect(b.wkt, 'CRS WKT').toBe(a.wkt);
  expect(b.geoTransform, 'geotransform').toEqual(a.geoTransform);
  expect(b.nodata, 'nodata').toEqual(a.nodata);
  expect(b.areaOrPoint, 'AREA_OR_POINT').toBe(a.areaOrPoint);
  expect(b.types, 'band type').toEqual(types ?? a.types);
  return b;
}

const fx = (name: string) => join(fixtures, name);
const LIFE_AFTER_2: number[] = [];
/** Output of each case's CLI run, for its gdalinfo check. */
const outputs = new Map<string, string>();
/** The GDAL side of a case: a test of its own, skipped with the reason in its name when gdalinfo is missing. */
const withGdal = (title: string, check: (out: string) => void) =>
  it.skipIf(!HAVE_GDAL)(`${title}: gdalinfo -json agrees${SKIP}`, () => {
    const out = outputs.get(title);
    expect(out, `the CLI run of '${title}' must have succeeded`).toBeDefined();
    check(out!);
  });

describe('georeferencing survives a CLI run (GDAL-made inputs)', () => {
  it.runIf(!HAVE_GDAL && !!process.env.CI)('gdalinfo is installed (required in CI: Debian gdal-bin)', () => {
    expect(HAVE_GDAL, 'gdalinfo must be on PATH in CI').toBe(true);
  });

  it('EPSG: the code is kept', async () => {
    const out = await run('game_of_life', fx('epsg_uint8.tif'), 'epsg', 'end_time=2');
    outputs.set('EPSG', out);
    const ds = await read(out);
    expect(ds.epsg).toBe(31983);
    expect(ds.transform).toEqual({ originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 });
    expect(ds.geoKeys ?? null).toBeNull();
    expect(ds.pixelIsPoint ?? false).toBe(false);
    expect(ds.bands.map((b) => [b.name, b.dtype, b.nodata])).toEqual([['state', 'uint8', null]]);
    LIFE_AFTER_2.push(...ds.bands[0].data);
    expect(LIFE_AFTER_2.reduce((s, v) => s + v, 0)).toBe(8); // glider (5) + blinker (3)
  });
  withGdal('EPSG', (out) => {
    const g = expectSameGeoreferencing(fx('epsg_uint8.tif'), out);
    expect(g.wkt).toContain('SIRGAS 2000 / UTM zone 23S');
    expect(g.areaOrPoint).toBe('Area');
  });

  it('WKT-only CRS, custom Albers (user-defined GeoKeys, no EPSG code): the keys are kept and a WKT derived', async () => {
    const input = await read(fx('albers_custom.tif'));
    expect(input.epsg).toBeNull();
    const out = await run('game_of_life', fx('albers_custom.tif'), 'albers', 'end_time=2');
    outputs.set('Albers', out);
    const ds = await read(out);
    expect(ds.epsg).toBeNull();
    expect(ds.geoKeys).toEqual(input.geoKeys);
    expect(ds.geoKeys!.directory).toContain(32767);
    expect(ds.crsWkt).toContain('PROJECTION["Albers_Conic_Equal_Area"]');
    expect(ds.crsWkt).toContain('PARAMETER["standard_parallel_1",-2]');
    expect(ds.crsWkt).toContain('PARAMETER["false_northing",10000000]');
    expect(Array.from(ds.bands[0].data)).toEqual(LIFE_AFTER_2);
  });
  withGdal('Albers', (out) => {
    const g = expectSameGeoreferencing(fx('albers_custom.tif'), out);
    expect(g.wkt).toContain('Albers Equal Area');
    expect(g.wkt).toContain('GRS 1980');
  });

  it('WKT-only CRS in the citation (GDAL ESRI_PE flavour, Robinson): kept, the WKT exposed', async () => {
    const out = await run('game_of_life', fx('robinson_esri_wkt.tif'), 'esri', 'end_time=2');
    outputs.set('ESRI', out);
    const ds = await read(out);
    expect(ds.epsg).toBeNull(); // 4326 in its keys names only the base CRS
    expect(ds.crsWkt).toMatch(/^PROJCS\["unknown",GEOGCS\["GCS_unknown".*PROJECTION\["Robinson"\]/);
    expect(ds.transform).toEqual({ originX: -4000000, originY: -1000000, pixelWidth: 100, pixelHeight: 100 });
  });
  withGdal('ESRI', (out) => expect(expectSameGeoreferencing(fx('robinson_esri_wkt.tif'), out).wkt).toContain('METHOD["Robinson"'));

  it('an EPSG code with a vertical CRS: the code and the vertical keys are kept', async () => {
    const out = await run('game_of_life', fx('compound_vertical.tif'), 'vertical', 'end_time=2');
    outputs.set('vertical', out);
    const ds = await read(out);
    expect(ds.epsg).toBe(31983);
    const dir = ds.geoKeys!.directory;
    const keyIds = Array.from({ length: dir[3] }, (_, k) => dir[4 + k * 4]);
    expect(keyIds).toContain(4096); // VerticalCSTypeGeoKey
    expect(dir[4 + keyIds.indexOf(4096) * 4 + 3]).toBe(5720);
  });
  withGdal('vertical', (out) => expect(expectSameGeoreferencing(fx('compound_vertical.tif'), out).wkt).toContain('NGF-IGN69 height'));

  it('rotated: the ModelTransformation is kept exactly (never an identity transform)', async () => {
    const out = await run('game_of_life', fx('rotated.tif'), 'rotated', 'end_time=2');
    outputs.set('rotated', out);
    const ds = await read(out);
    expect(ds.transform).toBeNull();
    expect(ds.affine).toEqual([580000, 86.60254037844386, 50, 9720000, 50, -86.60254037844386]);
    expect(ds.epsg).toBe(31983);
    expect(Array.from(ds.bands[0].data)).toEqual(LIFE_AFTER_2);
  });
  withGdal('rotated', (out) => {
    const g = expectSameGeoreferencing(fx('rotated.tif'), out);
    expect(g.geoTransform).toEqual([580000, 86.60254037844386, 50, 9720000, 50, -86.60254037844386]);
  });

  it('PixelIsPoint: kept (not relabelled Area), on the same corner-based grid', async () => {
    const out = await run('game_of_life', fx('point.tif'), 'point', 'end_time=2');
    outputs.set('point', out);
    const ds = await read(out);
    expect(ds.pixelIsPoint).toBe(true);
    expect(ds.transform).toEqual({ originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 });
  });
  withGdal('point', (out) => expect(expectSameGeoreferencing(fx('point.tif'), out).areaOrPoint).toBe('Point'));

  it('int16 state: a Game of Life int16 band comes back int16 (same cells as the uint8 run)', async () => {
    const out = await run('game_of_life', fx('life_int16.tif'), 'int16', 'end_time=2');
    outputs.set('int16', out);
    const ds = await read(out);
    expect(ds.bands.map((b) => [b.name, b.dtype])).toEqual([['state', 'int16']]);
    expect(Array.from(ds.bands[0].data)).toEqual(LIFE_AFTER_2);
  });
  withGdal('int16', (out) => expectSameGeoreferencing(fx('life_int16.tif'), out, ['Int16']));

  it('float32 state: a forest-fire float32 band comes back float32', async () => {
    const out = await run('forest_fire', fx('fire_float32.tif'), 'float32', 'end_time=1');
    outputs.set('float32', out);
    const ds = await read(out);
    expect(ds.bands.map((b) => [b.name, b.dtype])).toEqual([['state', 'float32']]);
    // One von Neumann step: the fire at (2,3) burns out, its 4 neighbours catch fire; (3,7) stays burned.
    const s = ds.bands[0].data;
    const at = (r: number, c: number) => s[r * 8 + c];
    expect([at(2, 3), at(1, 3), at(3, 3), at(2, 2), at(2, 4), at(3, 7)]).toEqual([2, 1, 1, 1, 1, 2]);
    expect(Array.from(s).filter((v) => v !== 0).length).toBe(6);
  });
  withGdal('float32', (out) => expectSameGeoreferencing(fx('fire_float32.tif'), out, ['Float32']));

  it('nodata: BR-MANGUE keeps the −9999 ring masked, exactly as a mask band of 0 would', async () => {
    const out = await run('brmangue', fx('coast_nodata.tif'), 'nodata', 'end_time=3');
    outputs.set('nodata', out);
    const ds = await read(out);
    const input = await read(fx('coast_nodata.tif'));
    expect(ds.bands.map((b) => [b.name, b.dtype, b.nodata])).toEqual([
      ['uso', 'float32', -9999],
      ['alt', 'float32', -9999],
      ['solo', 'float32', -9999],
    ]);
    const ring = (i: number) => input.bands[0].data[i] === -9999;
    for (const b of ds.bands) for (let i = 0; i < b.data.length; i++) if (ring(i)) expect(b.data[i]).toBe(-9999);
    // The same coast with the ring as mask = 0 and no nodata gives the same interior.
    const masked: RasterDataset = {
      ...input,
      bands: [
        ...input.bands.map((b, k) => ({
          name: ['uso', 'alt', 'solo'][k],
          dtype: b.dtype,
          data: b.data.map((v) => (v === -9999 ? 0 : v)),
          nodata: null,
        })),
        { name: 'mask', dtype: 'float32', data: input.bands[0].data.map((v) => (v === -9999 ? 0 : 1)), nodata: null },
      ],
    };
    writeFileSync(join(work, 'coast_mask.tif'), writeGeoTiff(masked));
    const ref = await read(await run('brmangue', join(work, 'coast_mask.tif'), 'mask', 'end_time=3'));
    const interior = (d: ArrayLike<number>) => Array.from(d).filter((_, i) => !ring(i));
    for (let k = 0; k < 3; k++) expect(interior(ds.bands[k].data), ds.bands[k].name).toEqual(interior(ref.bands[k].data));
    expect(interior(ds.bands[1].data)).not.toEqual(interior(input.bands[1].data)); // the flood did raise alt
  });
  withGdal('nodata', (out) => {
    const g = expectSameGeoreferencing(fx('coast_nodata.tif'), out);
    expect(g.nodata).toEqual([-9999, -9999, -9999]);
    // GDAL's statistics skip the masked cells: elevations of 0.25–3 m, not a mean near −4579.
    expect(g.means[1]).toBeGreaterThan(0);
    expect(g.means[1]).toBeLessThan(3);
  });

  it('nodata cells are refused, with the cell named, by models whose rule has no holes', async () => {
    const flood = await cli('run', 'flood_benchmark', '--input', fx('coast_nodata.tif'), '--output', 'refused/f.tif');
    expect(flood.code).toBe(1);
    expect(flood.stderr).toMatch(/Band 'band_1' is nodata \(-9999\) at row 0, column 0: The benchmark flood has no rule/);
    const life = await read(fx('life_int16.tif'));
    life.bands[0].nodata = -1;
    (life.bands[0].data as Int16Array)[9] = -1;
    writeFileSync(join(work, 'life_hole.tif'), writeGeoTiff(life));
    const gol = await cli('run', 'game_of_life', '--input', join(work, 'life_hole.tif'), '--output', 'refused/g.tif');
    expect(gol.code).toBe(1);
    expect(gol.stderr).toMatch(/is nodata \(-1\) at row 1, column 1: Game of Life has no rule for cells without data/);
    expect(readdirSync(work)).not.toContain('refused');
  });
});
