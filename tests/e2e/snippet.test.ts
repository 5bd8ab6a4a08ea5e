/**
 * Issue 7's "done when": a new user copies the configurator's snippet into a plain page of their own, served from
 * their own origin with a strict Content-Security-Policy (what the configurator says to allow, nothing inline, no
 * eval), and the intake works there: a whole anonymous report, with the map, without one CSP violation. Every file
 * the script loads later is checked against the snippet's import map: an altered one is refused. In every engine.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseReportCode } from '../../src/sdk/index.js';
import { Shots, forEachEngine, pageHarness, pageProblems, until, type E2E, type Page } from './support/harness.js';
import { ACCEPT, PICKER, continueToReview, fillFacts, chooseMode, inIntake, openPage, passNotice, readReceipt, submit, waitForStep } from './support/intake.js';

/** Where the harness's page script is served (scripts/demo-server.ts serves it at the same path on the demo). */
const HARNESS = '/__e2e/harness.js';

/**
 * The user's own site, on an origin of its own (another port): one page, with their own policy, and, for a site that
 * hosts the script itself, a copy of dist/ under /aqjb/ in which `alter` may change a file. `requests`: what it was
 * asked for.
 */
const own = { html: '', policy: '', alter: (_file: string, code: string) => code, requests: [] as string[] };
let site: Server;
let siteUrl = '';

const startSite = async () => {
  site = createServer((req, res) => {
    own.requests.push(req.url ?? '');
    if (req.url === HARNESS) {
      return void pageHarness().then((code) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code));
    }
    const hosted = /^\/aqjb\/([\w./-]+\.js)$/.exec(req.url ?? '');
    if (hosted && !hosted[1]!.includes('..')) {
      const file = hosted[1]!;
      return void readFile(path.resolve('dist', file), 'utf8').then(
        (code) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(own.alter(file, code)),
        () => res.writeHead(404).end(),
      );
    }
    if (req.url !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': own.policy }).end(own.html);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
};

/**
 * The user's page. First in its head the test harness's page script (page clock, violation watcher), from the origin
 * the snippet's own script comes from, which the configurator's policy admits: the policy stays as configured.
 */
const ownPage = (body: string, scriptOrigin: string) => `<!doctype html>
<html lang="zh-CN">
<head><script src="${new URL(HARNESS, scriptOrigin).href}"></script><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>某市应急管理局</title></head>
<body>
<h1>某市应急管理局 · 安全生产举报</h1>
${body}
</body>
</html>`;

/**
 * The configurator's snippet and the policy it says to allow, for the script served from `scriptBase` (the demo's
 * own `/dist/` when omitted).
 */
async function configure(e2e: E2E, scriptBase?: string): Promise<{ snippet: string; allow: string; importMap: Record<string, string> }> {
  const configurator = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
  await configurator.goto(`${e2e.demo.url}configurator.html`);
  if (scriptBase) await configurator.fill(['#script-base'], scriptBase);
  const snippet = await until(async () => {
    const text = await configurator.innerText(['#snippet']);
    return /integrity="sha384-/.test(text) && /province="410000"/.test(text) && text.includes(`src="${scriptBase ?? ''}`) && text;
  }, 'the snippet with its SRI hash and Henan');
  const allow = await configurator.text(['#csp-note']);
  assert.match(allow, /^script-src \S+ 'sha256-[A-Za-z0-9+/]+=*'; connect-src \S+/, 'the import map admitted by its hash');
  const map = /^<script type="importmap">(.*)<\/script>$/m.exec(snippet);
  assert.ok(map, 'the snippet starts with the import map');
  await configurator.close();
  return { snippet, allow, importMap: (JSON.parse(map[1]!) as { integrity: Record<string, string> }).integrity };
}

/** What the configurator says to allow, on a page that also enforces Trusted Types with Lit's policy only. */
const policyWith = (allow: string) =>
  `default-src 'self'; ${allow}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types lit-html`;

const violations = async (page: Page) => (await pageProblems(page)).csp;

await startSite();
after(() => site.close());

forEachEngine(
  (e2e, engine) => {
    test('the configurator’s snippet, pasted into a plain page on another origin under a strict CSP, files a report', async () => {
      const { demo } = e2e();
      const shots = new Shots('snippet-own-page', engine);
      const { snippet, allow, importMap } = await configure(e2e());
      assert.match(snippet, /geometry-base="/, 'the snippet brings the map');

      own.policy = policyWith(allow);
      own.html = ownPage(snippet, demo.url);
      assert.notEqual(new URL(siteUrl).origin, new URL(demo.url).origin);

      const page = await e2e().newPage();
      const asked = e2e().pages.requests.length;
      await openPage(page, e2e(), siteUrl);
      await shots.take(page, 'notice');
      await passNotice(page, e2e());
      await chooseMode(page, '匿名举报');
      // The map, drawn from the geometry the snippet points at: 郑州市, then 金水区, by clicking them.
      for (const name of ['郑州市', '金水区']) await page.click([...PICKER, `svg [role="button"][aria-label="${name}"]`]);
      await until(async () => (await page.text([...PICKER, '[part~="chosen"]'])).includes('金水区'), '金水区 chosen on the map');
      await shots.take(page, 'map');
      await page.click(inIntake('[data-step="region"] [part~="continue-button"]'));
      await waitForStep(page, 'form');
      await fillFacts(page);
      await continueToReview(page);
      await submit(page);
      const receipt = await readReceipt(page);
      await shots.take(page, 'receipt');

      assert.ok(parseReportCode(receipt.code).ok, `a report code: ${receipt.code}`);
      const rows = await demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE code = $1', [receipt.code.replace(/\W/g, '')]);
      assert.equal(rows.rows[0]!.n, 1, 'on record');
      assert.deepEqual(await violations(page), [], 'no CSP violation on the user’s page (the import map’s hash among them)');
      // Every file the script loaded later was checked: the import map names each, with its hash from the manifest.
      const later = e2e()
        .pages.requests.slice(asked)
        .map((r) => r.path)
        .filter((p) => p.startsWith('/dist/') && p.endsWith('.js') && p !== '/dist/aqjb-embed.js');
      assert.ok(later.some((p) => p.includes('/first-screen-')) && later.some((p) => p.includes('/shared-')), `the report loaded the script's later parts: ${later.join(' ')}`);
      // The snippet preloads the first screen with its hash: a preload the import would not take (another integrity,
      // another credentials mode) would leave the browser to fetch the file twice.
      assert.equal(later.filter((p) => p.includes('/first-screen-')).length, 1, `the first screen fetched once: ${later.join(' ')}`);
      assert.match(snippet, /<link rel="modulepreload" href="[^"]+\/chunks\/first-screen-[\w-]+\.js" integrity="sha384-/);
      const manifest = JSON.parse(await readFile('dist/manifest.json', 'utf8')) as { files: { file: string; integrity: string }[] };
      for (const m of later) {
        const file = manifest.files.find((f) => m === `/dist/${f.file}`);
        assert.ok(file && importMap[new URL(m, demo.url).href] === file.integrity, `${m} is checked against its SRI hash`);
      }
    });

    test('a portal hosting the script itself: a file altered on its server is refused, and the citizen is told', async () => {
      const shots = new Shots('snippet-altered-file', engine);
      const hosted = new URL('aqjb/', siteUrl).href;
      const { snippet, allow } = await configure(e2e(), hosted);
      own.policy = policyWith(allow);
      own.html = ownPage(snippet, siteUrl);
      // The file with the schemas and the later steps, changed on the portal's server (or on its way to the citizen)
      // after the snippet was made. The gate needs it to check the notice and to confirm the reading, so the gate is
      // where the citizen hears of it.
      own.alter = (file, code) => (file.startsWith('chunks/shared-') ? `window.__altered = true;\n${code}` : code);
      own.requests = [];
      try {
        const page = await e2e().newPage();
        await openPage(page, e2e(), siteUrl);
        const gate = inIntake('aqjb-notice-gate');
        const problem = [...gate, '[part~="problem"]'];
        // The prefetched notice may be on screen and counting until its check fails; else the confirmation fails.
        await until(
          async () => (await page.count(problem)) > 0 || (await page.count(ACCEPT)) > 0,
          'the notice counting, or a problem',
        );
        if (!(await page.count(problem))) {
          e2e().clock.advance(15_000);
          await page.advanceClock(15_000);
        }
        await until(() => page.count(problem), 'the gate says it cannot go on');
        await shots.take(page, 'refused');
        assert.ok(own.requests.some((r) => /^\/aqjb\/chunks\/shared-/.test(r)), `the browser fetched the altered file: ${own.requests.join(' ')}`);
        assert.equal(await page.evaluate(() => (window as unknown as { __altered?: boolean }).__altered === true), false, 'the altered code never ran');
        assert.equal(await page.count([...problem, { css: 'button', text: '重试' }]), 1);
        // Where a retry cannot help (the same altered file; Firefox does not even ask again): a reload, and the hotline.
        assert.equal(await page.count([...problem, { css: 'button', text: '刷新页面' }]), 1);
        assert.match(await page.text(problem), /12350/, 'and the hotline, for a failure a retry does not mend');
        assert.equal(await page.count([...problem, 'a[href="tel:12350"]']), 1, 'a phone calls it with one tap');
        assert.equal(await page.count([...gate, '[part~="accept-button"][aria-disabled="false"]']), 0, 'nothing to accept');
        assert.deepEqual(await violations(page), []);
      } finally {
        own.alter = (_file, code) => code;
      }
    });
  },
  {
    // As the national operator registers a portal (`--allow-origin`; `ALLOW_ORIGINS` for npm run demo).
    allowOrigins: [new URL(siteUrl).origin],
  },
);

