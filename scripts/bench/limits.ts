import type { RateLimits } from '../../src/server/app.js';

/**
 * A bench is not an abuse test: every page load opens a notice receipt, every flow files a report from 127.0.0.1, the
 * server bench's 50 clients share one loopback address, and the pages bench's manual clock never moves a rate-limit
 * window on; the per-address limits would trip at once, so they are raised out of the way. The counters are still
 * written on every request (same SQL as production).
 */
export const BENCH_LIMITS: Partial<RateLimits> = {
  noticeReceipts: { max: 1e9, windowMs: 3600_000 },
  reports: { max: 1e9, windowMs: 3600_000 },
  lookupsPerClient: { max: 1e9, windowMs: 60_000 },
  lookupsPerCode: { max: 1e9, windowMs: 3600_000 },
};
