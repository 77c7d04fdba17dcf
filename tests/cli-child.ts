/**
 * The CLI as a child process (`node bin/dissmodel.js …`), for tests that watch it run:
 * its exit code or signal, stdout, stderr and wall time, with `during` running while it is
 * alive (e.g. to send SIGINT); and the checks those tests share.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

const bin = join(resolve(import.meta.dirname, '..'), 'bin/dissmodel.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliChildOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Runs while the child is alive; it sees stdout as it arrives. */
  during?: (child: ReturnType<typeof spawn>, output: { stdout: string }) => Promise<void>;
  /** The child is killed (SIGKILL) after this long, ms. */
  timeout?: number;
}

export function cliChild(args: string[], opts: CliChildOptions): Promise<CliRun> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
    const out = { stdout: '' };
    let stderr = '';
    child.stdout!.on('data', (d) => (out.stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 60_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      done({ code, signal, stdout: out.stdout, stderr, ms: performance.now() - t0 });
    });
    if (opts.during) opts.during(child, out).catch(fail);
  });
}

/** The entries of a directory (none when it does not exist). */
export const leftIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

/** Exited (not killed) with `code` and exactly one stderr line matching `message`; `id` names the case. */
export function expectOneLine(r: CliRun, message: RegExp, code = 1, id = ''): void {
  const at = id ? `${id}: ` : '';
  expect(r.signal, `${at}${r.stderr}`).toBeNull();
  expect(r.code, `${at}stdout ${r.stdout}\nstderr ${r.stderr}`).toBe(code);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, `${at}${r.stderr}`).toHaveLength(1);
  expect(lines[0], id).toMatch(message);
}
