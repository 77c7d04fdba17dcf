/**
 * Runs DisSModel's side of the comparison (bench/dissmodel_bench.py) in a Python process of its own and turns
 * every way it can fail — no Python, a module missing, an exception, no JSON — into a reason to print on the
 * row ("skipped: …"), so that one DisSModel row that cannot run never stops `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const DISSMODEL_SCRIPT = resolve(import.meta.dirname, 'dissmodel_bench.py');

export type PythonOutcome = { ok: true; stdout: string; sec: number } | { ok: false; reason: string };

/** The last line of a process's output that says something (Python prints the exception last). */
function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

/** `{ "skipped": … }` on the last line of stdout, when the script said why it could not run. */
function saidSkipped(stdout: string): string | null {
  try {
    const j = JSON.parse(lastLine(stdout)) as { skipped?: unknown };
    return typeof j.skipped === 'string' ? j.skipped : null;
  } catch {
    return null;
  }
}

/** `python dissmodel_bench.py ARGS…`, whole process timed (spawn to exit); never rejects. */
export function runDissmodelScript(
  python: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1_800_000,
): Promise<PythonOutcome> {
  const t0 = performance.now();
  return new Promise((done) =>
    execFile(python, [DISSMODEL_SCRIPT, ...args], { env, maxBuffer: 1 << 24, timeout: timeoutMs }, (err, stdout, stderr) => {
      const sec = (performance.now() - t0) / 1000;
      const skipped = saidSkipped(stdout);
      if (skipped !== null) return done({ ok: false, reason: skipped });
      if (err) {
        const why = lastLine(stderr) || lastLine(stdout) || err.message.split('\n')[0];
        return done({ ok: false, reason: `${python} exited ${err.code ?? err.signal ?? 'with an error'}: ${why}` });
      }
      done({ ok: true, stdout, sec });
    }),
  );
}

/** DisSModel's ms/step from a grid row of dissmodel_bench.py, or the reason there is none ("skipped: …"). */
export async function dissmodelMsPerStep(
  python: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | string> {
  const r = await runDissmodelScript(python, args, env);
  if (!r.ok) return `skipped: ${r.reason}`;
  try {
    const j = JSON.parse(lastLine(r.stdout)) as { ms_per_step?: unknown };
    if (typeof j.ms_per_step === 'number' && Number.isFinite(j.ms_per_step)) return j.ms_per_step;
  } catch {
    // fall through: no figure
  }
  return `skipped: no ms_per_step in its output (${lastLine(r.stdout).slice(0, 120)})`;
}
