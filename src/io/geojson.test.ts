import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DissError, FormatError, InputError, LimitError } from '../executor/errors.ts';
import { vectorGrid } from '../sim/vector.ts';
import { applyColumnMap, epsgFromCrs, jsonErrorIndex, readGeoJson, writeGeoJson } from './geojson.ts';
import type { VectorDataset } from '../sim/dataset.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const fcol = (features: unknown[], extra: Record<string, unknown> = {}) =>
  enc(JSON.stringify({ type: 'FeatureCollection', ...extra, features }));
const square = [
  [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ],
];
const poly = (properties: unknown = {}, coordinates: unknown = square) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});

function expectError<T extends DissError>(fn: () => unknown, cls: new (...a: never[]) => T, re?: RegExp): T {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    if (re) expect((e as Error).message).toMatch(re);
    return e as T;
  }
  throw new Error('expected an error');
}

describe('writeGeoJson: canonical bytes', () => {
  it('has the documented layout', () => {
    const ds: VectorDataset = {
      kind: 'vector',
      epsg: 31984,
      columns: ['b', 'a'],
      features: [
        { id: 'x', geometry: { type: 'Point', coordinates: [-0, 1.5] }, properties: { a: 'q"é', b: -0 } },
        {
          id: 3,
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1e21, 0.1 + 0.2],
            ],
          },
          properties: { a: true, b: NaN },
        },
        { id: null, geometry: { type: 'Polygon', coordinates: square }, properties: { b: Infinity } },
      ],
    };
    expect(dec(writeGeoJson(ds))).toBe(
      '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::31984"}},"features":[\n' +
        '{"type":"Feature","id":"x","properties":{"b":0,"a":"q\\"é"},"geometry":{"type":"Point","coordinates":[0,1.5]}},\n' +
        '{"type":"Feature","id":3,"properties":{"b":null,"a":true},"geometry":{"type":"LineString","coordinates":[[0,0],[1e+21,0.30000000000000004]]}},\n' +
        '{"type":"Feature","properties":{"b":null,"a":null},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}\n' +
        ']}\n',
    );
    expect(dec(writeGeoJson({ kind: 'vector', epsg: null, columns: [], features: [] }))).toBe(
      '{"type":"FeatureCollection","features":[\n]}\n',
    );
    expect(dec(writeGeoJson({ kind: 'vector', epsg: 4326, columns: [], features: [] }))).toContain('"urn:ogc:def:crs:OGC:1.3:CRS84"');
  });

  it('gives the same bytes for the same dataset built in different key orders', () => {
    const a: VectorDataset = {
      kind: 'vector',
      epsg: 31984,
      columns: ['uso', 'alt'],
      features: [{ id: '0-0', properties: { uso: 1, alt: 0.5, z: 'x', y: 2 }, geometry: { type: 'Point', coordinates: [1, 2] } }],
    };
    const b = {
      features: [{ geometry: { coordinates: [1, 2], type: 'Point' }, properties: { y: 2, alt: 0.5, z: 'x', uso: 1 }, id: '0-0' }],
      columns: ['uso', 'alt'],
      epsg: 31984,
      kind: 'vector',
    } as unknown as VectorDataset;
    const wa = writeGeoJson(a);
    expect(writeGeoJson(b)).toEqual(wa);
    // Columns not listed come after the listed ones, sorted.
    expect(dec(wa)).toContain('"properties":{"uso":1,"alt":0.5,"y":2,"z":"x"}');
  });

  it('round-trips, and writing what was read gives the same bytes', () => {
    const ds = vectorGrid({
      cols: 4,
      rows: 3,
      resolution: 0.1,
      originX: 500000.05,
      originY: -3,
      attrs: { state: 1, name: 'cell', ok: false },
      epsg: 31984,
    });
    ds.features[2].properties.state = null;
    const bytes = writeGeoJson(ds);
    const back = readGeoJson(bytes);
    expect(back.epsg).toBe(31984);
    expect(back.columns).toEqual(['state', 'name', 'ok']);
    expect(back.features.length).toBe(ds.features.length);
    back.features.forEach((f, i) => {
      expect(f.id).toBe(ds.features[i].id);
      expect(f.geometry).toEqual(ds.features[i].geometry);
      expect({ ...f.properties }).toEqual({ ...ds.features[i].properties });
    });
    expect(writeGeoJson(back)).toEqual(bytes);
  });

  it('reads the reference coast and writes it back stably', () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../tests/reference/inputs/coast_10x14.geojson', import.meta.url)));
    const ds = readGeoJson(bytes);
    expect(ds.features.length).toBe(140);
    expect(ds.epsg).toBe(31984);
    expect(ds.columns).toEqual(['row', 'col', 'uso', 'alt', 'solo', 'state']);
    expect(ds.features[2].properties.alt).toBe(0.009999999776482582);
    const out = writeGeoJson(ds);
    expect(writeGeoJson(readGeoJson(out))).toEqual(out);
  });
});

describe('readGeoJson', () => {
  it('strips a BOM, accepts a single Feature, keeps ids and flattens nested values to JSON text', () => {
    const one = enc(
      '\ufeff' +
        JSON.stringify({
          type: 'Feature',
          id: 9,
          properties: { a: { b: [1, 2] }, c: [1], d: null, e: 'x' },
          geometry: { type: 'Point', coordinates: [1, 2, 3] },
        }),
    );
    const ds = readGeoJson(one);
    expect(ds.features.length).toBe(1);
    expect(ds.features[0].id).toBe(9);
    expect({ ...ds.features[0].properties }).toEqual({ a: '{"b":[1,2]}', c: '[1]', d: null, e: 'x' });
    expect(ds.features[0].geometry).toEqual({ type: 'Point', coordinates: [1, 2, 3] });
    expect(ds.epsg).toBeNull();
  });

  it('takes the union of property names in first-seen order; null properties are fine', () => {
    const ds = readGeoJson(fcol([poly({ b: 1 }), poly(null), poly({ a: 2, b: 3 })]));
    expect(ds.columns).toEqual(['b', 'a']);
    expect({ ...ds.features[1].properties }).toEqual({});
  });

  it('reads crs names', () => {
    const crs = (name: string) => ({ type: 'name', properties: { name } });
    expect(readGeoJson(fcol([], { crs: crs('urn:ogc:def:crs:EPSG::31984') })).epsg).toBe(31984);
    expect(epsgFromCrs(crs('EPSG:31983'))).toBe(31983);
    expect(epsgFromCrs(crs('urn:ogc:def:crs:OGC:1.3:CRS84'))).toBe(4326);
    expect(epsgFromCrs(crs('http://www.opengis.net/def/crs/EPSG/0/3857'))).toBe(3857);
    expect(epsgFromCrs(crs('something else'))).toBeNull();
    expect(epsgFromCrs(null)).toBeNull();
  });

  it('refuses bytes that are not JSON, with the byte position', () => {
    const e = expectError(() => readGeoJson(enc('{"type":"FeatureCollection","features":[}')), FormatError, /^not JSON: /);
    expect(e.message).toMatch(/at byte 40$/);
    // Multi-byte characters before the error count as bytes, and so does the BOM.
    expectError(() => readGeoJson(enc('\ufeff{"é":1,}')), FormatError, /at byte 11$/);
    expectError(() => readGeoJson(enc('{"type":')), FormatError, /not JSON: .*at byte 8$/);
    expectError(() => readGeoJson(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), FormatError, /UTF-8/);
    expectError(() => readGeoJson(enc('')), FormatError, /not JSON/);
  });

  it('finds the error position exactly where JSON.parse fails (property)', () => {
    const parses = (t: string) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'u',
      '0',
      '-',
      '.',
      'e',
      '+',
      ' ',
      'true',
      'nul',
      '1',
      'x',
      '\n',
    );
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), fc.nat(), fc.array(piece, { maxLength: 3 }), fc.nat(), (json, at, ins, cut) => {
        expect(jsonErrorIndex(json)).toBeNull();
        const p = at % (json.length + 1);
        let t = json.slice(0, p) + ins.join('') + json.slice(p);
        if (cut % 3 === 0) t = t.slice(0, cut % (t.length + 1));
        const idx = jsonErrorIndex(t);
        expect(idx === null).toBe(parses(t));
        if (idx !== null) expect(idx >= 0 && idx <= t.length).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(jsonErrorIndex('[1,2,]')).toBe(5);
    expect(jsonErrorIndex('{"a" 1}')).toBe(5);
    expect(jsonErrorIndex('"\\x"')).toBe(2);
    expect(jsonErrorIndex('01')).toBe(1);
    expect(jsonErrorIndex('[1.]')).toBe(3);
    expect(jsonErrorIndex('[1] x')).toBe(4);
    expect(jsonErrorIndex('['.repeat(100000))).toBe(100000);
  });

  it('refuses JSON that is not GeoJSON, and bare geometries', () => {
    expectError(() => readGeoJson(enc('[1,2]')), FormatError, /not GeoJSON/);
    expectError(() => readGeoJson(enc('{"a":1}')), FormatError, /not GeoJSON/);
    expectError(() => readGeoJson(enc('{"type":"Topology"}')), FormatError, /not GeoJSON/);
    expectError(
      () => readGeoJson(enc(JSON.stringify({ type: 'Polygon', coordinates: square }))),
      InputError,
      /FeatureCollection is expected/,
    );
    expectError(() => readGeoJson(enc('{"type":"FeatureCollection"}')), InputError, /features/);
  });

  it('refuses bad geometries, naming the feature', () => {
    expectError(
      () =>
        readGeoJson(
          fcol([
            poly(),
            poly({}, [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ]),
          ]),
        ),
      InputError,
      /Feature 1: ring 0 is not closed/,
    );
    expectError(
      () =>
        readGeoJson(
          fcol([
            poly({}, [
              [
                [0, 0],
                [1, 0],
                [0, 0],
              ],
            ]),
          ]),
        ),
      InputError,
      /at least 4 positions/,
    );
    expectError(
      () =>
        readGeoJson(
          fcol([
            poly({}, [
              [
                [0, 0],
                [1, '0'],
                [1, 1],
                [0, 0],
              ],
            ]),
          ]),
        ),
      InputError,
      /finite numbers/,
    );
    expectError(() => readGeoJson(fcol([poly({}, [[[0], [1, 0], [1, 1], [0]]])])), InputError, /at least 2 numbers/);
    expectError(() => readGeoJson(fcol([poly({}, 'x')])), InputError, /must be an array/);
    expectError(
      () => readGeoJson(fcol([{ type: 'Feature', properties: {}, geometry: { type: 'Circle', coordinates: [0, 0] } }])),
      InputError,
      /unknown geometry type/,
    );
    expectError(
      () => readGeoJson(fcol([{ type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } }])),
      InputError,
      /GeometryCollection/,
    );
    expectError(() => readGeoJson(fcol([{ type: 'Feature', properties: {}, geometry: null }])), InputError, /no geometry/);
    expectError(() => readGeoJson(fcol([{ type: 'Thing', geometry: null }])), InputError, /Feature 0 has type "Thing"/);
    expectError(() => readGeoJson(fcol([{ ...poly(), id: { a: 1 } }])), InputError, /id/);
    expectError(() => readGeoJson(fcol([{ ...poly(), properties: [1] }])), InputError, /properties/);
    expect(
      readGeoJson(fcol([{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [square, square] } }])).features
        .length,
    ).toBe(1);
  });

  it('refuses prototype keys and never pollutes Object.prototype', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const text = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"${key}":{"polluted":1},"a":1},"geometry":{"type":"Point","coordinates":[0,0]}}]}`;
      expectError(() => readGeoJson(enc(text)), InputError, new RegExp(`'${key}' is not allowed`));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const ds = readGeoJson(fcol([poly({ toString: 1, hasOwnProperty: 2 })]));
    expect(Object.getPrototypeOf(ds.features[0].properties)).toBeNull();
    expect(ds.features[0].properties.toString).toBe(1);
  });

  it('limits the number of features', () => {
    const bytes = fcol([poly(), poly(), poly()]);
    expectError(() => readGeoJson(bytes, { maxFeatures: 2 }), LimitError, /3 features; the limit is 2/);
    expect(readGeoJson(bytes, { maxFeatures: 3 }).features.length).toBe(3);
  });

  it('never throws anything but a DissError on mutated or truncated bytes (fuzz)', () => {
    const seeds = [
      writeGeoJson(vectorGrid({ cols: 2, rows: 2, resolution: 1, attrs: { state: 1, s: 'é"\\' }, epsg: 31984 })),
      fcol([
        poly({ a: [1, { b: null }] }),
        {
          type: 'Feature',
          id: 'm',
          properties: null,
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [0, 0],
                [1, 1],
              ],
            ],
          },
        },
      ]),
      enc(JSON.stringify({ type: 'Feature', properties: { x: 1 }, geometry: { type: 'MultiPoint', coordinates: [[0, 0]] } })),
    ];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', 'null', '-1e999', '"__proto__"', '0', '\\u0000', 'NaN', '{}', '[]'),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        let b = seeds[which];
        for (const m of muts) {
          const at = b.length ? m.at % (b.length + 1) : 0;
          if (m.kind === 'truncate') b = b.slice(0, at);
          else if (m.kind === 'byte') {
            b = b.slice();
            if (at < b.length) b[at] = m.value;
          } else if (m.kind === 'insert') {
            const t = enc(m.text);
            const nb = new Uint8Array(b.length + t.length);
            nb.set(b.subarray(0, at));
            nb.set(t, at);
            nb.set(b.subarray(at), at + t.length);
            b = nb;
          } else b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.len)]);
        }
        try {
          const ds = readGeoJson(b);
          expect(ds.kind).toBe('vector');
          writeGeoJson(ds);
        } catch (e) {
          if (!(e instanceof DissError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a DissError on arbitrary JSON shapes (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 5 }),
        fc.constantFrom('features', 'feature', 'geometry', 'coordinates', 'properties'),
        (v, where) => {
          let doc: unknown;
          if (where === 'features') doc = { type: 'FeatureCollection', features: v };
          else if (where === 'feature') doc = { type: 'FeatureCollection', features: [v] };
          else if (where === 'geometry') doc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: v }] };
          else if (where === 'coordinates') doc = { type: 'FeatureCollection', features: [poly({}, v)] };
          else doc = { type: 'FeatureCollection', features: [poly(v)] };
          try {
            writeGeoJson(readGeoJson(enc(JSON.stringify(doc))));
          } catch (e) {
            if (!(e instanceof DissError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('applyColumnMap', () => {
  const ds = readGeoJson(fcol([poly({ land_use: 3, alt: 1, uso: 9 }), poly({ land_use: 4, alt: 2 })]));

  it('renames real columns to canonical names, in place; an existing canonical column gives way', () => {
    const out = applyColumnMap(ds, { uso: 'land_use' });
    expect(out.columns).toEqual(['uso', 'alt']);
    expect({ ...out.features[0].properties }).toEqual({ uso: 3, alt: 1 });
    expect({ ...out.features[1].properties }).toEqual({ uso: 4, alt: 2 });
    expect(ds.columns).toEqual(['land_use', 'alt', 'uso']); // input untouched
    const swap = applyColumnMap(ds, { alt: 'land_use', land_use: 'alt' });
    expect(swap.columns).toEqual(['alt', 'land_use', 'uso']);
    expect({ ...swap.features[0].properties }).toEqual({ alt: 3, land_use: 1, uso: 9 });
    expect(applyColumnMap(ds, {}).columns).toEqual(ds.columns);
  });

  it('refuses a real column that does not exist, listing those that do', () => {
    expectError(() => applyColumnMap(ds, { uso: 'landuse' }), InputError, /no such column. Columns: land_use, alt, uso\./);
    expectError(() => applyColumnMap(ds, { a: 'alt', b: 'alt' }), InputError, /both/);
    expectError(() => applyColumnMap(ds, JSON.parse('{"__proto__":"alt"}')), InputError, /not allowed/);
  });
});
