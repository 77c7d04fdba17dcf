/**
 * Faults the CLI meets, end to end (`node bin/dissmodel.js` in a child process,
 * inputs served by a loopback test server): a URL answering 404 / 500 / a login
 * page, a download cut mid-way, a declared size over the limit, Ctrl-C (SIGINT)
 * while a download hangs and while a simulation runs. Each ends with a non-zero
 * exit, one readable stderr line, and nothing in the output directory — no
 * output, no record, no temporary file. Outputs are written through a temporary
 * file and a rename, so an output path never holds a partial file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeIO } from '../src/cli/node-io.ts';
import { NetworkError, LimitError } from '../src/executor/errors.ts';
import { fetchBytes } from '../src/io/fetch.ts';
import { cliChild, expectOneLine, leftIn, type CliChildOptions, type CliRun } from './cli-child.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'dissmodel-faults-'));
let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Start the CLI in the work folder; `during` runs while it is alive (e.g. to send SIGINT). */
const cli = (args: string[], during?: CliChildOptions['during'], timeout = 60_000): Promise<CliRun> =>
  cliChild(args, { cwd: work, ...(during ? { during } : {}), timeout });

describe('the CLI on a URL that fails', () => {
  it.each([
    ['404', 'missing', /Failed during load: http:\/\/127\.0\.0\.1:\d+\/cors\/missing\/gol_glider_64x64\.tif answered HTTP 404 Not Found/],
    ['500', 'error', /answered HTTP 500 Internal Server Error/],
    ['a login page instead of the file', 'html', /Not a TIFF file: it looks like an HTML page \(perhaps an error or login page/],
    [
      'a connection cut mid-download (Content-Length larger than what arrives)',
      'partial',
      /The download of http:\/\/127\.0\.0\.1:\d+\/cors\/partial\/gol_glider_64x64\.tif (broke off after 178 bytes|is incomplete: 178 of 534 bytes)/,
    ],
    ['a declared size over 512 MiB', 'huge', /is 629145600 bytes; the largest input accepted is 536870912 bytes/],
  ])('%s: exit 1, one line, nothing written', async (_what, kind, message) => {
    const out = join(work, `url-${kind}`);
    const r = await cli(['run', 'game_of_life', '--input', server.url('cors', kind), '--output', join(out, 'gol.tif')]);
    expectOneLine(r, message);
    expect(leftIn(out)).toEqual([]);
    // a refused response is cancelled: the CLI does not wait for the server to hang up (30 s for 'huge')
    expect(r.ms).toBeLessThan(15_000);
  });

  it('the same server, a good URL: the run completes (the failures above are the faults, not the setup)', async () => {
    const out = join(work, 'url-ok');
    const r = await cli([
      'run',
      'game_of_life',
      '--input',
      server.url('cors', 'ok'),
      '--output',
      join(out, 'gol.tif'),
      '--param',
      'end_time=3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(leftIn(out).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(leftIn(out)).toHaveLength(3);
  });

  it('fetchBytes gives typed errors for each fault (the code under the CLI and the worker)', async () => {
    await expect(fetchBytes(server.url('nocors', 'missing'))).rejects.toBeInstanceOf(NetworkError);
    await expect(fetchBytes(server.url('nocors', 'partial'))).rejects.toBeInstanceOf(NetworkError);
    await expect(fetchBytes(server.url('nocors', 'huge'))).rejects.toBeInstanceOf(LimitError);
    await expect(fetchBytes('http://127.0.0.1:9/refused.tif')).rejects.toThrow(/Could not fetch .*Check the address/);
    const ac = new AbortController();
    const p = fetchBytes(server.url('nocors', 'slow'), { signal: ac.signal });
    await server.waitFor('/nocors/slow/gol_glider_64x64.tif');
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('Ctrl-C (SIGINT): the CLI cancels, exits 130, leaves nothing', () => {
  it('while the input download hangs', async () => {
    const out = join(work, 'sigint-download');
    const url = server.url('cors', 'slow');
    const r = await cli(['run', 'game_of_life', '--input', url, '--output', join(out, 'gol.tif')], async (child) => {
      await server.waitFor(new URL(url).pathname);
      await new Promise((w) => setTimeout(w, 200));
      child.kill('SIGINT');
    });
    console.log(`SIGINT during a hung download: exit ${r.code} after ${r.ms.toFixed(0)} ms`);
    expectOneLine(r, /^✖ Cancelled during load: The run was cancelled\.$/, 130);
    expect(r.ms).toBeLessThan(15_000);
    expect(leftIn(out)).toEqual([]);
  });

  it('while the simulation runs (a long Game of Life on 512 × 512)', async () => {
    const out = join(work, 'sigint-run');
    const input = join(root, 'public/samples/gol_random_512x512.tif');
    const r = await cli(
      ['run', 'game_of_life', '--input', input, '--output', join(out, 'gol.tif'), '--param', 'end_time=1000000'],
      async (child, o) => {
        // "▶ Validating..." is printed before the lifecycle starts; give it time to be well into the run phase
        while (!o.stdout.includes('Validating')) await new Promise((w) => setTimeout(w, 50));
        await new Promise((w) => setTimeout(w, 1500));
        child.kill('SIGINT');
      },
    );
    console.log(`SIGINT during the run phase: exit ${r.code} after ${r.ms.toFixed(0)} ms`);
    expectOneLine(r, /^✖ Cancelled during run: The run was cancelled\.$/, 130);
    expect(leftIn(out)).toEqual([]);
  });
});

describe('outputs are written through a temporary file and a rename', () => {
  it('NodeIO.write: the output path never holds a partial file; the temporary file is gone after', async () => {
    const dir = join(work, 'atomic');
    const path = join(dir, 'big.tif');
    const bytes = new Uint8Array(64 * 1024 * 1024).fill(7);
    const seen = { partial: 0, complete: 0, tmp: 0, polls: 0 };
    let writing = true;
    const poll = (async () => {
      while (writing) {
        seen.polls++;
        if (existsSync(dir)) {
          for (const f of readdirSync(dir)) {
            if (f.includes('.tmp-')) seen.tmp++;
            else if (f === 'big.tif') {
              if (statSync(join(dir, f)).size === bytes.length) seen.complete++;
              else seen.partial++;
            }
          }
        }
        await new Promise((w) => setImmediate(w));
      }
    })();
    await new NodeIO().write(path, bytes);
    writing = false;
    await poll;
    console.log(`atomic write of 64 MB: ${JSON.stringify(seen)}`);
    expect(seen.partial, 'the final path held a partial file').toBe(0);
    expect(readdirSync(dir)).toEqual(['big.tif']);
    expect(statSync(path).size).toBe(bytes.length);
  });

  it('a write that fails leaves neither the output nor the temporary file', async () => {
    const dir = join(work, 'failing');
    mkdirSync(join(dir, 'out.tif'), { recursive: true }); // a directory where the file should go: rename fails
    writeFileSync(join(dir, 'out.tif', 'keep'), 'x');
    await expect(new NodeIO().write(join(dir, 'out.tif'), new Uint8Array(1000))).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['out.tif']);
  });

  it('rollback removes every artefact a failed run had written', async () => {
    const dir = join(work, 'rollback');
    const io = new NodeIO();
    await io.write(join(dir, 'a.tif'), new Uint8Array(10));
    await io.write(join(dir, 'a.record.json'), new Uint8Array(10));
    await io.rollback();
    expect(readdirSync(dir)).toEqual([]);
  });
});
