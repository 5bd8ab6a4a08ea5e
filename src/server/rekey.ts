import { sealedAt, SealedValueError, type DataKeys } from './crypto.js';
import type { Sql } from './db/sql.js';
import { columnExists, openSealer, SEALED_COLUMNS, unregisteredSealedColumns } from './keys.js';

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
}

/**
 * Re-seals every sealed column under the current key (the keyring's first), in batches of `batchSize` rows, each
 * batch its own transaction, so a crash halfway leaves every value readable under the keyring and a second run
 * finishes the job: values already under the current key are skipped. Legacy `v1.` values gain their row binding
 * here. A value is replaced only if it is still the one read (a concurrent writer wins). At the end, when no value
 * under another key is left, the other keys are retired: the server no longer asks for them, nor accepts `v1.`.
 * `onBatch` runs after each committed batch (progress output).
 */
export async function rekey(
  sql: Sql,
  keys: DataKeys,
  { batchSize = 200, onBatch, now = Date.now }: { batchSize?: number; onBatch?: (p: RekeyProgress) => void | Promise<void>; now?: () => number } = {},
): Promise<RekeyResult> {
  const unknown = await unregisteredSealedColumns(sql);
  if (unknown.length) throw new Error(`Sealed columns missing from SEALED_COLUMNS (src/server/keys.ts): ${unknown.join(', ')}`);
  const sealer = await openSealer(sql, keys, now);
  const prefix = `v2.${sealer.currentKid}.`;
  const result: RekeyResult = { resealed: 0, unreadable: [], retired: [], remaining: 0 };

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

  if (result.remaining === 0) {
    const { rows } = await sql.query<{ kid: string }>(
      `UPDATE data_keys SET retired_at = $2, legacy = false WHERE kid <> $1 AND retired_at IS NULL RETURNING kid`,
      [sealer.currentKid, new Date(now()).toISOString()],
    );
    await sql.query('UPDATE data_keys SET legacy = false WHERE kid = $1', [sealer.currentKid]);
    result.retired = rows.map((r) => r.kid).sort();
  }
  return result;
}

