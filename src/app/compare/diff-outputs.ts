/**
 * Two runs' output files → their difference: both files are read with the
 * workbench's readers (the bytes the runs wrote, not a display copy), checked
 * to be the same model on the same grid, and diffed band by band (diff.ts).
 * What the compare worker runs; plain TypeScript, tested in Node.
 */
import { parseDataset } from '../../io/dataset.ts';
import type { Dataset, RasterDataset } from '../../sim/dataset.ts';
import { DIFF_NODATA, diffRasters, type BandDiff, type DiffKind } from './diff.ts';

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
  /** The band to compare; null = the first band both outputs have. */
  band: string | null;
  /** Bands whose values are categories (the model's spec declares them): compared as changed / unchanged. */
  categoricalBands: string[];
  /** Force a kind (else categorical for `categoricalBands`, continuous otherwise). */
  kind?: DiffKind;
}

/** The compared grid, and the difference as a one-band raster on it (for the map). */
export type DiffOutcome =
  { ok: true; band: string; bands: string[]; diff: BandDiff; layer: RasterDataset } | { ok: false; message: string };

/** Reads a file (the worker caches by SHA-256). */
export type ReadOutput = (file: RunOutputFile) => Promise<Dataset>;

export const readOutput: ReadOutput = (file) => parseDataset(file.name, file.bytes);

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
  if (da.kind !== 'raster' || db.kind !== 'raster')
    return {
      ok: false,
      message: `The difference view compares raster outputs (GeoTIFF); ${da.kind !== 'raster' ? a.name : b.name} is a vector layer.`,
    };
  try {
    const first = req.band ?? null;
    const band = first ?? da.bands.find((x) => db.bands.some((y) => y.name === x.name))?.name ?? null;
    const kind = req.kind ?? (band !== null && req.categoricalBands.includes(band) ? 'categorical' : 'continuous');
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
    return { ok: true, band: r.band, bands: r.bands, diff: r.diff, layer };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
