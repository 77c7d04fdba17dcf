/** `dissmodel` — run the workbench's executors, or a model of your own (`--model FILE`), headless. */
import { startCli } from './start.ts';

await startCli();
