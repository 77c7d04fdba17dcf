/**
 * `npm run bench -- --fluidity [--quick]`: only the page-fluidity rows of
 * issue #16 (bench/page-fluidity.ts). Writes bench/results/fluidity.md and
 * fluidity.json (fluidity-quick.* with --quick: 100² polygons, 1000² raster;
 * `--vector-only`: the polygon rows only, written as fluidity-vector.*;
 * `--raster-only`: the 4000² raster rows only, fluidity-raster.*).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fluidityMarkdown, runFluidityBench } from './page-fluidity.ts';

const quick = process.argv.includes('--quick');
const vectorOnly = process.argv.includes('--vector-only');
const rasterOnly = process.argv.includes('--raster-only');
const log = (l: string) => process.stdout.write(l + '\n');
const cores = availableParallelism();
let maxLoad = loadavg()[0];
const timer = setInterval(() => (maxLoad = Math.max(maxLoad, loadavg()[0])), 1000);
timer.unref();
const loadedNote = () =>
  maxLoad > cores * 1.25 ? ` (on a shared machine: load average up to ${maxLoad.toFixed(1)} on ${cores} cores)` : '';
log(
  `Page fluidity${quick ? ' (quick)' : ''}${vectorOnly ? ' (vector rows only)' : ''}${rasterOnly ? ' (raster rows only)' : ''}: load average ${loadavg()[0].toFixed(2)} on ${cores} cores`,
);
const result = await runFluidityBench({ quick, vectorOnly, rasterOnly, log, loadedNote });
clearInterval(timer);
const md = `# Page fluidity\n\n${new Date().toISOString()} · load average up to ${maxLoad.toFixed(2)} on ${cores} cores\n\n${fluidityMarkdown(result)}`;
const dir = resolve(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });
const stem = `fluidity${quick ? '-quick' : ''}${vectorOnly ? '-vector' : ''}${rasterOnly ? '-raster' : ''}`;
await writeFile(join(dir, `${stem}.md`), md);
await writeFile(join(dir, `${stem}.json`), JSON.stringify(result, null, 2) + '\n');
log('\n' + md);
log(`Written: ${join(dir, stem + '.md')}, ${stem}.json`);
process.exit(0);
