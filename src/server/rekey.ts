import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sealedAt, SealedValueError, type CipherName, type DataKeys, type Sealer } from './crypto.js';
import type { Sql } from './db/sql.js';
import { columnExists, openSealer, resealKeyCheck, SEALED_COLUMNS, unregisteredSealedColumns } from './keys.js';
import { EvidenceIntegrityError, fileKeyText, newFileKeyFor, parseFileKey, readSealedFile, writeSealedFile } from './uploads/cipher.js';
import { fileKeyContext, newRandomName } from './uploads/repo.js';

export interface RekeyProgress {
  table: string;
  column: string;
  /** Values re-sealed in this batch. */
  resealed: number;
}

export interface RekeyResult {
  resealed: number;
  /** Values no configured key opens for their row (altered or copied): left as they are and reported. */
  unreadable: { table: string; column: string; key: string[] }[];
  /** Key ids retired: no value is sealed under them any more, so they may leave the keyring. */
  retired: string[];
  /** Values still under other keys at the end (written meanwhile by an instance on the old keyring). */
  remaining: number;
  /** Evidence files re-encrypted with the current cipher. */
  files: number;
  /**
   * Evidence still under another cipher at the end: uploads in progress (their partial file keeps the cipher it
   * started with; once finished, a second run moves it), files changed meanwhile, or all of them without `readyDir`.
   */
  filesRemaining: number;
}

export interface RekeyOptions {
  batchSize?: number;
  /** Runs after each committed batch (progress output); throwing stops the run, as a crash would. */
  onBatch?: (p: RekeyProgress) => void | Promise<void>;
  now?: () => number;
  /** The cipher to move everything to (`aes` by default), as the servers run with `--cipher`. */
  cipher?: CipherName;
  /** The finished evidence folder (`<data dir>/uploads/ready`): files under another cipher are re-encrypted. */
  readyDir?: string;
}

/**
 * Re-seals every sealed column under the current key (the keyring's first) and cipher, in batches of `batchSize`
 * rows, each batch its own transaction, so a crash halfway leaves every value readable under the keyring and a second
 * run finishes the job: values already under the current key and cipher are skipped. Then, with `readyDir`, every
 * finished evidence file under another cipher is re-encrypted (`reencryptFiles`). Legacy `v1.` values gain their row binding
 * here. A value is replaced only if it is still the one read (a concurrent writer wins). At the end, when no value
 * under another key is left, the other keys are retired: the server no longer asks for them, nor accepts `v1.`.
 * `onBatch` runs after each committed batch (progress output).
 */
export async function rekey(sql: Sql, keys: DataKeys, options: RekeyOptions = {}): Promise<RekeyResult> {
  const { batchSize = 200, onBatch, now = Date.now, cipher = 'aes', readyDir } = options;
  const unknown = await unregisteredSealedColumns(sql);
  if (unknown.length) throw new Error(`Sealed columns missing from SEALED_COLUMNS (src/server/keys.ts): ${unknown.join(', ')}`);
  const sealer = await openSealer(sql, keys, now, { cipher });
  const prefix = sealer.currentPrefix;
  const result: RekeyResult = { resealed: 0, unreadable: [], retired: [], remaining: 0, files: 0, filesRemaining: 0 };

  for (const { table, column, key } of SEALED_COLUMNS) {
    if (!(await columnExists(sql, table, column))) continue;
    const keyList = key.join(', ');
    const keyText = key.map((k, i) => `${k}::text AS k${i}`).join(', ');
    const placeholders = key.map((_, i) => `$${i + 3}`).join(', ');
    let after: string[] | undefined;
    for (;;) {
      // Keyset pagination: every batch moves on, even past values that do not open.
      const batch = await sql.transaction(async (tx) => {
        const { rows } = await tx.query<Record<string, string>>(
          `SELECT ${keyText}, ${column} AS v FROM ${table}
           WHERE ${column} IS NOT NULL AND left(${column}, $1::int) <> $2::text${after ? ` AND (${keyList}) > (${placeholders})` : ''}
           ORDER BY ${keyList} LIMIT ${Number(batchSize)} FOR UPDATE`,
          [prefix.length, prefix, ...(after ?? [])],
        );
        let resealed = 0;
        for (const row of rows) {
          const pk = key.map((_, i) => row[`k${i}`]!);
          const context = sealedAt(table, column, ...pk);
          let plaintext: string;
          try {
            plaintext = sealer.open(row.v!, context);
          } catch (error) {
            if (!(error instanceof SealedValueError)) throw error;
            result.unreadable.push({ table, column, key: pk });
            continue;
          }
          const where = key.map((k, i) => `${k} = $${i + 3}`).join(' AND ');
          const updated = await tx.query(`UPDATE ${table} SET ${column} = $1 WHERE ${column} = $2 AND ${where}`, [
            sealer.seal(plaintext, context),
            row.v,
            ...pk,
          ]);
          resealed += updated.rowCount;
        }
        const last = rows.at(-1);
        return { count: rows.length, resealed, last: last && key.map((_, i) => last[`k${i}`]!) };
      });
      if (!batch.count) break;
      after = batch.last;
      result.resealed += batch.resealed;
      await onBatch?.({ table, column, resealed: batch.resealed });
    }
    const { rows } = await sql.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${table} WHERE ${column} IS NOT NULL AND left(${column}, $1::int) <> $2::text`,
      [prefix.length, prefix],
    );
    result.remaining += Number(rows[0]!.n);
  }

  if (readyDir) result.files = await reencryptFiles(sql, sealer, readyDir, { batchSize, onBatch, unreadable: result.unreadable });
  result.filesRemaining = await evidenceUnderOtherCipher(sql, sealer);

  if (result.remaining === 0) {
    const { rows } = await sql.query<{ kid: string }>(
      `UPDATE data_keys SET retired_at = $2, legacy = false WHERE kid <> $1 AND retired_at IS NULL RETURNING kid`,
      [sealer.currentKid, new Date(now()).toISOString()],
    );
    await sql.query('UPDATE data_keys SET legacy = false WHERE kid = $1', [sealer.currentKid]);
    await resealKeyCheck(sql, sealer);
    result.retired = rows.map((r) => r.kid).sort();
  }
  return result;
}


/** Opens a sealed file key; undefined (and reported) when it does not open for its row. */
function openFileKey(sealer: Sealer, table: string, id: string, sealed: string, unreadable?: RekeyResult['unreadable']) {
  try {
    return parseFileKey(sealer.open(sealed, sealedAt(table, 'file_key_enc', id)));
  } catch (error) {
    if (!(error instanceof SealedValueError)) throw error;
    unreadable?.push({ table, column: 'file_key_enc', key: [id] });
    return undefined;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/**
 * Re-encrypts finished evidence files under another cipher than the sealer's, a batch of rows at a time. Per file:
 * a new file key with the current cipher; the plaintext (authenticated chunk by chunk) written sealed to a `.tmp`
 * copy, synced, renamed to a new random name and the folder synced; then one transaction points the row at the new
 * name and key, only if the row still has the key and name read (a report linking it, or `settleLinked` renaming
 * it, meanwhile wins: the copy goes, the next run takes the row); only then does the old file go. A crash at any
 * point leaves the row naming a whole file its key opens, plus at most a stray name (`removeStrayFiles`) or `.tmp`
 * copy (`seal-legacy.ts`); a second run skips what is done. The file keeps its mtime (the Beijing date only).
 */
export async function reencryptFiles(
  sql: Sql,
  sealer: Sealer,
  readyDir: string,
  { batchSize = 200, onBatch, unreadable }: Pick<RekeyOptions, 'batchSize' | 'onBatch'> & { unreadable?: RekeyResult['unreadable'] } = {},
): Promise<number> {
  if (!(await columnExists(sql, 'attachments', 'file_key_enc'))) return 0;
  let done = 0;
  let after = '';
  for (;;) {
    const { rows } = await sql.query<{ id: string; file: string | null; file_key_enc: string }>(
      `SELECT id, file, file_key_enc FROM attachments WHERE status = 'ready' AND file_key_enc IS NOT NULL AND id > $1
        ORDER BY id LIMIT ${Number(batchSize)}`,
      [after],
    );
    if (!rows.length) break;
    let moved = 0;
    for (const row of rows) {
      const key = openFileKey(sealer, 'attachments', row.id, row.file_key_enc, unreadable);
      if (!key || key.cipher === sealer.cipher) continue;
      const from = path.join(readyDir, row.file ?? row.id);
      const name = newRandomName();
      const to = path.join(readyDir, name);
      const tmp = `${to}.${randomBytes(6).toString('hex')}.tmp`;
      const next = newFileKeyFor(sealer.cipher);
      try {
        const { mtime, atime } = await fs.stat(from);
        await writeSealedFile(tmp, next, readSealedFile(from, key));
        await fs.utimes(tmp, atime, mtime);
        await fs.rename(tmp, to);
        const dir = await fs.open(readyDir, 'r');
        await dir.sync().finally(() => dir.close());
      } catch (error) {
        await fs.rm(tmp, { force: true });
        if (isMissing(error)) continue; // renamed or removed meanwhile: the next run sees its new name
        if (error instanceof EvidenceIntegrityError) {
          unreadable?.push({ table: 'attachments', column: 'file', key: [row.id] });
          continue;
        }
        throw error;
      }
      const updated = await sql
        .transaction((tx) =>
          tx.query(
            `UPDATE attachments SET file = $2, file_key_enc = $3
              WHERE id = $1 AND file_key_enc = $4 AND file IS NOT DISTINCT FROM $5`,
            [row.id, name, sealer.seal(fileKeyText(next), fileKeyContext(row.id)), row.file_key_enc, row.file],
          ),
        )
        .catch(async (error: unknown) => {
          await fs.rm(to, { force: true });
          throw error;
        });
      await fs.rm(updated.rowCount === 1 ? from : to, { force: true });
      if (updated.rowCount === 1) moved++;
    }
    after = rows.at(-1)!.id;
    done += moved;
    await onBatch?.({ table: 'attachments', column: 'file', resealed: moved });
  }
  return done;
}

/** Finished files and uploads in progress whose file key is for another cipher than the sealer's. */
async function evidenceUnderOtherCipher(sql: Sql, sealer: Sealer): Promise<number> {
  let count = 0;
  for (const table of ['attachments', 'upload_reservations']) {
    if (!(await columnExists(sql, table, 'file_key_enc'))) continue;
    const { rows } = await sql.query<{ id: string; v: string }>(`SELECT id, file_key_enc AS v FROM ${table} WHERE file_key_enc IS NOT NULL`);
    for (const row of rows) {
      const key = openFileKey(sealer, table, row.id, row.v);
      if (key && key.cipher !== sealer.cipher) count++;
    }
  }
  return count;
}
