/**
 * The large inputs of the page-fluidity rows (issue #16), made at run time
 * (never committed): a polygon-grid GeoJSON of n × n square cells with a
 * seeded 0/1 `state` (Game of Life), written like the bundled samples, and a
 * Game of Life GeoTIFF of n × n cells.
 */
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { SeededRandom } from '../src/sim/random.ts';
import { golInput } from './synthetic.ts';

/** A 0/1 `state` polygon grid, EPSG:31983 (UTM 23S), 100 m cells, ids `row-col`, as GeoJSON text. */
export function polygonGridGeoJson(n: number, seed = 7): string {
  const rng = new SeededRandom(seed);
  const x0 = 580000;
  const y0 = 9718000;
  const d = 100;
  const parts: string[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const x = x0 + c * d;
      const y = y0 + r * d;
      const ring = `[[${x + d},${y}],[${x + d},${y + d}],[${x},${y + d}],[${x},${y}],[${x + d},${y}]]`;
      const state = rng.next() < 0.3 ? 1 : 0;
      parts.push(
        `{"type":"Feature","id":"${r}-${c}","properties":{"state":${state}},"geometry":{"type":"Polygon","coordinates":[${ring}]}}`,
      );
    }
  }
  return (
    '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::31983"}},"features":[\n' +
    parts.join(',\n') +
    '\n]}\n'
  );
}

/** A 30 % alive Game of Life raster of n × n cells as a (deflate) GeoTIFF. */
export function golGeoTiff(n: number): Uint8Array {
  return writeGeoTiff(golInput(n, 11));
}
