/**
 * Demand: the area of each land use at each step, from a CSV (DisSLUCC's
 * `load_demand_csv` and `DemandPreComputedValues`, DISSMODEL-SPEC §6.4). The
 * header names the land uses (any order, other columns ignored), one row per
 * step, row index = the step (`int(env.now())`, row 0 = the initial year).
 */
import { InputError } from '../../executor/errors.ts';
import { Model, type Environment } from '../../sim/scheduler.ts';

/** [step][land use] in `landUseTypes` order. */
export type DemandTable = number[][];

const MAX_DEMAND_ROWS = 100_000;

/** Parse demand CSV text; InputError naming the missing columns or the bad cell. */
export function parseDemandCsv(text: string, landUseTypes: readonly string[], name = 'the demand CSV'): DemandTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0)
    throw new InputError(
      `${name} is empty; it needs a header naming the land uses (${landUseTypes.join(',')}) and one row per step.`,
      'demand_csv',
    );
  if (lines.length - 1 > MAX_DEMAND_ROWS)
    throw new InputError(`${name} has ${lines.length - 1} rows; at most ${MAX_DEMAND_ROWS} steps are accepted.`, 'demand_csv');
  const header = lines[0].split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const missing = landUseTypes.filter((lu) => !header.includes(lu));
  if (missing.length > 0) {
    throw new InputError(
      `Columns missing from ${name}: ${missing.map((m) => `'${m}'`).join(', ')}. Available columns: ${header.map((h) => `'${h}'`).join(', ')}.`,
      'demand_csv',
    );
  }
  const at = landUseTypes.map((lu) => header.indexOf(lu));
  return lines.slice(1).map((line, r) => {
    const cells = line.split(',');
    return at.map((c, i) => {
      const raw = (cells[c] ?? '').trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) {
        throw new InputError(
          `${name}, row ${r} (line ${r + 2}), column '${landUseTypes[i]}': ${JSON.stringify(raw)} is not a number.`,
          'demand_csv',
        );
      }
      return v;
    });
  });
}

/** The demand rows must cover every step the run executes (row t for step t). */
export function checkDemandCovers(demand: DemandTable, start: number, end: number, name = 'the demand CSV'): void {
  if (demand.length === 0)
    throw new InputError(`${name} has a header but no rows; it needs one row per step (row 0 = the initial year).`, 'demand_csv');
  if (end >= demand.length) {
    throw new InputError(
      `${name} has ${demand.length} row${demand.length === 1 ? '' : 's'} (steps 0…${demand.length - 1}), but the run executes steps ${start}…${end}: ` +
        `no demand for step ${demand.length}${end > demand.length ? `…${end}` : ''}. Add the rows or lower n_steps.`,
      'demand_csv',
    );
  }
}

export const STATIC = 0;
export const INCREASING = 1;
export const DECREASING = -1;

/** DemandPreComputedValues: at each step, the current and previous rows and each land use's direction. */
export class Demand extends Model {
  current: number[];
  previous: number[];
  direction: number[];

  constructor(
    env: Environment,
    readonly table: DemandTable,
  ) {
    super(env);
    this.current = table[0];
    this.previous = table[0];
    this.direction = table[0].map(() => STATIC);
  }

  override execute(): void {
    const step = Math.trunc(this.env.now());
    this.current = this.table[step];
    this.previous = step > 0 ? this.table[step - 1] : this.table[0];
    for (let i = 0; i < this.current.length; i++) {
      const prev = this.previous[i];
      const curr = this.current[i];
      this.direction[i] = step === 0 || prev === curr ? STATIC : prev < curr ? INCREASING : DECREASING;
    }
  }

  changeDirection(i: number): number {
    this.direction[i] *= -1;
    return this.direction[i];
  }
}
