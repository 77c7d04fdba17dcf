/** The map projections: in src/worker/proj.ts (the worker reprojects a large vector layer's mesh too). */
export * from '../../worker/proj.ts';
