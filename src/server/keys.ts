import { createSealer, derivedKid, sealedAt, SealedValueError, toKeyring, type CipherName, type DataKey, type DataKeys, type Sealer } from './crypto.js';
import type { Queryable, Sql } from './db/sql.js';

/**
 * The data keys and the database agree, or the server does not start (finding 17.10). The `data_keys` table keeps,
 * for every key that ever sealed a value here, a key check: a fixed canary sealed under that key. At every start:
 * - a configured key whose check does not open is the wrong key under that id: refuse;
 * - a key the database still needs (not retired by `aqjb rotate-key`) that is not configured: refuse;
 * - the current key (the keyring's first) gets its check on first use.
 * A database from before key checks has `v1.` values and no checks: the configured key must open one of them.
 */

/**
 * Every sealed column, with its primary key: the context of each value is `sealedAt(table, column, ...key)`.
 * Sealed columns are named `*_enc`; a new one goes here too (`aqjb rotate-key` refuses to run while a `*_enc` column is
 * missing from this list, since retiring the old key would strand its values). Columns not created yet are skipped.
 */
export interface SealedColumn {
  table: string;
  column: string;
  key: readonly string[];
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'reports', column: 'reporter_enc', key: ['code'] },
  { table: 'idempotency_keys', column: 'response_enc', key: ['key'] },
  { table: 'external_ids', column: 'response_enc', key: ['scope', 'external_id'] },
  { table: 'dev_outbox', column: 'phone_enc', key: ['id'] },
  { table: 'attachments', column: 'file_key_enc', key: ['id'] },
  { table: 'upload_reservations', column: 'file_key_enc', key: ['id'] },
];

/** The database refuses this keyring; the message says what to do and never holds a key. */
export class KeyCheckError extends Error {
  override name = 'KeyCheckError';
}

const CANARY = 'aqjb-key-check';
const checkContext = (kid: string) => sealedAt('data_keys', 'check_enc', kid);

const ENV_HELP =
  'Start with the key this database was created with (AQJB_DATA_KEY, or in AQJB_DATA_KEYS); to change keys, set AQJB_DATA_KEYS="<new id>:<new key>,<old id>:<old key>" (current first, each 32 bytes base64) and run aqjb rotate-key';

/**
 * The keyring from the environment: `AQJB_DATA_KEYS` ("id:base64,…", current first; an entry without "id:" gets
 * the id derived from its key) or `AQJB_DATA_KEY` (one key, derived id). Undefined when neither is set.
 */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): readonly DataKey[] | undefined {
  const ring = env.AQJB_DATA_KEYS?.trim();
  const single = env.AQJB_DATA_KEY?.trim();
  if (ring && single) throw new Error('Set AQJB_DATA_KEYS or AQJB_DATA_KEY, not both: put every key in AQJB_DATA_KEYS, current first');
  if (single) {
    const key = Buffer.from(single, 'base64');
    if (key.length !== 32) throw new Error('AQJB_DATA_KEY must be 32 bytes, base64-encoded');
    return toKeyring(key);
  }
  if (!ring) return undefined;
  return toKeyring(
    ring.split(',').map((entry, index) => {
      const text = entry.trim();
      const colon = text.indexOf(':');
      const key = Buffer.from(colon < 0 ? text : text.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`AQJB_DATA_KEYS entry ${index + 1} must hold a 32-byte key, base64-encoded`);
      return { kid: colon < 0 ? derivedKid(key) : text.slice(0, colon), key };
    }),
  );
}

interface KeyRow {
  kid: string;
  check_enc: string;
  legacy: boolean;
  retired_at: string | Date | null;
}

const opens = (sealer: Sealer, row: Pick<KeyRow, 'kid' | 'check_enc'>) => {
  try {
    return sealer.open(row.check_enc, checkContext(row.kid)) === CANARY;
  } catch {
    return false;
  }
};

/** One sealed value of a database from before key checks, if it has any (they are all `v1.`, under one key). */
async function legacySample(db: Queryable): Promise<string | undefined> {
  for (const { table, column } of SEALED_COLUMNS) {
    if (!(await columnExists(db, table, column))) continue;
    const { rows } = await db.query<{ v: string }>(`SELECT ${column} AS v FROM ${table} WHERE ${column} LIKE 'v1.%' LIMIT 1`);
    if (rows[0]) return rows[0].v;
  }
  return undefined;
}

export async function columnExists(db: Queryable, table: string, column: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2',
    [table, column],
  );
  return rows.length > 0;
}

/**
 * Checks the keyring against the database's key checks (see above) and returns the sealer to use, sealing new values
 * with `cipher` (values under the other cipher keep opening). Safe when several instances start at once: a check is
 * inserted only where none exists, then every instance verifies it.
 */
export async function openSealer(
  sql: Sql,
  keys: DataKeys,
  now: () => number = Date.now,
  { cipher = 'aes' }: { cipher?: CipherName } = {},
): Promise<Sealer> {
  const ring = toKeyring(keys);
  const current = ring[0]!.kid;
  const probe = createSealer(ring);
  const byKid = new Map(ring.map((k) => [k.kid, k]));
  const read = async () => (await sql.query<KeyRow>('SELECT kid, check_enc, legacy, retired_at FROM data_keys ORDER BY created_at, kid')).rows;

  let rows = await read();
  const wrong = rows.find((r) => byKid.has(r.kid) && !opens(probe, r));
  if (wrong) {
    throw new KeyCheckError(
      `The data key "${wrong.kid}" does not open this database: its key check fails, so it is not the key this database's data was sealed with under that id. ${ENV_HELP}.`,
    );
  }
  const missing = rows.filter((r) => !r.retired_at && !byKid.has(r.kid)).map((r) => `"${r.kid}"`);
  if (missing.length && !rows.some((r) => byKid.has(r.kid))) {
    throw new KeyCheckError(
      `The configured data key does not open this database: its values are sealed under key ${missing.join(', ')}, which is not configured (another key has another id). ${ENV_HELP}.`,
    );
  }
  if (missing.length) {
    throw new KeyCheckError(
      `This database still holds values sealed under key ${missing.join(', ')}, which is not configured: add it after the current key in AQJB_DATA_KEYS (a key once given as AQJB_DATA_KEY has a derived id: list it without "id:"), then run aqjb rotate-key to re-seal everything under the current key.`,
    );
  }

  const claim = async (kid: string, legacy: boolean) => {
    const sealer = createSealer([byKid.get(kid)!], { cipher });
    await sql.query(
      'INSERT INTO data_keys (kid, check_enc, legacy, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (kid) DO NOTHING',
      [kid, sealer.seal(CANARY, checkContext(kid)), legacy, new Date(now()).toISOString()],
    );
  };
  if (!rows.length) {
    // First start with key checks: a database with data from before must open under one of the configured keys.
    const sample = await legacySample(sql);
    if (sample) {
      const opener = ring.find((k) => {
        try {
          createSealer([k], { legacyKid: k.kid }).open(sample, 'legacy');
          return true;
        } catch (error) {
          if (error instanceof SealedValueError) return false;
          throw error;
        }
      });
      if (!opener) {
        throw new KeyCheckError(
          `No configured data key opens the values already in this database: these are not the keys it was created with. ${ENV_HELP}.`,
        );
      }
      await claim(opener.kid, true);
    }
  }
  if (!rows.some((r) => r.kid === current)) {
    await claim(current, false);
    // Another instance may have claimed the id first, with another key: verify what is stored now.
    rows = await read();
    const stored = rows.find((r) => r.kid === current);
    if (!stored || !opens(probe, stored)) {
      throw new KeyCheckError(
        `The data key "${current}" does not open this database (its key check fails): another instance started with another key under this id. ${ENV_HELP}.`,
      );
    }
  }
  const legacy = rows.find((r) => r.legacy && !r.retired_at && byKid.has(r.kid));
  return createSealer(ring, { cipher, ...(legacy ? { legacyKid: legacy.kid } : {}) });
}

/**
 * Seals the current key's check again with the sealer's cipher when it is under the other one (after `aqjb rotate-key`
 * moved a database between ciphers, so no AES value is left behind, not even the canary). Only a check that opens
 * is replaced, and only if unchanged.
 */
export async function resealKeyCheck(sql: Sql, sealer: Sealer): Promise<void> {
  const { rows } = await sql.query<KeyRow>('SELECT kid, check_enc FROM data_keys WHERE kid = $1', [sealer.currentKid]);
  const row = rows[0];
  if (!row || !sealer.needsRekey(row.check_enc) || !opens(sealer, row)) return;
  await sql.query('UPDATE data_keys SET check_enc = $2 WHERE kid = $1 AND check_enc = $3', [
    row.kid,
    sealer.seal(CANARY, checkContext(row.kid)),
    row.check_enc,
  ]);
}

/** `*_enc` columns of the database that are not in `SEALED_COLUMNS` (should be none). */
export async function unregisteredSealedColumns(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name LIKE '%\\_enc' ORDER BY 1, 2`,
  );
  // The key checks are sealed per key, not per row: they are never re-sealed.
  const known = new Set([...SEALED_COLUMNS.map((s) => `${s.table}.${s.column}`), 'data_keys.check_enc']);
  return rows.map((r) => `${r.t}.${r.c}`).filter((name) => !known.has(name));
}
