/**
 * Executors looked up by name in a list of specs. The registry holds classes where
 * the models are loaded (the worker, the CLI); the page holds only the specs the
 * worker lists, and asks the same questions of them here, with the same answers.
 */
import { RegistryError } from './errors.ts';
import type { ExecutorSpec } from './executor.ts';

/** The refusal for a name that is not in the catalogue (the registry says the same). */
export function notRegisteredError(name: string, available: readonly string[]): RegistryError {
  return new RegistryError(`Executor '${name}' is not registered. Available: ${available.length ? available.join(', ') : 'none'}.`);
}

/** The spec called `name`, or undefined. */
export function findSpec(specs: readonly ExecutorSpec[], name: string): ExecutorSpec | undefined {
  return specs.find((s) => s.name === name);
}

/** The spec called `name`; a RegistryError listing the available ones when there is none. */
export function specNamed(specs: readonly ExecutorSpec[], name: string): ExecutorSpec {
  const spec = findSpec(specs, name);
  if (!spec)
    throw notRegisteredError(
      name,
      specs.map((s) => s.name),
    );
  return spec;
}
