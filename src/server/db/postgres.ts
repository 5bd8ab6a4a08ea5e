import pg from 'pg';
import type { Queryable, Sql } from './sql.js';

// Dates and timestamps come back as strings, the same as from PGlite's text protocol handling below.
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(20, (v) => Number(v)); // int8 (counts)

export async function openPostgres(connectionString: string, { max = 10 } = {}): Promise<Sql> {
  const pool = new pg.Pool({ connectionString, max });
  // A server restart, failover or proxy timeout ends idle connections: the pool drops them and reconnects on the
  // next query. Without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  // Fail early, with the same error a later query would give, when the database cannot be reached.
  const probe = await pool.connect();
  probe.release();
  const query: Queryable['query'] = async (sql, params) => {
    const result = await pool.query(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  };
  return {
    kind: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async (sql, params) => {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
    poolCounts: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
