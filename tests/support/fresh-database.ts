import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test cluster (scripts/test.mjs starts a throwaway one); tests that need PostgreSQL skip without it. */
export const pgUrl = process.env.AQJB_TEST_DATABASE_URL;

export const skipWithoutPostgres = pgUrl ? false : 'AQJB_TEST_DATABASE_URL not set (npm test sets it)';

/** A new, empty database on the shared test cluster: tests never see each other's rows. */
export async function freshDatabase(): Promise<string> {
  if (!pgUrl) throw new Error('AQJB_TEST_DATABASE_URL not set');
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const name = `aqjb_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return url.href;
}
