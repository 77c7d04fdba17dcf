/** Where a dataset goes on the map: in src/worker/placement.ts (the worker places a large vector layer's mesh too). */
export * from '../../worker/placement.ts';
