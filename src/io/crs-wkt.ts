/**
 * A CRS given as WKT (a Shapefile's .prj, a GeoPackage's srs definition): the EPSG code it
 * states for itself, when it states one unambiguously. Never used to reproject.
 */

/**
 * The EPSG code of the WKT's outermost object: its own `AUTHORITY["EPSG","n"]` (WKT1) or
 * `ID["EPSG",n]` (WKT2), found at bracket depth 1 (the codes of the datum, ellipsoid or
 * units deeper inside do not count). Null when the WKT names none (ESRI-style .prj files
 * never do) or names more than one: guessing a code from a CRS's name or parameters would
 * be ambiguous.
 */
export function epsgFromWkt(wkt: string): number | null {
  const s = wkt.trim();
  const open = s.search(/[[(]/);
  if (open < 0) return null;
  let depth = 0;
  const found: number[] = [];
  const re = /\b(AUTHORITY|ID)\s*[[(]\s*"EPSG"\s*,\s*"?(\d+)"?\s*[\])]/iy;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const close = s.indexOf('"', i + 1);
      if (close < 0) return null;
      i = close;
    } else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 1 && (c === 'A' || c === 'a' || c === 'I' || c === 'i')) {
      re.lastIndex = i;
      const m = re.exec(s);
      if (m && (i === 0 || /[\s,[(]/.test(s[i - 1]))) {
        found.push(Number(m[2]));
        i = re.lastIndex - 1;
      }
    }
  }
  if (found.length !== 1) return null;
  const code = found[0];
  return code > 0 && code < 2 ** 31 ? code : null;
}
