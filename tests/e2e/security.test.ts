/**
 * Security and privacy of the embedded intake, watched during one whole anonymous report on the Henan page under
 * the demo's strict CSP, in every engine. The citizen first starts a real-name report and types a name and a mobile,
 * then changes their mind and reports anonymously: none of it may leave the page or stay in storage.
 *
 * What the page does is seen from where it reaches: the harness's page script (policy violations, storage writes),
 * the page's Resource Timing (every address it fetched), the API front and the pages' server (every request with its
 * headers and body, every answer's Set-Cookie), so no engine needs a protocol of its own (Chromium's CDP before).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsoleMessage, Page as PwPage } from 'playwright-core';
import { Shots, forEachEngine, pageProblems, pageRecord, pageResources, until, type Passed, type PageRequest, type StorageWrite } from './support/harness.js';
import {
  FACTS,
  chooseMode,
  chooseRegion,
  continueToReview,
  field,
  fillFacts,
  inIntake,
  openPage,
  passNotice,
  readReceipt,
  submit,
  waitForStep,
  type Receipt,
} from './support/intake.js';

interface Seen {
  csp: string[];
  /** Chromium only: console messages about the policy. */
  consoleCsp: string[];
  storage: StorageWrite[];
  /** Every address the page fetched (Resource Timing). */
  fetched: string[];
  api: Passed[];
  pages: PageRequest[];
  /** document.cookie at the end. */
  cookie: string;
  localLength: number;
  /** The Content-Security-Policy the page was served with. */
  policy: string;
  receipt: Receipt;
}

const reporter = { name: '李四', phone: '13700002222', idNumber: '11010519491231002X' };
const personal = () => [reporter.name, reporter.phone, reporter.idNumber];

forEachEngine((e2e, engine) => {
  let seen: Seen;
  const apiOrigin = () => new URL(e2e().demo.apiBase).origin;
  const pageOrigin = () => new URL(e2e().demo.url).origin;

  before(async () => {
    const { demo, front, pages } = e2e();
    const url = `${demo.url}henan.html`;
    const policy = (await fetch(url)).headers.get('content-security-policy') ?? '';
    const [apiFrom, pagesFrom] = [front.passed.length, pages.requests.length];
    const page = await e2e().newPage();
    const consoleCsp: string[] = [];
    if (engine === 'chromium') {
      (page as unknown as { native: PwPage }).native.on('console', (m: ConsoleMessage) => {
        if (/Content[ -]Security[ -]Policy/i.test(m.text())) consoleCsp.push(`${m.type()}: ${m.text()}`);
      });
    }
    const shots = new Shots('security-flow', engine);

    await openPage(page, e2e(), url);
    await passNotice(page, e2e());
    // Starts real-name and types who they are…
    await chooseMode(page, '实名举报');
    await chooseRegion(page, ['郑州市', '金水区']);
    await page.fill(field('reporter.name'), reporter.name);
    await page.fill(field('reporter.phone'), reporter.phone);
    await page.fill(field('reporter.idNumber'), reporter.idNumber);
    await page.fill(field('subject.name'), FACTS.name);
    await until(() => page.evaluate(() => (sessionStorage.getItem('aqjb-embed:draft:report') ?? '').includes('某某化工')), 'the draft saved');
    await shots.take(page, 'real-name-typed', { full: true });
    // …then goes back and reports anonymously instead.
    await page.click(inIntake('[data-step="form"] [part~="back-button"]'));
    await waitForStep(page, 'region');
    await page.click(inIntake('[data-step="region"] [part~="back-button"]'));
    await waitForStep(page, 'mode');
    await chooseMode(page, '匿名举报');
    await page.click(inIntake('[data-step="region"] [part~="continue-button"]'));
    await waitForStep(page, 'form');
    await fillFacts(page);
    await continueToReview(page);
    await shots.take(page, 'review', { full: true });
    await submit(page);
    const receipt = await readReceipt(page);
    await shots.take(page, 'receipt');
    seen = {
      csp: (await pageProblems(page)).csp,
      consoleCsp,
      storage: (await pageRecord(page)).storage,
      fetched: (await pageResources(page)).map((r) => r.url),
      api: front.passed.slice(apiFrom),
      pages: pages.requests.slice(pagesFrom),
      cookie: await page.evaluate(() => document.cookie),
      localLength: await page.evaluate(() => localStorage.length),
      policy,
      receipt,
    };
  });

  test('no Content-Security-Policy violation during the whole anonymous report', () => {
    assert.ok(seen.api.length > 0, 'the flow ran');
    // Under a policy as strict as a security review asks for: no inline script but the hashed import map, no eval,
    // and Trusted Types enforced with Lit's policy only (no string reaches innerHTML or another HTML sink).
    for (const directive of ["default-src 'self'", "require-trusted-types-for 'script'", 'trusted-types lit-html']) {
      assert.ok(seen.policy.includes(directive), `${directive} in ${seen.policy}`);
    }
    assert.match(seen.policy, /script-src 'self' 'sha256-[\w+/]+=*';/);
    assert.doesNotMatch(seen.policy, /unsafe-/);
    assert.deepEqual(seen.csp, [], 'securitypolicyviolation events');
  });

  if (engine === 'chromium') {
    test('no console message about the policy either (Chromium only: the console is read through Playwright; the other drivers pass it on only as the violation events above)', () => {
      assert.deepEqual(seen.consoleCsp, []);
    });
  }

  test('the widget talks only to the API base and the page’s own origin', () => {
    // data: URLs (an inline icon in the widget's CSS) are decoded in place: no network.
    const origins = new Set(seen.fetched.filter((u) => !u.startsWith('data:')).map((u) => new URL(u).origin));
    assert.deepEqual([...origins].sort(), [apiOrigin(), pageOrigin()].sort());
    const api = seen.api.map((r) => `${r.method} ${r.path}`);
    for (const call of ['GET /notice', 'POST /notice/receipts', 'POST /reports']) assert.ok(api.includes(call), `${call} went to the API base`);
    // The script asks for the notice before its elements exist (internal/prefetch.ts): still one notice, one receipt.
    for (const call of ['GET /notice', 'POST /notice/receipts']) assert.equal(api.filter((c) => c === call).length, 1, `${call} once`);
  });

  test('no cookies: none in the page, none set by our servers, none sent', () => {
    assert.equal(seen.cookie, '');
    assert.deepEqual([...seen.api, ...seen.pages].flatMap((r) => r.setCookie), []);
    assert.deepEqual(seen.api.filter((r) => r.headers.cookie).map((r) => r.url), []);
    assert.deepEqual(seen.pages.filter((r) => r.cookie).map((r) => r.url), []);
  });

  test('nothing is written to localStorage; the sessionStorage draft holds no personal field and no query key', () => {
    assert.deepEqual(
      seen.storage.filter((w) => w.kind !== 'session'),
      [],
      'writes outside sessionStorage',
    );
    assert.equal(seen.localLength, 0);
    const drafts = seen.storage.filter((w) => w.kind === 'session');
    assert.ok(drafts.some((w) => w.value.includes(FACTS.name)), 'the draft was kept in sessionStorage');
    for (const write of drafts) {
      for (const value of [...personal(), seen.receipt.key, seen.receipt.key.replaceAll('-', '')]) {
        assert.ok(!write.value.includes(value), `${write.key} must not contain ${value}`);
      }
      for (const key of ['reporter.name', 'reporter.phone', 'reporter.idNumber', 'consent', 'reporter']) {
        assert.ok(!write.value.includes(`"${key}"`), `${write.key} must not hold the field ${key}: ${write.value}`);
      }
    }
  });

  test('the anonymous submission sends no personal field', () => {
    const report = seen.api.filter((r) => r.method === 'POST' && r.path === '/reports');
    assert.ok(report.length >= 1, 'the report was posted');
    for (const r of report) {
      const body = JSON.parse(r.body || '{}') as Record<string, unknown>;
      // Exactly the anonymous draft: no `reporter`, no `consent` (`subject.name` is the reported unit's name).
      assert.deepEqual(Object.keys(body).sort(), ['ackToken', 'attachmentIds', 'description', 'industry', 'mode', 'problemTypes', 'regionCode', 'subject']);
      assert.equal(body.mode, 'anonymous');
      assert.deepEqual(Object.keys(body.subject as object).sort(), ['address', 'name']);
    }
    for (const r of [...seen.api, ...seen.pages]) {
      for (const value of personal()) {
        assert.ok(!('body' in r) || !r.body.includes(value), `${r.method} ${r.url} body carries ${value}`);
        assert.ok(!decodeURIComponent(r.url).includes(value), `${r.url} carries ${value}`);
        if ('headers' in r) assert.ok(!Object.values(r.headers).some((h) => String(h).includes(value)), `${r.url} headers carry ${value}`);
      }
    }
  });
});
