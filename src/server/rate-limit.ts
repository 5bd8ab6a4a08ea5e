import type { Queryable } from './db/sql.js';
import { Problem } from './problem.js';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters in the database, so every instance behind a load balancer counts together. Buckets are
 * hashed by the caller: no phone number or address is stored in clear.
 */
export async function hit(db: Queryable, bucket: string, limit: Limit, now: number): Promise<void> {
  const start = Math.floor(now / limit.windowMs) * limit.windowMs;
  const { rows } = await db.query<{ count: number }>(
    `INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
     RETURNING count`,
    [bucket, new Date(start).toISOString()],
  );
  if ((rows[0]?.count ?? 0) > limit.max) {
    throw new Problem(429, 'RATE_LIMITED', { retryAfterMs: start + limit.windowMs - now });
  }
}

export async function pruneRateLimits(db: Queryable, now: number, keepMs = 24 * 3600_000): Promise<void> {
  await db.query('DELETE FROM rate_limits WHERE window_start < $1', [new Date(now - keepMs).toISOString()]);
}
