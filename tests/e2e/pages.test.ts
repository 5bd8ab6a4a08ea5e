/**
 * Every demo page a provincial web team copies from runs under the demo's strict policy (no inline script but the
 * hashed import map, no eval, Trusted Types enforced with Lit's policy only): each one does its work with no
 * violation report and no script error. The whole report on the Henan page is watched in security.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, startE2E, until, type E2E } from './support/chromium-harness.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

/** Each page, and what shows that its script did its work (evaluated in the page). */
const PAGES: Record<string, string> = {
  'index.html': `document.querySelectorAll('a[href]').length > 0`,
  'henan.html': `!!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate')?.shadowRoot?.querySelector('[part~="accept-button"]')`,
  'hostile.html': `!!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate')?.shadowRoot?.querySelector('[part~="accept-button"]')`,
  'lookup.html': `!!document.querySelector('aqjb-progress-lookup')?.shadowRoot?.querySelector('input')`,
  'sdk.html': `document.getElementById('notice-body').childElementCount > 0`,
  'configurator.html': `document.getElementById('snippet').textContent.startsWith('<script type="importmap">')`,
  'legacy/henan.html': `!!document.querySelector('aqjb-intake')?.shadowRoot?.querySelector('aqjb-notice-gate')`,
};

for (const [path, works] of Object.entries(PAGES)) {
  test(`${path} runs under the strict policy without a violation or a script error`, async () => {
    const { context, page } = await e2e.newPage();
    const violations = await cspViolations(context);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    const response = await page.goto(new URL(path, e2e.demo.url).href);
    assert.match((await response?.headerValue('content-security-policy')) ?? '', /require-trusted-types-for 'script'/);
    await until(() => page.evaluate(works), `${path} at work`);
    // What loads after the first screen (the later steps, the dictionaries…) gets its chance to complain too.
    await page.waitForLoadState('networkidle');
    assert.deepEqual(violations, []);
    assert.deepEqual(problems, []);
  });
}
