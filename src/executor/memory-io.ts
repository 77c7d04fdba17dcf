/**
 * An in-memory HostIO: reads from a map of URIs (falling back to a reader the
 * host provides, e.g. fetch), keeps written artefacts in memory. Used by the
 * worker (a browser has no file system) and by tests.
 */
import type { HostIO, ReadOptions } from './context.ts';
import { InputError } from './errors.ts';

export class MemoryIO implements HostIO {
  readonly inputs = new Map<string, Uint8Array>();
  readonly written = new Map<string, Uint8Array>();

  constructor(private readonly fallback?: (uri: string, options: ReadOptions) => Promise<Uint8Array>) {}

  async read(uri: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const bytes = this.inputs.get(uri);
    if (bytes) return bytes;
    if (this.fallback) return this.fallback(uri, options);
    throw new InputError(`No data for '${uri}'.`);
  }

  async write(path: string, bytes: Uint8Array): Promise<string> {
    this.written.set(path, bytes);
    return path;
  }
}
