/**
 * The browser engines the tests run in, and which of them a run picks: `AQJB_ENGINES` (comma list), all three by
 * default. One rule for `npm test` (scripts/test.mjs), the element runner (web-test-runner.config.mjs) and the
 * end-to-end driver; a misspelt engine stops the run instead of running nothing.
 */
export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;
export type Engine = (typeof ENGINES)[number];

export function engines(): Engine[] {
  const names = (process.env.AQJB_ENGINES || ENGINES.join(',')).split(',').map((e) => e.trim()).filter(Boolean);
  for (const name of names) if (!(ENGINES as readonly string[]).includes(name)) throw new Error(`AQJB_ENGINES: unknown engine ${name} (${ENGINES.join(', ')})`);
  return names as Engine[];
}

/**
 * Firefox's binary for every launcher (element runner, e2e driver, scripts/shot.ts, and `npm test`'s check for the
 * package): Debian's Firefox ESR, or FIREFOX_PATH (as CHROME_PATH for Chromium).
 */
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/**
 * Firefox as on a phone, for every launcher (element runner, e2e driver, scripts/shot.ts): overlay scroll bars. The
 * classic ones took 12 px of a 360 px viewport (348 px of layout), so Firefox wrapped earlier than any phone.
 */
export const FIREFOX_PREFS = { 'ui.useOverlayScrollbars': 1 };
