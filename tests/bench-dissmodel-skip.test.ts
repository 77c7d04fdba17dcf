/**
 * DisSModel's side of `npm run bench -- --vs-dissmodel`: when it cannot run — no tree for the model, a
 * Python that fails, a module missing — the row says 'skipped: <reason>' and the bench goes on. No timings.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeDissmodelCli } from '../bench/cli-bench.ts';
import { dissmodelRow } from '../bench/grid-bench.ts';

const python = ['/usr/bin/python3', '/bin/python3'].find((p) => existsSync(p));

describe("DisSModel rows that cannot run say 'skipped: <reason>'", () => {
  let dir: string;
  let src: string;
  let failing: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-skip-'));
    // A DisSModel tree whose benchmark imports a module that is not installed.
    src = join(dir, 'dissmodel');
    await mkdir(join(src, 'dissmodel', 'core'), { recursive: true });
    await mkdir(join(src, 'benchmarks'));
    await writeFile(join(src, 'benchmarks', 'benchmark_game_of_life.py'), 'import a_module_that_is_not_installed\n');
    // A brmangue-dissmodel tree whose raster executor (the CLI run) does the same.
    await mkdir(join(dir, 'brmangue', 'src', 'brmangue', 'executors'), { recursive: true });
    await writeFile(join(dir, 'brmangue', 'src', 'brmangue', 'executors', 'raster_executor.py'), 'import pydantic_that_is_not_installed\n');
    // A "Python" that dies as a Python missing numpy does.
    failing = join(dir, 'python-that-fails');
    await writeFile(
      failing,
      "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho \"ModuleNotFoundError: No module named 'numpy'\" >&2\nexit 1\n",
    );
    await chmod(failing, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the Python that failed and its last error line', async () => {
    const r = await dissmodelRow('game_of_life', 16, 2, undefined, { DISSMODEL_PYTHON: failing, DISSMODEL_SRC: src });
    expect(r).toBe(`skipped: ${failing} exited 1: ModuleNotFoundError: No module named 'numpy'`);
  });

  it('asks for the repository that holds forest fire and BR-MANGUE when its tree is not given', async () => {
    const env = { DISSMODEL_PYTHON: failing, DISSMODEL_SRC: src };
    expect(await dissmodelRow('forest_fire', 16, 2, undefined, env)).toMatch(/^skipped: set DISSMODEL_CA_SRC to a DisSModel\/dissmodel-ca/);
    expect(await dissmodelRow('brmangue', 16, 2, undefined, { ...env, DISSMODEL_BRMANGUE_SRC: dir })).toBe(
      `skipped: DISSMODEL_BRMANGUE_SRC=${dir} holds no brmangue/models/raster/flood_model.py`,
    );
  });

  it.skipIf(!python)("turns the script's ModuleNotFoundError into the row's reason", async () => {
    const r = await dissmodelRow('game_of_life', 16, 2, undefined, { DISSMODEL_PYTHON: python!, DISSMODEL_SRC: src });
    expect(r).toBe("skipped: ModuleNotFoundError: No module named 'a_module_that_is_not_installed'");
  });

  it.skipIf(!python)('skips the CLI row when DisSModel’s CLI cannot start', async () => {
    const env = { DISSMODEL_PYTHON: python!, DISSMODEL_SRC: src, DISSMODEL_BRMANGUE_SRC: join(dir, 'brmangue') };
    expect(await timeDissmodelCli(dir, 0, env)).toBe(
      "skipped: DisSModel's CLI cannot start: ModuleNotFoundError: No module named 'pydantic_that_is_not_installed'",
    );
  });
});
