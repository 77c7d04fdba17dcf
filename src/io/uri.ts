/**
 * URI resolution shared by every host: what kind of location a dataset URI
 * names, and the HTTPS URL to fetch for remote ones.
 */
import { InputError } from '../executor/errors.ts';

export type ResolvedUri =
  { kind: 'http'; url: string } | { kind: 'path'; path: string } | { kind: 'sample'; name: string } | { kind: 'file'; name: string };

export interface UriOptions {
  /** S3-compatible HTTPS endpoint, e.g. https://s3.us-east-1.amazonaws.com or http://127.0.0.1:9000 (path-style). */
  s3Endpoint?: string;
}

export function resolveUri(uri: string, options: UriOptions = {}): ResolvedUri {
  const u = uri.trim();
  if (!u) throw new InputError('No input URI was given.');
  if (/^https?:\/\//i.test(u)) return { kind: 'http', url: u };
  if (/^s3:\/\//i.test(u)) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(u);
    if (!m) throw new InputError(`'${uri}' is not a valid s3:// URI; expected s3://bucket/key.`);
    if (!options.s3Endpoint) {
      throw new InputError(
        `'${uri}' needs an S3-compatible endpoint: set DISSMODEL_S3_ENDPOINT (CLI) or the S3 endpoint setting (workbench), e.g. https://s3.amazonaws.com.`,
      );
    }
    const endpoint = options.s3Endpoint.replace(/\/+$/, '');
    const key = m[2].split('/').map(encodeURIComponent).join('/');
    return { kind: 'http', url: `${endpoint}/${encodeURIComponent(m[1])}/${key}` };
  }
  if (u.startsWith('sample:')) return { kind: 'sample', name: u.slice('sample:'.length) };
  if (u.startsWith('file:') && !u.startsWith('file://')) return { kind: 'file', name: u.slice('file:'.length) };
  if (u.startsWith('file://')) return { kind: 'path', path: decodeURIComponent(u.slice('file://'.length)) };
  return { kind: 'path', path: u };
}

/** DataSource.type for a URI, as DisSModel's CLI sets it. */
export { sourceTypeOf } from '../executor/run-record.ts';
