/**
 * ExecutorRegistry: executors register themselves by name when their class is defined.
 *
 * An executor can also be registered before its module is imported (`defer`): its spec and
 * a loader. `list`, `has` and `specs` answer from the spec alone, so a catalogue can be shown
 * without importing any model; `load(name)` imports the module, whose class then registers
 * itself in the deferred entry's place (keeping its position in the order).
 */
import { notRegisteredError } from './catalogue.ts';
import { RegistryError } from './errors.ts';
import type { ExecutorClass, ExecutorSpec } from './executor.ts';

interface Entry {
  cls?: ExecutorClass;
  spec: ExecutorSpec;
  /** Imports the module that registers the class (deferred entries only). */
  load?: () => Promise<unknown>;
}

const entries = new Map<string, Entry>();

function loaded(name: string, entry: Entry): ExecutorClass {
  if (entry.cls) return entry.cls;
  throw new RegistryError(
    `Executor '${name}' is in the catalogue but its module is not loaded yet: await ExecutorRegistry.load('${name}') first.`,
  );
}

export const ExecutorRegistry = {
  register(cls: ExecutorClass): void {
    const name = cls.spec?.name;
    if (typeof name !== 'string' || !name) throw new RegistryError('An executor must declare spec.name before registering.');
    const entry = entries.get(name);
    // A deferred entry is taken by its own class (the same spec, as the catalogue was built from it), by no other.
    const clash = entry && (entry.cls ? entry.cls !== cls : JSON.stringify(entry.spec) !== JSON.stringify(cls.spec));
    if (clash) {
      throw new RegistryError(
        `An executor named '${name}' is already registered; choose another name. Registered: ${[...entries.keys()].join(', ')}.`,
      );
    }
    entries.set(name, { cls, spec: cls.spec });
  },

  /** Registers `spec.name` without importing it: `load` imports the module whose class registers under that name. */
  defer(spec: ExecutorSpec, load: () => Promise<unknown>): void {
    const name = spec?.name;
    if (typeof name !== 'string' || !name) throw new RegistryError('A deferred executor must have spec.name.');
    if (entries.has(name)) {
      throw new RegistryError(
        `An executor named '${name}' is already registered; choose another name. Registered: ${[...entries.keys()].join(', ')}.`,
      );
    }
    entries.set(name, { spec, load });
  },

  /** The class called `name`; a deferred one must have been loaded (see `load`). */
  get(name: string): ExecutorClass {
    const entry = entries.get(name);
    if (!entry) throw notRegisteredError(name, [...entries.keys()]);
    return loaded(name, entry);
  },

  /** The class called `name`, importing its module first if it was deferred. */
  async load(name: string): Promise<ExecutorClass> {
    const entry = entries.get(name);
    if (!entry) throw notRegisteredError(name, [...entries.keys()]);
    if (!entry.cls && entry.load) await entry.load();
    return loaded(name, entries.get(name) ?? entry);
  },

  /** Imports every deferred module, in catalogue order. */
  async loadAll(): Promise<void> {
    for (const name of [...entries.keys()]) await ExecutorRegistry.load(name);
  },

  has(name: string): boolean {
    return entries.has(name);
  },

  /** Whether `name` is registered with its class (not only deferred). */
  isLoaded(name: string): boolean {
    return !!entries.get(name)?.cls;
  },

  /** Names in registration order. */
  list(): string[] {
    return [...entries.keys()];
  },

  specs(): ExecutorSpec[] {
    return [...entries.values()].map((e) => e.spec);
  },
};
