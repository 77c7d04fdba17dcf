/**
 * Node's SHA-256 (OpenSSL) as the checksums' hash (src/executor/sha256.ts): it hashes the bytes in
 * place, where Web Crypto's digest first copies them (a 200 MB input would be 200 MB more while it
 * is hashed), at the same speed.
 */
import type * as Crypto from 'node:crypto';
import { configureSha256, type HostSha256 } from '../executor/sha256.ts';

// Loaded on the first hash, not with the CLI: `dissmodel list` and `--help` hash nothing.
let crypto: typeof Crypto | undefined;

export const nodeSha256: HostSha256 = (bytes) =>
  (crypto ??= process.getBuiltinModule('node:crypto')).createHash('sha256').update(bytes).digest('hex');

/** Use Node's SHA-256 in this process's checksums. */
export function useNodeSha256(): void {
  configureSha256(nodeSha256);
}
