import { sealedAt, type Sealer } from './crypto.js';
import type { Queryable, Sql } from './db/sql.js';
import { Problem } from './problem.js';

/**
 * Where a submission path keeps its claims: a citizen's `Idempotency-Key`, or a province's `externalId` (one per
 * scope). Each row holds the request's hash and, once the report exists, its receipt sealed to that row.
 */
export type ClaimSlot =
  | { table: 'idempotency_keys'; key: string }
  | { table: 'external_ids'; scope: string; externalId: string };

export interface Claim {
  slot: ClaimSlot;
  /** `requestHash()` of what is submitted: the same key with other content is 409. */
  hash: string;
  /** Stored as the claim's time (a citizen's claim keeps only the day, #17.6). */
  createdAt: string;
  /** The 409's text when the key was used for other content; the code's own text by default. */
  reusedMessage?: string;
}

// Column lists per table: fixed identifiers, never input.
const COLUMNS = {
  idempotency_keys: ['key'],
  external_ids: ['scope', 'external_id'],
} as const;

const keyOf = (slot: ClaimSlot) =>
  slot.table === 'idempotency_keys'
    ? { table: slot.table, columns: COLUMNS.idempotency_keys, values: [slot.key] }
    : { table: slot.table, columns: COLUMNS.external_ids, values: [slot.scope, slot.externalId] };

/**
 * One key, one report, for both submission paths: a replay with the same content answers the stored receipt, other
 * content under the same key is 409 `IDEMPOTENCY_KEY_REUSED`. `prepare` runs only for a key not seen yet, outside
 * the transaction (checks that may call out, such as the SMS code); `create` runs inside it, after the claim.
 * Concurrent requests with one key serialise on the claim's primary key: the loser answers the winner's receipt.
 */
export async function claimOrReplay<R extends { reportCode: string }, P>(
  { sql, sealer }: { sql: Sql; sealer: Sealer },
  claim: Claim,
  prepare: () => Promise<P> | P,
  create: (tx: Queryable, prepared: P) => Promise<R>,
): Promise<{ receipt: R; created: boolean }> {
  const { table, columns, values } = keyOf(claim.slot);
  const where = columns.map((column, i) => `${column} = $${i + 1}`).join(' AND ');
  const aad = () => sealedAt(table, 'response_enc', ...values);

  async function replay(db: Queryable): Promise<R | undefined> {
    const { rows } = await db.query<{ request_hash: string; response_enc: string | null }>(
      `SELECT request_hash, response_enc FROM ${table} WHERE ${where}`,
      values,
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== claim.hash || !row.response_enc) {
      throw new Problem(409, 'IDEMPOTENCY_KEY_REUSED', claim.reusedMessage ? { message: claim.reusedMessage } : {});
    }
    return JSON.parse(sealer.open(row.response_enc, aad())) as R;
  }

  const earlier = await replay(sql);
  if (earlier) return { receipt: earlier, created: false };
  const prepared = await prepare();
  return sql.transaction(async (tx) => {
    const n = values.length;
    const claimed = await tx.query(
      `INSERT INTO ${table} (${columns.join(', ')}, request_hash, created_at)
       VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}, $${n + 1}, $${n + 2})
       ON CONFLICT (${columns.join(', ')}) DO NOTHING RETURNING ${columns[0]}`,
      [...values, claim.hash, claim.createdAt],
    );
    if (claimed.rowCount === 0) {
      const stored = await replay(tx);
      if (stored) return { receipt: stored, created: false };
    }
    const receipt = await create(tx, prepared);
    await tx.query(`UPDATE ${table} SET report_code = $${n + 1}, response_enc = $${n + 2} WHERE ${where}`, [
      ...values,
      receipt.reportCode,
      sealer.seal(JSON.stringify(receipt), aad()),
    ]);
    return { receipt, created: true };
  });
}
