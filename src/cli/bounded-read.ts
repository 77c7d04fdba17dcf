/**
 * Reading a file the user named (--input, --toml, a record, --model) without trusting
 * what `stat` says: only regular files are read (a device such as /dev/zero reports 0
 * bytes and never ends; a FIFO or a process substitution blocks the open), and never
 * more than the limit + 1 byte, whatever the size was when it was checked. The error
 * gives the true reason: no such file, a directory, not a regular file, too large,
 * not UTF-8 text.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { InputError, LimitError } from '../executor/errors.ts';

export interface BoundedRead {
  /** What the file is, for messages: 'the TOML file', 'the record', 'the input', 'the model file'. */
  what: string;
  /** The largest size accepted, in bytes. */
  limit: number;
  /** The error class of a refusal (default InputError / LimitError). */
  makeError?: (message: string, kind: 'missing' | 'kind' | 'size' | 'text') => Error;
}

/** What a non-regular file is, in words. */
function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a pipe (a FIFO or a process substitution such as <(…))';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const defaultError = (message: string, kind: 'missing' | 'kind' | 'size' | 'text'): Error =>
  kind === 'size' ? new LimitError(message) : new InputError(message);

/** The bytes of a regular file, at most `limit` of them; anything else is refused with its reason. */
export async function readBoundedFile(path: string, options: BoundedRead): Promise<Uint8Array> {
  const { what, limit } = options;
  const fail = options.makeError ?? defaultError;
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw fail(`Cannot read ${what} '${path}': permission denied.`, 'missing');
    throw fail(`Cannot read ${what} '${path}': no such file.`, 'missing');
  }
  if (!st.isFile()) {
    throw fail(`Cannot read ${what} '${path}': it is ${kindOf(st)}, not a regular file. Give the path of a file.`, 'kind');
  }
  if (st.size > limit) {
    throw fail(`${capital(what)} '${path}' is ${st.size} bytes; the largest accepted is ${limit} bytes.`, 'size');
  }
  // O_NONBLOCK: if the path was swapped for a FIFO since the stat, the open does not hang.
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fail(`Cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? 'open failed'}.`, 'missing');
  }
  try {
    const st2 = await fh.stat();
    if (!st2.isFile()) throw fail(`Cannot read ${what} '${path}': it is ${kindOf(st2)}, not a regular file.`, 'kind');
    // A file that grows while it is read is stopped at limit + 1 bytes.
    const buf = new Uint8Array(Math.min(limit + 1, Math.max(st2.size, 0) + 1));
    let grown: Uint8Array = buf;
    let n = 0;
    for (;;) {
      if (n === grown.length) {
        if (grown.length > limit) break;
        const next = new Uint8Array(Math.min(limit + 1, grown.length * 2));
        next.set(grown);
        grown = next;
      }
      const { bytesRead } = await fh.read(grown, n, grown.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > limit) throw fail(`${capital(what)} '${path}' is larger than ${limit} bytes, the largest accepted.`, 'size');
    return grown.subarray(0, n);
  } finally {
    await fh.close();
  }
}

/** The text of a regular UTF-8 file, at most `limit` bytes. */
export async function readBoundedText(path: string, options: BoundedRead): Promise<string> {
  const bytes = await readBoundedFile(path, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw (options.makeError ?? defaultError)(`${capital(options.what)} '${path}' is not UTF-8 text.`, 'text');
  }
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
