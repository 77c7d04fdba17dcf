/**
 * The WebAssembly deflate's memory layout (byte offsets) and the order of its module's functions, shared
 * by the match search (zlib-scan-wasm.ts), the block writer (zlib-block-wasm.ts) and the encoder that
 * owns the memory (zlib-deflate-wasm.ts).
 */

// The search's tables and buffers.
export const FLEB = 0; // u8 × 32: length extra bits
export const FDEB = 32; // u8 × 32: distance extra bits
export const LF = 64; // u16 × 288: literal/length frequencies
export const DF = 640; // u16 × 32: distance frequencies (ends at 704, where STATE starts)
export const STATE = 704; // i32 slots (ST_*)
export const REVFL = 1024; // i32 × 259: length → (extra << 5) | code
export const REVFD = 4096; // i32 × 32769: distance → (extra << 5) | code
export const SYMS = 139264; // i32 × SYMS_CAPACITY
export const PREV = 245760; // u16 × 32768
export const HEAD = 311296; // u16 × up to 2^20 (level 6's largest hash)

// The block writer's tables and scratch.
const H = HEAD + (1 << 21);
export const REV = H; // u16 × 32768: 15-bit bit reversal
export const FLT = H + 65536; // u8 × 288: the fixed literal/length code lengths
export const FDT = FLT + 288; // u8 × 32: the fixed distance code lengths
export const FLM = FDT + 32; // u16 × 288: the fixed literal/length codes
export const FDM = FLM + 576; // u16 × 32: the fixed distance codes
export const CLIM = FDM + 64; // u8 × 19 (+ 13 spare): the code length code order
export const DLT = CLIM + 32; // u8 × 288: the block's literal/length code lengths
export const DDT = DLT + 288; // u8 × 32: its distance code lengths
export const LCT = DDT + 32; // u8 × 19 (+ 13): its code length code lengths
export const LM = LCT + 32; // u16 × 288: its literal/length codes
export const DM = LM + 576; // u16 × 32: its distance codes
export const LLM = DM + 64; // u16 × 19 (+ 13): its code length codes
export const LCLT = LLM + 64; // u16 × 320: the run-length coded literal/length code lengths
export const LCDT = LCLT + 640; // u16 × 64: the run-length coded distance code lengths
export const LCFREQ = LCDT + 128; // u16 × 19 (+ 13): the code length codes' frequencies
export const HL = LCFREQ + 64; // u16 × 16: hMap's count per length
export const HLE = HL + 32; // u16 × 16: hMap's next code per length
// hTree's nodes (leaves 0 … s − 1, the sentinel s, then the inner nodes) and its sort arrays
const NODES = 2 * 288 + 2;
export const NF = HLE + 32; // i32 × NODES: a node's frequency
export const NL = NF + 4 * NODES; // i32 × NODES: an inner node's left child
export const NR = NL + 4 * NODES; // i32 × NODES: its right child
export const ND = NR + 4 * NODES; // i32 × NODES: an inner node's depth
export const NS = ND + 4 * NODES; // i32 × 288: a leaf's symbol
export const TN = NS + 4 * 288; // i32 × 290: fflate's t (node numbers)
export const T2 = TN + 4 * 290; // i32 × 290: fflate's t2 (leaf numbers)
export const KEY = T2 + 4 * 290; // i32 × 290: sort keys
const END = KEY + 4 * 290;

/** The input (then a guard, then the output; see outputAt). */
export const DAT = H + 131072;
if (END > DAT) throw new Error('zlib-wasm-layout: the block writer scratch overlaps the input');

export const SYMS_CAPACITY = 25000;

// STATE slots (i32): the search's (i, li, wi, lc, eb), the block's start, the bit writer's (output
// byte, pending bits and their count).
export const ST_I = 0;
export const ST_LI = 1;
export const ST_WI = 2;
export const ST_LC = 3;
export const ST_EB = 4;
export const ST_BS = 5;
export const ST_OP = 6;
export const ST_ACC = 7;
export const ST_NB = 8;

/** Where the zlib stream of an `s`-byte input is written: past the input and its 512-byte guard, 8-aligned. */
export const outputAt = (s: number): number => (DAT + s + 512 + 7) & ~7;
/** The longest zlib stream of an `s`-byte input (fflate's bound: stored blocks of 7000 bytes, header, trailer). */
export const outputBound = (s: number): number => 2 + s + 5 * (1 + Math.ceil(s / 7000)) + 4;

/** The module's functions, in this order (their indices for `call`). */
export const FN_SCAN = 0;
export const FN_ADLER = 1;
export const FN_HTREE = 2;
export const FN_LC = 3;
export const FN_HMAP = 4;
export const FN_CLEN = 5;
export const FN_BLOCK = 6;
export const FN_DEFLATE = 7;
