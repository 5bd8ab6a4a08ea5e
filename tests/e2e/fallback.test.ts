/**
 * Where the elements cannot run (a browser without modules or custom elements, or a script the network lost),
 * the citizen sees the portal's fallback text with the 12350 hotline instead of a blank space; where they run,
 * that text is hidden by the shadow root. In every engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, until } from './support/harness.js';
import { inIntake } from './support/intake.js';

const FALLBACK = ['aqjb-intake', '.fallback'] as const;

forEachEngine((e2e) => {
  test('without the widget script the page shows the 12350 fallback instead of a blank space', async () => {
    const page = await e2e().newPage();
    // The script never arrives, as on an old browser that ignores type="module" or a CDN that failed: its connection
    // is dropped.
    e2e().pages.answer = (path) => (path === '/dist/aqjb-embed.js' ? 'reset' : undefined);
    await page.goto(`${e2e().demo.url}henan.html`);
    await page.waitFor(FALLBACK, 'the fallback text');
    assert.match(await page.text(FALLBACK), /12350/);
    assert.ok(e2e().pages.requests.some((r) => r.path === '/dist/aqjb-embed.js'), 'the page asked for the script');
  });

  test('with the widget running, the fallback text is not shown', async () => {
    const page = await e2e().newPage();
    await page.goto(`${e2e().demo.url}henan.html`);
    await until(async () => (await page.isVisible(inIntake('aqjb-notice-gate', '[part~="title"]'))) && (await page.text(inIntake('aqjb-notice-gate', '[part~="title"]'))) === '安全生产举报须知', 'the notice');
    assert.equal(await page.isVisible(FALLBACK), false);
  });
});
