/**
 * Every demo page a provincial web team copies from runs under the demo's strict policy (no inline script but the
 * hashed import map, no eval, Trusted Types enforced with Lit's policy only), in every engine: each one does its work
 * with no violation report and no script error. The whole report on the Henan page is watched in security.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, pageProblems, until, type E2E } from './support/harness.js';

/** Each page, and what shows that its script did its work (run in the page). */
const PAGES: Record<string, () => boolean> = {
  'index.html': () => document.querySelectorAll('a[href]').length > 0,
  'henan.html': () => !!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate')?.shadowRoot?.querySelector('[part~="accept-button"]'),
  'hostile.html': () => !!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate')?.shadowRoot?.querySelector('[part~="accept-button"]'),
  'lookup.html': () => !!document.querySelector('aqjb-progress-lookup')?.shadowRoot?.querySelector('input'),
  'sdk.html': () => document.getElementById('notice-body')!.childElementCount > 0,
  'configurator.html': () => document.getElementById('snippet')!.textContent!.startsWith('<script type="importmap">'),
  'legacy/henan.html': () => !!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate'),
};

/**
 * What loads after the first screen (the later steps, the dictionaries…) gets its chance to complain too: waits until
 * neither the pages' server nor the API has been asked for anything for half a second (Playwright's network idle).
 */
async function settled(e2e: E2E): Promise<void> {
  let last = -1;
  let since = Date.now();
  await until(() => {
    const seen = e2e.pages.requests.length + e2e.front.passed.length;
    if (seen !== last) [last, since] = [seen, Date.now()];
    return Date.now() - since >= 500;
  }, 'the network to go quiet');
}

forEachEngine((e2e) => {
  for (const [path, works] of Object.entries(PAGES)) {
    test(`${path} runs under the strict policy without a violation or a script error`, async () => {
      const url = `${e2e().demo.url}${path}`;
      // The policy the page is served with (the same server answers the browser).
      assert.match((await fetch(url)).headers.get('content-security-policy') ?? '', /require-trusted-types-for 'script'/);
      const page = await e2e().newPage();
      await page.goto(url);
      await until(() => page.evaluate(works), `${path} at work`);
      await settled(e2e());
      assert.deepEqual(await pageProblems(page), { csp: [], errors: [] });
    });
  }
});
