/**
 * Issue 7's "done when": a new user copies the configurator's snippet into a plain page of their own, served from
 * their own origin with a strict Content-Security-Policy (what the configurator says to allow, nothing inline, no
 * eval), and the intake works there: a whole anonymous report, with the map, without one CSP violation. Every file
 * the script loads later is checked against the snippet's import map: an altered one is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseReportCode } from '../../src/sdk/index.js';
import { Shots, cspViolations, startE2E, until, type E2E } from './support/chromium-harness.js';
import { acceptButton, chooseMode, continueToReview, fillFacts, intake, openPage, passNotice, readNotice, readReceipt, submit, waitForStep } from './support/chromium-intake.js';

/**
 * The user's own site, on an origin of its own (another port): one page, with their own policy, and, for a site that
 * hosts the script itself, a copy of dist/ under /aqjb/ in which `alter` may change a file.
 */
const own = { html: '', policy: '', alter: (_file: string, code: string) => code };
let site: Server;
let siteUrl: string;
let e2e: E2E;
before(async () => {
  site = createServer((req, res) => {
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

/**
 * The configurator's snippet and the policy it says to allow, for the script served from `scriptBase` (the demo's
 * own `/dist/` when omitted).
 */
async function configure(scriptBase?: string): Promise<{ snippet: string; allow: string; importMap: Record<string, string> }> {
  const { page: configurator, context } = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await configurator.goto(new URL('configurator.html', e2e.demo.url).href);
    if (scriptBase) await configurator.locator('#script-base').fill(scriptBase);
    const snippet = await until(async () => {
      const text = (await configurator.locator('#snippet').textContent()) ?? '';
      return /integrity="sha384-/.test(text) && /province="410000"/.test(text) && text.includes(`src="${scriptBase ?? ''}`) && text;
    }, 'the snippet with its SRI hash and Henan');
    const allow = (await configurator.locator('#csp-note').textContent())!.trim();
    assert.match(allow, /^script-src \S+ 'sha256-[A-Za-z0-9+/]+=*'; connect-src \S+/, 'the import map admitted by its hash');
    const map = /^<script type="importmap">(.*)<\/script>$/m.exec(snippet);
    assert.ok(map, 'the snippet starts with the import map');
    return { snippet, allow, importMap: (JSON.parse(map[1]!) as { integrity: Record<string, string> }).integrity };
  } finally {
    await context.close();
  }
}

/** A page that reports every CSP violation and every module the browser refused into the returned lists. */
async function watchedPage() {
  const { context, page } = await e2e.newPage();
  const violations = await cspViolations(context);
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content[ -]Security[ -]Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
    if (/integrity/i.test(m.text())) refused.push(m.text());
  });
  return { page, violations, refused };
}

/** What the configurator says to allow, on a page that also enforces Trusted Types with Lit's policy only. */
const policyWith = (allow: string) =>
  `default-src 'self'; ${allow}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types lit-html`;

test('the configurator’s snippet, pasted into a plain page on another origin under a strict CSP, files a report', async () => {
  const shots = new Shots('snippet-own-page');
  const { snippet, allow, importMap } = await configure();
  assert.match(snippet, /geometry-base="/, 'the snippet brings the map');

  own.policy = policyWith(allow);
  own.html = ownPage(snippet);
  const url = siteUrl;
  assert.notEqual(new URL(url).origin, new URL(e2e.demo.url).origin);

  const { page, violations, refused } = await watchedPage();
  const modules: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') modules.push(r.url());
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
  assert.deepEqual(violations, [], 'no CSP violation on the user’s page (the import map’s hash among them)');
  assert.deepEqual(refused, []);
  // Every file the script loaded later was checked: the import map names each, with its hash from the manifest.
  const later = modules.filter((m) => !m.endsWith('/aqjb-embed.js'));
  assert.ok(later.length >= 3, `the report loaded the script's later parts: ${later.join(' ')}`);
  const manifest = JSON.parse(await readFile('dist/manifest.json', 'utf8')) as { files: { file: string; integrity: string }[] };
  for (const m of later) {
    const file = manifest.files.find((f) => m.endsWith(`/dist/${f.file}`));
    assert.ok(file && importMap[m] === file.integrity, `${m} is checked against its SRI hash`);
  }
});

test('a portal hosting the script itself: a file altered on its server is refused, and the citizen is told', async () => {
  const shots = new Shots('snippet-altered-file');
  const hosted = new URL('aqjb/', siteUrl).href;
  const { snippet, allow } = await configure(hosted);
  own.policy = policyWith(allow);
  own.html = ownPage(snippet);
  // The later steps' file, changed on the portal's server (or on its way to the citizen) after the snippet was made.
  own.alter = (file, code) => (file.startsWith('chunks/intake-steps-') ? `window.__altered = true;\n${code}` : code);
  try {
    const { page, violations, refused } = await watchedPage();
    await openPage(page, siteUrl);
    await readNotice(page, e2e.clock);
    await acceptButton(page).click();
    const alert = intake(page).locator('.step-error[role="alert"]');
    await until(async () => ((await alert.textContent()) ?? '').includes('加载失败'), 'the load failure, with a retry');
    await shots.take(page, 'refused');
    assert.equal(await page.evaluate('window.__altered === true'), false, 'the altered code never ran');
    assert.ok(refused.some((text) => /intake-steps-/.test(text)), `the browser refused the file: ${refused.join(' | ')}`);
    assert.equal(await alert.getByRole('button', { name: '重试' }).count(), 1);
    assert.match((await alert.textContent()) ?? '', /12350/, 'and the hotline, for a failure a retry does not mend');
    assert.equal(await alert.locator('a[href="tel:12350"]').count(), 1, 'a phone calls it with one tap');
    assert.deepEqual(violations, []);
  } finally {
    own.alter = (_file, code) => code;
  }
});
