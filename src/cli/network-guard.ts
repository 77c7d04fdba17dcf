/**
 * Network consent for what a record names: `dissmodel reproduce` fetches the input a
 * record's source.uri points at, and a record is someone else's file. Without
 * `--allow-private-network` it may reach public addresses only — never loopback,
 * private (RFC 1918, unique-local), link-local (169.254/16, cloud metadata), CGNAT,
 * multicast or unspecified ones, which could make this machine talk to its own
 * services or its network's (an internal S3 endpoint included).
 *
 * Two checks: the host is resolved and every address checked before the download
 * starts (a clear message), and the connection itself goes through a connector that
 * resolves, checks and connects to the checked address — so a redirect to 127.0.0.1
 * or a DNS answer that changes between the two (DNS rebinding) is refused too.
 *
 * The inputs a person types (`run --input http://127.0.0.1/…`) are that person's
 * choice and are not guarded (README: Limits and bad input).
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { NetworkError } from '../executor/errors.ts';
import { classifyAddress } from '../io/address-class.ts';

export const ALLOW_FLAG = '--allow-private-network';

/** Why an address is not public, or null when it is (the page's classifier, src/io/address-class.ts). */
export function nonPublicReason(address: string): string | null {
  if (!isIP(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''))) return null;
  const c = classifyAddress(address);
  return c === null || c.kind === 'public' ? null : c.reason;
}

function refusal(url: string, host: string, address: string, reason: string): NetworkError {
  const shown = host === address ? host : `${host} (${address})`;
  return new NetworkError(
    `Refused to fetch ${url}: ${shown} is ${reason}. A record may only make dissmodel fetch from public addresses; ` +
      `if you trust this record and its source, run again with ${ALLOW_FLAG}.`,
  );
}

/** Every address `host` resolves to (an IP literal: itself). */
async function addressesOf(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  // node:dns/promises and node:tls are imported when first needed: every run imports this module (through
  // commands.ts and node-io.ts), and a run of a local file resolves no host and opens no TLS connection.
  const { lookup } = await import('node:dns/promises');
  try {
    return (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  } catch (e) {
    throw new NetworkError(`Could not resolve the host of the input: ${host} (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'}).`);
  }
}

/** Resolve the URL's host and refuse it when any address it resolves to is not public. */
export async function checkPublicUrl(url: string): Promise<void> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new NetworkError(`'${url}' is not a valid URL.`);
  }
  for (const address of await addressesOf(host)) {
    const reason = nonPublicReason(address);
    if (reason) throw refusal(url, host, address, reason);
  }
}

let active = false;
/** Whether the guard is on in this process. */
export const networkGuardActive = (): boolean => active;

interface ConnectOptions {
  hostname: string;
  host?: string;
  protocol: string;
  port: string | number;
  servername?: string;
}
type Connector = (opts: ConnectOptions, cb: (err: Error | null, socket: Socket | null) => void) => void;

/** The connector: resolve, check every address, connect to the first one (the checked one, not a fresh lookup). */
const guardedConnector: Connector = (opts, cb) => {
  const host = opts.hostname;
  const url = `${opts.protocol}//${host}`;
  addressesOf(host)
    .then(async (addresses) => {
      for (const address of addresses) {
        const reason = nonPublicReason(address);
        if (reason) throw refusal(url, host, address, reason);
      }
      const address = addresses[0];
      const https = opts.protocol === 'https:';
      const port = Number(opts.port) || (https ? 443 : 80);
      const socket: Socket = https
        ? (await import('node:tls')).connect({
            host: address,
            port,
            servername: opts.servername || (isIP(host) ? undefined : host),
            ALPNProtocols: ['http/1.1'],
          })
        : netConnect({ host: address, port });
      const ready = https ? 'secureConnect' : 'connect';
      const onError = (e: Error) => cb(e, null);
      socket.once('error', onError);
      socket.once(ready, () => {
        socket.off('error', onError);
        cb(null, socket);
      });
    })
    .catch((e: Error) => cb(e, null));
};

/**
 * Turn the guard on for this process: every later fetch() goes through the guarded
 * connector (Node's fetch is undici; its global dispatcher is replaced by an Agent of
 * the same class with our connector).
 */
export async function installNetworkGuard(): Promise<void> {
  if (active) return;
  const sym = Symbol.for('undici.globalDispatcher.1');
  const g = globalThis as unknown as Record<symbol, { constructor: new (o: { connect: Connector }) => unknown } | undefined>;
  // An aborted fetch makes Node create its dispatcher without any network traffic.
  if (!g[sym]) await fetch('http://127.0.0.1/', { signal: AbortSignal.abort() }).catch(() => undefined);
  const current = g[sym];
  if (!current) throw new Error('Cannot install the network guard: no fetch dispatcher in this Node.js.');
  const Agent = current.constructor;
  (g as Record<symbol, unknown>)[sym] = new Agent({ connect: guardedConnector });
  active = true;
}

/** The first address of `url`'s host that is not public, with why; null when all are public (for servers that word their own refusal). */
export async function nonPublicAddressOf(url: string): Promise<{ host: string; address: string; reason: string } | null> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new NetworkError(`'${url}' is not a valid URL.`);
  }
  for (const address of await addressesOf(host)) {
    const reason = nonPublicReason(address);
    if (reason) return { host, address, reason };
  }
  return null;
}

/**
 * A fetch dispatcher whose every connection (redirects included) goes through the
 * guarded connector, for one caller's requests only (`fetch(url, { dispatcher })`),
 * where the process as a whole must still reach private services (a worker's S3 store).
 */
export async function guardedDispatcher(): Promise<object> {
  const sym = Symbol.for('undici.globalDispatcher.1');
  const g = globalThis as unknown as Record<symbol, { constructor: new (o: { connect: Connector }) => object } | undefined>;
  if (!g[sym]) await fetch('http://127.0.0.1/', { signal: AbortSignal.abort() }).catch(() => undefined);
  const current = g[sym];
  if (!current) throw new Error('Cannot build a guarded dispatcher: no fetch dispatcher in this Node.js.');
  return new current.constructor({ connect: guardedConnector });
}
