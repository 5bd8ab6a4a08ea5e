import type { TransitionReport } from './adapter.js';

/** `pending`: waiting or retrying · `delivered`: the legacy system acknowledged · `failed`: needs an operator. */
export type OutboxState = 'pending' | 'delivered' | 'failed';

/** The last error of an entry: code, message (never a value from the report), and the field for mapping errors. */
export interface OutboxError {
  code: string;
  message: string;
  field?: string;
  at: number;
}

/** One report on its way to the legacy system, keyed by its national code (the legacy idempotency key). */
export interface OutboxEntry {
  key: string;
  adapter: string;
  state: OutboxState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  /** A delivery attempt holds the entry until then, so two tabs or processes never send it at once. */
  leaseUntil?: number;
  deliveredAt?: number;
  /** Their code for it, from their receipt. */
  legacyCode?: string;
  lastError?: OutboxError;
  /** The report (personal fields included for real names); removed once delivered. */
  report?: TransitionReport;
}

/**
 * Where the outbox keeps its entries: IndexedDB in browsers (`openIndexedDbOutbox`), a SQL table in Node
 * (`createSqlOutbox`). Every method is atomic on its own; `claim` is the only one that must be (compare and set).
 */
export interface OutboxStore {
  /** Adds the entry unless its key exists; true when added. */
  add(entry: OutboxEntry): Promise<boolean>;
  get(key: string): Promise<OutboxEntry | undefined>;
  /** Replaces the entry with this key. */
  put(entry: OutboxEntry): Promise<void>;
  /** Oldest first; without `state`, every entry. */
  list(filter?: { state?: OutboxState; limit?: number }): Promise<OutboxEntry[]>;
  /** Pending entries due at `now` and not held by a live lease, oldest first. */
  due(now: number, limit: number): Promise<OutboxEntry[]>;
  /** When a pending entry may next be attempted: the earliest `nextAttemptAt`, or a live lease's end if later. */
  nextDue(): Promise<number | undefined>;
  /** Holds a pending entry until `until` unless another holder's lease is live; true when taken. */
  claim(key: string, now: number, until: number): Promise<boolean>;
  counts(): Promise<Record<OutboxState, number>>;
  close(): Promise<void>;
}
