/**
 * Typed, user-facing errors. Every failure a person can cause (bad input, bad
 * parameters, a record or link that does not parse) is one of these, with a
 * message that says what was wrong and what to do about it.
 */
export type ErrorCode = 'record' | 'parameter' | 'input' | 'format' | 'limit' | 'registry' | 'network' | 'cancelled' | 'output' | 'model';

export class DissError extends Error {
  readonly code: ErrorCode;
  /** Optional machine-readable detail, e.g. the field or parameter at fault. */
  readonly field?: string;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'DissError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

/** A record (file, link, worker message) does not have the expected shape. */
export class RecordError extends DissError {
  constructor(message: string, field?: string) {
    super('record', message, field);
    this.name = 'RecordError';
  }
}

/** A model parameter is missing, of the wrong type or out of range. */
export class ParameterError extends DissError {
  constructor(message: string, field?: string) {
    super('parameter', message, field);
    this.name = 'ParameterError';
  }
}

/** The input dataset cannot be used by this model (missing band/column, bad values). */
export class InputError extends DissError {
  constructor(message: string, field?: string) {
    super('input', message, field);
    this.name = 'InputError';
  }
}

/** The bytes are not a readable file of the expected format. */
export class FormatError extends DissError {
  constructor(message: string) {
    super('format', message);
    this.name = 'FormatError';
  }
}

/** A documented size limit would be exceeded; refused before allocating. */
export class LimitError extends DissError {
  constructor(message: string) {
    super('limit', message);
    this.name = 'LimitError';
  }
}

export class RegistryError extends DissError {
  constructor(message: string) {
    super('registry', message);
    this.name = 'RegistryError';
  }
}

export class NetworkError extends DissError {
  constructor(message: string) {
    super('network', message);
    this.name = 'NetworkError';
  }
}

export class CancelledError extends DissError {
  constructor(message = 'The run was cancelled.') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

/** One line, for a CLI exit message or a log entry. */
export function describeError(err: unknown): string {
  if (err instanceof DissError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
