/**
 * A HostIO wrapper that refuses input bytes whose SHA-256 differs from the one
 * a record or link expects — so a re-run never starts on the wrong data.
 */
import type { HostIO, ReadOptions } from '../executor/context.ts';
import { InputError } from '../executor/errors.ts';
import { sha256HexAsync } from './sha256.ts';

export function verifiedIO(io: HostIO, expected: ReadonlyMap<string, string>): HostIO {
  return {
    async read(uri: string, options?: ReadOptions): Promise<Uint8Array> {
      const bytes = await io.read(uri, options);
      const want = expected.get(uri);
      if (want) {
        const got = await sha256HexAsync(bytes);
        if (got !== want) {
          throw new InputError(
            `The input '${uri}' is not the recorded one: its SHA-256 is ${got}, the record expects ${want}. ` +
              `Provide the original file.`,
          );
        }
      }
      return bytes;
    },
    write: (path, bytes) => io.write(path, bytes),
    ...(io.freshReads === true ? { freshReads: true } : {}), // the bytes read are io's own, only hashed here
  };
}
