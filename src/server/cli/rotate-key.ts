import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from '../db/sql.js';
import { migrate } from '../db/migrate.js';
import { parseCipher, type CipherName } from '../crypto.js';
import { KeyCheckError, keyringFromEnv } from '../keys.js';
import { rekey } from '../rekey.js';
import { DATABASE_HELP, EXIT, UsageError, databaseOptions, defineCommand, withDatabase, type Io } from './command.js';

type Keyring = NonNullable<ReturnType<typeof keyringFromEnv>>;

/**
 * `aqjb rotate-key`: re-seals every encrypted value under the current data key and cipher. 0 when everything is
 * under them, 1 when something is not (see the output), 2 on usage.
 */
export const rotateKey = defineCommand({
  name: 'rotate-key',
  summary: '把全部加密数据改用当前数据密钥（及 --cipher）重新加密（密钥轮换）',
  usage: `Usage: aqjb rotate-key [--data-dir DIR] [--database-url URL] [--batch-size N] [--cipher aes|sm4]
Re-seals every encrypted value under the current data key (the first in AQJB_DATA_KEYS) and cipher, in small
batches, each its own transaction, and re-encrypts evidence files under another cipher (DIR/uploads/ready). Safe
to stop and run again: what is already under the current key and cipher is skipped. When nothing is left under
another key, those keys are retired and may be removed from AQJB_DATA_KEYS.
To move to SM4 (商用密码): restart every instance with --cipher sm4, then run aqjb rotate-key --cipher sm4.
  1. restart every server instance with AQJB_DATA_KEYS="<new id>:<new key>,<old id>:<old key>"
  2. run aqjb rotate-key with the same AQJB_DATA_KEYS (PGlite: stop the server first; PostgreSQL: it may run)
  3. restart with AQJB_DATA_KEYS="<new id>:<new key>" alone
${DATABASE_HELP}  --batch-size N      rows per transaction (default 200)
  --cipher NAME       aes (default) or sm4, as the servers run (or AQJB_CIPHER)
Exit: 0 everything is under the current key and cipher, 1 something is not (listed), 2 bad arguments or no keyring.
`,
  options: (env) =>
    ({ ...databaseOptions(env), 'batch-size': { type: 'string', default: '200' }, cipher: { type: 'string', default: env.AQJB_CIPHER } }) as const,
  async run(values, positionals, io) {
    if (positionals.length) throw new UsageError(`aqjb rotate-key takes no arguments, got: ${positionals.join(' ')}`);
    const batchSize = Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new UsageError('--batch-size must be a whole number from 1 to 10000');
    }
    let keys;
    let cipher;
    try {
      cipher = parseCipher(values.cipher);
      keys = keyringFromEnv(io.env);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (!keys) throw new UsageError('No data keys: set AQJB_DATA_KEYS (current key first, then the old ones)');
    const keyring = keys;
    const readyDir = path.join(values['data-dir'], 'uploads', 'ready');
    return withDatabase(values, io, (sql) => reseal(sql, { keys: keyring, cipher, batchSize, readyDir }, io));
  },
});

async function reseal(sql: Sql, { keys, cipher, batchSize, readyDir }: { keys: Keyring; cipher: CipherName; batchSize: number; readyDir: string }, { out, err }: Io) {
  try {
    await migrate(sql);
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
        `${result.filesRemaining} evidence files are still under another cipher (uploads in progress, files changed meanwhile, or no ${readyDir} here): run aqjb rotate-key again from a place that sees the upload folder, after uploads in progress have finished (a day at most).\n`,
      );
    }
    if (result.remaining) {
      err.write(
        `${result.remaining} values are still under other keys or another cipher: restart every instance with the new keyring and --cipher, deal with any value listed above, and run aqjb rotate-key again. No key was retired.\n`,
      );
      return EXIT.failed;
    }
    if (result.retired.length) out.write(`Retired ${result.retired.map((k) => `"${k}"`).join(', ')}: remove from AQJB_DATA_KEYS and restart.\n`);
    if (result.filesRemaining) return EXIT.failed;
    out.write(
      result.resealed || result.files || result.retired.length
        ? `Everything is now under key "${keys[0]!.kid}" and ${cipher}.\n`
        : `Every value was already under key "${keys[0]!.kid}" and ${cipher}.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof KeyCheckError)) throw error;
    err.write(`${error.message}\n`);
    return EXIT.failed;
  }
}
