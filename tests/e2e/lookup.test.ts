/**
 * A report's life as the citizen follows it on /lookup.html (phone, 360×740) while the handling authority moves it
 * along with `aqjb handle` over the staff API with a handler token, the supplement answered on the page itself.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { runCommand } from '../../src/server/cli/command.js';
import { handle } from '../../src/server/cli/handle.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { createClient } from '../../src/sdk/index.js';
import { Shots, startE2E, until, type E2E } from './support/harness.js';
import { anonymousDraft, readNotice } from '../support/reference-server.js';

let e2e: E2E;
let staffToken: string;
before(async () => {
  e2e = await startE2E();
  ({ token: staffToken } = await createStaffToken(e2e.demo.api.sql, { scope: '410000', role: 'handler', label: '河南省厅 e2e' }));
});
after(() => e2e?.close());

const DAY = 24 * 3600_000;

/** Files a report the way the SDK example does (the intake's own flow is covered in flows.test.ts). */
async function fileReport() {
  const client = createClient({ baseUrl: e2e.demo.apiBase, retry: 0 });
  const ackToken = await readNotice({ url: e2e.demo.apiBase, clock: e2e.clock }, client);
  return client.submitReport(
    anonymousDraft(ackToken, {
      regionCode: '410100',
      subject: { name: '某建材厂', address: '郑州市金水区某路 8 号' },
      industry: 'building-materials',
      problemTypes: [{ code: 'violation' }],
      description: '粉尘车间未设置除尘设施，工人未佩戴防护用品。',
    }),
    { idempotencyKey: crypto.randomUUID() },
  );
}

/** `aqjb handle <action> <code> [options]` against the demo's API; a day passes first, as it would. */
async function act(...args: string[]): Promise<string> {
  e2e.clock.advance(DAY);
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await runCommand(handle, [...args, '--api', e2e.demo.apiBase], {
    out: sink((s) => (out += s)),
    err: sink((s) => (err += s)),
    env: { ...process.env, AQJB_STAFF_TOKEN: staffToken },
  });
  assert.equal(code, 0, `handle ${args.join(' ')}: ${err}`);
  return out;
}

interface Shown {
  status: string;
  statusText: string;
  handledBy: string;
  newest: { title: string; detail: string; org: string };
  events: number;
}

const lookup = (page: Page) => page.locator('aqjb-progress-lookup');

/**
 * What the result shows, read field by field: a refresh that lands between two reads would mix two answers (the
 * old status with the new timeline), so the fields are read until two reads in a row agree.
 */
async function shown(page: Page): Promise<Shown> {
  for (let last = await readShown(page); ; ) {
    const next = await readShown(page);
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
}

async function readShown(page: Page): Promise<Shown> {
  const newest = lookup(page).locator('[part~="timeline"] li').first();
  // allTextContents does not wait: between a count and a textContent() the refreshed timeline can drop the element
  // (the newest event may have no detail), and textContent() would then wait its full timeout.
  const text = async (l: ReturnType<Page['locator']>) => ((await l.allTextContents())[0] ?? '').trim();
  return {
    status: await text(lookup(page).locator('[data-status-value]')),
    statusText: await text(lookup(page).locator('.status-text')),
    handledBy: await text(lookup(page).locator('.handled-by')),
    newest: { title: await text(newest.locator('.event-title')), detail: await text(newest.locator('.event-detail')), org: await text(newest.locator('.event-org')) },
    events: await lookup(page).locator('[part~="timeline"] li').count(),
  };
}

/** 刷新进度, then wait until the page shows `status`. */
async function refreshUntil(page: Page, status: string): Promise<Shown> {
  await lookup(page).locator('[part~="refresh-button"]').click();
  return until(async () => {
    const s = await shown(page);
    return s.status === status && s;
  }, `status ${status}`);
}

test('lookup.html shows each step of a report handled with npm run handle, and takes the supplement', async () => {
  const shots = new Shots('lookup-progress');
  const receipt = await fileReport();
  const { page } = await e2e.newPage();
  await page.goto(`${e2e.demo.url}lookup.html`);
  // As the citizen copies it from the receipt: lower case, with spaces.
  await lookup(page).locator('[part~="code-input"]').fill(receipt.reportCode.toLowerCase().replace(/(.{4})(?=.)/g, '$1 '));
  await lookup(page).locator('[part~="key-input"]').fill(receipt.queryKey);
  await lookup(page).locator('[part~="submit-button"]').click();
  let s = await until(async () => {
    const x = await shown(page);
    return x.status && x;
  }, 'the first result');
  await shots.take(page, 'submitted', { full: true });
  assert.equal(s.status, '受理中');
  assert.match(s.statusText, /正在审核是否受理/);
  assert.match(s.handledBy, /郑州市应急管理局/);
  assert.deepEqual(s.newest, { title: '提交举报', detail: '通过网上举报提交', org: '办理单位：郑州市应急管理局' });
  assert.match(await lookup(page).locator('[part~="report-code"]').innerText(), new RegExp(receipt.reportCode.slice(0, 4)));

  assert.match(await act('accept', receipt.reportCode), /accepted/);
  s = await refreshUntil(page, '已受理');
  await shots.take(page, 'accepted', { full: true });
  assert.equal(s.newest.title, '已受理');
  assert.match(s.statusText, /已受理您的举报/);
  assert.match(await lookup(page).locator('[part~="result"]').innerText(), /核查期限/);

  await act('transfer', receipt.reportCode, '--to', '410105');
  s = await refreshUntil(page, '已转办');
  await shots.take(page, 'transferred', { full: true });
  assert.deepEqual(s.newest, { title: '已转办', detail: '转交郑州市金水区应急管理局办理', org: '办理单位：郑州市应急管理局' });
  assert.match(s.handledBy, /郑州市金水区应急管理局/);

  const request = '请补充粉尘车间的现场照片和车间位置。';
  await act('request-supplement', receipt.reportCode, '--request', request);
  s = await refreshUntil(page, '待补充材料');
  await shots.take(page, 'supplement-requested', { full: true });
  assert.deepEqual(s.newest, { title: '请您补充材料', detail: request, org: '办理单位：郑州市金水区应急管理局' });
  const supplement = lookup(page).locator('[part~="supplement"]');
  assert.equal(((await supplement.locator('[data-request]').textContent()) ?? '').trim(), request);

  // The citizen answers on the page.
  await supplement.locator('textarea#text').fill('粉尘车间在厂区北侧 3 号楼一层，照片稍后补充。');
  await supplement.locator('[part~="supplement-button"]').click();
  await lookup(page).locator('[part~="notice"]').waitFor();
  assert.match(await lookup(page).locator('[part~="notice"]').innerText(), /已收到您的补充材料/);
  s = await until(async () => {
    const x = await shown(page);
    return x.newest.title === '已收到补充材料' && x;
  }, 'the supplement in the timeline');
  await shots.take(page, 'supplement-sent', { full: true });
  assert.equal(s.status, '已转办', 'back to where it was before the request');
  assert.equal(s.newest.detail, '补充说明');
  assert.equal(await lookup(page).locator('[part~="supplement"]').count(), 0, 'the supplement form is gone');

  await act('verify', receipt.reportCode);
  s = await refreshUntil(page, '核查中');
  await shots.take(page, 'verifying', { full: true });
  assert.equal(s.newest.title, '开始核查');
  assert.match(s.statusText, /正在核查/);

  const outcome = '举报属实，已责令停产整改并处罚款。';
  await act('close', receipt.reportCode, '--outcome', outcome, '--substantiated', '--reward', '奖励 2000 元');
  s = await refreshUntil(page, '已办结');
  await shots.take(page, 'closed', { full: true });
  assert.deepEqual(s.newest, { title: '已办结', detail: outcome, org: '办理单位：郑州市金水区应急管理局' });
  const result = await lookup(page).locator('[part~="outcome"]').innerText();
  assert.match(result, /经核查，举报情况属实。/);
  assert.match(result, /举报奖励：奖励 2000 元/);
  // Newest first: submitted, accepted, transferred, requested, received, verifying, closed.
  assert.equal(s.events, 7);
  assert.equal(((await lookup(page).locator('[part~="timeline"] li').last().locator('.event-title').textContent()) ?? '').trim(), '提交举报');
});
