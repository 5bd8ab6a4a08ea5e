import { isAqjbError } from '../errors.js';
import { systemClock, type TimerClock } from '../clock.js';
import type { AnyLegacyAdapter, LegacyHttp, TransitionReport } from './adapter.js';
import { mapReceipt, mapToLegacy } from './adapter.js';
import { LegacyError, MappingError, isMappingError } from './errors.js';
import type { OutboxEntry, OutboxError, OutboxState, OutboxStore } from './outbox-store.js';

/** Timers the outbox runs on: the platform's by default, a manual clock in tests. */
export type OutboxClock = TimerClock;

export const systemOutboxClock: OutboxClock = {
  ...systemClock,
  setTimeout: (fn, ms) => {
    const handle = systemClock.setTimeout(fn, ms) as { unref?: () => void };
    handle.unref?.(); // a Node process is not kept alive by the outbox alone
    return handle;
  },
};

export interface BackoffOptions {
  /** First retry after this long; doubles each attempt. Default 2000. */
  baseMs?: number;
  /** Never waits longer than this between attempts. Default 10 minutes. */
  maxMs?: number;
}

/** What subscribers and `status()` see: no report content, only bookkeeping. */
export type OutboxEntrySummary = Omit<OutboxEntry, 'report' | 'leaseUntil'>;

export interface OutboxStatus {
  counts: Record<OutboxState, number>;
  /** Pending and failed entries, oldest first (delivered ones are counted only). */
  open: OutboxEntrySummary[];
}

export interface Outbox {
  /** Stores a report for delivery (durably, before it resolves); a key already there is left as it is. */
  enqueue(report: TransitionReport & { nationalCode: string }): Promise<void>;
  /** Delivers every due entry now; resolves when this round is done. */
  flush(): Promise<void>;
  /** Puts a failed (or waiting) entry back to be sent now, e.g. after the adapter was fixed. */
  retry(key: string): Promise<void>;
  status(): Promise<OutboxStatus>;
  get(key: string): Promise<OutboxEntrySummary | undefined>;
  /** Called after every change of an entry's state, attempt count or error. Returns the unsubscribe function. */
  subscribe(listener: (entry: OutboxEntrySummary) => void): () => void;
  /** Stops the timers; the store stays open (it may be shared). */
  close(): void;
}

const LEASE_MS = 60_000;
const MIN_WAIT_MS = 1_000;
const BATCH = 20;

const summary = ({ report: _r, leaseUntil: _l, ...rest }: OutboxEntry): OutboxEntrySummary => rest;

/** Errors worth another attempt later: no answer, their 5xx/408/429, a temporary business code. */
export function isRetryable(error: unknown): boolean {
  if (isMappingError(error)) return false;
  if (error instanceof LegacyError) return error.retryable;
  if (!isAqjbError(error)) return true;
  const status = (error as { status?: number }).status;
  return ['NETWORK', 'TIMEOUT', 'ABORTED'].includes(error.code) || (status !== undefined && status >= 500);
}

const toOutboxError = (error: unknown, at: number): OutboxError => {
  const e = isAqjbError(error) ? error : undefined;
  return {
    code: e?.code ?? 'UNKNOWN',
    message: e?.message ?? '未知错误',
    ...(isMappingError(error) ? { field: error.field } : {}),
    at,
  };
};

/**
 * The durable outbox of dual mode: each report goes to the legacy system at least once, retried with capped
 * exponential backoff until they acknowledge, and their system dedupes on the national code, so exactly one copy
 * arrives. State lives in the store, so a reload or restart picks up where the last one stopped.
 */
export function createOutbox(deps: {
  store: OutboxStore | Promise<OutboxStore>;
  adapter: AnyLegacyAdapter;
  http: LegacyHttp;
  clock?: OutboxClock;
  backoff?: BackoffOptions;
  /** Take one delivery at a time across tabs (Web Locks), when the platform has them. */
  locks?: { request(name: string, fn: () => Promise<void>): Promise<void> };
}): Outbox {
  const { adapter, http } = deps;
  const clock = deps.clock ?? systemOutboxClock;
  const baseMs = deps.backoff?.baseMs ?? 2_000;
  const maxMs = deps.backoff?.maxMs ?? 10 * 60_000;
  const storePromise = Promise.resolve(deps.store);
  const listeners = new Set<(entry: OutboxEntrySummary) => void>();
  let timer: unknown;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const emit = (entry: OutboxEntry) => {
    const view = summary(entry);
    for (const listener of listeners) {
      try {
        listener(view);
      } catch {
        // An operator's listener must not stop deliveries.
      }
    }
  };

  // Full jitter keeps many browsers that saw the same outage from retrying in step.
  const delayFor = (attempts: number) => {
    const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  };

  async function deliver(store: OutboxStore, entry: OutboxEntry): Promise<void> {
    const now = clock.now();
    if (!(await store.claim(entry.key, now, now + LEASE_MS))) return;
    const attempts = entry.attempts + 1;
    let next: OutboxEntry;
    try {
      if (!entry.report) throw new MappingError({ adapter: adapter.name, direction: 'to-legacy', field: '(report)', reason: '待发送的举报内容缺失' });
      const report = entry.report;
      const submission = mapToLegacy(adapter, report);
      const raw = await adapter.send(http, submission, { idempotencyKey: entry.key });
      const receipt = mapReceipt(adapter, raw, report);
      const { report: _sent, leaseUntil: _lease, lastError: _last, ...rest } = entry;
      next = { ...rest, state: 'delivered', attempts, deliveredAt: clock.now(), legacyCode: receipt.reportCode };
    } catch (error) {
      const at = clock.now();
      const { leaseUntil: _lease, ...rest } = entry;
      next = isRetryable(error)
        ? { ...rest, attempts, nextAttemptAt: at + delayFor(attempts), lastError: toOutboxError(error, at) }
        : { ...rest, state: 'failed', attempts, lastError: toOutboxError(error, at) };
    }
    await store.put(next);
    emit(next);
  }

  async function round(): Promise<void> {
    const store = await storePromise;
    for (;;) {
      const due = await store.due(clock.now(), BATCH);
      for (const entry of due) await deliver(store, entry);
      if (due.length < BATCH) break;
    }
  }

  async function schedule(): Promise<void> {
    if (closed) return;
    const store = await storePromise;
    const at = await store.nextDue();
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (at === undefined || closed) return;
    // Never sooner than a second: a store that keeps answering "due" (a clock skewed between tabs) must not spin.
    timer = clock.setTimeout(() => {
      timer = undefined;
      void flush().catch(() => {});
    }, Math.max(MIN_WAIT_MS, at - clock.now()));
  }

  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await (deps.locks ? deps.locks.request('aqjb-transition-outbox', round) : round());
        } while (again);
      } finally {
        running = undefined;
        await schedule().catch(() => {});
      }
    })();
    return running;
  }

  return {
    async enqueue(report) {
      const store = await storePromise;
      const now = clock.now();
      const entry: OutboxEntry = { key: report.nationalCode, adapter: adapter.name, state: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now, report };
      // Map once now: an adapter that cannot take this report is an operator's matter from the first minute.
      try {
        mapToLegacy(adapter, report);
      } catch (error) {
        Object.assign(entry, { state: 'failed', lastError: toOutboxError(error, now) });
      }
      if (await store.add(entry)) emit(entry);
      if (entry.state === 'pending') void flush().catch(() => {});
    },
    flush,
    async retry(key) {
      const store = await storePromise;
      const entry = await store.get(key);
      if (!entry || entry.state === 'delivered') return;
      const next: OutboxEntry = { ...entry, state: 'pending', nextAttemptAt: clock.now() };
      await store.put(next);
      emit(next);
      await flush();
    },
    async status() {
      const store = await storePromise;
      const [counts, pending, failed] = await Promise.all([store.counts(), store.list({ state: 'pending' }), store.list({ state: 'failed' })]);
      const open = [...pending, ...failed].sort((a, b) => a.createdAt - b.createdAt).map(summary);
      return { counts, open };
    },
    async get(key) {
      const entry = await (await storePromise).get(key);
      return entry && summary(entry);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
