/**
 * A model of your own, in one file: majority vote, a cellular automaton of
 * opinion (or phase) dynamics. Every cell takes the value held by the majority
 * of its Moore neighbourhood including itself — it becomes 1 when at least
 * `threshold` of those 9 cells are 1 — so a random soup coarsens into
 * domains. Fixed edges: cells outside the grid count as 0.
 *
 * Written against the installed package only, as a modeller's file would be:
 *
 *   npx tsx my_model.ts run --input sample:gol_random_512x512.tif --output out/vote.tif --param end_time=20
 *   npx tsx my_model.ts check
 *   npx dissmodel run --model ./my_model.ts --input … --output …
 *   npx dissmodel check ./my_model.ts        (or: dissmodel check --model ./my_model.ts)
 */
import {
  ExecutorRegistry,
  ModelExecutor,
  sha256HexAsync,
  setOutputSha256,
  type ExecutorSpec,
  type ExperimentRecord,
  type RunContext,
} from 'dissmodel-workbench/executor';
import { readGeoTiff, selectBands, writeGeoTiff } from 'dissmodel-workbench/io';
import { focalSum, MOORE, type RasterDataset } from 'dissmodel-workbench/sim';
import { runCli } from 'dissmodel-workbench/cli';

/** What load hands to run, and run to save: the grid and its 0/1 cells. */
interface Grid {
  dataset: RasterDataset;
  cells: Uint8Array;
}

export class MajorityVoteExecutor extends ModelExecutor<Grid, Grid> {
  static readonly spec: ExecutorSpec = {
    name: 'majority_vote',
    title: 'Majority vote',
    description: 'Each cell takes the majority value of its 3×3 Moore neighbourhood, itself included; a random soup coarsens into domains.',
    family: 'Cellular automata',
    inputs: ['raster'],
    bands: [{ name: 'state', description: '0/1 cells', position: 1 }],
    params: {
      end_time: { type: 'int', default: 10, min: 0, max: 10_000, description: 'number of steps' },
      threshold: { type: 'int', default: 5, min: 1, max: 9, description: 'live cells among the 9 that make a cell live' },
    },
    output: { kind: 'raster', extension: 'tif', mediaType: 'image/tiff' },
    sample: 'sample:gol_random_512x512.tif',
  };
  static {
    ExecutorRegistry.register(this);
  }

  /** I/O: the input's bytes, their SHA-256 in the record, the `state` band as 0/1. */
  async load(record: ExperimentRecord, ctx: RunContext): Promise<Grid> {
    const bytes = await ctx.io.read(record.source.uri, ctx.signal ? { signal: ctx.signal } : {});
    record.source.checksum = await sha256HexAsync(bytes);
    const dataset = await readGeoTiff(bytes);
    const state = selectBands(dataset, this.spec.bands ?? [], record.band_map).get('state')!;
    return { dataset, cells: Uint8Array.from(state.data, (v) => (v ? 1 : 0)) };
  }

  /** The rule, step by step; no I/O. */
  async run(grid: Grid, record: ExperimentRecord, ctx: RunContext): Promise<Grid> {
    const steps = Number(record.parameters.end_time);
    const threshold = Number(record.parameters.threshold);
    const { width, height } = grid.dataset;
    let cells = grid.cells;
    const neighbours = new Float64Array(width * height);
    for (let t = 1; t <= steps; t++) {
      focalSum(cells, height, width, MOORE, neighbours);
      const next = new Uint8Array(cells.length);
      let live = 0;
      for (let i = 0; i < cells.length; i++) {
        next[i] = neighbours[i] + cells[i] >= threshold ? 1 : 0;
        live += next[i];
      }
      cells = next;
      await ctx.tick(t, steps, { live });
    }
    return { dataset: grid.dataset, cells };
  }

  /** I/O: a GeoTIFF on the input's grid, its SHA-256 as the main artefact. */
  async save(grid: Grid, record: ExperimentRecord, ctx: RunContext): Promise<ExperimentRecord> {
    const bytes = writeGeoTiff({ ...grid.dataset, bands: [{ name: 'state', dtype: 'uint8', data: grid.cells, nodata: null }] });
    record.output_path = await ctx.io.write(record.output_path ?? 'majority_vote.tif', bytes);
    setOutputSha256(record, await sha256HexAsync(bytes));
    record.status = 'completed';
    return record;
  }
}

runCli(MajorityVoteExecutor);
