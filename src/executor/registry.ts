/** ExecutorRegistry: executors register themselves by name when their class is defined. */
import { notRegisteredError } from './catalogue.ts';
import { RegistryError } from './errors.ts';
import type { ExecutorClass, ExecutorSpec } from './executor.ts';

const executors = new Map<string, ExecutorClass>();

export const ExecutorRegistry = {
  register(cls: ExecutorClass): void {
    const name = cls.spec?.name;
    if (typeof name !== 'string' || !name) throw new RegistryError('An executor must declare spec.name before registering.');
    if (executors.has(name) && executors.get(name) !== cls) {
      throw new RegistryError(
        `An executor named '${name}' is already registered; choose another name. Registered: ${[...executors.keys()].join(', ')}.`,
      );
    }
    executors.set(name, cls);
  },

  get(name: string): ExecutorClass {
    const cls = executors.get(name);
    if (!cls) throw notRegisteredError(name, [...executors.keys()]);
    return cls;
  },

  has(name: string): boolean {
    return executors.has(name);
  },

  /** Names in registration order. */
  list(): string[] {
    return [...executors.keys()];
  },

  specs(): ExecutorSpec[] {
    return [...executors.values()].map((c) => c.spec);
  },
};
