import type { OutboxEntry, OutboxState, OutboxStore } from './outbox-store.js';

/**
 * What the SQL outbox needs from a database: one parameterised query. `pg`'s Pool or Client, PGlite, and the
 * reference server's `Sql` all fit, so a Node integrator keeps the outbox in the database they already run.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

interface Row {
  key: string;
  adapter: string;
  state: OutboxState;
  attempts: number | string;
  created_at: number | string | bigint;
  next_attempt_at: number | string | bigint;
  lease_until: number | string | bigint | null;
  delivered_at: number | string | bigint | null;
  legacy_code: string | null;
  last_error: string | null;
  report: string | null;
}

const num = (v: number | string | bigint) => Number(v);

function toEntry(r: Row): OutboxEntry {
  return {
    key: r.key,
    adapter: r.adapter,
    state: r.state,
    attempts: num(r.attempts),
    createdAt: num(r.created_at),
    nextAttemptAt: num(r.next_attempt_at),
    ...(r.lease_until !== null ? { leaseUntil: num(r.lease_until) } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: num(r.delivered_at) } : {}),
    ...(r.legacy_code !== null ? { legacyCode: r.legacy_code } : {}),
    ...(r.last_error !== null ? { lastError: JSON.parse(r.last_error) } : {}),
    ...(r.report !== null ? { report: JSON.parse(r.report) } : {}),
  };
}

const values = (e: OutboxEntry) => [
  e.key,
  e.adapter,
  e.state,
  e.attempts,
  e.createdAt,
  e.nextAttemptAt,
  e.leaseUntil ?? null,
  e.deliveredAt ?? null,
  e.legacyCode ?? null,
  e.lastError ? JSON.stringify(e.lastError) : null,
  e.report ? JSON.stringify(e.report) : null,
];

/**
 * The Node outbox: one table (created when missing) in any PostgreSQL, PGlite included. Times are epoch
 * milliseconds (bigint) so the store never depends on the driver's date parsing. Reports of real-name reporters
 * sit here until delivered: keep the database as protected as the national one.
 */
export async function createSqlOutbox(db: SqlClient, { table = 'aqjb_transition_outbox' } = {}): Promise<OutboxStore> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new Error('table must be a plain lower-case SQL identifier');
  await db.query(`CREATE TABLE IF NOT EXISTS ${table} (
    key text PRIMARY KEY,
    adapter text NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL,
    created_at bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    lease_until bigint NULL,
    delivered_at bigint NULL,
    legacy_code text NULL,
    last_error text NULL,
    report text NULL
  )`);
  await db.query(`CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (next_attempt_at) WHERE state = 'pending'`);
  const rows = async (text: string, params?: unknown[]) => ((await db.query(text, params)).rows as Row[]).map(toEntry);
  const COLUMNS = 'key, adapter, state, attempts, created_at, next_attempt_at, lease_until, delivered_at, legacy_code, last_error, report';

  return {
    async add(entry) {
      const { rows: added } = await db.query(
        `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (key) DO NOTHING RETURNING key`,
        values(entry),
      );
      return added.length === 1;
    },
    get: async (key) => (await rows(`SELECT ${COLUMNS} FROM ${table} WHERE key = $1`, [key]))[0],
    async put(entry) {
      await db.query(
        `UPDATE ${table} SET adapter = $2, state = $3, attempts = $4, created_at = $5, next_attempt_at = $6, lease_until = $7,
           delivered_at = $8, legacy_code = $9, last_error = $10, report = $11 WHERE key = $1`,
        values(entry),
      );
    },
    list: ({ state, limit = 1000 } = {}) =>
      state
        ? rows(`SELECT ${COLUMNS} FROM ${table} WHERE state = $1 ORDER BY created_at, key LIMIT $2`, [state, limit])
        : rows(`SELECT ${COLUMNS} FROM ${table} ORDER BY created_at, key LIMIT $1`, [limit]),
    due: (now, limit) =>
      rows(
        `SELECT ${COLUMNS} FROM ${table} WHERE state = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY next_attempt_at, key LIMIT $2`,
        [now, limit],
      ),
    async nextDue() {
      const { rows: r } = await db.query(`SELECT min(greatest(next_attempt_at, coalesce(lease_until + 1, 0))) AS at FROM ${table} WHERE state = 'pending'`);
      const at = (r[0] as { at: number | string | null } | undefined)?.at;
      return at === null || at === undefined ? undefined : Number(at);
    },
    async claim(key, now, until) {
      const { rows: taken } = await db.query(
        `UPDATE ${table} SET lease_until = $3 WHERE key = $1 AND state = 'pending' AND (lease_until IS NULL OR lease_until < $2) RETURNING key`,
        [key, now, until],
      );
      return taken.length === 1;
    },
    async counts() {
      const { rows: r } = await db.query(`SELECT state, count(*) AS n FROM ${table} GROUP BY state`);
      const counts: Record<OutboxState, number> = { pending: 0, delivered: 0, failed: 0 };
      for (const row of r as { state: OutboxState; n: number | string }[]) counts[row.state] = Number(row.n);
      return counts;
    },
    // The database belongs to the caller.
    close: async () => {},
  };
}
