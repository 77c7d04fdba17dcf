/**
 * CPU time of a process tree (Linux /proc), for figures that the load of a
 * shared machine moves less than wall time: a run slowed by another process
 * waits longer, but spends about the same CPU. Elsewhere (no /proc) every
 * figure is NaN.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

interface Proc {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, ticks. */
  ticks: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // gone, or no /proc
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** The pid of the process whose command line holds `marker` (the first found), or null. */
export function pidWithArg(marker: string): number | null {
  for (const pid of allPids()) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) return pid;
    } catch {
      /* gone */
    }
  }
  return null;
}

/** CPU milliseconds spent so far by `root` and every process below it (the browser, its GPU process, renderers, workers). */
export function treeCpuMs(root: number | null): number {
  if (root === null) return Number.NaN;
  const procs = allPids()
    .map(readProc)
    .filter((p): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const top = procs.find((p) => p.pid === root);
  if (!top) return Number.NaN;
  let ticks = 0;
  const todo = [top];
  while (todo.length) {
    const p = todo.pop()!;
    ticks += p.ticks;
    todo.push(...(children.get(p.pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_S;
}
