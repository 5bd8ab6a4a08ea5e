import type { Clock } from './clock.js';
import type { Sql } from './db/sql.js';
import { randomToken, secretHash } from './crypto.js';
import { Problem } from './problem.js';
import type { NoticeAck, NoticeReceipt } from '../sdk/schemas/notice.js';

/** How long a confirmed notice lets a citizen take to fill in the form. */
export const ACK_TTL_MS = 3 * 3600_000;
/** A receipt not confirmed within a day is void. */
export const RECEIPT_TTL_MS = 24 * 3600_000;

/**
 * The 15-second reading rule, on the server's clock: a receipt is opened when the notice is shown, and only a
 * confirmation at least `minReadSeconds` later yields the token a report needs.
 */
export function createNoticeService({ sql, clock, minReadSeconds }: { sql: Sql; clock: Clock; minReadSeconds: number }) {
  async function open(): Promise<NoticeReceipt> {
    const now = clock.now();
    const id = randomToken(18);
    const readableAt = new Date(now + minReadSeconds * 1000).toISOString();
    await sql.query('INSERT INTO notice_receipts (id, created_at, readable_at) VALUES ($1, $2, $3)', [
      id,
      new Date(now).toISOString(),
      readableAt,
    ]);
    return { receiptId: id, readableAt };
  }

  async function confirm(id: string): Promise<NoticeAck> {
    const now = clock.now();
    const { rows } = await sql.query<{ created_at: string | Date; readable_at: string | Date; consumed_at: unknown }>(
      'SELECT created_at, readable_at, consumed_at FROM notice_receipts WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row || row.consumed_at || new Date(row.created_at).getTime() + RECEIPT_TTL_MS < now) {
      throw new Problem(404, 'NOTICE_RECEIPT_NOT_FOUND');
    }
    const wait = new Date(row.readable_at).getTime() - now;
    if (wait > 0) throw new Problem(409, 'NOTICE_TOO_EARLY', { retryAfterMs: wait });
    // Confirming again issues a fresh token and voids the previous one.
    const ackToken = randomToken(24);
    const expiresAt = new Date(now + ACK_TTL_MS).toISOString();
    await sql.query('UPDATE notice_receipts SET ack_hash = $2, ack_expires_at = $3 WHERE id = $1', [
      id,
      secretHash(ackToken),
      expiresAt,
    ]);
    return { ackToken, expiresAt };
  }

  async function prune(): Promise<void> {
    await sql.query('DELETE FROM notice_receipts WHERE created_at < $1', [new Date(clock.now() - 2 * RECEIPT_TTL_MS).toISOString()]);
  }

  return { open, confirm, prune };
}
