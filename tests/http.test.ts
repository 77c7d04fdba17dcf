/**
 * HTTP(S) inputs, against a loopback server: a gzip-encoded download is accepted (its
 * Content-Length counts the encoded bytes), a redirect loop says so, a server that never
 * answers and a download that stalls end with a named time-out instead of hanging.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../src/executor/errors.ts';
import { fetchBytes } from '../src/io/fetch.ts';
import { FETCH_CONNECT_TIMEOUT_MS, FETCH_IDLE_TIMEOUT_MS } from '../src/io/limits.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';

const GLIDER = new Uint8Array(readFileSync(new URL('../public/samples/gol_glider_64x64.tif', import.meta.url)));
let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('fetchBytes', () => {
  it('the time-outs are the documented ones: 30 s to answer, 60 s between bytes', () => {
    expect([FETCH_CONNECT_TIMEOUT_MS, FETCH_IDLE_TIMEOUT_MS]).toEqual([30_000, 60_000]);
  });

  it('a gzip-encoded answer is decoded and accepted, with progress in decoded bytes', async () => {
    const seen: (number | null)[] = [];
    const bytes = await fetchBytes(server.url('cors', 'gzip'), { onProgress: (_, total) => seen.push(total) });
    expect(bytes).toEqual(GLIDER);
    expect(seen.every((t) => t === null)).toBe(true); // the encoded length is no total for decoded bytes
  });

  it('an identity answer still checks its length: a cut connection is an incomplete download', async () => {
    const e = await failure(fetchBytes(server.url('cors', 'partial')));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e?.message).toMatch(/broke off after \d+ bytes|incomplete: \d+ of \d+ bytes/);
  });

  it('a redirect loop says so', async () => {
    const e = await failure(fetchBytes(server.url('cors', 'loop')));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e?.message).toMatch(/too many redirects/);
  });

  it('a server that accepts and never answers: a connect time-out, named, after the time given', async () => {
    const e = await failure(fetchBytes(server.url('cors', 'silent'), { connectTimeoutMs: 300 }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e?.message).toMatch(/did not answer within 0\.3 s \(connect time-out\)/);
  });

  it('a download that stalls: an idle time-out, naming how far it got', async () => {
    const e = await failure(fetchBytes(server.url('cors', 'slow'), { idleTimeoutMs: 300 }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e?.message).toMatch(/stalled: no data for 0\.3 s after 100 bytes \(idle time-out\)/);
  });

  it("the caller's Cancel is an abort, not a time-out", async () => {
    const ctl = new AbortController();
    const p = failure(fetchBytes(server.url('cors', 'silent'), { signal: ctl.signal }));
    await server.waitFor('/cors/silent/gol_glider_64x64.tif');
    ctl.abort();
    const e = await p;
    expect(e?.name).toBe('AbortError');
  });
});
