/**
 * ModelExecutor: DisSModel's four-phase contract. A subclass declares a static
 * `spec` and registers itself with a static block:
 *
 *   class MyExecutor extends ModelExecutor<Data, Result> {
 *     static readonly spec: ExecutorSpec = { name: 'my_model', … };
 *     static { ExecutorRegistry.register(this); }
 *     …
 *   }
 */
import type { RunContext } from './context.ts';
import { InputError, ParameterError } from './errors.ts';
import { resolveParams, unknownParams, type ParamSchema, type ParamsOf, type ResolvedParams } from './params.ts';
import type { ExperimentRecord, JsonValue } from './record.ts';

export type InputKind = 'raster' | 'vector' | 'none';
export type OutputKind = 'raster' | 'vector' | 'table';

/** A band or column the model reads or writes under a canonical name. */
export interface CanonicalField {
  name: string;
  description: string;
  /** Required on input (default true). */
  required?: boolean;
  /** For rasters with unnamed bands: the 1-based band taken when no band has this name. */
  position?: number;
  /** Categorical codes for display (value → label), e.g. land-use classes. */
  categories?: Record<number, string>;
  /** Display colours of the categories (value → CSS colour), e.g. DisSModel's land-use palette. */
  colors?: Record<number, string>;
  unit?: string;
}

/**
 * A second input beside the dataset (DisSLUCC's demand CSV, a reference map to
 * validate against): its URI is the parameter `param` (a string parameter of
 * the spec, as DisSModel passes `demand_csv`), and the kit's load reads it
 * through the host, records its SHA-256 as `artifacts["input_<param>"]` and
 * hands the bytes to the run; `reproduce` verifies them like the main input.
 */
export interface ExtraInput {
  /** Name the run asks for (`sim.input(name)`), e.g. 'demand'. */
  name: string;
  /** The string parameter that holds its URI, e.g. 'demand_csv'. */
  param: string;
  title: string;
  description: string;
  /** File extensions accepted (the page's drop zone), without dots. */
  extensions: readonly string[];
  /** A run without it is refused in validate (default true). */
  required?: boolean;
  /** The bundled file (e.g. 'sample:examples_demand_lab1.csv') that goes with the spec's `sample`, for the harness and the page. */
  sample?: string;
}

/** The artefact key of an extra input's SHA-256 in the record. */
export const extraInputArtifact = (input: Pick<ExtraInput, 'param'>): string => `input_${input.param}`;

/**
 * What an executor declares. `P` is its parameter schema; declared with
 * {@link defineSpec} it keeps its literal types, so `ParamsOf<P>` types the
 * resolved parameters. `ExecutorSpec` (no argument) is any spec.
 */
export interface ExecutorSpec<P extends ParamSchema = ParamSchema> {
  /** Registry key: lowercase snake_case, no whitespace. */
  name: string;
  title: string;
  description: string;
  /** Model family for grouping in the UI (e.g. "Cellular automata"). */
  family: string;
  /** Input kinds this executor accepts. ['none'] = no input dataset. */
  inputs: readonly InputKind[];
  /** Canonical raster bands (read via band_map). */
  bands?: readonly CanonicalField[];
  /** Canonical vector columns (read via column_map). */
  columns?: readonly CanonicalField[];
  params: P;
  output: { kind: OutputKind; extension: string; mediaType: string };
  /** A bundled sample (public/samples/…) the harness and the UI can run it on. */
  sample?: string;
  /** Whether runs depend on a `seed` parameter. */
  stochastic?: boolean;
  /** Name of the layer the map shows by default. */
  displayLayer?: string;
  /**
   * The values DisSModel's own executor uses for parameters its record leaves out (its
   * `params.get(name, default)`), where they differ from this spec's defaults. `reproduce`
   * applies them to a record DisSModel wrote (see reproduce.ts `dissmodelDefaultsFor`).
   */
  dissmodelDefaults?: Readonly<Record<string, number | boolean | string>>;
  /** Inputs besides the dataset (see {@link ExtraInput}). */
  extraInputs?: readonly ExtraInput[];
  /**
   * The model's default `[model]` specification (DisSModel's TOML tables, e.g. `[[model.potential]]`),
   * used when a record has none; the page edits its lists of tables and sends them as `resolved_spec.model`.
   */
  defaultModel?: Readonly<Record<string, JsonValue>>;
}

/** Declares a spec keeping the literal types of its parameters (see {@link ParamsOf}); returns it unchanged. */
export function defineSpec<const P extends ParamSchema>(spec: ExecutorSpec<P>): ExecutorSpec<P> {
  return spec;
}

export interface ExecutorClass {
  readonly spec: ExecutorSpec;
  new (): ModelExecutor;
}

export abstract class ModelExecutor<Data = unknown, Result = unknown, P extends ParamSchema = ParamSchema> {
  get spec(): ExecutorSpec<P> {
    return (this.constructor as unknown as ExecutorClass).spec as ExecutorSpec<P>;
  }

  /**
   * Check the record before any I/O. The default resolves parameters against the
   * schema (writing defaults and any drawn seed back into `record.parameters`,
   * so the record replays) and checks that map keys are canonical names.
   */
  validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void | Promise<void> {
    void ctx;
    record.parameters = resolveParams(this.spec.params, record.parameters, drawSeed ? { drawSeed } : {});
    const unknown = unknownParams(this.spec.params, record.parameters);
    if (unknown.length > 0) {
      record.logs.push(`Ignored parameters not used by ${this.spec.name}: ${unknown.join(', ')}`);
    }
    const { start_time, end_time } = record.parameters;
    if (typeof start_time === 'number' && typeof end_time === 'number' && end_time < start_time) {
      throw new ParameterError(`end_time (${end_time}) must not be before start_time (${start_time}).`, 'end_time');
    }
    checkMapKeys('band_map', record.band_map, this.spec.bands);
    checkMapKeys('column_map', record.column_map, this.spec.columns);
    for (const extra of this.spec.extraInputs ?? []) {
      const uri = record.parameters[extra.param];
      if ((extra.required ?? true) && (typeof uri !== 'string' || uri === '')) {
        throw new ParameterError(
          `${this.spec.title} needs ${extra.title} (${extra.description}): give its file or URI as the parameter '${extra.param}' ` +
            `(CLI: --param ${extra.param}=FILE, or ${extra.param} = "…" under [model.parameters]).`,
          extra.param,
        );
      }
    }
    if (!this.spec.inputs.includes('none') && !record.source.uri) {
      throw new InputError(`${this.spec.title} needs an input dataset (${this.spec.inputs.join(' or ')}); none was given.`);
    }
  }

  /** I/O: read the input, set `record.source.checksum`, return the data. */
  abstract load(record: ExperimentRecord, ctx: RunContext): Data | Promise<Data>;
  /** The simulation: no I/O. */
  abstract run(data: Data, record: ExperimentRecord, ctx: RunContext): Result | Promise<Result>;
  /** Write the output; set `output_path`, `artifacts.output` and status "completed". */
  abstract save(result: Result, record: ExperimentRecord, ctx: RunContext): ExperimentRecord | Promise<ExperimentRecord>;

  /** Parameters as resolved by validate(), typed by the spec's schema (`P`). */
  params(record: ExperimentRecord): ParamsOf<P> & ResolvedParams {
    return record.parameters as ParamsOf<P> & ResolvedParams;
  }
}

function checkMapKeys(which: string, map: Record<string, string>, fields: readonly CanonicalField[] | undefined): void {
  const allowed = (fields ?? []).map((f) => f.name);
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) {
      throw new ParameterError(
        `${which} names '${key}', which is not a canonical name of this model. ` +
          (allowed.length ? `Canonical names: ${allowed.join(', ')}.` : `This model has none.`),
        which,
      );
    }
  }
}
