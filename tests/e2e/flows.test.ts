/**
 * The citizen's two ways through the Henan portal's intake on a phone (360×740) in every engine: anonymous with a
 * photo and real-name, by pointer, and the anonymous way again by keyboard alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createClient, parseReportCode } from '../../src/sdk/index.js';
import { GPS_LATITUDE_LE, gpsJpeg } from '../support/media-fixtures.js';
import { Shots, forEachEngine, until } from './support/harness.js';
import { focused, isButton, tabTo } from './support/keyboard.js';
import {
  ACCEPT,
  FACTS,
  PICKER,
  chooseMode,
  chooseRegion,
  continueToReview,
  field,
  fillFacts,
  inForm,
  inIntake,
  openPage,
  passNotice,
  readNotice,
  readReceipt,
  submit,
  waitForStep,
} from './support/intake.js';

const read = async (stream: AsyncIterable<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
};

forEachEngine((e2e, engine) => {
  test('an anonymous report with a phone photo from notice to receipt is on record, the photo without its GPS, and its code and key show its progress', async () => {
    const { demo } = e2e();
    const shots = new Shots('anonymous-flow', engine);
    const page = await e2e().newPage();
    await openPage(page, e2e(), `${demo.url}henan.html`);
    await shots.take(page, 'notice');

    await passNotice(page, e2e());
    await shots.take(page, 'mode');
    await chooseMode(page, '匿名举报');
    await shots.take(page, 'region');
    await chooseRegion(page, ['郑州市', '金水区']);
    await shots.take(page, 'form');
    await fillFacts(page);
    const photo = gpsJpeg();
    assert.ok(Buffer.from(photo).includes(Buffer.from(GPS_LATITUDE_LE)), 'the photo carries GPS');
    const upload = inForm('aqjb-evidence-upload');
    await page.setFiles([...upload, '#pick-files'], { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: photo });
    await until(async () => (await page.attr([...upload, '[part~="file"]'], 'data-status')) === 'done', 'the photo uploaded');
    assert.match(await page.text([...upload, '[part~="file"]']), /现场照片\.jpg/);
    await shots.take(page, 'form-filled', { full: true });
    await continueToReview(page);
    const reviewText = await page.text(inIntake('[part~="review"]'));
    for (const expected of ['匿名举报', '河南省 › 郑州市 › 金水区', FACTS.name, FACTS.address, '化工（含石油化工）', '涉嫌存在重大事故隐患', FACTS.description, '1 个文件']) {
      assert.ok(reviewText.includes(expected), `the review shows ${expected}`);
    }
    await shots.take(page, 'review', { full: true });

    await submit(page);
    const receipt = await readReceipt(page);
    await shots.take(page, 'receipt');
    const parsed = parseReportCode(receipt.code);
    assert.ok(parsed.ok, `the receipt shows a valid report code (${receipt.code})`);
    assert.match(await page.innerText(inIntake('[part~="receipt"]')), /郑州市金水区应急管理局/);

    const { rows } = await demo.api.sql.query<{ mode: string; region_code: string; subject_name: string; reporter_enc: string | null }>(
      'SELECT mode, region_code, subject_name, reporter_enc FROM reports WHERE code = $1',
      [parsed.ok ? parsed.code : ''],
    );
    assert.equal(rows.length, 1, 'the report is in the database');
    assert.deepEqual(rows[0], { mode: 'anonymous', region_code: '410105', subject_name: FACTS.name, reporter_enc: null });
    const attachments = await demo.api.sql.query<{ id: string; mime: string }>('SELECT id, mime FROM attachments WHERE report_id = $1', [parsed.ok ? parsed.code : '']);
    assert.equal(attachments.rows.length, 1, 'the photo belongs to the report');
    assert.equal(attachments.rows[0]!.mime, 'image/jpeg');
    const stored = await read((await demo.api.app.readEvidence(attachments.rows[0]!.id))!);
    assert.deepEqual([...stored.subarray(0, 2)], [0xff, 0xd8], 'still a JPEG');
    assert.ok(!stored.includes(Buffer.from(GPS_LATITUDE_LE)), 'no GPS in what the server stored');
    assert.ok(!stored.includes('SecretPhoneMaker'), 'no camera maker either');

    const progress = await createClient({ baseUrl: demo.apiBase }).getProgress(receipt.code, receipt.key);
    assert.equal(progress.status, 'submitted');
    assert.equal(progress.handledBy.orgName, '郑州市金水区应急管理局');
  });

  test('a real-name report verifies the mobile with the SMS code from the dev outbox and keeps the reporter encrypted', async () => {
    const { demo } = e2e();
    const shots = new Shots('real-name-flow', engine);
    const page = await e2e().newPage();
    const reporter = { name: '张三', phone: '13800000000' };
    await openPage(page, e2e(), `${demo.url}henan.html`);
    await passNotice(page, e2e());
    await chooseMode(page, '实名举报');
    await chooseRegion(page, ['郑州市', '中牟县']);
    await fillFacts(page);
    await page.fill(field('reporter.name'), reporter.name);
    await page.fill(field('reporter.phone'), reporter.phone);
    await page.click(inForm('[part~="sms-button"]'));
    const outbox = async () =>
      ((await (await fetch(new URL('dev/outbox', demo.api.url))).json()) as { messages: { phone: string; code: string }[] }).messages;
    const code = await until(async () => (await outbox()).find((m) => m.phone === reporter.phone)?.code, 'the SMS in the dev outbox');
    assert.match(code, /^\d{6}$/, 'a six-digit code');
    // The form says the code went out and the button waits out its cooldown.
    await page.waitFor(inForm({ css: '*', text: '验证码已发送' }), '验证码已发送');
    assert.equal(await page.attr(inForm('[part~="sms-button"]'), 'aria-disabled'), 'true');
    await page.fill(field('reporter.smsCode'), code);
    await page.check(field('consent'));
    await shots.take(page, 'reporter', { full: true });
    await continueToReview(page);
    const reviewText = await page.text(inIntake('[part~="review"]'));
    assert.ok(reviewText.includes('实名举报') && reviewText.includes(reporter.name) && reviewText.includes(reporter.phone), 'the review shows who reports');
    assert.ok(reviewText.includes('河南省 › 郑州市 › 中牟县'));
    await shots.take(page, 'review', { full: true });

    await submit(page);
    const receipt = await readReceipt(page);
    await shots.take(page, 'receipt');
    assert.match(await page.innerText(inIntake('[part~="receipt"]')), /中牟县应急管理局/);
    const parsed = parseReportCode(receipt.code);
    assert.ok(parsed.ok);
    const { rows } = await demo.api.sql.query<{ mode: string; reporter_enc: string | null }>('SELECT mode, reporter_enc FROM reports WHERE code = $1', [parsed.code]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.mode, 'real-name');
    assert.ok(rows[0]!.reporter_enc, 'the reporter is stored');
    assert.ok(!rows[0]!.reporter_enc.includes(reporter.name) && !rows[0]!.reporter_enc.includes(reporter.phone), 'only encrypted');
    const progress = await createClient({ baseUrl: demo.apiBase }).getProgress(receipt.code, receipt.key);
    assert.equal(progress.status, 'submitted');
    assert.equal(progress.handledBy.orgName, '中牟县应急管理局');
  });

  test('the whole anonymous flow works with the keyboard alone', async () => {
    const { demo } = e2e();
    const shots = new Shots('keyboard-only', engine);
    const page = await e2e().newPage();
    const key = (k: string) => page.press(k);
    await openPage(page, e2e(), `${demo.url}henan.html`);

    // Notice: the accept button is reachable while it waits (aria-disabled, not disabled), usable once unlocked.
    await page.waitFor(ACCEPT);
    await tabTo(page, (f) => f.part.includes('accept-button'), 'the accept button');
    await readNotice(page, e2e());
    assert.equal((await focused(page))?.part, 'accept-button', 'focus stays on the button while it unlocks');
    await shots.take(page, 'notice-unlocked');
    await key('Enter');
    await waitForStep(page, 'mode');
    assert.equal((await focused(page))?.tag, 'h2', 'focus moves to the new step heading');

    // Mode: into the radio group, the arrows move the choice, Space keeps the first one.
    await tabTo(page, (f) => f.tag === 'input' && f.type === 'radio', 'the mode radios');
    await key('ArrowDown');
    assert.equal((await focused(page))?.value, 'real-name');
    await key('ArrowUp');
    await key('Space');
    assert.equal((await focused(page))?.value, 'anonymous');
    await tabTo(page, isButton('继续'), '继续');
    await shots.take(page, 'mode');
    await key('Enter');
    await waitForStep(page, 'region');

    // Place: the list view, then search each level and open the result.
    await tabTo(page, isButton('在列表中选'), 'the list view button');
    await key('Enter');
    for (const [query, name] of [
      ['郑州', '郑州市'],
      ['金水', '金水区'],
    ] as const) {
      await tabTo(page, (f) => f.id === 'search', 'the region search');
      await page.type(query);
      // As a citizen would, once the results are on screen. Tabbing while the search was still out went past the empty
      // list to 清空草稿, and Firefox then cycles between it and its own toolbar instead of wrapping to the page's top
      // (2 of 3 runs under load).
      await page.waitFor([...PICKER, { css: '[part~="region"]', text: name }], `the result ${name}`);
      await tabTo(page, (f) => f.part === 'region' && f.text.startsWith(name), name);
      await key('Enter');
    }
    await until(async () => (await page.text([...PICKER, '[part~="chosen"]'])).includes('金水区'), '金水区 chosen');
    await shots.take(page, 'region');
    await tabTo(page, isButton('继续'), '继续 after the place');
    await key('Enter');
    await waitForStep(page, 'form');

    // Form: Tab from field to field, typing; the select by its arrow keys, the checkbox with Space.
    await tabTo(page, (f) => f.id === 'subject.name', 'the unit name');
    await page.type(FACTS.name);
    await key('Tab');
    assert.equal((await focused(page))?.id, 'subject.address');
    await page.type(FACTS.address);
    await key('Tab');
    assert.equal((await focused(page))?.id, 'industry');
    // A closed select steps through its options with the arrow keys (煤矿, 金属与非金属矿山, 化工…).
    for (let i = 0; i < 20 && (await page.value(field('industry'))) !== FACTS.industry; i++) await key('ArrowDown');
    assert.equal(await page.value(field('industry')), FACTS.industry, 'the arrows reach 化工（含石油化工）');
    await tabTo(page, (f) => f.tag === 'input' && f.value === FACTS.problemType, 'the 重大事故隐患 checkbox');
    await key('Space');
    await tabTo(page, (f) => f.id === 'description', 'the description');
    await page.type(FACTS.description);
    await shots.take(page, 'form');
    await tabTo(page, (f) => f.part === 'continue-button' && f.hosts.includes('aqjb-report-form'), "the form's 继续");
    await key('Enter');
    await waitForStep(page, 'review');
    const reviewText = await page.text(inIntake('[part~="review"]'));
    for (const expected of [FACTS.name, FACTS.address, '化工（含石油化工）', '涉嫌存在重大事故隐患', FACTS.description, '河南省 › 郑州市 › 金水区']) {
      assert.ok(reviewText.includes(expected), `the review shows ${expected}`);
    }
    await shots.take(page, 'review', { full: true });

    await tabTo(page, (f) => f.part === 'submit-button', '提交举报');
    await key('Enter');
    const receipt = await readReceipt(page);
    assert.ok(parseReportCode(receipt.code).ok);
    assert.equal((await focused(page))?.tag, 'h2', 'focus on the receipt heading');
    await shots.take(page, 'receipt');
  });
});
