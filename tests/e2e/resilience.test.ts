/**
 * What a phone on a weak network does to a report, in every engine: a reload in the middle of the form, no connection
 * at submit, an evidence upload cut off half-way. Nothing typed may be lost, nothing may be filed twice. The network
 * fails at the harness's API front (support/harness.ts), the same way for all three engines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseReportCode } from '../../src/sdk/index.js';
import { Shots, forEachEngine, until, type E2E, type Page } from './support/harness.js';
import { mp4 } from '../support/media-fixtures.js';
import {
  FACTS,
  FORM,
  SUBMIT,
  chooseMode,
  chooseRegion,
  continueToReview,
  field,
  fillFacts,
  inForm,
  inIntake,
  openPage,
  passNotice,
  readReceipt,
  submit,
  waitForStep,
} from './support/intake.js';

const countReports = async (e2e: E2E) => Number((await e2e.demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports')).rows[0]!.n);

const storage = (page: Page) =>
  page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)) as Record<string, string>,
    local: Object.fromEntries(Object.entries(localStorage)) as Record<string, string>,
  }));

const reporter = { name: '王小明', phone: '13900001111' };

/** Real-name, so that the form has personal fields to keep out of storage; stops with everything typed. */
async function fillRealNameForm(page: Page, e2e: E2E): Promise<void> {
  await passNotice(page, e2e);
  await chooseMode(page, '实名举报');
  await chooseRegion(page, ['郑州市', '金水区']);
  await fillFacts(page);
  await page.fill(field('occurredAt'), '2026-01-05');
  await page.fill(field('reporter.name'), reporter.name);
  await page.fill(field('reporter.phone'), reporter.phone);
}

/**
 * A video of about 2.5 MB: three 1 MiB tus chunks, the last one partial. A well-formed MP4 without metadata, which
 * the server stores byte for byte (a PDF would be rewritten without its properties, #17.4).
 */
const video = (bytes: number) => mp4({ metadata: false, size: bytes });

forEachEngine((e2e, engine) => {
  test('a reload in the middle of the form comes back to the form with what was typed, minus name and mobile', async () => {
    const shots = new Shots('reload-restores-form', engine);
    const page = await e2e().newPage();
    await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
    await fillRealNameForm(page, e2e());
    assert.equal(await page.value(field('occurredAt')), '2026-01-05', 'the date as typed');
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
    await until(async () => (await page.value(field('subject.name'))) === FACTS.name, 'the unit name restored');
    assert.equal(await page.value(field('subject.address')), FACTS.address);
    assert.equal(await page.value(field('industry')), FACTS.industry);
    assert.equal(await page.value(field('description')), FACTS.description);
    assert.equal(await page.value(field('occurredAt')), '2026-01-05');
    assert.ok(await page.checked(inForm(`input[data-type="${FACTS.problemType}"]`)));
    assert.equal(await page.attr(FORM, 'mode'), 'real-name', 'the mode is restored');
    assert.equal(await page.value(field('reporter.name')), '', 'the name is not restored');
    assert.equal(await page.value(field('reporter.phone')), '', 'the mobile is not restored');
    await page.waitFor(inForm({ css: '*', text: '已恢复您之前在本设备上填写的内容' }), 'the restored notice');
    await shots.take(page, 'after-reload', { full: true });
    const after = await storage(page);
    assert.deepEqual(after.local, {}, 'still nothing in localStorage');
    assert.ok(!JSON.stringify(after.session).includes(reporter.name));

    // And the restored draft is still a whole report: the place and the notice confirmation came back too.
    await page.fill(field('reporter.name'), reporter.name);
    await page.fill(field('reporter.phone'), reporter.phone);
    await page.click(inForm('[part~="continue-button"]'));
    const summary = await page.innerText(inForm('[part~="error-summary"]'));
    assert.ok(!/名称|地址|行业|问题类型|举报内容/.test(summary), `only the SMS code and consent are missing: ${summary}`);
  });

  test('with draft-personal opted in, name and mobile survive a reload (and still never reach localStorage)', async () => {
    const page = await e2e().newPage();
    // The portal opts in with the attribute, set as the parser inserts the element (the harness script does it for
    // ?e2e-attr=…), before the deferred module script upgrades it.
    await openPage(page, e2e(), `${e2e().demo.url}henan.html?e2e-attr=aqjb-intake:draft-personal`);
    await fillRealNameForm(page, e2e());
    await until(async () => (await storage(page)).session['aqjb-embed:draft:report']?.includes(reporter.phone), 'the personal draft saved');
    await page.reload();
    await waitForStep(page, 'form');
    await until(async () => (await page.value(field('reporter.name'))) === reporter.name, 'the name restored');
    assert.equal(await page.value(field('reporter.phone')), reporter.phone);
    assert.deepEqual((await storage(page)).local, {});
  });

  test('offline at submit: the answers stay, and 重新提交 once back online files exactly one report', async () => {
    const shots = new Shots('offline-submit', engine);
    const page = await e2e().newPage();
    await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
    await passNotice(page, e2e());
    await chooseMode(page, '匿名举报');
    await chooseRegion(page, ['郑州市', '金水区']);
    await fillFacts(page, { ...FACTS, name: '断网时提交的单位' });
    await continueToReview(page);
    const before = await countReports(e2e());

    e2e().front.online = false;
    try {
      await submit(page);
      const failure = inIntake('[data-submit-failure]');
      const text = await until(async () => (await page.isVisible(failure)) && page.innerText(failure), 'the submit failure');
      assert.match(text, /已填写的内容都还在/);
      assert.match(text, /不会重复提交/);
      await shots.take(page, 'offline-failure', { full: true });
      assert.equal(await waitForStep(page, 'review'), true);
      assert.ok((await page.text(inIntake('[part~="review"]'))).includes('断网时提交的单位'), 'the answers are still shown');
      assert.equal(await countReports(e2e()), before, 'nothing reached the server');
      assert.match(await page.text(SUBMIT), /重新提交/);
    } finally {
      e2e().front.online = true;
    }

    await page.click(SUBMIT);
    const receipt = await readReceipt(page);
    await shots.take(page, 'receipt');
    const code = parseReportCode(receipt.code);
    assert.ok(code.ok);
    assert.equal(await countReports(e2e()), before + 1, 'exactly one report');
    const { rows } = await e2e().demo.api.sql.query<{ code: string }>('SELECT code FROM reports WHERE subject_name = $1', ['断网时提交的单位']);
    assert.deepEqual(
      rows.map((r) => r.code),
      [code.code],
    );
  });

  test('an evidence upload cut off half-way resumes and the server stores the file once', async () => {
    const shots = new Shots('upload-resume', engine);
    const page = await e2e().newPage();
    const file = video(Math.round(2.5 * 1024 * 1024));
    const sha256 = createHash('sha256').update(file).digest('hex');
    const MiB = 1024 * 1024;
    const seen: string[] = [];
    let cut = false;
    e2e().front.cut = (request) => {
      if (!new URL(request.url ?? '/', 'http://x').pathname.includes('/uploads')) return false;
      const offset = String(request.headers['upload-offset'] ?? '');
      if (request.method === 'PATCH' && offset === String(MiB) && !cut) {
        cut = true;
        seen.push(`PATCH ${offset} (cut)`);
        return true;
      }
      if (request.method !== 'OPTIONS') seen.push(`${request.method}${offset ? ` ${offset}` : ''}`);
      return false;
    };
    try {
      const attachmentsBefore = Number((await e2e().demo.api.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments')).rows[0]!.n);

      await openPage(page, e2e(), `${e2e().demo.url}henan.html`);
      await passNotice(page, e2e());
      await chooseMode(page, '匿名举报');
      await chooseRegion(page, ['郑州市', '金水区']);
      await fillFacts(page, { ...FACTS, name: '上传证据的单位' });
      const upload = inForm('aqjb-evidence-upload');
      await page.setFiles([...upload, '#pick-files'], { name: '现场视频.mp4', mimeType: 'video/mp4', buffer: file });
      const item = [...upload, '[part~="file"]'];
      await until(async () => (await page.attr(item, 'data-status')) === 'done', 'the upload to finish', 30_000);
      await shots.take(page, 'uploaded', { target: upload });
      assert.match(await page.innerText(item), /现场视频\.mp4/);
      assert.match(await page.innerText(item), /已上传/);
      assert.ok(cut, 'the second chunk was cut off once');
      // Resumed where it stopped: the server was asked for its offset, then only the missing chunks were sent.
      assert.deepEqual(
        seen.filter((s) => s !== 'GET'),
        ['POST', 'PATCH 0', `PATCH ${MiB} (cut)`, 'HEAD', `PATCH ${MiB}`, `PATCH ${2 * MiB}`],
      );

      const { rows } = await e2e().demo.api.sql.query<{ id: string; size: string; sha256: string; status: string }>(
        'SELECT id, size::text AS size, sha256, status FROM attachments ORDER BY created_at',
      );
      assert.equal(rows.length, attachmentsBefore + 1, 'one attachment row');
      const stored = rows.at(-1)!;
      assert.deepEqual({ size: Number(stored.size), sha256: stored.sha256, status: stored.status }, { size: file.length, sha256, status: 'ready' });

      await continueToReview(page);
      assert.match(await page.text(inIntake('[part~="review"]')), /1 个文件/);
      await submit(page);
      const receipt = await readReceipt(page);
      const code = parseReportCode(receipt.code);
      assert.ok(code.ok);
      // Linking gives the attachment a new id (the upload id was in the proxy's log next to the address): find it by its hash.
      const linked = await e2e().demo.api.sql.query<{ id: string; report_id: string }>('SELECT id, report_id FROM attachments WHERE sha256 = $1', [sha256]);
      assert.equal(linked.rows.length, 1, 'stored once');
      assert.equal(linked.rows[0]?.report_id, code.code, 'the file belongs to the report');
      assert.notEqual(linked.rows[0]?.id, stored.id, 'under an id that never travelled in a URL');
    } finally {
      e2e().front.cut = undefined;
    }
  });
});
