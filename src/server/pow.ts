/**
 * The notice's proof-of-work (#17.2): every reading receipt carries an ALTCHA challenge (altcha-lib, v2 key
 * derivation, SHA-256) that the citizen's browser solves while the notice is read, and the receipt is confirmed only
 * with its solution. One receipt, one challenge, one confirmation, one report: a flood of reports costs the flooder
 * CPU per report, and more the more it floods, while a citizen never waits longer than the 15 s read.
 *
 * - Bound to the receipt and stored in the database (`pow_challenges`), so a solution is single use across instances:
 *   the first confirmation that presents one claims the row (DELETE … RETURNING) before it is checked, so a wrong
 *   guess spends the challenge too (the server is no oracle to search the counter with) and a second use finds none.
 * - Difficulty is the counter range (`maxNumber`, altcha's `maxnumber`): the server picks the answer uniformly in
 *   0…maxNumber, so a solver tries maxNumber / 2 keys on average. It grows with the receipts opened in the last
 *   window by the client's bucket and by everyone together (`maxNumberFor`).
 * - At most `openPerClient` unconfirmed receipts opened in the last `openWindowMs` per client bucket (429). The
 *   bucket (the day-salted hash of the client's address) is stored only on the open challenge and leaves with it at
 *   confirmation: nothing kept ties a confirmed receipt, hence a report, to a client.
 */
import { randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Clock } from './clock.js';
import type { Queryable, Sql } from './db/sql.js';
import { RateLimited } from './rate-limit.js';
import { POW_MAX_NUMBER, type PowChallenge, type PowSolution } from '../sdk/schemas/notice.js';

export interface PowSettings {
  /**
   * Counter range in the normal case. 150,000 is 75,000 SHA-256 on average: ≈ 0.2 s, and at most ≈ 0.6 s, for the
   * SDK's solver in a 4× CPU-throttled Chromium on this project's bench machine (`npm run bench -- --only pow`).
   */
  baseMaxNumber: number;
  /** The window both load counts cover (sliding: the previous fixed window counts in proportion). */
  windowMs: number;
  /** Receipts a client bucket opens per window at the base price (a citizen who reloads a few times). */
  freePerClient: number;
  /** Beyond them, the price doubles every this many receipts of the bucket … */
  clientStep: number;
  /** … up to this factor. */
  clientMaxFactor: number;
  /** Receipts per window from everyone together at the base price; each doubling beyond doubles the price … */
  normalTotal: number;
  /** … up to this factor. */
  totalMaxFactor: number;
  /** Unconfirmed receipts one client bucket may hold, counted over `openWindowMs` (then 429 with Retry-After). */
  openPerClient: number;
  openWindowMs: number;
  /** A challenge not confirmed within this time is void (the citizen's page then opens a new receipt). */
  ttlMs: number;
}

export const DEFAULT_POW: PowSettings = {
  baseMaxNumber: 150_000,
  windowMs: 10 * 60_000,
  freePerClient: 4,
  clientStep: 2,
  clientMaxFactor: 64,
  normalTotal: 1_000,
  totalMaxFactor: 8,
  openPerClient: 10,
  openWindowMs: 10 * 60_000,
  ttlMs: 3600_000,
};

/** Receipts opened in the last window: by the asking client's bucket (this one included) and by everyone. */
export interface PowLoad {
  client: number;
  total: number;
}

/**
 * The counter range for a receipt opened under `load`: the base price, doubled every `clientStep` receipts a bucket
 * opens beyond `freePerClient`, and doubled for each doubling of everyone's receipts beyond `normalTotal`; each
 * factor capped. With the defaults: 150 k for the first 4 receipts of a bucket in 10 min, 300 k for the 5th and 6th,
 * … 9.6 M (×64) from the 16th on; a global flood adds up to ×8 for everyone (1.2 M, still ≈ 2–5 s on a throttled
 * phone, hidden behind the 15 s read).
 */
export function maxNumberFor(load: PowLoad, s: PowSettings): number {
  const over = Math.max(0, load.client - s.freePerClient);
  const clientFactor = Math.min(s.clientMaxFactor, 2 ** Math.ceil(over / s.clientStep));
  const totalFactor = Math.min(s.totalMaxFactor, 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, load.total) / s.normalTotal))));
  return Math.min(POW_MAX_NUMBER, Math.round(s.baseMaxNumber * clientFactor * totalFactor));
}

const ALL = '*';

/** `secret` signs the challenges' parameters (altcha's HMAC); instances that share the data key share it. */
export function createPow({ sql, clock, secret: hmacSecret, settings = DEFAULT_POW }: { sql: Sql; clock: Clock; secret: string; settings?: PowSettings }) {

  /**
   * Counts this receipt in the load meter (before the cap: refused attempts are load too) and returns the sliding
   * window's counts. One statement for both rows, so it stays one round trip per receipt.
   */
  async function measure(bucket: string, now: number): Promise<PowLoad> {
    const { windowMs } = settings;
    const start = Math.floor(now / windowMs) * windowMs;
    const previous = new Date(start - windowMs).toISOString();
    const { rows } = await sql.query<{ scope: string; window_start: string | Date; opened: number }>(
      `WITH bumped AS (
         INSERT INTO pow_load (scope, window_start, opened) VALUES ($1, $2, 1), ($3, $2, 1)
         ON CONFLICT (scope, window_start) DO UPDATE SET opened = pow_load.opened + 1
         RETURNING scope, window_start, opened)
       SELECT scope, window_start, opened FROM bumped
       UNION ALL SELECT scope, window_start, opened FROM pow_load WHERE scope IN ($1, $3) AND window_start = $4`,
      [bucket, new Date(start).toISOString(), ALL, previous],
    );
    const weight = 1 - (now - start) / windowMs;
    const count = (scope: string) =>
      rows
        .filter((r) => r.scope === scope)
        .reduce((n, r) => n + (new Date(r.window_start).getTime() === start ? r.opened : r.opened * weight), 0);
    return { client: Math.ceil(count(bucket)), total: Math.ceil(count(ALL)) };
  }

  /**
   * A challenge for the receipt `receiptId`, inserted in `tx` (the transaction that inserts the receipt, so a refusal
   * leaves neither). Throws 429 when the bucket already holds `openPerClient` open receipts.
   */
  async function issue(tx: Queryable, receiptId: string, bucket: string, load: PowLoad): Promise<PowChallenge> {
    const now = clock.now();
    // Serialises the count-then-insert of one bucket across instances (PGlite has one connection anyway).
    if (sql.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 72410005))', [bucket]);
    // Counts no further than the cap: the index gives the first `openPerClient` rows, however many the bucket has.
    const at = new Date(now).toISOString();
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM pow_challenges WHERE client_bucket = $1 AND counts_until > $2 LIMIT $3) AS open`,
      [bucket, at, settings.openPerClient],
    );
    if (rows[0]!.n >= settings.openPerClient) {
      const { rows: first } = await tx.query<{ until: string | Date }>(
        'SELECT counts_until AS until FROM pow_challenges WHERE client_bucket = $1 AND counts_until > $2 ORDER BY counts_until LIMIT 1',
        [bucket, at],
      );
      throw new RateLimited('receipt-open', new Date(first[0]!.until).getTime() - now);
    }
    const maxNumber = maxNumberFor(load, settings);
    const challenge = await createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(0, maxNumber + 1),
      deriveKey,
      hmacSignatureSecret: hmacSecret,
    });
    await tx.query(
      `INSERT INTO pow_challenges (receipt_id, challenge, client_bucket, counts_until, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        receiptId,
        JSON.stringify(challenge),
        bucket,
        new Date(now + settings.openWindowMs).toISOString(),
        new Date(now + settings.ttlMs).toISOString(),
      ],
    );
    const { algorithm, nonce, salt, cost, keyLength, keyPrefix } = challenge.parameters;
    return { algorithm: algorithm as 'SHA-256', nonce, salt, cost, keyLength: keyLength as 32, keyPrefix, maxNumber };
  }

  /**
   * Spends the receipt's challenge with `solution`, inside `tx`: claimed first, then checked. Returns whether it was
   * valid (the caller throws after committing, so a wrong guess stays spent). No solution at all spends nothing.
   */
  async function redeem(tx: Queryable, receiptId: string, solution: PowSolution | undefined): Promise<boolean> {
    if (!solution) return false;
    const { rows } = await tx.query<{ challenge: Challenge | string; expires_at: string | Date }>(
      'DELETE FROM pow_challenges WHERE receipt_id = $1 RETURNING challenge, expires_at',
      [receiptId],
    );
    const row = rows[0];
    if (!row || new Date(row.expires_at).getTime() <= clock.now()) return false;
    const challenge = typeof row.challenge === 'string' ? (JSON.parse(row.challenge) as Challenge) : row.challenge;
    const result = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: hmacSecret });
    return result.verified;
  }

  async function prune(): Promise<void> {
    const now = clock.now();
    await sql.query('DELETE FROM pow_challenges WHERE expires_at < $1', [new Date(now).toISOString()]);
    await sql.query('DELETE FROM pow_load WHERE window_start < $1', [new Date(now - 2 * settings.windowMs).toISOString()]);
  }

  return { measure, issue, redeem, prune, settings };
}

export type Pow = ReturnType<typeof createPow>;
