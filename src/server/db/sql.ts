/**
 * The one database interface the server uses, so the same SQL runs on PGlite (embedded, one connection) and on
 * PostgreSQL (a pool, several server instances). Parameters are always bound ($1, $2…), never interpolated.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Sql extends Queryable {
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
  /** PostgreSQL's pool: connections open, idle, and queries waiting for one (metrics). PGlite has one connection. */
  poolCounts?(): { total: number; idle: number; waiting: number };
}
