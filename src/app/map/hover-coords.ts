/** The hover readout's position and values: lon/lat, the dataset's own CRS coordinates, every band at the cell. */
import type { Dataset } from '../../sim/dataset.ts';
import { formatValue } from './colors.ts';
import { projectionFor } from '../../worker/proj.ts';

/** `lon …, lat …` and, for a projected CRS the map knows, `EPSG:n x …, y …`; nothing when the layer is drawn at a neutral place. */
export function coordsText(lng: number, lat: number, epsg: number | null, neutral: boolean): string {
  if (neutral) return '';
  const parts = [`lon ${lng.toFixed(5)}, lat ${lat.toFixed(5)}`];
  if (epsg !== null && epsg !== 4326) {
    const proj = projectionFor(epsg);
    if (proj) {
      const [x, y] = proj.fromLngLat(lng, lat);
      parts.push(`EPSG:${epsg} x ${x.toFixed(1)}, y ${y.toFixed(1)}`);
    }
  }
  return parts.join(' · ');
}

/** Every band's value at (row, col) of a raster, `name=value` (nodata named), or '' when out of range. */
export function bandValues(ds: Dataset | null | undefined, row: number, col: number, skip?: string): string {
  if (!ds || ds.kind !== 'raster' || row < 0 || col < 0 || row >= ds.height || col >= ds.width) return '';
  return ds.bands
    .filter((b) => b.name !== skip)
    .map((b) => {
      const v = b.data[row * ds.width + col];
      return `${b.name}=${b.nodata !== null && (v === b.nodata || (Number.isNaN(b.nodata) && Number.isNaN(v))) ? 'nodata' : formatValue(v)}`;
    })
    .join(', ');
}
