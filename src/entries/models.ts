/** `dissmodel-workbench/models`: importing it defines — and so registers — every built-in model. */
export * from '../models/index.ts';
