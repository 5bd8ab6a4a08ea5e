import type { Clock } from './clock.js';
import type { Sql } from './db/sql.js';
import { randomToken, secretHash } from './crypto.js';
import { Problem } from './problem.js';
import type { Pow } from './pow.js';
import type { NoticeAck, NoticeReceipt, PowSolution } from '../sdk/schemas/notice.js';

/** How long a confirmed notice lets a citizen take to fill in the form. */
export const ACK_TTL_MS = 3 * 3600_000;
/** A receipt not confirmed within a day is void. */
export const RECEIPT_TTL_MS = 24 * 3600_000;

/**
 * The 15-second reading rule, on the server's clock: a receipt is opened when the notice is shown, and only a
 * confirmation at least `minReadSeconds` later, carrying the solution of the receipt's proof-of-work (`pow.ts`),
 * yields the token a report needs. One receipt is confirmed once.
 */
export function createNoticeService({ sql, clock, minReadSeconds, pow }: { sql: Sql; clock: Clock; minReadSeconds: number; pow: Pow }) {
  /** Opens a receipt for the client whose (hashed) bucket is `clientBucket`; 429 past its open-receipt cap. */
  async function open(clientBucket: string): Promise<NoticeReceipt> {
    const load = await pow.measure(clientBucket, clock.now());
    return sql.transaction(async (tx) => {
      const now = clock.now();
      const id = randomToken(18);
      const readableAt = new Date(now + minReadSeconds * 1000).toISOString();
      await tx.query('INSERT INTO notice_receipts (id, created_at, readable_at) VALUES ($1, $2, $3)', [
        id,
        new Date(now).toISOString(),
        readableAt,
      ]);
      const challenge = await pow.issue(tx, id, clientBucket, load);
      return { receiptId: id, readableAt, challenge };
    });
  }

  /**
   * 404 for an unknown, used or expired receipt; 409 before the reading time is over (the solution is not spent);
   * then 400 `CHALLENGE_INVALID` unless `solution` solves the receipt's unused, unexpired challenge.
   */
  async function confirm(id: string, solution: PowSolution | undefined): Promise<NoticeAck> {
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
    const ackToken = randomToken(24);
    const expiresAt = new Date(now + ACK_TTL_MS).toISOString();
    // The challenge is spent in the same transaction that issues the token; a refused solution stays spent (the
    // transaction commits, then we refuse), so nobody can search the counter by asking the server.
    const solved = await sql.transaction(async (tx) => {
      if (!(await pow.redeem(tx, id, solution))) return false;
      await tx.query('UPDATE notice_receipts SET ack_hash = $2, ack_expires_at = $3 WHERE id = $1', [
        id,
        secretHash(ackToken),
        expiresAt,
      ]);
      return true;
    });
    if (!solved) throw new Problem(400, 'CHALLENGE_INVALID');
    return { ackToken, expiresAt };
  }

  async function prune(): Promise<void> {
    await pow.prune();
    await sql.query('DELETE FROM notice_receipts WHERE created_at < $1', [new Date(clock.now() - 2 * RECEIPT_TTL_MS).toISOString()]);
  }

  return { open, confirm, prune };
}
