/**
 * Where the elements cannot run (a browser without modules or custom elements, or a script the network lost),
 * the citizen sees the portal's fallback text with the 12350 hotline instead of a blank space; where they run,
 * that text is hidden by the shadow root.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, until, type E2E } from './support/chromium-harness.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test('without the widget script the page shows the 12350 fallback instead of a blank space', async () => {
  const { page } = await e2e.newPage();
  // The script never arrives, as on an old browser that ignores type="module" or a CDN that failed.
  await page.route('**/dist/aqjb-embed.js', (route) => route.abort());
  await page.goto(new URL('henan.html', e2e.demo.url).href);
  const fallback = page.locator('aqjb-intake .fallback');
  await until(() => fallback.isVisible(), 'the fallback text');
  assert.match((await fallback.textContent()) ?? '', /12350/);
});

test('with the widget running, the fallback text is not shown', async () => {
  const { page } = await e2e.newPage();
  await page.goto(new URL('henan.html', e2e.demo.url).href);
  await until(() => page.getByRole('heading', { name: '安全生产举报须知' }).isVisible(), 'the notice');
  assert.equal(await page.locator('aqjb-intake .fallback').isVisible(), false);
});
