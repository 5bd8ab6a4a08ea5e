import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from './db/sql.js';
import { Problem } from './problem.js';
import { BEIJING_OFFSET_MS, beijingDate } from './deadlines.js';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  /** Windows are aligned to Beijing midnight; one that divides a day never spans two salt days. */
  windowMs: number;
}

/** Start of the fixed window holding `now`, counted from Beijing midnight (UTC+8). */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor((now + BEIJING_OFFSET_MS) / windowMs) * windowMs - BEIJING_OFFSET_MS;
}

async function increment(db: Queryable, bucket: string, start: number, by: 1 | -1 = 1): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, $3)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + $3
     RETURNING count`,
    [bucket, new Date(start).toISOString(), by],
  );
  return rows[0]?.count ?? 0;
}

/**
 * A 429 that names the limit it enforces (for `aqjb_rate_limit_refusals_total`, #19.5): the answer is the plain
 * `RATE_LIMITED` problem; the name is the bucket's first part (`lookup`, `sms`, `staff-auth`, …), never its hash.
 */
export class RateLimited extends Problem {
  constructor(
    readonly limit: string,
    retryAfterMs?: number,
  ) {
    super(429, 'RATE_LIMITED', retryAfterMs === undefined ? {} : { retryAfterMs });
  }
}

const limited = (bucket: string, start: number, limit: Limit, now: number) =>
  new RateLimited(bucket.split(':', 1)[0]!, start + limit.windowMs - now);

/**
 * Fixed-window counters in the database, so every instance behind a load balancer counts together. Buckets are
 * hashed by the caller: no phone number or address is stored in clear (client buckets: `ClientSalts`).
 */
export async function hit(db: Queryable, bucket: string, limit: Limit, now: number): Promise<void> {
  const start = windowStart(now, limit.windowMs);
  if ((await increment(db, bucket, start)) > limit.max) throw limited(bucket, start, limit, now);
}

/**
 * Counts failed attempts only (#17.8): `attempt` runs while fewer than `limit.max` failures are counted in the
 * window, and its slot is given back unless `failed(error)` says it failed. The slot is taken before the attempt
 * (not after), so parallel requests cannot slip past the limit together; a success never counts, so until the
 * limit is reached the rightful owner always gets through.
 */
export async function limitFailures<T>(
  db: Queryable,
  bucket: string,
  limit: Limit,
  now: number,
  attempt: () => Promise<T>,
  failed: (error: unknown) => boolean,
): Promise<T> {
  const start = windowStart(now, limit.windowMs);
  const release = () => increment(db, bucket, start, -1);
  if ((await increment(db, bucket, start)) > limit.max) {
    await release();
    throw limited(bucket, start, limit, now);
  }
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    if (!failed(error)) await release();
    throw error;
  }
  await release();
  return result;
}

/**
 * Client buckets are hashed under a random salt of the Beijing day, kept in the database so every instance uses
 * the same one, and destroyed by `pruneRateLimits` once the day is over (#17.6). While it lives, anyone holding the
 * database and the data key could test addresses against today's buckets; afterwards nobody can, key or not.
 * The data-key pepper keeps a stolen database alone from doing even that.
 */
export interface ClientSalts {
  /** `HMAC(day key, value)` for the Beijing day of `now`. */
  hash(value: string, now: number): Promise<string>;
  /** Forgets this process's copy of past days' salts (the database's copy goes in `pruneRateLimits`). */
  forget(now: number): void;
}

export function createClientSalts(db: Queryable, pepper: string, hmac: 'sha256' | 'sm3' = 'sha256'): ClientSalts {
  let cached: { day: string; key: Buffer } | undefined;
  async function keyOf(day: string): Promise<Buffer> {
    if (cached?.day === day) return cached.key;
    // Insert-or-keep, then read: instances starting the day together all end up with the first one's salt.
    await db.query('INSERT INTO rate_limit_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [
      day,
      randomBytes(32).toString('base64'),
    ]);
    const { rows } = await db.query<{ salt: string }>('SELECT salt FROM rate_limit_salts WHERE day = $1', [day]);
    const key = createHmac(hmac, Buffer.from(rows[0]!.salt, 'base64')).update(pepper).digest();
    cached = { day, key };
    return key;
  }
  return {
    async hash(value, now) {
      return createHmac(hmac, await keyOf(beijingDate(now)))
        .update(value)
        .digest('base64url');
    },
    forget(now) {
      if (cached && cached.day < beijingDate(now)) cached = undefined;
    },
  };
}

/** Deletes windows older than `keepMs` (the longest window) and every salt of a Beijing day that is over. */
export async function pruneRateLimits(db: Queryable, now: number, keepMs = 24 * 3600_000): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [new Date(now - keepMs).toISOString()]);
  await db.query('DELETE FROM rate_limit_salts WHERE day < $1', [beijingDate(now)]);
}
