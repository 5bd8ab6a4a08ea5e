import { waitUntil as poll } from '@open-wc/testing';

/**
 * `waitUntil` for the browser tests, whose conditions wait on the real reference server (a fetch, a database
 * write). @open-wc's default of 1 s was missed on a busy CI machine (the region picker's first list took longer to
 * arrive), and a wait that fails because the machine is slow is a flaky test. The bound here is only a backstop far
 * beyond any real answer, below the test's own timeout (web-test-runner.config.mjs), so a condition that never
 * holds still fails with its message. Time logic never waits here: it moves a ManualClock.
 */
export const WAIT_BACKSTOP_MS = 25_000;

export function waitUntil(
  predicate: () => unknown | Promise<unknown>,
  message?: string,
  options: { interval?: number; timeout?: number } = {},
): Promise<void> {
  return poll(predicate, message, { interval: 20, ...options, timeout: Math.max(options.timeout ?? 0, WAIT_BACKSTOP_MS) });
}
