import type { AnyLegacyAdapter } from './adapter.js';

// One registry per page, even when the SDK and the elements come from separate bundles (each with its own copy
// of this module): the map hangs off globalThis under a registered symbol.
const KEY = Symbol.for('aqjb-embed/legacy-adapters');
const registry = (): Map<string, AnyLegacyAdapter> =>
  ((globalThis as Record<symbol, Map<string, AnyLegacyAdapter> | undefined>)[KEY] ??= new Map());

/**
 * Makes an adapter available by name to elements configured with attributes only
 * (`legacy-base`, `transition-mode`, `legacy-adapter`). Registering a name twice replaces the first.
 */
export function registerLegacyAdapter(adapter: AnyLegacyAdapter): void {
  registry().set(adapter.name, adapter);
}

/** The adapter registered under `name`; without a name, the only one registered (undefined if none or several). */
export function getLegacyAdapter(name?: string): AnyLegacyAdapter | undefined {
  const adapters = registry();
  if (name) return adapters.get(name);
  return adapters.size === 1 ? [...adapters.values()][0] : undefined;
}
