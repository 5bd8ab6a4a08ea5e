import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openDatabase } from './db/open.js';
import { migrate } from './db/migrate.js';
import type { Sql } from './db/sql.js';
import { parseCipher } from './crypto.js';
import { KeyCheckError, keyringFromEnv } from './keys.js';
import { rekey } from './rekey.js';

type Out = { write(text: string): unknown };

const USAGE = `Usage: aqjb-rekey [--data-dir DIR] [--database-url URL] [--batch-size N] [--cipher aes|sm4]
Re-seals every encrypted value under the current data key (the first in AQJB_DATA_KEYS) and cipher, in small
batches, each its own transaction, and re-encrypts evidence files under another cipher (DIR/uploads/ready). Safe
to stop and run again: what is already under the current key and cipher is skipped. When nothing is left under
another key, those keys are retired and may be removed from AQJB_DATA_KEYS.
To move to SM4 (商用密码): restart every instance with --cipher sm4, then run aqjb-rekey --cipher sm4.
  1. restart every server instance with AQJB_DATA_KEYS="<new id>:<new key>,<old id>:<old key>"
  2. run aqjb-rekey with the same AQJB_DATA_KEYS (PGlite: stop the server first; PostgreSQL: it may run)
  3. restart with AQJB_DATA_KEYS="<new id>:<new key>" alone
  --data-dir DIR      the server's data directory: PGlite and uploads (default .data, or AQJB_DATA_DIR)
  --database-url URL  PostgreSQL (or DATABASE_URL)
  --batch-size N      rows per transaction (default 200)
  --cipher NAME       aes (default) or sm4, as the servers run (or AQJB_CIPHER)
`;

/** `aqjb-rekey`: 0 when every value is under the current key, 1 when some are not (see the output), 2 on usage. */
export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr, sqlOverride?: Sql): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string', default: process.env.AQJB_DATA_DIR ?? '.data' },
        'database-url': { type: 'string', default: process.env.DATABASE_URL },
        'batch-size': { type: 'string', default: '200' },
        cipher: { type: 'string', default: process.env.AQJB_CIPHER },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    err.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.write(USAGE);
    return 0;
  }
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    err.write(`--batch-size must be a whole number from 1 to 10000\n${USAGE}`);
    return 2;
  }
  let keys;
  let cipher;
  try {
    cipher = parseCipher(values.cipher);
    keys = keyringFromEnv();
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (!keys) {
    err.write(`No data keys: set AQJB_DATA_KEYS (current key first, then the old ones)\n${USAGE}`);
    return 2;
  }

  const sql =
    sqlOverride ??
    (await openDatabase({ dataDir: values['data-dir'], databaseUrl: values['database-url'] }));
  try {
    await migrate(sql);
    const readyDir = path.join(values['data-dir'], 'uploads', 'ready');
    const result = await rekey(sql, keys, {
      batchSize,
      cipher,
      readyDir: existsSync(readyDir) ? readyDir : undefined,
      onBatch: ({ table, column, resealed }) => void out.write(`${table}.${column}: ${resealed} re-sealed\n`),
    });
    out.write(`Re-sealed ${result.resealed} values under key "${keys[0]!.kid}" (${cipher}); re-encrypted ${result.files} evidence files.\n`);
    for (const { table, column, key } of result.unreadable) {
      err.write(`Does not open (altered, or copied from another row): ${table}.${column} at ${key.join(', ')}\n`);
    }
    if (result.filesRemaining) {
      err.write(
        `${result.filesRemaining} evidence files are still under another cipher (uploads in progress, files changed meanwhile, or no ${readyDir} here): run aqjb-rekey again from a place that sees the upload folder, after uploads in progress have finished (a day at most).\n`,
      );
    }
    if (result.remaining) {
      err.write(
        `${result.remaining} values are still under other keys or another cipher: restart every instance with the new keyring and --cipher, deal with any value listed above, and run aqjb-rekey again. No key was retired.\n`,
      );
      return 1;
    }
    if (result.retired.length) out.write(`Retired ${result.retired.map((k) => `"${k}"`).join(', ')}: remove from AQJB_DATA_KEYS and restart.\n`);
    if (result.filesRemaining) return 1;
    out.write(
      result.resealed || result.files || result.retired.length
        ? `Everything is now under key "${keys[0]!.kid}" and ${cipher}.\n`
        : `Every value was already under key "${keys[0]!.kid}" and ${cipher}.\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof KeyCheckError)) throw error;
    err.write(`${error.message}\n`);
    return 1;
  } finally {
    if (!sqlOverride) await sql.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
