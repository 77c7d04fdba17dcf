/** `dissmodel-workbench/executor`: the executor contract — records, parameters, ModelExecutor, registry, lifecycle, harness. */
export * from '../executor/index.ts';
