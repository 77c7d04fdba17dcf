/**
 * The parameter form's values (text as typed, booleans) → typed parameters,
 * checked with the executor's own checkParam/resolveParams so the page says
 * exactly what the worker would, next to the field at fault.
 */
import { DissError } from '../../executor/errors.ts';
import { checkParam, describeRange, resolveParams, type ParamSchema, type ParamValue } from '../../executor/params.ts';
import { drawSeed, type FormValue } from '../store.ts';

export interface FormCheck {
  params: Record<string, ParamValue>;
  errors: Record<string, string>;
  /** Seeds drawn for empty seed fields (to write back into the form). */
  drawn: Record<string, string>;
}

export function formToParams(schema: ParamSchema, form: Record<string, FormValue>): FormCheck {
  const params: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  const drawn: Record<string, string> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const raw = form[key];
    let value: unknown;
    if (spec.type === 'int' || spec.type === 'float' || spec.type === 'seed') {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '') {
        if (spec.type === 'seed') {
          const s = drawSeed();
          drawn[key] = String(s);
          value = s;
        } else {
          errors[key] = `Enter a number in ${describeRange(spec)}.`;
          continue;
        }
      } else {
        value = Number(text);
        if (!Number.isFinite(value as number)) {
          errors[key] = `'${text}' is not a number; enter one in ${describeRange(spec)}.`;
          continue;
        }
      }
    } else if (spec.type === 'bool') {
      value = raw === true;
    } else {
      value = typeof raw === 'string' ? raw : String(spec.default);
    }
    try {
      params[key] = checkParam(key, spec, value);
    } catch (e) {
      errors[key] = e instanceof DissError ? e.message : String(e);
    }
  }
  if (Object.keys(errors).length === 0) {
    try {
      Object.assign(params, resolveParams(schema, params));
    } catch (e) {
      const field = e instanceof DissError && e.field ? e.field : '_form';
      errors[field] = e instanceof Error ? e.message : String(e);
    }
  }
  return { params, errors, drawn };
}
