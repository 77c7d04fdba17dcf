/**
 * Parameter schemas. Each executor declares its parameters once; the CLI's
 * `show`, the workbench's form and `validate` are all generated from it.
 */
import { ParameterError } from './errors.ts';

interface ParamBase {
  /** Short label for forms; defaults to the key. */
  label?: string;
  description: string;
  unit?: string;
}

export interface IntParam extends ParamBase {
  type: 'int';
  default: number;
  min?: number;
  max?: number;
}

export interface FloatParam extends ParamBase {
  type: 'float';
  default: number;
  min?: number;
  max?: number;
  /** Suggested UI step. */
  step?: number;
}

export interface BoolParam extends ParamBase {
  type: 'bool';
  default: boolean;
}

export interface EnumParam extends ParamBase {
  type: 'enum';
  default: string;
  options: readonly string[];
}

export interface StringParam extends ParamBase {
  type: 'string';
  default: string;
  maxLength?: number;
}

/** A PRNG seed: an integer in [0, 2^32 - 1]; drawn and recorded when not given. */
export interface SeedParam extends ParamBase {
  type: 'seed';
}

export type ParamSpec = IntParam | FloatParam | BoolParam | EnumParam | StringParam | SeedParam;
export type ParamSchema = Readonly<Record<string, ParamSpec>>;
export type ParamValue = number | boolean | string;
export type ResolvedParams = Record<string, ParamValue>;

/** The TypeScript type of one resolved parameter: numbers for int/float/seed, the options of an enum. */
export type ParamValueOf<S extends ParamSpec> = S extends { type: 'bool' }
  ? boolean
  : S extends { type: 'enum'; options: readonly (infer O)[] }
    ? O
    : S extends { type: 'string' }
      ? string
      : number;

/**
 * The resolved parameters of a schema, typed from its declaration: a model
 * declares its parameters once (`defineParams({...})`) and reads them with
 * this type — no separate interface, no casts.
 */
export type ParamsOf<S extends ParamSchema> = { -readonly [K in keyof S]: ParamValueOf<S[K]> };

/**
 * Declares a parameter schema keeping its literal types (enum options,
 * which keys exist), so {@link ParamsOf} can derive the resolved types.
 * Returns the schema unchanged.
 */
export function defineParams<const S extends ParamSchema>(schema: S): S {
  return schema;
}

export const MAX_SEED = 4294967295;
const DEFAULT_MAX_STRING = 1000;

export function describeRange(spec: ParamSpec): string {
  if (spec.type === 'int' || spec.type === 'float') {
    const lo = spec.min ?? '-∞';
    const hi = spec.max ?? '∞';
    return `[${lo}, ${hi}]${spec.unit ? ' ' + spec.unit : ''}`;
  }
  if (spec.type === 'seed') return `[0, ${MAX_SEED}]`;
  if (spec.type === 'enum') return spec.options.join(' | ');
  if (spec.type === 'bool') return 'true | false';
  return `text up to ${spec.maxLength ?? DEFAULT_MAX_STRING} characters`;
}

/** Check one value against its spec; returns the normalised value or throws ParameterError. */
export function checkParam(key: string, spec: ParamSpec, value: unknown): ParamValue {
  const where = `parameter '${key}'`;
  switch (spec.type) {
    case 'int':
    case 'float':
    case 'seed': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ParameterError(`${where} must be a finite number in ${describeRange(spec)}; got ${preview(value)}.`, key);
      }
      if ((spec.type === 'int' || spec.type === 'seed') && !Number.isInteger(value)) {
        throw new ParameterError(`${where} must be a whole number in ${describeRange(spec)}; got ${value}.`, key);
      }
      const min = spec.type === 'seed' ? 0 : spec.min;
      const max = spec.type === 'seed' ? MAX_SEED : spec.max;
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        throw new ParameterError(`${where} = ${value} is out of range ${describeRange(spec)}.`, key);
      }
      return value;
    }
    case 'bool':
      if (typeof value !== 'boolean') {
        throw new ParameterError(`${where} must be true or false; got ${preview(value)}.`, key);
      }
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.options.includes(value)) {
        throw new ParameterError(`${where} must be one of ${spec.options.join(', ')}; got ${preview(value)}.`, key);
      }
      return value;
    case 'string': {
      const maxLength = spec.maxLength ?? DEFAULT_MAX_STRING;
      if (typeof value !== 'string') {
        throw new ParameterError(`${where} must be text; got ${preview(value)}.`, key);
      }
      if (value.length > maxLength) {
        throw new ParameterError(`${where} is ${value.length} characters long; at most ${maxLength} are allowed.`, key);
      }
      return value;
    }
  }
}

export interface ResolveOptions {
  /** Draws a seed for a `seed` parameter the caller left out. */
  drawSeed?: () => number;
}

/**
 * Merge given parameters over the schema defaults and check every known one.
 * Keys the schema does not know are kept as they are (a DisSModel record can
 * carry settings such as `crs` or `interactive` that this port ignores) so that
 * a record round-trips; {@link unknownParams} lists them for a warning.
 * Known keys come first, in schema order, so the output is deterministic.
 */
export function resolveParams(schema: ParamSchema, given: Readonly<Record<string, unknown>>, options: ResolveOptions = {}): ResolvedParams {
  const out: ResolvedParams = {};
  for (const [key, spec] of Object.entries(schema)) {
    const has = Object.prototype.hasOwnProperty.call(given, key) && given[key] !== null && given[key] !== undefined;
    if (has) {
      out[key] = checkParam(key, spec, given[key]);
    } else if (spec.type === 'seed') {
      if (!options.drawSeed) {
        throw new ParameterError(`parameter '${key}' (a seed) is required.`, key);
      }
      out[key] = checkParam(key, spec, options.drawSeed());
    } else {
      out[key] = spec.default;
    }
  }
  for (const [key, value] of Object.entries(given)) {
    if (Object.prototype.hasOwnProperty.call(schema, key)) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

export function unknownParams(schema: ParamSchema, given: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(given).filter((k) => !Object.prototype.hasOwnProperty.call(schema, k));
}

/** Problems with a schema itself (used by the contract harness). */
export function schemaProblems(schema: ParamSchema): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    if (!/^[a-z][a-z0-9_]*$/.test(key)) problems.push(`parameter name '${key}' must be snake_case`);
    if (!spec.description || !spec.description.trim()) problems.push(`parameter '${key}' has no description`);
    if (spec.type === 'int' || spec.type === 'float') {
      if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
        problems.push(`parameter '${key}' has min > max`);
      }
    }
    if (spec.type === 'enum' && spec.options.length === 0) problems.push(`parameter '${key}' has no options`);
    if (spec.type !== 'seed') {
      try {
        checkParam(key, spec, spec.default);
      } catch (e) {
        problems.push(`default of '${key}' is invalid: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/**
 * Parse a `KEY=VALUE` override as DisSModel's CLI does: int, then float
 * (so `nan`, `inf`, `1e3` are floats), then true/false, else the string.
 */
export function parseScalar(raw: string): ParamValue {
  const t = raw.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const n = Number(t);
    if (Number.isSafeInteger(n)) return n;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) {
    return t.toLowerCase().includes('nan') ? Number.NaN : t.startsWith('-') ? -Infinity : Infinity;
  }
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  return raw;
}

/** Split `KEY=VALUE` at the first `=`. */
export function splitAssignment(arg: string, what = 'parameter'): [string, string] {
  const eq = arg.indexOf('=');
  if (eq <= 0) {
    throw new ParameterError(`${what} '${arg}' must look like KEY=VALUE.`);
  }
  return [arg.slice(0, eq).trim(), arg.slice(eq + 1)];
}

function preview(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}
