import type { Sql } from '../db/sql.js';
import { migrate as applyMigrations } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { DATABASE_HELP, EXIT, UsageError, databaseOptions, defineCommand, withDatabase } from './command.js';

/** The ids in `schema_migrations`, or none before the first migration. */
async function appliedIds(sql: Sql): Promise<Set<string>> {
  const { rows } = await sql.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!rows[0]?.present) return new Set();
  return new Set((await sql.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
}

/**
 * `aqjb migrate`: applies pending migrations and exits, naming each one applied. The server applies them at start
 * too; this lets an operator do it first (before a rolling restart on PostgreSQL, or to check a copied database).
 */
export const migrate = defineCommand({
  name: 'migrate',
  summary: '执行尚未执行的数据库迁移后退出',
  usage: `Usage: aqjb migrate [--data-dir DIR | --database-url URL]
Applies the pending database migrations, in order, in one transaction, and names each one applied. Servers
starting at the same time against one PostgreSQL wait for it (advisory lock). PGlite: stop the server first.
${DATABASE_HELP}Exit: 0 the schema is current, 1 a migration failed (nothing of this run is kept), 2 bad arguments.
`,
  options: databaseOptions,
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`aqjb migrate takes no arguments, got: ${positionals.join(' ')}`);
    return withDatabase(values, io, async (sql) => {
      const before = await appliedIds(sql);
      try {
        await applyMigrations(sql);
      } catch (error) {
        io.err.write(`迁移失败，本次未做任何更改：${(error as Error).message}\n`);
        return EXIT.failed;
      }
      const after = await appliedIds(sql);
      const applied = migrations.filter(({ id }) => after.has(id) && !before.has(id)).map(({ id }) => id);
      for (const id of applied) io.out.write(`applied ${id}\n`);
      io.out.write(
        applied.length
          ? `数据库已是最新：本次应用 ${applied.length} 个迁移，共 ${after.size} 个。\n`
          : `数据库已是最新，无需迁移（共 ${after.size} 个迁移）。\n`,
      );
      return EXIT.ok;
    }, 'create');
  },
});
