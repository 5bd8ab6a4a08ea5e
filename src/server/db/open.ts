import path from 'node:path';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Sql } from './sql.js';

/**
 * The server's database as its command line names it: PostgreSQL when a URL is given, else PGlite in
 * `<dataDir>/pglite` (in memory without a data directory). The server and every operator command open it here.
 */
export const openDatabase = ({ dataDir, databaseUrl }: { dataDir?: string; databaseUrl?: string }): Promise<Sql> =>
  databaseUrl ? openPostgres(databaseUrl) : openPglite(dataDir === undefined ? undefined : path.join(dataDir, 'pglite'));
