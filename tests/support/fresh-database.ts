import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
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

/** Temporary folders under `prefix`, removed when the test file ends. Call at the top level of a test file. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

export interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  /** Where a server keeps its data; the same place reopens the same data. */
  open(): Promise<{ dataDir: string; databaseUrl?: string }>;
}

/** The two databases every storage-facing suite runs on: PGlite in a folder, and a fresh PostgreSQL database. */
export const storageBackends = (tempDir: () => string): Backend[] => [
  { name: 'PGlite', open: async () => ({ dataDir: tempDir() }) },
  { name: 'PostgreSQL', open: async () => ({ dataDir: tempDir(), databaseUrl: await freshDatabase() }) },
];
