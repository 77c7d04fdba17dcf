/**
 * What kind of place a URL points at, from its host alone (no DNS: a browser cannot
 * resolve names), so the page can ask before fetching and warn louder for addresses on
 * the person's own machine or network. The WHATWG URL parser has already normalised IPv4
 * spellings (`0x7f.1`, `2130706433` → `127.0.0.1`) and IPv6 (`[::1]`).
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'local-name' | 'reserved';

export interface AddressClass {
  /** The URL's host (with port), as the URL parser gives it. */
  host: string;
  /** The host name or address without port or brackets. */
  hostname: string;
  kind: AddressKind;
  /** Why it is not public, in words ("a loopback address: this computer"), or null. */
  reason: string | null;
}

function v4(ip: string): { kind: AddressKind; reason: string } | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a === 127) return { kind: 'loopback', reason: 'a loopback address: this computer' };
  if (a === 0) return { kind: 'reserved', reason: 'an unspecified address ("this host")' };
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return { kind: 'private', reason: 'a private address: a machine on your local network' };
  }
  if (a === 169 && b === 254) return { kind: 'link-local', reason: 'a link-local address (cloud metadata services live there)' };
  if (a === 100 && b >= 64 && b <= 127) return { kind: 'private', reason: 'a shared (CGNAT) address inside a provider network' };
  if (a === 198 && (b === 18 || b === 19)) return { kind: 'reserved', reason: 'a benchmarking network address' };
  if (a >= 224) return { kind: 'reserved', reason: 'a multicast or reserved address' };
  return { kind: 'public', reason: '' };
}

function v6(ip: string): { kind: AddressKind; reason: string } {
  if (ip === '::1') return { kind: 'loopback', reason: 'a loopback address: this computer' };
  if (ip === '::') return { kind: 'reserved', reason: 'an unspecified address' };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return v4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`)!;
  }
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return v4(dotted[1]) ?? { kind: 'reserved', reason: 'an unusual IPv6 address' };
  const first = parseInt(ip.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return { kind: 'private', reason: 'a private (unique-local) address on your network' };
  if ((first & 0xffc0) === 0xfe80) return { kind: 'link-local', reason: 'a link-local address' };
  if ((first & 0xff00) === 0xff00) return { kind: 'reserved', reason: 'a multicast address' };
  return { kind: 'public', reason: '' };
}

/**
 * The class of one IP address (v4 dotted, or v6 with or without brackets and zone), or
 * null when it is not an IP address. The CLI's network guard checks resolved addresses
 * with it; `classifyUrl` checks a URL's literal host.
 */
export function classifyAddress(address: string): { kind: AddressKind; reason: string } | null {
  const ip = address
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  if (ip.includes(':')) return v6(ip);
  return v4(ip);
}

/** The address class of an http(s) URL's host. */
export function classifyUrl(url: string): AddressClass {
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const base = { host: u.host, hostname };
  const ip = u.hostname.startsWith('[') ? v6(hostname) : v4(hostname);
  if (ip) return { ...base, kind: ip.kind, reason: ip.kind === 'public' ? null : ip.reason };
  const name = hostname.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return { ...base, kind: 'loopback', reason: 'a loopback name: this computer' };
  }
  if (!name.includes('.') || /\.(local|lan|home|internal|intranet|corp|home\.arpa)$/.test(name)) {
    return { ...base, kind: 'local-name', reason: 'a name on your local network' };
  }
  return { ...base, kind: 'public', reason: null };
}

/** Whether fetching it needs the stronger, explicit consent. */
export const needsExplicitConsent = (c: AddressClass): boolean => c.kind !== 'public';
