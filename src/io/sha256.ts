/** SHA-256 lives in the executor core (checksums are part of the record contract); re-exported for io's users. */
export * from '../executor/sha256.ts';
