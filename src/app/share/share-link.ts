/**
 * Share links: an experiment packed into a URL fragment — versioned JSON,
 * deflate-compressed, base64url — and unpacked as untrusted input. Decoding
 * never evaluates anything, bounds every size (including the inflated size, so
 * a compression bomb is refused), refuses prototype keys, and returns only a
 * model of the catalogue it is given (on the page: the specs the worker lists)
 * with parameters validated against that model's schema.
 */
import { deflateSync, Inflate } from 'fflate';
import { findSpec } from '../../executor/catalogue.ts';
import { RecordError } from '../../executor/errors.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { resolveParams } from '../../executor/params.ts';
import { jsonObject, type ExperimentRecord, type JsonValue } from '../../executor/record.ts';
import { newRunRecord } from '../../executor/run-record.ts';
import { CODE_VERSION } from '../../version.ts';
import { MAX_PAGE_MODEL_BYTES, MODEL_COMMIT_PREFIX, modelSha256 } from '../../worker/user-model.ts';

export const LINK_PREFIX = 'run=';
export const LINK_VERSION = 1;
/** Longest fragment accepted (characters). */
export const MAX_LINK_CHARS = 1_500_000;
/** Largest inflated payload accepted (bytes). */
export const MAX_LINK_JSON_BYTES = 2_000_000;
/** Largest input that may be embedded in a link (bytes). */
export const MAX_EMBED_BYTES = 512 * 1024;

export interface SharedExperiment {
  model: string;
  code_version: string;
  parameters: Record<string, JsonValue>;
  band_map: Record<string, string>;
  column_map: Record<string, string>;
  input_format: string;
  /** Where the input came from; null for models with no input. */
  source: { uri: string; sha256: string; name: string } | null;
  /** The output SHA-256 the original run produced. */
  expected_output_sha256: string;
  /** The input bytes, when the user chose to embed them. */
  embedded: Uint8Array | null;
  /** A model written in the page: its source, file name and SHA-256 (the record's model_commit). */
  code?: SharedCode | null;
  /** The model's extra inputs (spec.extraInputs: a demand CSV…): parameter, URI and SHA-256 each. */
  extra_inputs?: { param: string; uri: string; sha256: string }[];
  /** The run's resolved_spec (a model's specification tables, e.g. edited LUCC coefficients), when not empty. */
  resolved_spec?: Record<string, JsonValue>;
}

export interface SharedCode {
  source: string;
  file: string;
  sha256: string;
}

/** Most extra inputs a link may name. */
const MAX_EXTRA_INPUTS = 16;

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new RecordError('The link is damaged: it contains characters that base64url does not use.');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new RecordError('The link is damaged: its data is not valid base64url.');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function inflateBounded(data: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) throw new RecordError(`The link's data inflates beyond ${limit} bytes; it is refused.`);
    chunks.push(chunk);
  });
  try {
    const step = 1024;
    for (let i = 0; i < data.length; i += step) inflater.push(data.subarray(i, i + step), i + step >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof RecordError) throw e;
    throw new RecordError('The link is damaged or truncated: its data does not decompress.');
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** The fragment (without '#') for an experiment. */
export function encodeShareLink(exp: SharedExperiment): string {
  if (exp.embedded && exp.embedded.byteLength > MAX_EMBED_BYTES) {
    throw new RecordError(`Inputs above ${MAX_EMBED_BYTES} bytes cannot be embedded in a link; share the data by URL instead.`);
  }
  const payload = {
    v: LINK_VERSION,
    model: exp.model,
    code_version: exp.code_version,
    parameters: exp.parameters,
    band_map: exp.band_map,
    column_map: exp.column_map,
    input_format: exp.input_format,
    source: exp.source,
    expected_output_sha256: exp.expected_output_sha256,
    embedded: exp.embedded ? toBase64Url(exp.embedded) : null,
    ...(exp.code ? { code: exp.code } : {}),
    ...(exp.extra_inputs?.length ? { extra_inputs: exp.extra_inputs } : {}),
    ...(exp.resolved_spec && Object.keys(exp.resolved_spec).length ? { resolved_spec: exp.resolved_spec } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(payload));
  return LINK_PREFIX + toBase64Url(deflateSync(json, { level: 9 }));
}

/** The experiment behind a record and its input, ready to encode. */
export function experimentFromRecord(
  record: ExperimentRecord,
  sourceName: string,
  embedded: Uint8Array | null = null,
  code: SharedCode | null = null,
): SharedExperiment {
  return {
    model: record.model_name,
    code_version: record.code_version,
    parameters: record.parameters,
    band_map: record.band_map,
    column_map: record.column_map,
    input_format: record.input_format,
    source: record.source.uri ? { uri: record.source.uri, sha256: record.source.checksum, name: sourceName } : null,
    expected_output_sha256: record.artifacts.output ?? '',
    embedded,
    ...(code ? { code } : {}),
    ...(Object.keys(record.resolved_spec).length ? { resolved_spec: record.resolved_spec } : {}),
    // artifacts.input_<param> is the SHA-256 of the extra input whose URI is parameters[<param>] (executor.ts ExtraInput)
    extra_inputs: Object.entries(record.artifacts).flatMap(([k, sha256]) => {
      const param = k.startsWith('input_') ? k.slice(6) : '';
      const uri = record.parameters[param];
      return param && typeof uri === 'string' && uri ? [{ param, uri, sha256 }] : [];
    }),
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

function str(v: unknown, where: string, max = 4096): string {
  if (typeof v !== 'string') throw new RecordError(`The link's '${where}' must be text.`);
  if (v.length > max) throw new RecordError(`The link's '${where}' is too long (${v.length} characters; at most ${max}).`);
  return v;
}

function stringMap(v: unknown, where: string): Record<string, string> {
  const obj = jsonObject(v ?? {}, where);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj)) out[k] = str(val, `${where}.${k}`, 256);
  return out;
}

/**
 * Decode a fragment (with or without '#') against the models in `specs`. Throws
 * RecordError with a readable message for anything malformed, truncated,
 * oversized, unknown or out of range.
 */
/** The inflated payload of a link, with its two long strings (embedded input, model code) taken out. */
function readPayload(fragment: string): { raw: unknown; rawEmbedded: unknown; rawCode: unknown } {
  let f = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (f.length > MAX_LINK_CHARS) throw new RecordError(`The link is too long (${f.length} characters; at most ${MAX_LINK_CHARS}).`);
  if (!f.startsWith(LINK_PREFIX)) throw new RecordError('This is not a run link: its fragment does not start with "run=".');
  f = f.slice(LINK_PREFIX.length);
  const json = inflateBounded(fromBase64Url(f), MAX_LINK_JSON_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new RecordError('The link is damaged: its data is not valid JSON.');
  }
  // The embedded input is the one long string a link may carry (up to MAX_EMBED_BYTES as
  // base64url); every other string is held to the record limits by jsonObject.
  let rawEmbedded: unknown = null;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.prototype.hasOwnProperty.call(raw, 'embedded')) {
    const { embedded: e, ...rest } = raw as Record<string, unknown>;
    rawEmbedded = e;
    raw = rest;
  }
  let rawCode: unknown = null;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.prototype.hasOwnProperty.call(raw, 'code')) {
    const { code: c, ...rest } = raw as Record<string, unknown>;
    rawCode = c;
    raw = rest;
  }
  return { raw, rawEmbedded, rawCode };
}

/**
 * A link's model code, checked: text within the size limit and hashing to the
 * SHA-256 it records. Null for a link without code. Nothing is run.
 */
export function readLinkCode(fragment: string): SharedCode | null {
  return checkCode(readPayload(fragment).rawCode);
}

function checkCode(rawCode: unknown): SharedCode | null {
  if (rawCode === null || rawCode === undefined) return null;
  if (typeof rawCode !== 'object' || Array.isArray(rawCode)) throw new RecordError("The link's 'code' must be an object.");
  const c = rawCode as Record<string, unknown>;
  for (const k of Object.keys(c))
    if (!['source', 'file', 'sha256'].includes(k)) throw new RecordError(`The link's code has an unknown field '${k.slice(0, 40)}'.`);
  const source = str(c.source, 'code.source', MAX_PAGE_MODEL_BYTES);
  const file = str(c.file, 'code.file', 120);
  if (!/^[\w.-]+\.(?:ts|mts|js|mjs)$/.test(file)) throw new RecordError("The link's code file name must be a .ts or .js file name.");
  const sha256 = str(c.sha256, 'code.sha256', 64);
  if (!HEX64.test(sha256)) throw new RecordError("The link's model checksum is not a SHA-256.");
  const got = modelSha256(source);
  if (got !== sha256) {
    throw new RecordError(
      `The link's model code does not match its record: it hashes to ${got}, but the run recorded model_commit ${MODEL_COMMIT_PREFIX}${sha256}. ` +
        'The code was altered after the run; it is refused and nothing was run.',
    );
  }
  return { source, file, sha256 };
}

export function decodeShareLink(fragment: string, specs: readonly ExecutorSpec[]): SharedExperiment {
  const payload = readPayload(fragment);
  const { rawEmbedded } = payload;
  const code = checkCode(payload.rawCode);
  const obj = jsonObject(payload.raw, 'link');
  const allowed = [
    'v',
    'model',
    'code_version',
    'parameters',
    'band_map',
    'column_map',
    'input_format',
    'source',
    'expected_output_sha256',
    'embedded',
    'code',
    'extra_inputs',
    'resolved_spec',
  ];
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new RecordError(`The link has an unknown field '${k.slice(0, 40)}'.`);
  if (obj.v !== LINK_VERSION) {
    throw new RecordError(
      `This link has version ${(JSON.stringify(obj.v) ?? 'none').slice(0, 40)}; this workbench reads version ${LINK_VERSION} links.`,
    );
  }
  const model = str(obj.model, 'model', 100);
  const spec = findSpec(specs, model);
  if (!spec) {
    throw new RecordError(
      `The link names the model '${model.slice(0, 60)}', which this workbench does not have. Available: ${specs.map((s) => s.name).join(', ')}.`,
    );
  }
  const given = jsonObject(obj.parameters ?? {}, 'parameters');
  // Validates every known parameter against the schema (types and ranges); no seed is drawn.
  const parameters = resolveParams(spec.params, given, {
    drawSeed: () => {
      throw new RecordError('The link has no seed for this stochastic model, so its run cannot be repeated.');
    },
  }) as Record<string, JsonValue>;
  let source: SharedExperiment['source'] = null;
  if (obj.source !== null && obj.source !== undefined) {
    const s = jsonObject(obj.source, 'source');
    const sha256 = str(s.sha256 ?? '', 'source.sha256', 64);
    if (sha256 && !HEX64.test(sha256)) throw new RecordError("The link's input checksum is not a SHA-256.");
    source = { uri: str(s.uri, 'source.uri'), sha256, name: str(s.name ?? '', 'source.name', 256) };
  }
  const expected = str(obj.expected_output_sha256 ?? '', 'expected_output_sha256', 64);
  if (expected && !HEX64.test(expected)) throw new RecordError("The link's expected output checksum is not a SHA-256.");
  let embedded: Uint8Array | null = null;
  if (rawEmbedded !== null && rawEmbedded !== undefined) {
    embedded = fromBase64Url(str(rawEmbedded, 'embedded', MAX_LINK_CHARS));
    if (embedded.byteLength > MAX_EMBED_BYTES) throw new RecordError('The embedded input is larger than links may carry.');
  }
  const extraInputs: NonNullable<SharedExperiment['extra_inputs']> = [];
  if (obj.extra_inputs !== undefined) {
    const list = obj.extra_inputs;
    if (!Array.isArray(list) || list.length > MAX_EXTRA_INPUTS)
      throw new RecordError(`The link's 'extra_inputs' must be a list of at most ${MAX_EXTRA_INPUTS} inputs.`);
    const declared = (spec.extraInputs ?? []).map((e) => e.param);
    for (const item of list) {
      const e = jsonObject(item, 'extra_inputs');
      const param = str(e.param, 'extra_inputs.param', 64);
      if (!declared.includes(param))
        throw new RecordError(`The link names an input '${param.slice(0, 40)}' that ${spec.name} does not take.`);
      const sha256 = str(e.sha256, 'extra_inputs.sha256', 64);
      if (!HEX64.test(sha256)) throw new RecordError(`The link's checksum of '${param}' is not a SHA-256.`);
      const uri = str(e.uri, 'extra_inputs.uri');
      if (parameters[param] !== uri)
        throw new RecordError(`The link's '${param}' names ${uri.slice(0, 80)}, but its parameters say otherwise.`);
      extraInputs.push({ param, uri, sha256 });
    }
  }
  return {
    model,
    code_version: str(obj.code_version ?? '', 'code_version', 100),
    parameters,
    band_map: stringMap(obj.band_map, 'band_map'),
    column_map: stringMap(obj.column_map, 'column_map'),
    input_format: str(obj.input_format ?? 'auto', 'input_format', 16),
    source,
    expected_output_sha256: expected,
    embedded,
    ...(code ? { code } : {}),
    ...(extraInputs.length ? { extra_inputs: extraInputs } : {}),
    ...(obj.resolved_spec !== undefined ? { resolved_spec: jsonObject(obj.resolved_spec, 'resolved_spec') } : {}),
  };
}

/** A fresh record that re-runs a shared experiment. */
export function recordFromExperiment(exp: SharedExperiment): ExperimentRecord {
  return newRunRecord({
    model_name: exp.model,
    model_commit: exp.code ? `${MODEL_COMMIT_PREFIX}${exp.code.sha256}` : 'share-link',
    code_version: CODE_VERSION,
    parameters: exp.parameters,
    band_map: exp.band_map,
    column_map: exp.column_map,
    input_format: exp.input_format,
    source: { uri: exp.source?.uri ?? '' },
    ...(exp.resolved_spec ? { resolved_spec: exp.resolved_spec } : {}),
  });
}
