/**
 * How long the browser suite waits before it calls something broken, written once: tests/support/wait.ts and
 * web-test-runner.config.mjs read these. They are backstops for a test that hangs, never a measure of speed (time
 * logic moves a ManualClock, order is awaited through events), so they are set from the slowest the suite was seen to
 * be on this 2-core machine with Chromium, Firefox ESR and WebKitGTK and other CPU-heavy work beside it (load average
 * 16–21), with room above that:
 * - the first call of a lazily loaded SDK method in a page (the region picker's first list) pulls about 100 unbundled
 *   modules through the dev server, zod and its locales among them: 2.2–6 s on a quiet machine; under load the region
 *   picker's first test took 6–16 s in Chromium and Firefox and 12.6–41 s in WebKit (two busy loops beside it, load
 *   average 16–21). @open-wc's default wait of 1 s is what failed once, and 41 s is past the 25 s ceiling and 30 s test timeout before;
 * - the intake from notice to receipt took 15.6 s; report-form.test.ts (25 tests) did not finish in the runner's
 *   default 120 s for a file in one engine.
 */
export const TIME_BUDGETS = {
  /** One condition on the real server or the page (a list arrives, a step shows): waitUntil's ceiling. */
  waitMs: 60_000,
  /** One test (mocha's timeout): several waits in a row, so above `waitMs`, which then fails first with its message. */
  testMs: 120_000,
  /** A browser (WebKitGTK starts Xvfb, WebKitWebDriver and MiniBrowser) to open a test page. */
  browserStartMs: 120_000,
  /** The page to load the test framework and say it has started. */
  testsStartMs: 60_000,
  /** One test file's whole run, every test in it: a backstop for a hung page only. */
  testsFinishMs: 900_000,
} as const;
