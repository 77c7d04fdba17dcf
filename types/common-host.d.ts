/**
 * The common host API: the web-platform globals the core (src/executor, src/sim, src/io,
 * src/models) may use, because Node >= 20, browsers and Web Workers all provide them with
 * the same behaviour. tsconfig.core.json checks the core with `lib: ["ES2023"]`, no DOM and
 * no Node types, plus this file; anything else (document, window, Buffer, process, require,
 * …) is a type error there.
 *
 * Each declaration is the part of the standard interface the core uses (same names and
 * signatures as lib.dom.d.ts, so the core also checks against the DOM in tsconfig.json). Add
 * a member only when the core needs it and every host has it. This file is not part of
 * tsconfig.json, where the DOM and Node types declare these globals in full.
 */

// --- Encoding Standard: TextEncoder, TextDecoder -------------------------------------------

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare var TextEncoder: {
  prototype: TextEncoder;
  new (): TextEncoder;
};

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};

// --- High Resolution Time: performance.now() -----------------------------------------------

interface Performance {
  now(): number;
}
declare var performance: Performance;

// --- HTML timers: setTimeout, clearTimeout (yielding to the event loop, time-outs) --------

/** A number in browsers, a Timeout object in Node: opaque here, only given back to clearTimeout. */
interface TimeoutHandle {
  readonly __timeoutHandle: never;
}
declare function setTimeout(handler: () => void, timeout?: number): TimeoutHandle;
declare function clearTimeout(handle: TimeoutHandle | undefined): void;

// --- Web Crypto: crypto.getRandomValues ----------------------------------------------------
// (src/io/sha256.ts and src/sim/random.ts detect crypto.subtle / getRandomValues themselves.)

interface Crypto {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
}
declare var crypto: Crypto;

// --- DOM Standard: AbortController, AbortSignal (cancellation and time-outs) ---------------

interface AbortSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: {
  prototype: AbortController;
  new (): AbortController;
};

// --- Fetch Standard: fetch() with a streamed body ------------------------------------------

interface RequestInit {
  signal?: AbortSignal | null;
}
interface Headers {
  get(name: string): string | null;
}
interface ReadableStreamReadDoneResult {
  done: true;
  value: undefined;
}
interface ReadableStreamReadValueResult<T> {
  done: false;
  value: T;
}
interface ReadableStreamDefaultReader<R> {
  read(): Promise<ReadableStreamReadDoneResult | ReadableStreamReadValueResult<R>>;
  cancel(reason?: unknown): Promise<void>;
}
interface ReadableStream<R> {
  getReader(): ReadableStreamDefaultReader<R>;
  cancel(reason?: unknown): Promise<void>;
}
interface Response {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}
declare function fetch(input: string, init?: RequestInit): Promise<Response>;

// --- URL Standard: URL --------------------------------------------------------------------

/** The parts of URL the core reads (src/io/address-class.ts). */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  toString(): string;
}
