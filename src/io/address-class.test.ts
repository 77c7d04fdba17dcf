import { describe, expect, it } from 'vitest';
import { classifyUrl, needsExplicitConsent } from './address-class.ts';

describe('classifyUrl: where a URL points, from its host', () => {
  it.each([
    ['http://127.0.0.1:8080/x.tif', 'loopback', '127.0.0.1:8080'],
    ['http://2130706433/x.tif', 'loopback', '127.0.0.1'], // the URL parser normalises other IPv4 spellings
    ['http://0x7f.1/x.tif', 'loopback', '127.0.0.1'],
    ['http://[::1]:9000/x', 'loopback', '[::1]:9000'],
    ['http://localhost:5173/x', 'loopback', 'localhost:5173'],
    ['http://api.localhost/x', 'loopback', 'api.localhost'],
    ['http://10.1.2.3/x', 'private', '10.1.2.3'],
    ['http://172.20.0.1/x', 'private', '172.20.0.1'],
    ['http://192.168.1.10/x', 'private', '192.168.1.10'],
    ['http://[fd00::1]/x', 'private', '[fd00::1]'],
    ['http://169.254.169.254/latest/meta-data', 'link-local', '169.254.169.254'],
    ['http://[fe80::1]/x', 'link-local', '[fe80::1]'],
    ['http://[::ffff:7f00:1]/x', 'loopback', '[::ffff:7f00:1]'],
    ['http://nas/x.tif', 'local-name', 'nas'],
    ['http://printer.local/x', 'local-name', 'printer.local'],
    ['http://0.0.0.0/x', 'reserved', '0.0.0.0'],
    ['https://example.org/data/x.tif', 'public', 'example.org'],
    ['https://8.8.8.8/x', 'public', '8.8.8.8'],
    ['http://172.32.0.1/x', 'public', '172.32.0.1'],
  ])('%s is %s (host %s)', (url, kind, host) => {
    const c = classifyUrl(url);
    expect(c.kind).toBe(kind);
    expect(c.host).toBe(host);
    expect(needsExplicitConsent(c)).toBe(kind !== 'public');
    expect(c.reason === null).toBe(kind === 'public');
  });
});
