/**
 * A small S3-compatible client (MinIO, Ceph, AWS) over fetch with AWS SigV4
 * signatures (aws4fetch): path-style URLs `<endpoint>/<bucket>/<key>`, so any
 * endpoint works without DNS tricks. Reads go through a presigned URL and the
 * bounded download of src/io/fetch.ts (size limit, connect and idle time-outs).
 */
import { AwsClient } from 'aws4fetch';
import type { ReadOptions } from '../executor/context.ts';
import { InputError, NetworkError } from '../executor/errors.ts';
import { fetchBytes } from '../io/fetch.ts';

export interface S3Config {
  /** e.g. http://127.0.0.1:9000 or https://s3.us-east-1.amazonaws.com */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  /** Longest wait for one request's answer, ms (default 30 s). */
  timeoutMs?: number;
}

export interface S3Location {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` → its parts; a clear error for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (!m) throw new InputError(`'${uri}' is not a valid s3:// URI; expected s3://bucket/key.`);
  return { bucket: m[1], key: m[2] };
}

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

export class S3Client {
  private readonly aws: AwsClient;
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(readonly config: S3Config) {
    this.endpoint = config.endpoint.replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? 30_000;
    // retries: 0 — retrying is the queue's job (with a log line), not a silent loop in the client.
    this.aws = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      service: 's3',
      region: config.region ?? 'us-east-1',
      retries: 0,
    });
  }

  url(bucket: string, key?: string): string {
    return `${this.endpoint}/${encodeURIComponent(bucket)}${key === undefined ? '' : '/' + encodeKey(key)}`;
  }

  private async request(method: string, url: string, init: RequestInit = {}): Promise<Response> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.aws.fetch(url, { method, ...init, signal });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why =
        err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new NetworkError(`S3 ${method} ${url} failed: ${why} (is the S3 endpoint ${this.endpoint} up?)`);
    }
  }

  private async fail(method: string, url: string, res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? '';
    throw new NetworkError(`S3 ${method} ${url} answered ${res.status}${code ? ` ${code}` : ''}.`);
  }

  async put(bucket: string, key: string, bytes: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    const url = this.url(bucket, key);
    const res = await this.request('PUT', url, {
      body: bytes as NonNullable<RequestInit['body']>,
      headers: { 'content-type': contentType },
    });
    if (!res.ok) await this.fail('PUT', url, res);
    await res.arrayBuffer();
  }

  /** The object's bytes (bounded like every download), or a NetworkError naming the status. */
  async get(bucket: string, key: string, options: ReadOptions = {}): Promise<Uint8Array> {
    return fetchBytes(await this.presign(bucket, key, 300), { ...options, connectTimeoutMs: this.timeoutMs });
  }

  /** true when the object exists. */
  async exists(bucket: string, key: string): Promise<boolean> {
    const url = this.url(bucket, key);
    const res = await this.request('HEAD', url);
    await res.arrayBuffer();
    if (res.status === 404) return false;
    if (!res.ok) await this.fail('HEAD', url, res);
    return true;
  }

  async delete(bucket: string, key: string): Promise<void> {
    const url = this.url(bucket, key);
    const res = await this.request('DELETE', url);
    if (!res.ok && res.status !== 404) await this.fail('DELETE', url, res);
    await res.arrayBuffer();
  }

  /** Keys under a prefix (ListObjectsV2, every page). */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ 'list-type': '2', prefix });
      if (token) q.set('continuation-token', token);
      const url = `${this.url(bucket)}?${q.toString()}`;
      const res = await this.request('GET', url);
      if (!res.ok) await this.fail('GET', url, res);
      const xml = await res.text();
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(m[1]));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([^<]*)</.exec(xml)?.[1] : undefined;
    } while (token);
    return keys;
  }

  /** Create the bucket unless it exists. */
  async ensureBucket(bucket: string): Promise<void> {
    const url = this.url(bucket);
    const head = await this.request('HEAD', url);
    await head.arrayBuffer();
    if (head.ok) return;
    const res = await this.request('PUT', url);
    if (!res.ok && res.status !== 409) await this.fail('PUT', url, res);
    await res.arrayBuffer();
  }

  /** A presigned GET URL valid for `seconds`. */
  async presign(bucket: string, key: string, seconds = 3600): Promise<string> {
    const u = new URL(this.url(bucket, key));
    u.searchParams.set('X-Amz-Expires', String(seconds));
    const signed = await this.aws.sign(u.toString(), { method: 'GET', aws: { signQuery: true } });
    return signed.url;
  }
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The signed client of the CLI's environment (DISSMODEL_S3_ENDPOINT plus
 * DISSMODEL_S3_ACCESS_KEY_ID / DISSMODEL_S3_SECRET_ACCESS_KEY), or null when no
 * keys are set (then s3:// reads stay anonymous GETs).
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv): S3Client | null {
  const accessKeyId = env.DISSMODEL_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.DISSMODEL_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return null;
  if (!env.DISSMODEL_S3_ENDPOINT)
    throw new InputError('DISSMODEL_S3_ACCESS_KEY_ID is set but DISSMODEL_S3_ENDPOINT is not; set the S3-compatible endpoint too.');
  return new S3Client({
    endpoint: env.DISSMODEL_S3_ENDPOINT,
    accessKeyId,
    secretAccessKey,
    region: env.DISSMODEL_S3_REGION ?? 'us-east-1',
  });
}
