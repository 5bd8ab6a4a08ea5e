/**
 * What a phone on a weak network does to a report: a reload in the middle of the form, no connection at submit, an
 * evidence upload cut off half-way. Nothing typed may be lost, nothing may be filed twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { parseReportCode } from '../../src/sdk/index.js';
import { Shots, startE2E, until, type E2E } from './support/harness.js';
import { mp4 } from '../support/media-fixtures.js';
import {
  FACTS,
  chooseMode,
  chooseRegion,
  continueToReview,
  field,
  fillFacts,
  form,
  intake,
  openPage,
  passNotice,
  readReceipt,
  submit,
  waitForStep,
} from './support/intake.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

const countReports = async () => Number((await e2e.demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n);

const storage = (page: Page) =>
  page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)),
    local: Object.fromEntries(Object.entries(localStorage)),
  }));

const reporter = { name: '王小明', phone: '13900001111' };

/** Real-name, so that the form has personal fields to keep out of storage; stops with everything typed. */
async function fillRealNameForm(page: Page): Promise<void> {
  await passNotice(page, e2e.clock);
  await chooseMode(page, '实名举报');
  await chooseRegion(page, ['郑州市', '金水区']);
  await fillFacts(page);
  await field(page, 'occurredAt').fill('2026-01-05');
  await field(page, 'reporter.name').fill(reporter.name);
  await field(page, 'reporter.phone').fill(reporter.phone);
}

test('a reload in the middle of the form comes back to the form with what was typed, minus name and mobile', async () => {
  const shots = new Shots('reload-restores-form');
  const { page } = await e2e.newPage();
  await openPage(page, `${e2e.demo.url}henan.html`);
  await fillRealNameForm(page);
  // The form saves 500 ms after the last keystroke (page timers, which run by themselves).
  const saved = await until(async () => {
    const s = await storage(page);
    return s.session['aqjb-embed:draft:report']?.includes(FACTS.description) && s;
  }, 'the draft in sessionStorage');
  await shots.take(page, 'before-reload');
  const stored = JSON.stringify(saved.session);
  assert.ok(stored.includes(FACTS.name), 'the facts are kept');
  assert.ok(!stored.includes(reporter.name), 'no name in sessionStorage');
  assert.ok(!stored.includes(reporter.phone), 'no mobile in sessionStorage');
  assert.deepEqual(saved.local, {}, 'nothing in localStorage');

  await page.reload();
  await waitForStep(page, 'form');
  await until(async () => (await field(page, 'subject.name').inputValue()) === FACTS.name, 'the unit name restored');
  assert.equal(await field(page, 'subject.address').inputValue(), FACTS.address);
  assert.equal(await field(page, 'industry').inputValue(), FACTS.industry);
  assert.equal(await field(page, 'description').inputValue(), FACTS.description);
  assert.equal(await field(page, 'occurredAt').inputValue(), '2026-01-05');
  assert.ok(await form(page).locator(`input[data-type="${FACTS.problemType}"]`).isChecked());
  assert.equal(await form(page).getAttribute('mode'), 'real-name', 'the mode is restored');
  assert.equal(await field(page, 'reporter.name').inputValue(), '', 'the name is not restored');
  assert.equal(await field(page, 'reporter.phone').inputValue(), '', 'the mobile is not restored');
  await form(page).getByText('已恢复您之前在本设备上填写的内容').waitFor();
  await shots.take(page, 'after-reload', { full: true });
  const after = await storage(page);
  assert.deepEqual(after.local, {}, 'still nothing in localStorage');
  assert.ok(!JSON.stringify(after.session).includes(reporter.name));

  // And the restored draft is still a whole report: the place and the notice confirmation came back too.
  await field(page, 'reporter.name').fill(reporter.name);
  await field(page, 'reporter.phone').fill(reporter.phone);
  await form(page).locator('[part~="continue-button"]').click();
  await form(page).locator('[part~="error-summary"]').waitFor();
  const summary = (await form(page).locator('[part~="error-summary"]').innerText()) ?? '';
  assert.ok(!/名称|地址|行业|问题类型|举报内容/.test(summary), `only the SMS code and consent are missing: ${summary}`);
});

test('with draft-personal opted in, name and mobile survive a reload (and still never reach localStorage)', async () => {
  const { page } = await e2e.newPage();
  // The portal opts in with the attribute. Set here as the parser inserts the element, before the deferred module
  // script upgrades it (a routed copy of the page would lose its loopback address space and with it the API).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const el = document.querySelector('aqjb-intake');
      if (!el) return;
      el.setAttribute('draft-personal', '');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await openPage(page, `${e2e.demo.url}henan.html`);
  await fillRealNameForm(page);
  await until(async () => (await storage(page)).session['aqjb-embed:draft:report']?.includes(reporter.phone), 'the personal draft saved');
  await page.reload();
  await waitForStep(page, 'form');
  await until(async () => (await field(page, 'reporter.name').inputValue()) === reporter.name, 'the name restored');
  assert.equal(await field(page, 'reporter.phone').inputValue(), reporter.phone);
  assert.deepEqual((await storage(page)).local, {});
});

test('offline at submit: the answers stay, and 重新提交 once back online files exactly one report', async () => {
  const shots = new Shots('offline-submit');
  const { context, page } = await e2e.newPage();
  await openPage(page, `${e2e.demo.url}henan.html`);
  await passNotice(page, e2e.clock);
  await chooseMode(page, '匿名举报');
  await chooseRegion(page, ['郑州市', '金水区']);
  await fillFacts(page, { ...FACTS, name: '断网时提交的单位' });
  await continueToReview(page);
  const before = await countReports();

  await context.setOffline(true);
  await submit(page);
  const failure = intake(page).locator('[data-submit-failure]');
  await failure.waitFor();
  assert.match(await failure.innerText(), /已填写的内容都还在/);
  assert.match(await failure.innerText(), /不会重复提交/);
  await shots.take(page, 'offline-failure', { full: true });
  assert.equal(await waitForStep(page, 'review'), true);
  assert.ok(((await intake(page).locator('[part~="review"]').textContent()) ?? '').includes('断网时提交的单位'), 'the answers are still shown');
  assert.equal(await countReports(), before, 'nothing reached the server');
  const button = intake(page).locator('[part~="submit-button"]');
  assert.match((await button.textContent()) ?? '', /重新提交/);

  await context.setOffline(false);
  await button.click();
  const receipt = await readReceipt(page);
  await shots.take(page, 'receipt');
  const code = parseReportCode(receipt.code);
  assert.ok(code.ok);
  assert.equal(await countReports(), before + 1, 'exactly one report');
  const { rows } = await e2e.demo.api.sql.query<{ code: string }>('SELECT code FROM reports WHERE subject_name = $1', ['断网时提交的单位']);
  assert.deepEqual(
    rows.map((r) => r.code),
    [code.code],
  );
});

/**
 * A video of about 2.5 MB: three 1 MiB tus chunks, the last one partial. A well-formed MP4 without metadata, which
 * the server stores byte for byte (a PDF would be rewritten without its properties, #17.4).
 */
const video = (bytes: number) => Buffer.from(mp4({ metadata: false, size: bytes }));

test('an evidence upload cut off half-way resumes and the server stores the file once', async () => {
  const shots = new Shots('upload-resume');
  const { page } = await e2e.newPage();
  const file = video(Math.round(2.5 * 1024 * 1024));
  const sha256 = createHash('sha256').update(file).digest('hex');
  const MiB = 1024 * 1024;
  const seen: string[] = [];
  let cut = false;
  await page.route(
    (url) => url.origin === new URL(e2e.demo.apiBase).origin && url.pathname.startsWith('/uploads'),
    async (route) => {
      const request = route.request();
      const offset = (await request.headerValue('upload-offset')) ?? '';
      if (request.method() === 'PATCH' && offset === String(MiB) && !cut) {
        cut = true;
        seen.push(`PATCH ${offset} (cut)`);
        return route.abort('connectionreset');
      }
      if (request.method() !== 'OPTIONS') seen.push(`${request.method()}${offset ? ` ${offset}` : ''}`);
      return route.continue();
    },
  );
  const attachmentsBefore = Number((await e2e.demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments')).rows[0]!.n);

  await openPage(page, `${e2e.demo.url}henan.html`);
  await passNotice(page, e2e.clock);
  await chooseMode(page, '匿名举报');
  await chooseRegion(page, ['郑州市', '金水区']);
  await fillFacts(page, { ...FACTS, name: '上传证据的单位' });
  const upload = form(page).locator('aqjb-evidence-upload');
  await upload.locator('#pick-files').setInputFiles({ name: '现场视频.mp4', mimeType: 'video/mp4', buffer: file });
  const item = upload.locator('[part~="file"]');
  await until(async () => (await item.getAttribute('data-status')) === 'done', 'the upload to finish', 20_000);
  await shots.take(page, 'uploaded', { locator: upload });
  assert.match(await item.innerText(), /现场视频\.mp4/);
  assert.match(await item.innerText(), /已上传/);
  assert.ok(cut, 'the second chunk was cut off once');
  // Resumed where it stopped: the server was asked for its offset, then only the missing chunks were sent.
  assert.deepEqual(
    seen.filter((s) => s !== 'GET'),
    ['POST', 'PATCH 0', `PATCH ${MiB} (cut)`, 'HEAD', `PATCH ${MiB}`, `PATCH ${2 * MiB}`],
  );

  const { rows } = await e2e.demo.api.sql.query<{ id: string; size: string; sha256: string; status: string }>(
    'SELECT id, size::text AS size, sha256, status FROM attachments ORDER BY created_at',
  );
  assert.equal(rows.length, attachmentsBefore + 1, 'one attachment row');
  const stored = rows.at(-1)!;
  assert.deepEqual({ size: Number(stored.size), sha256: stored.sha256, status: stored.status }, { size: file.length, sha256, status: 'ready' });

  await continueToReview(page);
  assert.match((await intake(page).locator('[part~="review"]').textContent()) ?? '', /1 个文件/);
  await submit(page);
  const receipt = await readReceipt(page);
  const code = parseReportCode(receipt.code);
  assert.ok(code.ok);
  // Linking gives the attachment a new id (the upload id was in the proxy's log next to the address): find it by its hash.
  const linked = await e2e.demo.api.sql.query<{ id: string; report_id: string }>('SELECT id, report_id FROM attachments WHERE sha256 = $1', [sha256]);
  assert.equal(linked.rows.length, 1, 'stored once');
  assert.equal(linked.rows[0]?.report_id, code.code, 'the file belongs to the report');
  assert.notEqual(linked.rows[0]?.id, stored.id, 'under an id that never travelled in a URL');
});
