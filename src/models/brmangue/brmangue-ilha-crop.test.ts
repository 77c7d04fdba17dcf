/**
 * BR-MANGUE on the coastal crop of the Ilha do Maranhão (30 × 45 cells, sea, slopes and many `<=`
 * ties) against DisSModel's own runs (tests/reference/brmangue_{vector,raster}_ilha_crop*.json,
 * made by tests/reference/scripts/make_brmangue.py): the vector model on the GeoJSON, the raster
 * model on the GeoTIFF, each exact at every checkpoint and in alt's sha256 after every step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGeoJson } from '../../io/geojson.ts';
import { readGeoTiff } from '../../io/geotiff-read.ts';
import { sha256Hex } from '../../io/sha256.ts';
import { plain } from '../test-grids.ts';
import '../index.ts';
import { rasterGrid, vectorStepper } from './executor.ts';

const REF = new URL('../../../tests/reference/', import.meta.url);
const json = (name: string) => JSON.parse(readFileSync(new URL(name, REF), 'utf8'));
const geojson = new Uint8Array(readFileSync(new URL('inputs/ilha_crop_r151_c52_30x45.geojson', REF)));
const tif = new Uint8Array(readFileSync(new URL('inputs/ilha_crop_r151_c52_30x45.tif', REF)));

interface Step {
  t: number;
  metrics: Record<string, number>;
  alt_sha256_f64le: string;
  sources_order_sha256_i64le?: string;
  sources_in_set_order?: number[] | null;
}
interface Reference {
  parameters: { taxa_elevacao: number; altura_mare: number; acrecao_ativa: boolean; start_time: number; end_time: number };
  checkpoints: Record<string, Record<'uso' | 'alt' | 'solo', number[] | number[][]>>;
  steps: Step[];
}

const options = (r: Reference) => ({
  rate: r.parameters.taxa_elevacao,
  padLower: false,
  mangrove: true,
  tide: r.parameters.altura_mare,
  accretion: r.parameters.acrecao_ativa,
});
const shaF64 = (a: Float64Array) => sha256Hex(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const shaI64 = (a: Int32Array) => sha256Hex(new Uint8Array(BigInt64Array.from(a, (v) => BigInt(v)).buffer));

describe("vector BR-MANGUE equals DisSModel's vector model on the Ilha crop (GeoJSON, Queen)", () => {
  for (const file of ['brmangue_vector_ilha_crop.json', 'brmangue_vector_ilha_crop_taxa0.5.json']) {
    const ref = json(file) as Reference;
    it(`${file}: source order, alt sha256 every step, uso/alt/solo at every checkpoint`, () => {
      const { stepper } = vectorStepper(readGeoJson(geojson), {}, options(ref));
      let checked = 0;
      for (const s of ref.steps) {
        const m = stepper.step(s.t);
        expect(shaI64(stepper.sourceOrder), `source order at step ${s.t}`).toBe(s.sources_order_sha256_i64le);
        if (Array.isArray(s.sources_in_set_order)) {
          expect(plain(stepper.sourceOrder), `source order at step ${s.t}`).toEqual(s.sources_in_set_order);
        }
        expect(shaF64(stepper.alt), `alt after step ${s.t}`).toBe(s.alt_sha256_f64le);
        expect({ ...m }, `metrics after step ${s.t}`).toEqual(s.metrics);
        const cp = ref.checkpoints[String(s.t)];
        if (cp) {
          expect(plain(stepper.uso), `uso after step ${s.t}`).toEqual(cp.uso);
          expect(plain(stepper.alt), `alt after step ${s.t}`).toEqual(cp.alt);
          expect(plain(stepper.solo!), `solo after step ${s.t}`).toEqual(cp.solo);
          checked++;
        }
      }
      expect(ref.steps.length).toBe(40);
      expect(checked).toBe(Object.keys(ref.checkpoints).length);
    });
  }

  it("summing in DIRS_MOORE order (the raster model's) instead does not reproduce it with taxa 0.5", () => {
    const ref = json('brmangue_vector_ilha_crop_taxa0.5.json') as Reference;
    const { stepper } = vectorStepper(readGeoJson(geojson), {}, options(ref), 'moore');
    const diverged = ref.steps.find((s) => (stepper.step(s.t), shaF64(stepper.alt) !== s.alt_sha256_f64le));
    expect(diverged?.t).toBeDefined();
  });
});

describe("raster BR-MANGUE equals DisSModel's raster model on the Ilha crop (GeoTIFF, int16 bands)", () => {
  for (const file of ['brmangue_raster_ilha_crop.json', 'brmangue_raster_ilha_crop_taxa0.5.json']) {
    const ref = json(file) as Reference;
    it(`${file}: alt sha256 and metrics every step, uso/alt/solo at every checkpoint`, async () => {
      const grid = rasterGrid(await readGeoTiff(tif), {}, options(ref));
      for (const s of ref.steps) {
        const m = grid.step(s.t);
        expect(shaF64(grid.alt), `alt after step ${s.t}`).toBe(s.alt_sha256_f64le);
        expect({ ...m }, `metrics after step ${s.t}`).toEqual(s.metrics);
        const cp = ref.checkpoints[String(s.t)];
        if (cp) {
          expect(plain(grid.uso), `uso after step ${s.t}`).toEqual(cp.uso.flat());
          expect(plain(grid.alt), `alt after step ${s.t}`).toEqual(cp.alt.flat());
          expect(plain(grid.solo!), `solo after step ${s.t}`).toEqual(cp.solo.flat());
        }
      }
      expect(ref.steps.length).toBe(40);
    });
  }
});
