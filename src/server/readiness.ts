/**
 * Readiness (`GET /health`, #19.5): whether this instance can take a report now. Two checks, each with a short
 * timeout so a hung database or network mount answers 503 in time instead of holding the load balancer's probe:
 *
 * - `database`: `SELECT 1` answers.
 * - `uploads`: every upload folder takes a file: a probe file is created (exclusively), written and removed in each.
 *   Not `fs.access(W_OK)`: it says yes to root whatever the mode bits, and yes to a path that is a file; and it
 *   never touches the disk, so a stale network mount or an unusable folder would pass it.
 *
 * The answer names a failed check and nothing else: no path, no error text.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './db/sql.js';

export type ReadinessCheck = 'database' | 'uploads';

/** How long each check may take before it counts as failed. */
export const READINESS_TIMEOUT_MS = 2000;

/** Settles with `work`, or rejects once `ms` have passed (the work itself is left to finish or fail on its own). */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function probe(directory: string): Promise<void> {
  const file = path.join(directory, `.ready-${randomBytes(6).toString('hex')}`);
  await writeFile(file, 'ready\n', { flag: 'wx', mode: 0o600 });
  await rm(file);
}

export function createReadiness({ sql, directories, timeoutMs = READINESS_TIMEOUT_MS }: { sql: Sql; directories: readonly string[]; timeoutMs?: number }) {
  const checks: Record<ReadinessCheck, () => Promise<unknown>> = {
    database: () => sql.query('SELECT 1'),
    uploads: () => Promise.all(directories.map(probe)),
  };
  /** The checks that failed, in a fixed order; empty when the instance is ready. */
  return async function failedChecks(): Promise<ReadinessCheck[]> {
    const names = Object.keys(checks) as ReadinessCheck[];
    const results = await Promise.allSettled(names.map((name) => within(Promise.resolve().then(checks[name]), timeoutMs)));
    return names.filter((_, i) => results[i]!.status === 'rejected');
  };
}
