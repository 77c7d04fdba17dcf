import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeValues } from '../executor/reproduce.ts';
import { compareCsv, compareOutputs, describeTiffLayouts, readTiffLayout } from './compare-outputs.ts';
import { readGeoTiff } from './geotiff-read.ts';
import { writeGeoTiff } from './geotiff-write.ts';
import { readGeoJson, writeGeoJson } from './geojson.ts';

const REF = new URL('../../tests/reference/', import.meta.url);
const bytesOf = (p: string) => new Uint8Array(readFileSync(new URL(p, REF)));
// gdal_translate -co COMPRESS=DEFLATE of this project's BR-MANGUE outputs on coast_10x14.tif, end_time 8 (tests/reference/README.md)
const gdal05 = bytesOf('gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif');
const gdal0011 = bytesOf('gdal/brmangue_coast_10x14_t8_taxa0.011.gdal.tif');

describe('compareOutputs: what differs when the bytes do', () => {
  it("a GDAL-written copy of the same pixels: 'pixels match, bytes differ (GDAL's layout: …)'", async () => {
    const ours = writeGeoTiff(await readGeoTiff(gdal05));
    expect(ours).not.toEqual(gdal05);
    const c = await compareOutputs(gdal05, ours, 'out.tif');
    expect(c.kind).toBe('same-values');
    // GDAL interleaves the three bands per pixel; this project's writer stores them band by band
    expect(describeValues(c)).toBe("pixels match, bytes differ (GDAL's layout: pixel-interleaved vs band-interleaved (planar))");
  });

  it('different pixels: the cells that differ, per band, with the largest difference', async () => {
    const c = await compareOutputs(gdal0011, gdal05, 'out.tif');
    expect(c.kind).toBe('values-differ');
    const a = await readGeoTiff(gdal0011);
    const b = await readGeoTiff(gdal05);
    const counts = a.bands.map((band, k) => band.data.filter((v, i) => v !== b.bands[k].data[i]).length);
    expect(counts[1]).toBeGreaterThan(0); // alt
    const text = describeValues(c);
    expect(text).toContain(`${counts[1]} cells differ in band 2 (alt; largest difference `);
    if (counts[0] > 0) expect(text).toContain(`in band 1 (uso;`);
    else expect(text).not.toContain('band 1');
  });

  it('one changed cell is counted as one', async () => {
    const ds = await readGeoTiff(gdal05);
    ds.bands[2].data[17] += 1;
    const c = await compareOutputs(gdal05, writeGeoTiff(ds), 'out.tif');
    expect(describeValues(c)).toBe('1 cell differs in band 3 (solo; largest difference 1)');
  });

  it('reads the TIFF layout of each file', () => {
    const l = readTiffLayout(gdal05)!;
    expect(l.compression).toBe('deflate');
    expect(l.gdalMetadata).toBe(true);
    expect(l.software).toBeNull();
    expect(readTiffLayout(new TextEncoder().encode('{"type":"FeatureCollection"}'))).toBeNull();
    expect(describeTiffLayouts(gdal05, gdal05)).toMatch(/^GDAL's layout: same compression \(deflate\)/);
  });

  it('vector layers: same values in another formatting, then one changed value', async () => {
    const layer = bytesOf('inputs/coast_10x14.geojson');
    const reformatted = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(layer)), null, 1));
    expect(reformatted).not.toEqual(layer);
    const same = await compareOutputs(layer, reformatted, 'out.geojson');
    expect(describeValues(same)).toBe(
      "features and columns match, bytes differ (the encoder's layout: number formatting, key order or whitespace)",
    );
    const ds = readGeoJson(layer);
    ds.features[3].properties.alt = (ds.features[3].properties.alt as number) + 0.5;
    ds.features[4].properties.alt = (ds.features[4].properties.alt as number) + 0.25;
    const c = await compareOutputs(layer, writeGeoJson(ds), 'out.geojson');
    expect(describeValues(c)).toBe('2 features differ in column alt');
  });

  it('CSV tables: inf and nan as pandas writes them equal an empty cell only for nan', () => {
    expect(compareCsv('t,x\n0,1.0\n1,nan\n2,inf\n', 't,x\n0,1\n1,\n2,inf\n').kind).toBe('same-values');
    expect(describeValues(compareCsv('t,x\n0,1\n1,inf\n', 't,x\n0,1\n1,\n'))).toBe('1 row differs in column x');
  });

  it('an undecodable original is said so, not compared', async () => {
    const c = await compareOutputs(new Uint8Array([1, 2, 3, 4]), gdal05, 'out.tif');
    expect(c.kind).toBe('not-compared');
    expect(describeValues(c)).toMatch(/^values not compared: the original output cannot be decoded/);
  });
});
