/**
 * A worker's HostIO: reads s3:// through the signed client, http(s) through
 * the bounded download, bundled samples from public/samples; never a path on
 * the server. Writes stay in memory until the run has completed, then go to the
 * store together (see worker.ts), so a failed or killed run uploads nothing.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { HostIO, ReadOptions } from '../executor/context.ts';
import { InputError } from '../executor/errors.ts';
import { fetchBytes } from '../io/fetch.ts';
import { SAMPLES_DIR } from '../cli/node-io.ts';
import { guardedDispatcher, nonPublicAddressOf } from '../cli/network-guard.ts';
import { SAMPLE_NAME } from './jobs.ts';
import { parseS3Uri, type S3Client } from './s3.ts';

export class ServerIO implements HostIO {
  readonly files = new Map<string, Uint8Array>();

  constructor(
    private readonly s3: S3Client,
    private readonly allowHttp: boolean,
    /** Let http(s) inputs reach loopback, private and link-local addresses. */
    private readonly allowPrivate = false,
  ) {}

  /** A bundled sample: one regular file directly inside the samples folder (no link, no path). */
  private async sample(name: string): Promise<Uint8Array> {
    const path = join(SAMPLES_DIR, name);
    const rel = relative(SAMPLES_DIR, path);
    const inside = SAMPLE_NAME.test(name) && rel === name && !isAbsolute(rel);
    const st = inside ? await lstat(path).catch(() => null) : null;
    if (!st || !st.isFile()) throw new InputError(`No bundled sample named '${name.slice(0, 200)}'.`);
    return new Uint8Array(await readFile(path));
  }

  /** http(s): public addresses only unless allowed — checked before, and on every connection (redirects, DNS changes). */
  private async http(uri: string, options: ReadOptions): Promise<Uint8Array> {
    if (this.allowPrivate) return fetchBytes(uri, options);
    const found = await nonPublicAddressOf(uri);
    if (found)
      throw new InputError(
        `Refused to fetch ${uri.slice(0, 200)}: ${found.host} is ${found.reason}; this server reads inputs from public addresses only (DISSMODEL_ALLOW_PRIVATE_INPUTS).`,
      );
    return fetchBytes(uri, { ...options, dispatcher: await guardedDispatcher() });
  }

  async read(uri: string, options: ReadOptions = {}): Promise<Uint8Array> {
    if (/^s3:\/\//i.test(uri)) {
      const { bucket, key } = parseS3Uri(uri);
      return this.s3.get(bucket, key, options);
    }
    if (/^https?:\/\//i.test(uri) && this.allowHttp) return this.http(uri, options);
    const sample = /^sample:(.+)$/.exec(uri);
    if (sample) return this.sample(sample[1]);
    throw new InputError(`'${uri}' cannot be read on the server: give an s3:// URI or sample:NAME.`);
  }

  async write(path: string, bytes: Uint8Array): Promise<string> {
    this.files.set(path, bytes);
    return path;
  }
}
