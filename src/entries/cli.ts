/** `dissmodel-workbench/cli`: runCli(MyExecutor), DisSModel's run_cli — a model file that is its own command line. */
export { runCli, type RunCliOptions } from '../cli/run-cli.ts';
