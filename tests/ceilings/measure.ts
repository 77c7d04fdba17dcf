/**
 * Child process of tests/ceilings.test.ts: load one input with the loader of its kind,
 * then print what it decoded and this process's peak resident memory (VmHWM from
 * /proc/self/status) as one JSON line. `baseline` loads the modules and nothing else.
 *
 *   node --import tsx tests/ceilings/measure.ts <kind> <file>
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { parseDataset } from '../../src/io/dataset.ts';
import { zipEntries } from '../../src/io/zip.ts';
import { parseRecordJson } from '../../src/executor/record.ts';
import { decodeShareLink } from '../../src/app/share/share-link.ts';
import { ExecutorRegistry } from '../../src/models/index.ts';

const [kind, file] = process.argv.slice(2);

function peakKiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** What an input decodes to, in bytes: raster cells, the file itself for the text kinds (JSON objects are counted by k). */
async function load(): Promise<number> {
  if (kind === 'baseline') return 0;
  const bytes = new Uint8Array(readFileSync(file));
  if (kind === 'geotiff' || kind === 'geojson' || kind === 'shapefile' || kind === 'geopackage' || kind === 'flatgeobuf') {
    const ds = await parseDataset(file, bytes);
    if (ds.kind === 'raster') return ds.bands.reduce((n, b) => n + b.data.byteLength, 0);
    // a zip decodes to its members first: count their uncompressed bytes
    const unzipped = kind === 'shapefile' ? zipEntries(bytes).reduce((n, e) => n + e.size, 0) : 0;
    return Math.max(bytes.length, unzipped, ds.features.length);
  }
  const text = new TextDecoder().decode(bytes);
  if (kind === 'toml') parseToml(text);
  else if (kind === 'record') parseRecordJson(text);
  else if (kind === 'link') decodeShareLink(text, ExecutorRegistry.specs());
  else throw new Error(`unknown kind ${kind}`);
  return bytes.length;
}

const t0 = performance.now();
const decoded = await load();
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ kind, decoded, peakKiB: peakKiB(), ms }) + '\n');
