/**
 * Issue 7's "done when": a new user copies the configurator's snippet into a plain page of their own, served from
 * their own origin with a strict Content-Security-Policy (what the configurator says to allow, nothing inline, no
 * eval), and the intake works there: a whole anonymous report, with the map, without one CSP violation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseReportCode } from '../../src/sdk/index.js';
import { Shots, startE2E, until, type E2E } from './support/harness.js';
import { chooseMode, continueToReview, fillFacts, intake, openPage, passNotice, readReceipt, submit, waitForStep } from './support/intake.js';

/** The user's own site, on an origin of its own (another port): one page, with their own policy. */
const own = { html: '', policy: '' };
let site: Server;
let siteUrl: string;
let e2e: E2E;
before(async () => {
  site = createServer((req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': own.policy }).end(own.html);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  // As the national operator registers a portal (`--allow-origin`; `ALLOW_ORIGINS` for npm run demo).
  e2e = await startE2E({ allowOrigins: [new URL(siteUrl).origin] });
});
after(async () => {
  site?.close();
  await e2e?.close();
});

const ownPage = (body: string) => `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>某市应急管理局</title></head>
<body>
<h1>某市应急管理局 · 安全生产举报</h1>
${body}
</body>
</html>`;

test('the configurator’s snippet, pasted into a plain page on another origin under a strict CSP, files a report', async () => {
  const shots = new Shots('snippet-own-page');
  const { page: configurator } = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
  await configurator.goto(new URL('configurator.html', e2e.demo.url).href);
  const snippet = await until(async () => {
    const text = (await configurator.locator('#snippet').textContent()) ?? '';
    return /integrity="sha384-/.test(text) && /province="410000"/.test(text) && text;
  }, 'the snippet with its SRI hash and Henan');
  const allow = (await configurator.locator('#csp-note').textContent())!.trim();
  assert.match(allow, /^script-src \S+; connect-src \S+/);
  assert.match(snippet, /geometry-base="/, 'the snippet brings the map');

  own.policy = `default-src 'self'; ${allow}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
  own.html = ownPage(snippet);
  const url = siteUrl;
  assert.notEqual(new URL(url).origin, new URL(e2e.demo.url).origin);

  const { context, page } = await e2e.newPage();
  const violations: string[] = [];
  await context.exposeBinding('__cspViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')), true);`);
  page.on('console', (m) => {
    if (/Content[ -]Security[ -]Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });

  await openPage(page, url);
  await shots.take(page, 'notice');
  await passNotice(page, e2e.clock);
  await chooseMode(page, '匿名举报');
  // The map, drawn from the geometry the snippet points at: 郑州市, then 金水区, by clicking them.
  const picker = page.locator('aqjb-intake aqjb-region-picker');
  for (const name of ['郑州市', '金水区']) {
    const place = picker.locator(`svg [role="button"][aria-label="${name}"]`);
    await place.waitFor();
    await place.click();
  }
  await until(async () => ((await picker.locator('[part~="chosen"]').textContent()) ?? '').includes('金水区'), '金水区 chosen on the map');
  await shots.take(page, 'map');
  await intake(page).locator('[data-step="region"] [part~="continue-button"]').click();
  await waitForStep(page, 'form');
  await fillFacts(page);
  await continueToReview(page);
  await submit(page);
  const receipt = await readReceipt(page);
  await shots.take(page, 'receipt');

  assert.ok(parseReportCode(receipt.code).ok, `a report code: ${receipt.code}`);
  const rows = await e2e.demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE code = $1', [receipt.code.replace(/\W/g, '')]);
  assert.equal(rows.rows[0]!.n, 1, 'on record');
  assert.deepEqual(violations, [], 'no CSP violation on the user’s page');
});
