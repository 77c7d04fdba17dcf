/**
 * The discrete-event scheduler with DisSModel 0.6.x semantics:
 * end_time inclusive; each tick runs every due model in registration order as
 * preExecute → execute → postExecute; the next tick is the smallest pending
 * `now + step` among models still inside both windows.
 */

export interface ModelOptions {
  step?: number;
  startTime?: number;
  endTime?: number;
  name?: string;
}

export class Model {
  readonly env: Environment;
  readonly name: string;
  /** The scheduling period (may be changed by model code, as in DisSModel). */
  step: number;
  startTime: number;
  endTime: number;
  /** Next tick at which this model is due. */
  nextTime: number;

  constructor(env: Environment, options: ModelOptions = {}) {
    this.env = env;
    this.name = options.name ?? '';
    this.step = options.step ?? 1;
    this.startTime = options.startTime ?? 0;
    this.endTime = options.endTime ?? Infinity;
    this.nextTime = this.startTime;
    env.register(this);
  }

  preExecute(): void {}
  execute(): void {}
  postExecute(): void {}
}

export interface EnvironmentOptions {
  startTime?: number;
  endTime?: number | null;
}

export interface RunHooks {
  /** Called after every tick with the tick's time; may be async (a host yields here to stay responsive). */
  afterTick?: (now: number) => void | Promise<void>;
}

export class Environment {
  startTime: number;
  endTime: number | null;
  private current: number;
  private readonly models: Model[] = [];

  constructor(options: EnvironmentOptions = {}) {
    this.startTime = options.startTime ?? 0;
    this.endTime = options.endTime ?? null;
    this.current = this.startTime;
  }

  now(): number {
    return this.current;
  }

  register(model: Model): void {
    this.models.push(model);
  }

  reset(): void {
    this.current = this.startTime;
  }

  /** How many ticks a run will visit if every model has step 1 from the start: end - start + 1. */
  stepCount(): number {
    return this.endTime === null ? 0 : Math.max(0, Math.floor(this.endTime - this.startTime) + 1);
  }

  /** The line DisSModel prints when a run starts. */
  banner(): string {
    const end = this.endTime ?? this.startTime;
    return `Running from ${this.startTime} to ${end} (duration: ${end - this.startTime})`;
  }

  async run(till?: number, hooks: RunHooks = {}): Promise<void> {
    this.reset();
    if (till !== undefined) this.endTime = this.startTime + till;
    else if (this.endTime === null) throw new Error("Provide 'till' or set 'endTime' before calling run().");
    const end = this.endTime;
    for (const m of this.models) m.nextTime = m.startTime;
    let now = this.startTime;
    while (now <= end) {
      this.current = now;
      for (const m of this.models) {
        if (m.nextTime <= now && now <= m.endTime) {
          m.preExecute();
          m.execute();
          m.postExecute();
          m.nextTime = now + m.step;
        }
      }
      if (hooks.afterTick) await hooks.afterTick(now);
      let next = Infinity;
      for (const m of this.models) {
        if (m.nextTime <= end && m.nextTime <= m.endTime && m.nextTime < next) next = m.nextTime;
      }
      if (next === Infinity) break;
      now = next;
    }
  }
}
