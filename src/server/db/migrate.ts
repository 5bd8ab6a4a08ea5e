import { migrations } from './migrations/index.js';
import type { Sql } from './sql.js';

/**
 * Applies pending migrations. Several instances may start at once against one PostgreSQL: an advisory lock makes
 * them take turns (PGlite has one connection, so it needs none).
 */
export async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    if (sql.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(72410000)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL)');
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.id));
    for (const { id, sql: script } of migrations) {
      if (applied.has(id)) continue;
      for (const statement of splitStatements(script)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, now())', [id]);
    }
  });
}

/** Our migrations hold plain DDL (no functions or quoted semicolons), so splitting on `;` is safe. */
const splitStatements = (script: string) =>
  script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
