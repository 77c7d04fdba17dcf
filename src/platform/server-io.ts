/**
 * A worker's HostIO: reads s3:// through the signed client, http(s) through
 * the bounded download, bundled samples from public/samples; never a path on
 * the server. Writes stay in memory until the run has completed, then go to the
 * store together (see worker.ts), so a failed or killed run uploads nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostIO, ReadOptions } from '../executor/context.ts';
import { InputError } from '../executor/errors.ts';
import { fetchBytes } from '../io/fetch.ts';
import { SAMPLES_DIR } from '../cli/node-io.ts';
import { parseS3Uri, type S3Client } from './s3.ts';

export class ServerIO implements HostIO {
  readonly files = new Map<string, Uint8Array>();

  constructor(
    private readonly s3: S3Client,
    private readonly allowHttp: boolean,
  ) {}

  async read(uri: string, options: ReadOptions = {}): Promise<Uint8Array> {
    if (/^s3:\/\//i.test(uri)) {
      const { bucket, key } = parseS3Uri(uri);
      return this.s3.get(bucket, key, options);
    }
    if (/^https?:\/\//i.test(uri) && this.allowHttp) return fetchBytes(uri, options);
    const sample = /^sample:([\w.-]+)$/.exec(uri);
    if (sample) {
      try {
        return new Uint8Array(await readFile(join(SAMPLES_DIR, sample[1])));
      } catch {
        throw new InputError(`No bundled sample named '${sample[1]}'.`);
      }
    }
    throw new InputError(`'${uri}' cannot be read on the server: give an s3:// URI or sample:NAME.`);
  }

  async write(path: string, bytes: Uint8Array): Promise<string> {
    this.files.set(path, bytes);
    return path;
  }
}
