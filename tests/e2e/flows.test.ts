/**
 * The citizen's two ways through the Henan portal's intake on a phone (360×740): anonymous and real-name, by pointer,
 * and the anonymous way again by keyboard alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, parseReportCode } from '../../src/sdk/index.js';
import { Shots, startE2E, until, type E2E } from './support/harness.js';
import { focused, isButton, tabTo } from './support/keyboard.js';
import {
  FACTS,
  chooseMode,
  chooseRegion,
  continueToReview,
  field,
  fillFacts,
  form,
  intake,
  acceptButton,
  openPage,
  passNotice,
  readNotice,
  readReceipt,
  submit,
  waitForStep,
} from './support/intake.js';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test('an anonymous report from notice to receipt on a phone is on record and its code and key show its progress', async () => {
  const shots = new Shots('anonymous-flow');
  const { page } = await e2e.newPage();
  await openPage(page, `${e2e.demo.url}henan.html`);
  await shots.take(page, 'notice');

  await passNotice(page, e2e.clock);
  await shots.take(page, 'mode');
  await chooseMode(page, '匿名举报');
  await shots.take(page, 'region');
  await chooseRegion(page, ['郑州市', '金水区']);
  await shots.take(page, 'form');
  await fillFacts(page);
  await shots.take(page, 'form-filled', { full: true });
  await continueToReview(page);
  const review = intake(page).locator('[part~="review"]');
  const reviewText = (await review.textContent()) ?? '';
  for (const expected of ['匿名举报', '河南省 › 郑州市 › 金水区', FACTS.name, FACTS.address, '化工（含石油化工）', '涉嫌存在重大事故隐患', FACTS.description]) {
    assert.ok(reviewText.includes(expected), `the review shows ${expected}`);
  }
  await shots.take(page, 'review', { full: true });

  await submit(page);
  const receipt = await readReceipt(page);
  await shots.take(page, 'receipt');
  const parsed = parseReportCode(receipt.code);
  assert.ok(parsed.ok, `the receipt shows a valid report code (${receipt.code})`);
  assert.match(await intake(page).locator('[part~="receipt"]').innerText(), /郑州市金水区应急管理局/);

  const { rows } = await e2e.demo.api.sql.query<{ mode: string; region_code: string; subject_name: string; reporter_enc: string | null }>(
    'SELECT mode, region_code, subject_name, reporter_enc FROM reports WHERE code = $1',
    [parsed.ok ? parsed.code : ''],
  );
  assert.equal(rows.length, 1, 'the report is in the database');
  assert.deepEqual(rows[0], { mode: 'anonymous', region_code: '410105', subject_name: FACTS.name, reporter_enc: null });

  const progress = await createClient({ baseUrl: e2e.demo.apiBase }).getProgress(receipt.code, receipt.key);
  assert.equal(progress.status, 'submitted');
  assert.equal(progress.handledBy.orgName, '郑州市金水区应急管理局');
});

test('a real-name report verifies the mobile with the SMS code from the dev outbox and keeps the reporter encrypted', async () => {
  const shots = new Shots('real-name-flow');
  const { page } = await e2e.newPage();
  const reporter = { name: '张三', phone: '13800000000' };
  await openPage(page, `${e2e.demo.url}henan.html`);
  await passNotice(page, e2e.clock);
  await chooseMode(page, '实名举报');
  await chooseRegion(page, ['郑州市', '中牟县']);
  await fillFacts(page);
  await field(page, 'reporter.name').fill(reporter.name);
  await field(page, 'reporter.phone').fill(reporter.phone);
  await form(page).locator('[part~="sms-button"]').click();
  const outbox = async () =>
    ((await (await fetch(new URL('dev/outbox', e2e.demo.apiBase))).json()) as { messages: { phone: string; code: string }[] }).messages;
  const code = await until(async () => (await outbox()).find((m) => m.phone === reporter.phone)?.code, 'the SMS in the dev outbox');
  assert.match(code, /^\d{6}$/, 'a six-digit code');
  // The form says the code went out and the button waits out its cooldown.
  await form(page).getByText('验证码已发送').first().waitFor();
  assert.equal(await form(page).locator('[part~="sms-button"]').getAttribute('aria-disabled'), 'true');
  await field(page, 'reporter.smsCode').fill(code);
  await form(page).locator('[id="consent"]').check();
  await shots.take(page, 'reporter', { full: true });
  await continueToReview(page);
  const reviewText = (await intake(page).locator('[part~="review"]').textContent()) ?? '';
  assert.ok(reviewText.includes('实名举报') && reviewText.includes(reporter.name) && reviewText.includes(reporter.phone), 'the review shows who reports');
  assert.ok(reviewText.includes('河南省 › 郑州市 › 中牟县'));
  await shots.take(page, 'review', { full: true });

  await submit(page);
  const receipt = await readReceipt(page);
  await shots.take(page, 'receipt');
  assert.match(await intake(page).locator('[part~="receipt"]').innerText(), /中牟县应急管理局/);
  const parsed = parseReportCode(receipt.code);
  assert.ok(parsed.ok);
  const { rows } = await e2e.demo.api.sql.query<{ mode: string; reporter_enc: string | null }>(
    'SELECT mode, reporter_enc FROM reports WHERE code = $1',
    [parsed.code],
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.mode, 'real-name');
  assert.ok(rows[0]!.reporter_enc, 'the reporter is stored');
  assert.ok(!rows[0]!.reporter_enc.includes(reporter.name) && !rows[0]!.reporter_enc.includes(reporter.phone), 'only encrypted');
  const progress = await createClient({ baseUrl: e2e.demo.apiBase }).getProgress(receipt.code, receipt.key);
  assert.equal(progress.status, 'submitted');
  assert.equal(progress.handledBy.orgName, '中牟县应急管理局');
});

test('the whole anonymous flow works with the keyboard alone', async () => {
  const shots = new Shots('keyboard-only');
  const { page } = await e2e.newPage();
  const key = (k: string) => page.keyboard.press(k);
  await openPage(page, `${e2e.demo.url}henan.html`);

  // Notice: the accept button is reachable while it waits (aria-disabled, not disabled), usable once unlocked.
  await acceptButton(page).waitFor();
  await tabTo(page, (f) => f.part.includes('accept-button'), 'the accept button');
  await readNotice(page, e2e.clock);
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
    await page.keyboard.type(query);
    await tabTo(page, (f) => f.part === 'region' && f.text.startsWith(name), name);
    await key('Enter');
  }
  const picker = page.locator('aqjb-intake aqjb-region-picker');
  await until(async () => ((await picker.locator('[part~="chosen"]').textContent()) ?? '').includes('金水区'), '金水区 chosen');
  await shots.take(page, 'region');
  await tabTo(page, isButton('继续'), '继续 after the place');
  await key('Enter');
  await waitForStep(page, 'form');

  // Form: Tab from field to field, typing; the select by type-ahead, the checkbox with Space.
  await tabTo(page, (f) => f.id === 'subject.name', 'the unit name');
  await page.keyboard.type(FACTS.name);
  await key('Tab');
  assert.equal((await focused(page))?.id, 'subject.address');
  await page.keyboard.type(FACTS.address);
  await key('Tab');
  assert.equal((await focused(page))?.id, 'industry');
  // A closed select steps through its options with the arrow keys (煤矿, 金属与非金属矿山, 化工…).
  for (let i = 0; i < 20 && (await field(page, 'industry').inputValue()) !== FACTS.industry; i++) await key('ArrowDown');
  assert.equal(await field(page, 'industry').inputValue(), FACTS.industry, 'the arrows reach 化工（含石油化工）');
  await tabTo(page, (f) => f.tag === 'input' && f.value === FACTS.problemType, 'the 重大事故隐患 checkbox');
  await key('Space');
  await tabTo(page, (f) => f.id === 'description', 'the description');
  await page.keyboard.type(FACTS.description);
  await shots.take(page, 'form');
  await tabTo(page, (f) => f.part === 'continue-button' && f.hosts.includes('aqjb-report-form'), 'the form\'s 继续');
  await key('Enter');
  await waitForStep(page, 'review');
  const reviewText = (await intake(page).locator('[part~="review"]').textContent()) ?? '';
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
