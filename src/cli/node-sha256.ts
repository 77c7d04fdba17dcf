/**
 * Node's SHA-256 (OpenSSL) as the checksums' hash (src/executor/sha256.ts): it hashes the bytes in
 * place, where Web Crypto's digest first copies them (a 200 MB input would be 200 MB more while it
 * is hashed), at the same speed.
 */
import { createHash } from 'node:crypto';
import { configureSha256, type HostSha256 } from '../executor/sha256.ts';

export const nodeSha256: HostSha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Use Node's SHA-256 in this process's checksums. */
export function useNodeSha256(): void {
  configureSha256(nodeSha256);
}
