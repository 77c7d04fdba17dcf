/**
 * A small HTTP server for fault tests (CLI and browser): loopback only, every
 * response bounded in size and time, closed with its sockets when the test ends.
 *
 *   /<prefix>/ok/<name>        200 with the bytes of public/samples/<name>
 *   /<prefix>/missing/<name>   404
 *   /<prefix>/error/<name>     500
 *   /<prefix>/partial/<name>   Content-Length of the whole file, a third of it, then the connection is cut
 *   /<prefix>/slow/<name>      Content-Length of the whole file, 100 bytes, then nothing (until the client gives up)
 *   /<prefix>/huge/<name>      declares 600 MB, sends 8 bytes, holds the connection 30 s
 *   /<prefix>/html/<name>      200 with a login page (what a misconfigured share link often returns)
 *   /<prefix>/gzip/<name>      200, Content-Encoding: gzip, Content-Length of the gzipped bytes (valid)
 *   /<prefix>/loop/<name>      301 to itself, for ever
 *   /<prefix>/silent/<name>    accepts the request and never answers (until the client gives up)
 *
 * <prefix> is `cors` (Access-Control-Allow-Origin: *, so a page on another origin
 * may read the answer) or `nocors` (no CORS headers: a browser refuses it).
 * `hits` counts requests by path; `waitFor(path)` resolves when one arrives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'samples');

export interface FaultServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  url(prefix: 'cors' | 'nocors', kind: string, name?: string): string;
  hits: Map<string, number>;
  waitFor(path: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Longest a slow response is held open. */
const SLOW_MS = 60_000;

export async function startFaultServer(): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const hits = new Map<string, number>();
  const waiters = new Map<string, Array<() => void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    for (const w of waiters.get(path) ?? []) w();
    waiters.delete(path);
    const [, prefix, kind, name = 'gol_glider_64x64.tif'] = path.split('/');
    const cors: Record<string, string> =
      prefix === 'cors' ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Length' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': '*' }).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(join(SAMPLES, name.replace(/[\\/]/g, '')));
    } catch {
      body = Buffer.from('no such sample');
    }
    const head = { ...cors, 'Content-Type': 'image/tiff', 'Cache-Control': 'no-store' };
    switch (kind) {
      case 'ok':
        res.writeHead(200, { ...head, 'Content-Length': body.length }).end(body);
        return;
      case 'missing':
        res.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end('Not Found');
        return;
      case 'error':
        res.writeHead(500, { ...cors, 'Content-Type': 'text/plain' }).end('Internal Server Error');
        return;
      case 'html':
        res.writeHead(200, { ...cors, 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><body><form>Sign in</form></body></html>');
        return;
      case 'partial': {
        res.writeHead(200, { ...head, 'Content-Length': body.length });
        res.write(body.subarray(0, Math.floor(body.length / 3)), () => {
          const t = setTimeout(() => res.socket?.destroy(), 50);
          timers.add(t);
        });
        return;
      }
      case 'slow': {
        res.writeHead(200, { ...head, 'Content-Length': body.length });
        res.write(body.subarray(0, 100));
        const t = setTimeout(() => res.socket?.destroy(), SLOW_MS);
        timers.add(t);
        return;
      }
      case 'huge':
        res.writeHead(200, { ...head, 'Content-Length': 600 * 1024 * 1024 });
        res.write(body.subarray(0, 8));
        timers.add(setTimeout(() => res.socket?.destroy(), 30_000));
        return;
      case 'gzip': {
        const gz = gzipSync(body);
        res.writeHead(200, { ...head, 'Content-Encoding': 'gzip', 'Content-Length': gz.length }).end(gz);
        return;
      }
      case 'loop':
        res.writeHead(301, { ...cors, Location: path }).end();
        return;
      case 'silent':
        timers.add(setTimeout(() => req.socket.destroy(), SLOW_MS));
        return;
      default:
        res.writeHead(400, cors).end('unknown fault');
    }
  };

  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (prefix, kind, name = 'gol_glider_64x64.tif') => `${origin}/${prefix}/${kind}/${name}`,
    hits,
    waitFor: (path, timeoutMs = 30_000) =>
      (hits.get(path) ?? 0) > 0
        ? Promise.resolve()
        : new Promise<void>((ok, fail) => {
            const t = setTimeout(() => fail(new Error(`no request for ${path} within ${timeoutMs} ms`)), timeoutMs);
            waiters.set(path, [...(waiters.get(path) ?? []), () => (clearTimeout(t), ok())]);
          }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
