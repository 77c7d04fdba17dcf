/** `dissmodel-workbench/kit`: the model kit — typed parameters, one time loop, output builders, raster/vector dispatch. */
export * from '../models/kit/index.ts';
