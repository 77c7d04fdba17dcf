/**
 * `reproduce`: the original run's output file, to compare values when the
 * checksums differ. Given with --original-output, else looked for where the
 * record's output_path points: as written (absolute, or relative to the working
 * folder), relative to the record's folder, then by its name beside the record.
 * Only a file whose SHA-256 is the recorded one is used.
 */
import { basename, dirname, isAbsolute, join } from 'node:path';
import { describeError } from '../executor/errors.ts';
import type { ExperimentRecord } from '../executor/record.ts';
import type { ValueComparison } from '../executor/reproduce.ts';
import { compareOutputs } from '../io/compare-outputs.ts';
import { MAX_INPUT_BYTES } from '../io/limits.ts';
import { sha256Hex } from '../io/sha256.ts';
import { readBoundedFile } from './bounded-read.ts';

export type OriginalOutput = { path: string; bytes: Uint8Array } | { reason: string };

export async function findOriginalOutput(original: ExperimentRecord, recordPath: string, given?: string): Promise<OriginalOutput> {
  const expected = original.artifacts.output ?? '';
  const candidates: string[] = [];
  if (given) candidates.push(given);
  else if (original.output_path && !/^[a-z][a-z0-9+.-]*:\/\//i.test(original.output_path)) {
    const p = original.output_path;
    candidates.push(p);
    if (!isAbsolute(p)) candidates.push(join(dirname(recordPath), p));
    candidates.push(join(dirname(recordPath), basename(p)));
  }
  if (candidates.length === 0) return { reason: 'the record names no local output file; pass it with --original-output FILE' };
  const seen: string[] = [];
  for (const path of [...new Set(candidates)]) {
    let bytes: Uint8Array;
    try {
      bytes = await readBoundedFile(path, { what: 'the original output', limit: MAX_INPUT_BYTES });
    } catch (e) {
      if (given) return { reason: describeError(e) };
      continue;
    }
    const sha = sha256Hex(bytes);
    if (sha === expected) return { path, bytes };
    seen.push(`${path} has SHA-256 ${sha}`);
  }
  if (seen.length > 0) return { reason: `${seen.join('; ')}, not the recorded ${expected}` };
  return {
    reason: `the original output ${original.output_path} is not here (looked beside the record too); pass it with --original-output FILE`,
  };
}

/** What the decoded outputs say: the original found as above, against the re-run's bytes. */
export async function compareWithOriginal(
  original: ExperimentRecord,
  recordPath: string,
  actual: { path: string; bytes: Uint8Array },
  given?: string,
): Promise<ValueComparison> {
  const found = await findOriginalOutput(original, recordPath, given);
  if ('reason' in found) return { kind: 'not-compared', reason: found.reason };
  return compareOutputs(found.bytes, actual.bytes, actual.path);
}
