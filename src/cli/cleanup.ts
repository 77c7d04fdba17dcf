/**
 * Temporary files and interrupted runs. Every temporary name the CLI makes carries a
 * recognisable tag and its process id (`<output>.dissmodel-tmp-<pid>-<ms>`,
 * `$TMPDIR/dissmodel-validate-<pid>-XXXXXX`), and the process keeps a list of what it
 * has in flight:
 *
 * - Ctrl-C (SIGINT) in a command that can be cancelled aborts it (the run rolls back
 *   and exits 130); a second Ctrl-C, or the first in a command that cannot be
 *   cancelled, removes what is in flight at once and exits 130. SIGTERM does the same
 *   (exit 143).
 * - A run killed outright (SIGKILL, power loss) leaves its temporary files; the next
 *   run that writes into the same directory (or validates) removes those whose
 *   process is gone.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const TEMP_TAG = 'dissmodel-tmp';
export const VALIDATE_PREFIX = 'dissmodel-validate-';
const TEMP_FILE = /\.dissmodel-tmp-(\d+)-\d+$/;
const VALIDATE_DIR = /^dissmodel-validate-(\d+)-/;

/** The temporary name a write goes through before its rename into place. */
export const tempPathFor = (path: string): string => `${path}.${TEMP_TAG}-${process.pid}-${Date.now()}`;

/** Paths to remove if this process is interrupted: temporary files and dirs, artefacts of an unfinished run. */
const inFlight = new Set<string>();
export const track = (path: string): void => void inFlight.add(path);
export const untrack = (path: string): void => void inFlight.delete(path);

/** Remove everything in flight, synchronously (a signal handler may not wait). */
export function removeInFlight(): void {
  for (const p of inFlight) rmSync(p, { recursive: true, force: true });
  inFlight.clear();
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the leftovers of killed runs in `dir`: temporary files (and validate dirs) whose
 * process is gone — or, with `ownToo`, this process's own (after its workers stopped).
 * Returns the names removed.
 */
export function removeStaleTemps(dir: string, ownToo = false): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FILE.exec(name) ?? VALIDATE_DIR.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (alive(pid) && !(ownToo && pid === process.pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

const cleaned = new Set<string>();
/** removeStaleTemps once per directory and process. */
export function cleanDirOnce(dir: string): void {
  if (cleaned.has(dir)) return;
  cleaned.add(dir);
  removeStaleTemps(dir);
}

let installed = false;
let onFirst: (() => void) | null = null;
let interrupts = 0;

/**
 * What the next Ctrl-C does: `cancel` (abort the command, which rolls back and exits
 * 130), or, when absent, remove what is in flight and exit 130 at once. A later
 * Ctrl-C always exits at once.
 */
export function onInterrupt(cancel: (() => void) | null): void {
  onFirst = cancel;
  if (installed) return;
  installed = true;
  const handle = (code: number) => () => {
    interrupts++;
    if (interrupts === 1 && onFirst && code === 130) {
      onFirst();
      return;
    }
    removeInFlight();
    process.stderr.write(`✖ Interrupted${interrupts > 1 ? ' again' : ''}: stopped, temporary files removed.\n`);
    process.exit(code);
  };
  process.on('SIGINT', handle(130));
  process.on('SIGTERM', handle(143));
}
