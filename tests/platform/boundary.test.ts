/**
 * The platform's HTTP boundary under a bounded load of hostile requests, on
 * real Redis and a real S3-compatible server, no workers: CORS only for the
 * configured page origins; a cap on queued + running jobs per API key (429);
 * http(s) inputs on loopback, private and link-local addresses refused unless
 * configured; no request naming a file outside the data (samples, buckets);
 * body limits. After every burst the server is healthy and nothing refused
 * was queued.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/executor/errors.ts';
import { parseOrigins } from '../../src/platform/config.ts';
import { S3Client } from '../../src/platform/s3.ts';
import { ServerIO } from '../../src/platform/server-io.ts';
import {
  API_KEY,
  S3_KEY,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  until,
  type RedisHandle,
  type S3Handle,
  type ServeHandle,
} from './stack.ts';

const PAGE = 'http://127.0.0.1:4421';
const CAP = 3;
let redis: RedisHandle;
let s3: S3Handle;
/** CORS for PAGE, a cap of 3 jobs per key, http inputs on (public addresses only). */
let guarded: ServeHandle;
/** The defaults: no CORS, http inputs off. */
let plain: ServeHandle;
/** http inputs on, private addresses allowed. */
let trusting: ServeHandle;

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  guarded = await startServe(
    stackEnv(redis, s3, {
      DISSMODEL_CORS_ORIGINS: PAGE,
      DISSMODEL_MAX_JOBS_PER_KEY: String(CAP),
      DISSMODEL_ALLOW_HTTP_INPUTS: '1',
      DISSMODEL_MAX_UPLOADS: '2',
      DISSMODEL_QUEUE: 'q-guarded',
    }),
  );
  plain = await startServe(stackEnv(redis, s3, { DISSMODEL_QUEUE: 'q-plain' }));
  trusting = await startServe(
    stackEnv(redis, s3, { DISSMODEL_ALLOW_HTTP_INPUTS: '1', DISSMODEL_ALLOW_PRIVATE_INPUTS: '1', DISSMODEL_QUEUE: 'q-trusting' }),
  );
}, 60_000);

afterAll(async () => {
  for (const s of [guarded, plain, trusting]) await s?.server.close();
  await s3?.stop();
  await redis?.stop();
});

const send = async (
  serve: ServeHandle,
  method: string,
  path: string,
  init: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
) => {
  const key = init.key === undefined ? API_KEY : init.key;
  const body = init.body;
  const res = await fetch(serve.url + path, {
    method,
    headers: {
      ...(key === null ? {} : { 'x-api-key': key }),
      ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(body === undefined ? {} : { body: body instanceof FormData || typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, json };
};

const queued = async (serve: ServeHandle) => {
  const counts = await serve.server.queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
};
const healthy = async (serve: ServeHandle) => (await send(serve, 'GET', '/health', { key: null })).json.status === 'healthy';

describe('CORS: only the configured page origins, preflight for X-API-Key', () => {
  it('the preflight of a POST with X-API-Key from the configured origin is allowed', async () => {
    const r = await send(guarded, 'OPTIONS', '/submit_job', {
      key: null,
      headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,content-type' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(PAGE);
    const list = (h: string | null) => (h ?? '').split(',').map((x) => x.trim());
    expect(list(r.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['content-type', 'x-api-key']));
    expect(list(r.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['GET', 'POST', 'DELETE']));
    const del = await send(guarded, 'OPTIONS', '/job/0123456789abcdef0123456789abcdef', {
      key: null,
      headers: { origin: PAGE, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'x-api-key' },
    });
    expect(del.headers.get('access-control-allow-origin')).toBe(PAGE);
  });

  it('a request from the configured origin is answered with its origin; the key is still required', async () => {
    const ok = await send(guarded, 'GET', '/models', { headers: { origin: PAGE } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(ok.headers.get('vary')).toMatch(/Origin/i);
    const noKey = await send(guarded, 'GET', '/models', { key: null, headers: { origin: PAGE } });
    expect(noKey.status).toBe(401);
  });

  it('another origin gets no CORS header (the browser keeps the answer from its page)', async () => {
    for (const origin of ['http://127.0.0.1:4422', 'http://evil.example', 'null', `${PAGE}.evil.example`]) {
      const pre = await send(guarded, 'OPTIONS', '/submit_job', {
        key: null,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
      });
      expect(pre.headers.get('access-control-allow-origin'), origin).toBeNull();
      const get = await send(guarded, 'GET', '/models', { headers: { origin } });
      expect(get.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('by default no origin is allowed', async () => {
    const pre = await send(plain, 'OPTIONS', '/submit_job', {
      key: null,
      headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect((await send(plain, 'GET', '/models', { headers: { origin: PAGE } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a configured origin must be an origin: a path, a trailing slash or a bare host is refused at start-up', () => {
    expect(parseOrigins(' http://a.example:8080 , https://b.example ')).toEqual(['http://a.example:8080', 'https://b.example']);
    expect(parseOrigins('*')).toEqual(['*']);
    expect(() => parseOrigins('https://a.example/')).toThrow(/did you mean 'https:\/\/a.example'/);
    expect(() => parseOrigins('https://a.example/app')).toThrow(/not an origin/);
    expect(() => parseOrigins('a.example')).toThrow(/not an origin/);
    expect(() => parseOrigins('ftp://a.example')).toThrow(/not an origin/);
  });
});

describe('a cap on queued + running jobs per API key', () => {
  it(`40 concurrent submissions with one key: exactly ${CAP} queued, the rest 429 with the reason; another key has its own cap`, async () => {
    const body = (i: number) => ({ model_name: 'sir', input_dataset: '', parameters: { end_time: 10 + i } });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => send(guarded, 'POST', '/submit_job', { body: body(i) })));
    const accepted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(CAP);
    expect(refused).toHaveLength(40 - CAP);
    expect(String(refused[0].json.detail)).toMatch(
      new RegExp(`This API key has ${CAP} jobs queued or running, the most allowed \\(DISSMODEL_MAX_JOBS_PER_KEY=${CAP}\\)`),
    );
    expect(await queued(guarded)).toBe(CAP);

    const other = await Promise.all(
      Array.from({ length: 5 }, (_, i) => send(guarded, 'POST', '/submit_job', { body: body(100 + i), key: 'second-key' })),
    );
    expect(other.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);

    // A resubmission of a queued experiment is the same job, not a new one: not refused.
    const again = await send(guarded, 'POST', '/submit_job', { body: { ...body(0), experiment_id: accepted[0].json.experiment_id } });
    expect(again.status).toBe(200);

    // Cancelling one frees its place.
    expect((await send(guarded, 'DELETE', `/job/${accepted[0].json.job_id}`)).status).toBe(200);
    expect((await send(guarded, 'POST', '/submit_job', { body: body(200) })).status).toBe(200);
    expect((await send(guarded, 'POST', '/submit_job', { body: body(201) })).status).toBe(429);
    expect(await healthy(guarded)).toBe(true);
  });
});

describe('http(s) inputs on internal addresses are refused unless configured', () => {
  const internal = [
    ['loopback', 'http://127.0.0.1:9/x.tif', /a loopback address/],
    ['loopback by name', 'http://localhost:9/x.tif', /localhost \(.*\) is a loopback address/],
    ['IPv6 loopback', 'http://[::1]:9/x.tif', /a loopback address/],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/x.tif', /a loopback address/],
    ['private', 'http://10.1.2.3/x.tif', /a private address/],
    ['private 192.168', 'https://192.168.0.10/x.tif', /a private address/],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/', /a link-local address/],
    ['unspecified', 'http://0.0.0.0:9/x.tif', /an unspecified address/],
    ['decimal loopback', 'http://2130706433/x.tif', /a loopback address/],
  ] as const;

  it.each(internal)('%s: 400 naming the address, nothing queued', async (_what, uri, reason) => {
    const before = await queued(guarded);
    const r = await send(guarded, 'POST', '/submit_job', { body: { model_name: 'game_of_life', input_dataset: uri }, key: 'third' });
    expect(r.status).toBe(401); // a key not configured: nothing is even looked at
    const k = await send(guarded, 'POST', '/submit_job', { body: { model_name: 'game_of_life', input_dataset: uri } });
    expect(k.status).toBe(400);
    expect(String(k.json.detail)).toMatch(reason);
    expect(String(k.json.detail)).toMatch(/public addresses only \(DISSMODEL_ALLOW_PRIVATE_INPUTS\)/);
    expect(await queued(guarded)).toBe(before);
  });

  it('a server configured to allow them queues such an input', async () => {
    const r = await send(trusting, 'POST', '/submit_job', {
      body: { model_name: 'game_of_life', input_dataset: 'http://127.0.0.1:9/x.tif' },
    });
    expect(r.status).toBe(200);
  });

  it("a worker's reader refuses them too, before any connection (a request counter on loopback stays at 0)", async () => {
    let requests = 0;
    const target: Server = createServer((_req, res) => {
      requests++;
      res.end('GIF89a');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as { port: number }).port;
    try {
      const store = new S3Client({ endpoint: s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
      const io = new ServerIO(store, true);
      await expect(io.read(`http://127.0.0.1:${port}/x.tif`)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
      await expect(io.read(`http://localhost:${port}/x.tif`)).rejects.toBeInstanceOf(InputError);
      expect(requests).toBe(0);
      // Allowed by configuration, the same reader fetches it.
      expect(new TextDecoder().decode(await new ServerIO(store, true, true).read(`http://127.0.0.1:${port}/x.tif`))).toBe('GIF89a');
      expect(requests).toBe(1);
    } finally {
      await new Promise((r) => target.close(r));
    }
  });
});

describe('no path from a request to a file outside the data', () => {
  const hostile = [
    'sample:../../etc/passwd',
    'sample:..',
    'sample:.',
    'sample:.env',
    'sample:a/b.tif',
    'sample:..%2f..%2fetc%2fpasswd',
    's3://dissmodel-inputs/../../etc/passwd',
    's3://dissmodel-inputs/a/../../../etc/passwd',
    's3://dissmodel-inputs/a/%2e%2e/%2e%2e/etc/passwd',
    's3://dissmodel-inputs//etc/passwd',
    's3://dissmodel-inputs/a\\..\\..\\x',
    's3://dissmodel-inputs/a%00b',
    '/etc/passwd',
    'file:///etc/passwd',
    '../public/samples/flood_8x10.tif',
    '~/.ssh/id_rsa',
    'C:\\Windows\\win.ini',
  ];

  it(`${hostile.length} hostile input_dataset values, sent at once: each 400, nothing queued`, async () => {
    const before = await queued(guarded);
    const results = await Promise.all(
      hostile.map((uri) => send(guarded, 'POST', '/submit_job', { body: { model_name: 'game_of_life', input_dataset: uri } })),
    );
    results.forEach((r, i) => {
      expect(r.status, hostile[i]).toBe(400);
      expect(String(r.json.detail), hostile[i]).toMatch(/segment|not a bundled sample|never reads its own files|not an s3/);
    });
    expect(await queued(guarded)).toBe(before);
  });

  it('/download names only keys inside the two buckets', async () => {
    const uris = [
      's3://dissmodel-outputs/../dissmodel-inputs/x',
      's3://dissmodel-outputs/runs/../../x',
      's3://dissmodel-outputs/runs/%2e%2e/%2e%2e/x',
      's3://dissmodel-outputs//x',
      's3://elsewhere/x',
    ];
    for (const uri of uris) {
      const r = await send(guarded, 'GET', `/download?proxy=true&uri=${encodeURIComponent(uri)}`);
      expect(r.status, uri).toBe(400);
    }
  });

  it("an upload's file name and label become one key under inputs/ whatever they hold", async () => {
    const names = ['../../../etc/passwd', '..', '/abs/x.tif', 'a\\..\\b.tif', '.hidden'];
    for (const name of names) {
      const form = new FormData();
      form.set('label', '../../up');
      form.set('file', new Blob([new Uint8Array([1, 2, 3])]), name);
      const r = await send(guarded, 'POST', '/data/upload', { body: form });
      expect(r.status, name).toBe(200);
      const key = String(r.json.uri).replace('s3://dissmodel-inputs/', '').split('/');
      expect(key, name).toHaveLength(3);
      expect(key[0]).toBe('inputs');
      for (const seg of key.slice(1)) expect(seg, name).toMatch(/^[\w-][\w.-]*$/);
    }
  });

  it("a worker's reader reads a bundled sample by name only (no '..', no hidden file, no path)", async () => {
    const store = new S3Client({ endpoint: s3.endpoint, accessKeyId: S3_KEY, secretAccessKey: S3_KEY });
    const io = new ServerIO(store, false);
    expect((await io.read('sample:flood_8x10.tif')).byteLength).toBeGreaterThan(0);
    for (const uri of ['sample:..', 'sample:.', 'sample:../package.json', 'sample:../../etc/passwd', 'sample:.gitignore'])
      await expect(io.read(uri), uri).rejects.toThrow(/No bundled sample named/);
    await expect(io.read('/etc/passwd')).rejects.toThrow(/cannot be read on the server/);
  });
});

describe('request body limits', () => {
  it('a burst of oversized, deep, malformed and mistyped bodies: 4xx each, the server healthy, nothing queued', async () => {
    const before = await queued(guarded);
    const deep = '{"model_name":"sir","input_dataset":"","parameters":{"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}}';
    const many = JSON.stringify({
      model_name: 'sir',
      input_dataset: '',
      parameters: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, i])),
    });
    const bodies: { body: string; headers?: Record<string, string>; expect: number }[] = [
      ...Array.from({ length: 10 }, () => ({
        body: JSON.stringify({ model_name: 'sir', input_dataset: 'x'.repeat(3 << 20) }),
        expect: 413,
      })),
      ...Array.from({ length: 5 }, () => ({ body: deep, expect: 400 })),
      ...Array.from({ length: 5 }, () => ({ body: many, expect: 400 })),
      ...Array.from({ length: 5 }, () => ({ body: '{"model_name": "sir", ', expect: 400 })),
      ...Array.from({ length: 5 }, () => ({ body: 'model_name=sir', headers: { 'content-type': 'text/plain' }, expect: 400 })),
      ...Array.from({ length: 5 }, () => ({
        body: 'model_name=sir',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        expect: 415,
      })),
    ];
    const results = await Promise.all(bodies.map((b) => send(guarded, 'POST', '/submit_job', { body: b.body, headers: b.headers ?? {} })));
    results.forEach((r, i) => expect(r.status, `body ${i}`).toBe(bodies[i].expect));
    expect(await queued(guarded)).toBe(before);
    expect(await healthy(guarded)).toBe(true);
  });

  it('an upload with more parts or fields than allowed is refused', async () => {
    const form = new FormData();
    form.set('label', 'x');
    for (let i = 0; i < 20; i++) form.append(`f${i}`, 'v');
    form.set('file', new Blob([new Uint8Array(10)]), 'a.tif');
    const r = await send(guarded, 'POST', '/data/upload', { body: form });
    expect(r.status).toBe(413);
    const two = new FormData();
    two.set('label', 'x');
    two.append('file', new Blob([new Uint8Array(10)]), 'a.tif');
    two.append('file', new Blob([new Uint8Array(10)]), 'b.tif');
    expect((await send(guarded, 'POST', '/data/upload', { body: two })).status).toBe(413);
  });

  it('at most DISSMODEL_MAX_UPLOADS uploads are received at once (each is held in memory): one more gets 429', async () => {
    const boundary = 'dissmodelboundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\nslow\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.tif"\r\n\r\n`,
    );
    // Two uploads that send their first bytes and then hold the connection open.
    const stops = [new AbortController(), new AbortController()];
    const slow = stops.map((stop) =>
      fetch(guarded.url + '/data/upload', {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: new ReadableStream({
          start(c) {
            c.enqueue(head);
          },
        }),
        duplex: 'half',
        signal: stop.signal,
      } as RequestInit).catch(() => null),
    );
    const small = () => {
      const form = new FormData();
      form.set('label', 'x');
      form.set('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.tif');
      return send(guarded, 'POST', '/data/upload', { body: form });
    };
    await until('the slow uploads to be received', async () => (await small()).status === 429, 10_000);
    const refused = await small();
    expect(refused.status).toBe(429);
    expect(String(refused.json.detail)).toMatch(
      /2 uploads are in progress, the most this server receives at once \(DISSMODEL_MAX_UPLOADS=2\)/,
    );
    for (const stop of stops) stop.abort();
    await Promise.all(slow);
    await until('the places to be free again', async () => (await small()).status === 200, 10_000);
    expect(await healthy(guarded)).toBe(true);
  });

  it('a client that stops sending mid-request is cut off after DISSMODEL_IDLE_TIMEOUT_MS and its place freed', async () => {
    const impatient = await startServe(
      stackEnv(redis, s3, { DISSMODEL_MAX_UPLOADS: '1', DISSMODEL_IDLE_TIMEOUT_MS: '1500', DISSMODEL_QUEUE: 'q-impatient' }),
    );
    try {
      const boundary = 'dissmodelslow';
      const t0 = Date.now();
      const slow = fetch(impatient.url + '/data/upload', {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.tif"\r\n\r\n`));
          },
        }),
        duplex: 'half',
      } as RequestInit).then(
        (r) => r.status,
        () => 'closed',
      );
      const form = () => {
        const f = new FormData();
        f.set('label', 'x');
        f.set('file', new Blob([new Uint8Array([1])]), 'a.tif');
        return f;
      };
      await until(
        'the slow upload to hold the one place',
        async () => (await send(impatient, 'POST', '/data/upload', { body: form() })).status === 429,
        10_000,
      );
      expect(await slow).toMatch(/^(408|closed)$/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      expect((await send(impatient, 'POST', '/data/upload', { body: form() })).status).toBe(200);
    } finally {
      await impatient.server.close();
    }
  });
});
