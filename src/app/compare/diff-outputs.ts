/**
 * Two runs' output files → their difference: both files are read with the
 * workbench's readers (the bytes the runs wrote, not a display copy), checked
 * to be the same model on the same grid (or the same features), and diffed band
 * by band (diff.ts) or column by column (diff-vector.ts).
 * What the compare worker runs; plain TypeScript, tested in Node.
 */
import { parseDataset } from '../../io/dataset.ts';
import type { Dataset, RasterDataset } from '../../sim/dataset.ts';
import { DIFF_NODATA, diffRasters, type BandDiff, type DiffKind } from './diff.ts';
import { diffVectors } from './diff-vector.ts';

/** One run's output as the page holds it (the history's or the current run's). */
export interface RunOutputFile {
  /** The run's model (two runs of different models are not compared). */
  model: string;
  /** Output file name, e.g. game_of_life_1a2b3c4d.tif (its extension picks the reader). */
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface DiffRequest {
  /** The band (or a vector layer's column) to compare; null = the display layer if both have it, else the first they share. */
  band: string | null;
  /** The model's display layer (spec.displayLayer): the default band or column. */
  display?: string | null;
  /** Bands or columns whose values are categories (the model's spec declares them): compared as changed / unchanged. */
  categoricalBands: string[];
  /** Force a kind (else categorical for `categoricalBands`, continuous otherwise). */
  kind?: DiffKind;
}

/**
 * The difference, and what the map draws it on: a one-band raster on the compared grid (its
 * band the cells), or run A's vector layer (the cells one value per feature). `labels`: code →
 * text of a text column's categories.
 */
export type DiffOutcome =
  | { ok: true; band: string; bands: string[]; diff: BandDiff; layer: Dataset; labels: Record<number, string> | null }
  | { ok: false; message: string };

/** Reads a file (the worker caches by SHA-256). */
export type ReadOutput = (file: RunOutputFile) => Promise<Dataset>;

export const readOutput: ReadOutput = (file) => parseDataset(file.name, file.bytes);

const names = (d: Dataset): string[] => (d.kind === 'raster' ? d.bands.map((x) => x.name) : d.columns);

export async function diffOutputs(
  a: RunOutputFile,
  b: RunOutputFile,
  req: DiffRequest,
  read: ReadOutput = readOutput,
): Promise<DiffOutcome> {
  if (a.model !== b.model)
    return { ok: false, message: `Run A is ${a.model} and run B is ${b.model}: a difference compares two runs of the same model.` };
  let da: Dataset;
  let db: Dataset;
  try {
    [da, db] = await Promise.all([read(a), read(b)]);
  } catch (e) {
    return { ok: false, message: `An output could not be read: ${(e as Error).message}` };
  }
  const shared = names(da).filter((n) => names(db).includes(n));
  const band = req.band ?? (req.display && shared.includes(req.display) ? req.display : (shared[0] ?? null));
  const kind = req.kind ?? (band !== null && req.categoricalBands.includes(band) ? 'categorical' : 'continuous');
  try {
    if (da.kind === 'vector' && db.kind === 'vector') {
      // A text column is categories, declared or not.
      const text = band !== null && da.features.some((f) => typeof f.properties[band] === 'string');
      const v = diffVectors(da, db, band, req.kind ?? (text ? 'categorical' : kind));
      return { ok: true, band: v.column, bands: v.columns, diff: v.diff, layer: da, labels: v.labels };
    }
    if (da.kind !== 'raster' || db.kind !== 'raster')
      return { ok: false, message: `Run A wrote a ${da.kind} output and run B a ${db.kind} one: they cannot be compared cell by cell.` };
    const r = diffRasters(da, db, band, kind);
    const layer: RasterDataset = {
      kind: 'raster',
      width: da.width,
      height: da.height,
      bands: [
        r.diff.kind === 'categorical'
          ? { name: r.band, dtype: 'uint8', data: r.diff.cells, nodata: DIFF_NODATA }
          : { name: r.band, dtype: 'float32', data: r.diff.cells, nodata: null },
      ],
      transform: da.transform,
      affine: da.affine ?? null,
      epsg: da.epsg,
      crsWkt: da.crsWkt ?? null,
    };
    return { ok: true, band: r.band, bands: r.bands, diff: r.diff, layer, labels: null };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
