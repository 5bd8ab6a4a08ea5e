import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxEntry, OutboxState, OutboxStore } from './outbox-store.js';

interface OutboxDb extends DBSchema {
  entries: { key: string; value: OutboxEntry; indexes: { state: OutboxState } };
}

/**
 * The browser outbox: an IndexedDB database of its own (through `idb`), so reports wait across reloads, closed
 * tabs and restarts until the legacy system has them. Loaded only when dual mode starts. A browser outbox holds
 * at most what one person filed, so the queries stay simple (one index on state).
 */
export async function openIndexedDbOutbox({ name = 'aqjb-transition-outbox' } = {}): Promise<OutboxStore> {
  const db: IDBPDatabase<OutboxDb> = await openDB<OutboxDb>(name, 1, {
    upgrade(database) {
      const store = database.createObjectStore('entries', { keyPath: 'key' });
      store.createIndex('state', 'state');
    },
    // Another tab wants a newer version: let it, this one reopens on its next load.
    blocking() {
      db.close();
    },
  });
  const pending = () => db.getAllFromIndex('entries', 'state', 'pending');

  return {
    async add(entry) {
      const tx = db.transaction('entries', 'readwrite');
      const exists = (await tx.store.getKey(entry.key)) !== undefined;
      if (!exists) await tx.store.add(entry);
      await tx.done;
      return !exists;
    },
    get: (key) => db.get('entries', key),
    async put(entry) {
      await db.put('entries', entry);
    },
    async list({ state, limit = 1000 } = {}) {
      const all = state ? await db.getAllFromIndex('entries', 'state', state) : await db.getAll('entries');
      return all.sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
    },
    async due(now, limit) {
      return (await pending())
        .filter((e) => e.nextAttemptAt <= now && !(e.leaseUntil !== undefined && e.leaseUntil >= now))
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
        .slice(0, limit);
    },
    async nextDue() {
      const times = (await pending()).map((e) => Math.max(e.nextAttemptAt, e.leaseUntil === undefined ? 0 : e.leaseUntil + 1));
      return times.length ? Math.min(...times) : undefined;
    },
    // One readwrite transaction: IndexedDB runs overlapping ones one after another, also across tabs.
    async claim(key, now, until) {
      const tx = db.transaction('entries', 'readwrite');
      const entry = await tx.store.get(key);
      const free = entry?.state === 'pending' && !(entry.leaseUntil !== undefined && entry.leaseUntil >= now);
      if (entry && free) await tx.store.put({ ...entry, leaseUntil: until });
      await tx.done;
      return free;
    },
    async counts() {
      const tx = db.transaction('entries');
      const index = tx.store.index('state');
      const [pendingCount, delivered, failed] = await Promise.all([index.count('pending'), index.count('delivered'), index.count('failed')]);
      await tx.done;
      return { pending: pendingCount, delivered, failed };
    },
    close: async () => db.close(),
  };
}
