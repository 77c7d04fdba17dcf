/**
 * The few map projections the workbench needs to draw data in place, written
 * out (no proj4): geographic (EPSG:4326/4674), Web Mercator (EPSG:3857) and
 * Transverse Mercator for UTM zones — WGS 84 / UTM (326xx north, 327xx south),
 * SIRGAS 2000 / UTM (EPSG:31965–31985, 6210, 6211, 5396) and SAD69 / UTM
 * (approximate: the ~50 m datum shift is ignored). Formulas: Snyder (1987),
 * "Map Projections — A Working Manual", USGS PP 1395, §8 (accuracy ≪ 1 m in zone).
 */
import { wktName } from '../io/geotiff-georef.ts';

export interface Projection {
  /** e.g. "EPSG:31984 · SIRGAS 2000 / UTM zone 24S" */
  label: string;
  /** Projected (x, y) → [lng, lat] in degrees. */
  toLngLat(x: number, y: number): [number, number];
  /** [lng, lat] → projected (x, y). */
  fromLngLat(lng: number, lat: number): [number, number];
}

const DEG = Math.PI / 180;

interface Ellipsoid {
  a: number;
  f: number;
}
const WGS84: Ellipsoid = { a: 6378137, f: 1 / 298.257223563 };
const GRS80: Ellipsoid = { a: 6378137, f: 1 / 298.257222101 };
const GRS67: Ellipsoid = { a: 6378160, f: 1 / 298.25 };

export function transverseMercator(
  ell: Ellipsoid,
  lon0Deg: number,
  k0: number,
  falseEasting: number,
  falseNorthing: number,
  label: string,
): Projection {
  const { a, f } = ell;
  const e2 = f * (2 - f);
  const ep2 = e2 / (1 - e2);
  const e4 = e2 * e2;
  const e6 = e4 * e2;
  const m1 = 1 - e2 / 4 - (3 * e4) / 64 - (5 * e6) / 256;
  const m2 = (3 * e2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024;
  const m3 = (15 * e4) / 256 + (45 * e6) / 1024;
  const m4 = (35 * e6) / 3072;
  const meridian = (phi: number) => a * (m1 * phi - m2 * Math.sin(2 * phi) + m3 * Math.sin(4 * phi) - m4 * Math.sin(6 * phi));
  const sq = Math.sqrt(1 - e2);
  const e1 = (1 - sq) / (1 + sq);
  const lon0 = lon0Deg * DEG;

  return {
    label,
    fromLngLat(lng, lat) {
      const phi = lat * DEG;
      const sin = Math.sin(phi);
      const cos = Math.cos(phi);
      const tan = Math.tan(phi);
      const N = a / Math.sqrt(1 - e2 * sin * sin);
      const T = tan * tan;
      const C = ep2 * cos * cos;
      const A = (lng * DEG - lon0) * cos;
      const M = meridian(phi);
      const x = k0 * N * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * ep2) * A ** 5) / 120);
      const y =
        k0 *
        (M +
          N *
            tan *
            ((A * A) / 2 + ((5 - T + 9 * C + 4 * C * C) * A ** 4) / 24 + ((61 - 58 * T + T * T + 600 * C - 330 * ep2) * A ** 6) / 720));
      return [x + falseEasting, y + falseNorthing];
    },
    toLngLat(xIn, yIn) {
      const x = xIn - falseEasting;
      const y = yIn - falseNorthing;
      const M = y / k0;
      const mu = M / (a * m1);
      const phi1 =
        mu +
        ((3 * e1) / 2 - (27 * e1 ** 3) / 32) * Math.sin(2 * mu) +
        ((21 * e1 * e1) / 16 - (55 * e1 ** 4) / 32) * Math.sin(4 * mu) +
        ((151 * e1 ** 3) / 96) * Math.sin(6 * mu) +
        ((1097 * e1 ** 4) / 512) * Math.sin(8 * mu);
      const sin1 = Math.sin(phi1);
      const cos1 = Math.cos(phi1);
      const tan1 = Math.tan(phi1);
      const C1 = ep2 * cos1 * cos1;
      const T1 = tan1 * tan1;
      const den = 1 - e2 * sin1 * sin1;
      const N1 = a / Math.sqrt(den);
      const R1 = (a * (1 - e2)) / (den * Math.sqrt(den));
      const D = x / (N1 * k0);
      const phi =
        phi1 -
        ((N1 * tan1) / R1) *
          ((D * D) / 2 -
            ((5 + 3 * T1 + 10 * C1 - 4 * C1 * C1 - 9 * ep2) * D ** 4) / 24 +
            ((61 + 90 * T1 + 298 * C1 + 45 * T1 * T1 - 252 * ep2 - 3 * C1 * C1) * D ** 6) / 720);
      const lon =
        lon0 +
        (D - ((1 + 2 * T1 + C1) * D ** 3) / 6 + ((5 - 2 * C1 + 28 * T1 - 3 * C1 * C1 + 8 * ep2 + 24 * T1 * T1) * D ** 5) / 120) / cos1;
      return [lon / DEG, phi / DEG];
    },
  };
}

function utm(ell: Ellipsoid, zone: number, south: boolean, label: string): Projection {
  return transverseMercator(ell, -183 + 6 * zone, 0.9996, 500000, south ? 10000000 : 0, label);
}

const R_MERC = 6378137;
const webMercator: Projection = {
  label: 'EPSG:3857 · WGS 84 / Pseudo-Mercator',
  toLngLat: (x, y) => [x / R_MERC / DEG, (2 * Math.atan(Math.exp(y / R_MERC)) - Math.PI / 2) / DEG],
  fromLngLat: (lng, lat) => [lng * DEG * R_MERC, Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2)) * R_MERC],
};

const geographic = (label: string): Projection => ({
  label,
  toLngLat: (x, y) => [x, y],
  fromLngLat: (lng, lat) => [lng, lat],
});

/** The projection of an EPSG code, or null when the workbench cannot draw it in place. */
export function projectionFor(epsg: number | null | undefined): Projection | null {
  if (epsg === null || epsg === undefined) return null;
  if (epsg === 4326) return geographic('EPSG:4326 · WGS 84 (lon/lat)');
  if (epsg === 4674) return geographic('EPSG:4674 · SIRGAS 2000 (lon/lat)');
  if (epsg === 4618) return geographic('EPSG:4618 · SAD69 (lon/lat)');
  if (epsg === 3857 || epsg === 900913) return webMercator;
  if (epsg >= 32601 && epsg <= 32660) return utm(WGS84, epsg - 32600, false, `EPSG:${epsg} · WGS 84 / UTM zone ${epsg - 32600}N`);
  if (epsg >= 32701 && epsg <= 32760) return utm(WGS84, epsg - 32700, true, `EPSG:${epsg} · WGS 84 / UTM zone ${epsg - 32700}S`);
  if (epsg >= 31965 && epsg <= 31976) {
    const zone = epsg - 31965 + 11;
    return utm(GRS80, zone, false, `EPSG:${epsg} · SIRGAS 2000 / UTM zone ${zone}N`);
  }
  if (epsg >= 31977 && epsg <= 31985) {
    const zone = epsg - 31977 + 17;
    return utm(GRS80, zone, true, `EPSG:${epsg} · SIRGAS 2000 / UTM zone ${zone}S`);
  }
  if (epsg === 6210 || epsg === 6211) {
    const zone = epsg === 6210 ? 23 : 24;
    return utm(GRS80, zone, false, `EPSG:${epsg} · SIRGAS 2000 / UTM zone ${zone}N`);
  }
  if (epsg === 5396) return utm(GRS80, 26, true, 'EPSG:5396 · SIRGAS 2000 / UTM zone 26S');
  if (epsg >= 29187 && epsg <= 29195) {
    const zone = epsg - 29187 + 17;
    return utm(GRS67, zone, true, `EPSG:${epsg} · SAD69 / UTM zone ${zone}S (datum shift ignored)`);
  }
  if (epsg >= 29168 && epsg <= 29172) {
    const zone = epsg - 29168 + 18;
    return utm(GRS67, zone, false, `EPSG:${epsg} · SAD69 / UTM zone ${zone}N (datum shift ignored)`);
  }
  return null;
}

/** A short CRS description for the dataset panel. */
export function crsLabel(epsg: number | null | undefined, crsWkt?: string | null): string {
  if ((epsg === null || epsg === undefined) && crsWkt) return `custom CRS "${wktName(crsWkt)}" (no EPSG code; kept in outputs)`;
  if (epsg === null || epsg === undefined) return 'none (local grid)';
  return projectionFor(epsg)?.label ?? `EPSG:${epsg} (not drawable in place)`;
}
