/**
 * The continuous LUCC model's configuration as DisSModel's executors read it
 * (DISSMODEL-SPEC §4.6, §6.4): the TOML `[model]` table (record.resolved_spec.model)
 * gives `land_use_types`, `land_use_no_data`, `complementar_lu`, `cell_area`,
 * `[model.static]`, `[model.driver_columns] cols`, `[[model.potential]]` (one per
 * land use, in `land_use_types` order) and `[[model.allocation]]` (idem).
 *
 * Deliberate fix of DisSModel's quirk (§10 item 6): DisSModel reads the four
 * scalar keys from the spec root only, while its own model.toml puts them
 * under `[model.parameters]` (the run works only because the defaults
 * coincide). Here a key is taken from the record's parameters (a `--param`
 * override), else the spec root, else `[model.parameters]`, else DisSModel's
 * default. With no `[[model.potential]]` at all, the Lab1 coefficients that
 * DisSModel's `lucc_validation` executor hard-codes are used, and a log line says so.
 */
import { ParameterError } from '../../executor/errors.ts';
import type { ExperimentRecord, JsonValue } from '../../executor/record.ts';

export interface RegressionSpec {
  const: number;
  /** Driver column → coefficient, in the TOML's order (the order of the float32 sums). */
  betas: [string, number][];
  isLog: boolean;
}

export interface AllocationSpec {
  static: number;
  minValue: number;
  maxValue: number;
  minChange: number;
  maxChange: number;
}

export interface LuccConfig {
  landUseTypes: string[];
  landUseNoData: string | null;
  complementarLu: string;
  cellArea: number;
  /** Per land use: −1 follows the demand's direction, 0 changes freely, 1 is fixed. */
  static: number[];
  drivers: string[];
  potential: RegressionSpec[];
  allocation: AllocationSpec[];
  /** Whether the Lab1 coefficients were taken because the spec gave none. */
  lab1Defaults: boolean;
}

type Table = Record<string, JsonValue>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** DisSModel's Lab1 (Acre) specification, as `lucc_benchmark_executor.py` hard-codes it and `examples/model.toml` gives it. */
export const LAB1_MODEL: Table = {
  land_use_types: ['f', 'd', 'outros'],
  land_use_no_data: 'outros',
  complementar_lu: 'f',
  cell_area: 25.0,
  driver_columns: { cols: ['assentamen', 'uc_us', 'uc_pi', 'ti', 'dist_riobr', 'fertilidad', 'rodovias'] },
  static: { f: -1, d: -1, outros: 1 },
  potential: [
    {
      lu: 'f',
      const: 0.7392,
      betas: { assentamen: -0.2193, uc_us: 0.1754, uc_pi: 0.09708, ti: 0.1207, dist_riobr: 0.0000002388, fertilidad: -0.1313 },
    },
    {
      lu: 'd',
      const: 0.267,
      betas: { rodovias: -0.0000009922, assentamen: 0.2294, uc_us: -0.09867, dist_riobr: -0.0000003216, fertilidad: 0.1281 },
    },
    { lu: 'outros', const: 0.0 },
  ],
  allocation: [
    { lu: 'f', static: -1, min_value: 0, max_value: 1, min_change: 0, max_change: 1 },
    { lu: 'd', static: -1, min_value: 0, max_value: 1, min_change: 0, max_change: 1 },
    { lu: 'outros', static: 1, min_value: 0, max_value: 1, min_change: 0, max_change: 1 },
  ],
};

/** The record's `[model]` table, or {} when the run has no TOML. */
export function modelTable(record: ExperimentRecord): Table {
  const m = record.resolved_spec.model;
  return isTable(m) ? m : {};
}

/** A key from the parameters (an override), else the spec root, else [model.parameters]. */
export function specValue(record: ExperimentRecord, key: string): JsonValue | undefined {
  const model = modelTable(record);
  const params = isTable(model.parameters) ? model.parameters : {};
  for (const source of [record.parameters, model, params]) {
    if (Object.prototype.hasOwnProperty.call(source, key) && source[key] !== null && source[key] !== '') return source[key];
  }
  return undefined;
}

function num(v: JsonValue | undefined, where: string, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ParameterError(`${where} must be a number; got ${v === undefined ? 'nothing' : JSON.stringify(v)}.`, where);
  }
  return v;
}

function names(v: JsonValue | undefined, where: string): string[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s))) {
    throw new ParameterError(`${where} must be a list of column names, e.g. ["f", "d", "outros"]; got ${JSON.stringify(v)}.`, where);
  }
  if (new Set(list).size !== list.length) throw new ParameterError(`${where} names a land use twice: ${JSON.stringify(list)}.`, where);
  return list as string[];
}

/** Rows of [[model.potential]] or [[model.allocation]]: one per land use, in order; a row's `lu`, when given, must name its land use. */
function rows(v: JsonValue | undefined, what: string, lus: readonly string[]): Table[] {
  if (!Array.isArray(v) || !v.every(isTable))
    throw new ParameterError(`[[model.${what}]] must be a list of tables, one per land use (${lus.join(', ')}).`, what);
  if (v.length !== lus.length) {
    throw new ParameterError(
      `[[model.${what}]] has ${v.length} row${v.length === 1 ? '' : 's'}; it needs one per land use, in land_use_types order (${lus.join(', ')}).`,
      what,
    );
  }
  v.forEach((row, i) => {
    if (row.lu !== undefined && row.lu !== lus[i]) {
      throw new ParameterError(
        `[[model.${what}]] row ${i + 1} is for '${String(row.lu)}', but land_use_types puts '${lus[i]}' there; give the rows in land_use_types order (${lus.join(', ')}).`,
        what,
      );
    }
  });
  return v as Table[];
}

/** The configuration of a run (see the module comment); ParameterError naming the key at fault. */
export function luccConfig(record: ExperimentRecord): LuccConfig {
  const own = modelTable(record);
  const lab1Defaults = own.potential === undefined;
  const model: Table = lab1Defaults ? { ...LAB1_MODEL, ...own } : own;
  const get = (key: string): JsonValue | undefined => specValue(record, key) ?? (lab1Defaults ? LAB1_MODEL[key] : undefined);
  const landUseTypes = names(get('land_use_types'), 'land_use_types') ?? ['f', 'd', 'outros'];
  const nd = get('land_use_no_data') ?? 'outros';
  const landUseNoData = nd === false || nd === 'none' ? null : String(nd);
  if (landUseNoData !== null && !landUseTypes.includes(landUseNoData)) {
    throw new ParameterError(
      `land_use_no_data '${landUseNoData}' is not one of land_use_types (${landUseTypes.join(', ')}).`,
      'land_use_no_data',
    );
  }
  const complementarLu = String(get('complementar_lu') ?? landUseTypes[0]);
  if (!landUseTypes.includes(complementarLu)) {
    throw new ParameterError(
      `complementar_lu '${complementarLu}' is not one of land_use_types (${landUseTypes.join(', ')}).`,
      'complementar_lu',
    );
  }
  const cellArea = num(get('cell_area'), 'cell_area', 25.0);
  if (!(cellArea > 0)) throw new ParameterError(`cell_area must be positive; got ${cellArea}.`, 'cell_area');
  const dc = model.driver_columns;
  const drivers = names(isTable(dc) ? dc.cols : dc, '[model.driver_columns] cols') ?? [];
  const potential = rows(model.potential, 'potential', landUseTypes).map((p, i): RegressionSpec => {
    const betas = p.betas ?? {};
    if (!isTable(betas))
      throw new ParameterError(`[[model.potential]] row ${i + 1}: betas must be a table of driver = coefficient.`, 'potential');
    return {
      const: num(p.const, `[[model.potential]] row ${i + 1} const`),
      betas: Object.entries(betas).map(([k, b]) => [k, num(b, `[[model.potential]] row ${i + 1} betas.${k}`)]),
      isLog: p.is_log === true,
    };
  });
  const allocation = rows(model.allocation, 'allocation', landUseTypes).map((a, i): AllocationSpec => ({
    static: num(a.static, `[[model.allocation]] row ${i + 1} static`, -1),
    minValue: num(a.min_value, `[[model.allocation]] row ${i + 1} min_value`, 0),
    maxValue: num(a.max_value, `[[model.allocation]] row ${i + 1} max_value`, 1),
    minChange: num(a.min_change, `[[model.allocation]] row ${i + 1} min_change`, 0),
    maxChange: num(a.max_change, `[[model.allocation]] row ${i + 1} max_change`, 1),
  }));
  const st = model.static;
  const staticFlags = landUseTypes.map((lu, i) => {
    const v = isTable(st) ? st[lu] : undefined;
    const s = v === undefined ? allocation[i].static : num(v, `[model.static] ${lu}`);
    if (s !== -1 && s !== 0 && s !== 1) throw new ParameterError(`[model.static] ${lu} must be -1, 0 or 1; got ${s}.`, 'static');
    return s;
  });
  const known = new Set([...landUseTypes, ...drivers]);
  potential.forEach((p, i) => {
    for (const [k] of p.betas) {
      if (!known.has(k)) drivers.push(k); // a coefficient's column is a driver even if [model.driver_columns] forgot it
      known.add(k);
    }
    void i;
  });
  return { landUseTypes, landUseNoData, complementarLu, cellArea, static: staticFlags, drivers, potential, allocation, lab1Defaults };
}
