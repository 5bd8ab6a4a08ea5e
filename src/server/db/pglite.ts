import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Sql } from './sql.js';

/** Embedded PostgreSQL: a data directory, or memory when `dataDir` is omitted (tests). */
export async function openPglite(dataDir?: string): Promise<Sql> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query(sql, params) {
      const result = await q.query(sql, params as unknown[]);
      return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    // PGlite serves one connection: its transaction() queues every other query until this one ends.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}
