/** `dissmodel` — run the workbench's executors, or a model of your own (`--model FILE`), headless. */
import { registerBuiltInModels } from './catalogue.ts';
import { useNodeInflate } from './node-inflate.ts';
import { useNodeSha256 } from './node-sha256.ts';
import { buildProgram, runProgram, terminalOut } from './program.ts';

useNodeInflate();
useNodeSha256();
await registerBuiltInModels();
const program = buildProgram({
  name: 'dissmodel',
  description: 'Run DisSModel-style spatial simulation executors headless.',
  io: terminalOut(),
});
await runProgram(program, process.argv);
