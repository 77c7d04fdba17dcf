/**
 * Deferred registration: a catalogue can name executors by their specs before their modules
 * are imported (the compiled CLI's `dissmodel list`), and importing a module then puts its
 * class in the deferred entry's place.
 */
import { describe, expect, it, vi } from 'vitest';
import { RegistryError } from './errors.ts';
import { ModelExecutor, type ExecutorSpec } from './executor.ts';
import { ExecutorRegistry } from './registry.ts';

const specOf = (name: string, title = 'Deferred'): ExecutorSpec => ({
  name,
  title,
  description: 'an executor registered before its module is imported',
  family: 'test',
  inputs: ['none'],
  params: { steps: { type: 'int', default: 3, min: 1, max: 10, description: 'steps' } },
  output: { kind: 'table', extension: 'csv', mediaType: 'text/csv' },
});

/** The class a deferred "module" defines; importing the module (calling `load`) registers it. */
function moduleOf(spec: ExecutorSpec) {
  class Deferred extends ModelExecutor<number, number> {
    static readonly spec = spec;
    load(): number {
      return 1;
    }
    async run(n: number): Promise<number> {
      return n;
    }
    async save(): Promise<never> {
      throw new Error('not saved in this test');
    }
  }
  let imports = 0;
  const load = async () => {
    imports++;
    ExecutorRegistry.register(Deferred);
  };
  return { Deferred, load, imports: () => imports };
}

describe('ExecutorRegistry.defer', () => {
  it('lists a deferred executor from its spec, in order, without importing it', () => {
    const first = moduleOf(specOf('deferred_first'));
    const second = moduleOf(specOf('deferred_second'));
    ExecutorRegistry.defer(specOf('deferred_first'), first.load);
    ExecutorRegistry.defer(specOf('deferred_second'), second.load);
    const names = ExecutorRegistry.list();
    expect(names.indexOf('deferred_first')).toBeLessThan(names.indexOf('deferred_second'));
    expect(ExecutorRegistry.has('deferred_first')).toBe(true);
    expect(ExecutorRegistry.isLoaded('deferred_first')).toBe(false);
    expect(ExecutorRegistry.specs().find((s) => s.name === 'deferred_second')?.title).toBe('Deferred');
    expect(first.imports() + second.imports()).toBe(0);
  });

  it('refuses get() before load, naming the call that loads it; load imports once and keeps the position', async () => {
    const m = moduleOf(specOf('deferred_lazy'));
    ExecutorRegistry.defer(specOf('deferred_lazy'), m.load);
    ExecutorRegistry.defer(specOf('deferred_after'), async () => undefined);
    expect(() => ExecutorRegistry.get('deferred_lazy')).toThrow(RegistryError);
    expect(() => ExecutorRegistry.get('deferred_lazy')).toThrow("await ExecutorRegistry.load('deferred_lazy')");
    expect(await ExecutorRegistry.load('deferred_lazy')).toBe(m.Deferred);
    expect(await ExecutorRegistry.load('deferred_lazy')).toBe(m.Deferred);
    expect(m.imports()).toBe(1);
    expect(ExecutorRegistry.get('deferred_lazy')).toBe(m.Deferred);
    const names = ExecutorRegistry.list();
    expect(names.indexOf('deferred_lazy')).toBe(names.indexOf('deferred_after') - 1);
  });

  it('a module that does not register the class it was deferred for is an error, not a silent undefined', async () => {
    ExecutorRegistry.defer(specOf('deferred_missing'), async () => undefined);
    await expect(ExecutorRegistry.load('deferred_missing')).rejects.toThrow('is in the catalogue but its module is not loaded');
  });

  it('another class under a deferred name is refused, as under a registered one; a second deferral too', () => {
    ExecutorRegistry.defer(specOf('deferred_taken'), async () => undefined);
    const impostor = moduleOf(specOf('deferred_taken', 'Another model'));
    expect(() => ExecutorRegistry.register(impostor.Deferred)).toThrow("An executor named 'deferred_taken' is already registered");
    expect(() => ExecutorRegistry.defer(specOf('deferred_taken'), async () => undefined)).toThrow('already registered');
  });

  it('loadAll imports every deferred module in catalogue order, and stops at one that registers nothing', async () => {
    vi.resetModules();
    const { ExecutorRegistry: fresh } = await import('./registry.ts');
    const order: string[] = [];
    const deferred = (name: string, registers: boolean) =>
      fresh.defer(specOf(name), async () => {
        order.push(name);
        if (registers) fresh.register(moduleOf(specOf(name)).Deferred);
      });
    deferred('all_a', true);
    deferred('all_b', true);
    await fresh.loadAll();
    expect(order).toEqual(['all_a', 'all_b']);
    expect(fresh.isLoaded('all_a') && fresh.isLoaded('all_b')).toBe(true);
    deferred('all_broken', false);
    deferred('all_c', true);
    await expect(fresh.loadAll()).rejects.toThrow("'all_broken' is in the catalogue");
    expect(order).toEqual(['all_a', 'all_b', 'all_broken']);
  });
});
