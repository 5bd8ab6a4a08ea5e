import { waitUntil as poll } from '@open-wc/testing';
import { TIME_BUDGETS } from './time-budgets.js';

/**
 * `waitUntil` for the browser tests, whose conditions wait on the real reference server (a fetch, a database
 * write) and on modules the dev server loads on first use. @open-wc's default of 1 s was missed on a busy machine
 * (the region picker's first list), and a wait that fails because the machine is slow is a flaky test. The one
 * ceiling is `TIME_BUDGETS.waitMs` (see there for how it was measured): a backstop far beyond any real answer, below
 * the test's own timeout, so a condition that never holds still fails with its message. A call may raise it, never
 * lower it. Time logic never waits here: it moves a ManualClock.
 */
export const WAIT_BACKSTOP_MS = TIME_BUDGETS.waitMs;

export function waitUntil(
  predicate: () => unknown | Promise<unknown>,
  message?: string,
  options: { interval?: number; timeout?: number } = {},
): Promise<void> {
  return poll(predicate, message, { interval: 20, ...options, timeout: Math.max(options.timeout ?? 0, WAIT_BACKSTOP_MS) });
}
