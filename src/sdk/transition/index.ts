/**
 * The two-year transition: bridges the national system and a provincial legacy reporting system. Import it
 * lazily from browser code (`await import(…)`): portals that never bridge do not download it.
 */
export {
  createTransitionClient,
  contentOf,
  TRANSITION_MODES,
  type TransitionClient,
  type TransitionClientOptions,
  type TransitionMode,
} from './client.js';
export {
  defineLegacyAdapter,
  mappingError,
  legacyCodeOf,
  mapToLegacy,
  mapReceipt,
  mapProgress,
  mapExportRow,
  createLegacyHttp,
  type LegacyAdapter,
  type AnyLegacyAdapter,
  type LegacyHttp,
  type LegacyHttpOptions,
  type TransitionReport,
} from './adapter.js';
export { MappingError, LegacyError, type MappingDirection } from './errors.js';
export { createOutbox, isRetryable, type Outbox, type OutboxStatus, type OutboxEntrySummary, type OutboxClock, type BackoffOptions } from './outbox.js';
import type { OutboxStore } from './outbox-store.js';
export type { OutboxStore, OutboxEntry, OutboxState, OutboxError } from './outbox-store.js';
export { createSqlOutbox, type SqlClient } from './outbox-sql.js';

/** The browser outbox (IndexedDB through `idb`), loaded on first use. */
export const openIndexedDbOutbox = (options?: { name?: string }): Promise<OutboxStore> =>
  import('./outbox-idb.js').then((m) => m.openIndexedDbOutbox(options));
export { registerLegacyAdapter, getLegacyAdapter } from './registry.js';
