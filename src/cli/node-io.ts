/**
 * The CLI's HostIO: local paths, http(s)://, s3:// (through DISSMODEL_S3_ENDPOINT, signed
 * when DISSMODEL_S3_ACCESS_KEY_ID/SECRET are set)
 * and bundled samples; writes go to a temporary file renamed into place, so an
 * interrupted run never leaves a truncated output.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostIO, ReadOptions } from '../executor/context.ts';
import { InputError, LimitError } from '../executor/errors.ts';
import { fetchBytes } from '../io/fetch.ts';
import { MAX_INPUT_BYTES } from '../io/limits.ts';
import { resolveUri } from '../io/uri.ts';
import { readBoundedFile } from './bounded-read.ts';
import { cleanDirOnce, tempPathFor, track, untrack } from './cleanup.ts';
import { checkPublicUrl, networkGuardActive } from './network-guard.ts';

export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/samples');

export class NodeIO implements HostIO {
  /** Every path written by this host, for clean-up when a later step fails. */
  readonly written: string[] = [];
  /** Each read (a file, a download, an S3 object) fills a buffer of its own and keeps no reference to it. */
  readonly freshReads = true;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async read(uri: string, options: ReadOptions = {}): Promise<Uint8Array> {
    // s3:// with keys configured: the platform's SigV4-signed client (else an anonymous GET below),
    // imported for an s3:// address only.
    const s3 = /^s3:\/\//i.test(uri) ? await import('../platform/s3.ts') : null;
    const signed = s3 ? s3.s3ClientFromEnv(this.env) : null;
    if (s3 && signed) {
      const { bucket, key } = s3.parseS3Uri(uri);
      return signed.get(bucket, key, options);
    }
    const r = resolveUri(uri, { s3Endpoint: this.env.DISSMODEL_S3_ENDPOINT });
    switch (r.kind) {
      case 'http':
        if (networkGuardActive()) await checkPublicUrl(r.url);
        return fetchBytes(r.url, options);
      case 'sample':
        return readLocal(join(SAMPLES_DIR, r.name.replace(/[\\/]/g, '')), uri);
      case 'file':
        throw new InputError(`'${uri}' names a file dropped in the workbench; on the command line give its path instead.`);
      case 'path':
        return readLocal(r.path, uri);
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<string> {
    const dir = dirname(resolve(path));
    await mkdir(dir, { recursive: true });
    cleanDirOnce(dir); // the leftovers of runs killed earlier (their process is gone)
    const tmp = tempPathFor(path);
    track(tmp);
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      // No await between the rename and this: an interrupt sees either the temporary file or the artefact.
      track(path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    } finally {
      untrack(tmp);
    }
    this.written.push(path);
    return path;
  }

  /** Remove everything this host wrote (a run that failed after writing). */
  async rollback(): Promise<void> {
    for (const p of this.written.splice(0)) {
      await rm(p, { force: true });
      untrack(p);
    }
  }

  /** The run completed: what it wrote stays, even if the process is interrupted later. */
  keep(): void {
    for (const p of this.written) untrack(p);
  }
}

async function readLocal(path: string, uri: string): Promise<Uint8Array> {
  return readBoundedFile(path, {
    what: 'the input',
    limit: MAX_INPUT_BYTES,
    makeError: (message, kind) => {
      if (kind === 'size') return new LimitError(message.replace('the largest accepted is', 'the largest input accepted is'));
      if (kind === 'missing' && message.endsWith('no such file.')) return new InputError(`Cannot read '${uri}': no such file.`);
      if (kind === 'kind' && message.includes('a directory'))
        return new InputError(`'${uri}' is a directory; give the path of a .tif or .geojson file.`);
      return new InputError(message);
    },
  });
}
