/**
 * The checksums with the host's SHA-256 (Node's, src/cli/node-sha256.ts, as the CLI runs them) are the
 * checksums without it: every record's SHA-256 is the same whichever host computed it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../src/cli/node-sha256.ts';
import { configureSha256, sha256Hex, sha256HexAsync } from '../src/executor/sha256.ts';

const COAST = new URL('./reference/inputs/coast_10x14.tif', import.meta.url);

describe("the host's SHA-256", () => {
  afterEach(() => configureSha256(null));

  it('gives what the pure-JavaScript hash gives, on files and on bytes of every length around a block', () => {
    const inputs = [
      readFileSync(COAST),
      new Uint8Array(0),
      ...[1, 55, 56, 63, 64, 65, 1000, 100_000].map((n) => new Uint8Array(n).map((_, i) => (i * 31 + n) & 255)),
    ];
    for (const b of inputs) expect(nodeSha256(b), `${b.length} bytes`).toBe(sha256Hex(b));
    // a view into a larger buffer hashes only its own bytes
    const big = new Uint8Array(300).map((_, i) => i & 255);
    expect(nodeSha256(big.subarray(100, 200))).toBe(sha256Hex(big.slice(100, 200)));
  });

  it('is what sha256HexAsync uses once configured, with the same result', async () => {
    const bytes = readFileSync(COAST);
    const before = await sha256HexAsync(bytes);
    let calls = 0;
    configureSha256((b) => {
      calls++;
      return nodeSha256(b);
    });
    expect(await sha256HexAsync(bytes)).toBe(before);
    expect(calls).toBe(1);
  });
});
