/**
 * The `dissmodel` command line as a function: main.ts calls it, and so does the single-script bundle
 * that `npm run build:lib` makes of the CLI (scripts/build-cli-bundle.mjs; a script has no top-level await).
 */
import { registerBuiltInModels } from './catalogue.ts';
import { useNodeInflate } from './node-inflate.ts';
import { useNodeSha256 } from './node-sha256.ts';
import { buildProgram, runProgram, terminalOut } from './program.ts';

export async function startCli(argv: readonly string[] = process.argv): Promise<void> {
  useNodeInflate();
  useNodeSha256();
  await registerBuiltInModels();
  const program = buildProgram({
    name: 'dissmodel',
    description: 'Run DisSModel-style spatial simulation executors headless.',
    io: terminalOut(),
  });
  await runProgram(program, argv);
}
