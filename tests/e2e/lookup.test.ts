/**
 * A report's life as the citizen follows it on /lookup.html (phone, 360×740) in every engine, while the handling
 * authority moves it along with `aqjb handle` over the staff API with a handler token, the supplement answered on the
 * page itself.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runCommand } from '../../src/server/cli/command.js';
import { handle } from '../../src/server/cli/handle.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { createClient } from '../../src/sdk/index.js';
import type { Target } from './support/driver.js';
import { Shots, forEachEngine, until, type E2E, type Page } from './support/harness.js';
import { anonymousDraft, readNotice } from '../support/reference-server.js';

const DAY = 24 * 3600_000;

/** Files a report the way the SDK example does (the intake's own flow is covered in flows.test.ts). */
async function fileReport(e2e: E2E) {
  const client = createClient({ baseUrl: e2e.demo.api.url, retry: 0 });
  const ackToken = await readNotice({ url: e2e.demo.api.url, clock: e2e.clock }, client);
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
async function act(e2e: E2E, staffToken: string, ...args: string[]): Promise<string> {
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
  const code = await runCommand(handle, [...args, '--api', e2e.demo.api.url], {
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

const LOOKUP: Target = ['aqjb-progress-lookup'];
const inLookup = (...steps: Target): Target => [...LOOKUP, ...steps];

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

const readShown = (page: Page): Promise<Shown> =>
  page.evaluate(() => {
    const root = document.querySelector('aqjb-progress-lookup')?.shadowRoot;
    const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const newest = root?.querySelector('[part~="timeline"] li');
    return {
      status: text(root?.querySelector('[data-status-value]')),
      statusText: text(root?.querySelector('.status-text')),
      handledBy: text(root?.querySelector('.handled-by')),
      newest: { title: text(newest?.querySelector('.event-title')), detail: text(newest?.querySelector('.event-detail')), org: text(newest?.querySelector('.event-org')) },
      events: root?.querySelectorAll('[part~="timeline"] li').length ?? 0,
    };
  });

/** 刷新进度, then wait until the page shows `status`. */
async function refreshUntil(page: Page, status: string): Promise<Shown> {
  await page.click(inLookup('[part~="refresh-button"]'));
  return until(async () => {
    const s = await shown(page);
    return s.status === status && s;
  }, `status ${status}`);
}

forEachEngine((e2e, engine) => {
  let staffToken: string;
  before(async () => {
    ({ token: staffToken } = await createStaffToken(e2e().demo.api.sql, { scope: '410000', role: 'handler', label: '河南省厅 e2e' }));
  });

  test('lookup.html shows each step of a report handled with npm run handle, and takes the supplement', async () => {
    const shots = new Shots('lookup-progress', engine);
    const handled = (...args: string[]) => act(e2e(), staffToken, ...args);
    const receipt = await fileReport(e2e());
    const page = await e2e().newPage();
    const before = e2e().pages.requests.length;
    await page.goto(`${e2e().demo.url}lookup.html`);
    await page.waitFor(inLookup('[part~="code-input"]'), 'the lookup form');
    // The page loads the lookup's own entry and its chunks: nothing of the embed's (the intake, its gate, its steps).
    const loaded = e2e().pages.requests.slice(before).map((r) => r.path);
    assert.ok(loaded.includes('/dist/aqjb-lookup.js'), `the lookup entry: ${loaded.join(' ')}`);
    assert.deepEqual(loaded.filter((p) => /\/(aqjb-embed\.js|chunks\/(first-screen|shared)-)/.test(p)), [], 'no intake code');
    // As the citizen copies it from the receipt: lower case, with spaces.
    await page.fill(inLookup('[part~="code-input"]'), receipt.reportCode.toLowerCase().replace(/(.{4})(?=.)/g, '$1 '));
    await page.fill(inLookup('[part~="key-input"]'), receipt.queryKey);
    await page.click(inLookup('[part~="submit-button"]'));
    let s = await until(async () => {
      const x = await shown(page);
      return x.status && x;
    }, 'the first result');
    await shots.take(page, 'submitted', { full: true });
    assert.equal(s.status, '受理中');
    assert.match(s.statusText, /正在审核是否受理/);
    assert.match(s.handledBy, /郑州市应急管理局/);
    assert.deepEqual(s.newest, { title: '提交举报', detail: '通过网上举报提交', org: '办理单位：郑州市应急管理局' });
    assert.match(await page.innerText(inLookup('[part~="report-code"]')), new RegExp(receipt.reportCode.slice(0, 4)));

    assert.match(await handled('accept', receipt.reportCode), /accepted/);
    s = await refreshUntil(page, '已受理');
    await shots.take(page, 'accepted', { full: true });
    assert.equal(s.newest.title, '已受理');
    assert.match(s.statusText, /已受理您的举报/);
    assert.match(await page.innerText(inLookup('[part~="result"]')), /核查期限/);

    await handled('transfer', receipt.reportCode, '--to', '410105');
    s = await refreshUntil(page, '已转办');
    await shots.take(page, 'transferred', { full: true });
    assert.deepEqual(s.newest, { title: '已转办', detail: '转交郑州市金水区应急管理局办理', org: '办理单位：郑州市应急管理局' });
    assert.match(s.handledBy, /郑州市金水区应急管理局/);

    const request = '请补充粉尘车间的现场照片和车间位置。';
    await handled('request-supplement', receipt.reportCode, '--request', request);
    s = await refreshUntil(page, '待补充材料');
    await shots.take(page, 'supplement-requested', { full: true });
    assert.deepEqual(s.newest, { title: '请您补充材料', detail: request, org: '办理单位：郑州市金水区应急管理局' });
    const supplement = inLookup('[part~="supplement"]');
    assert.equal(await page.text([...supplement, '[data-request]']), request);

    // The citizen answers on the page.
    await page.fill([...supplement, 'textarea#text'], '粉尘车间在厂区北侧 3 号楼一层，照片稍后补充。');
    await page.click([...supplement, '[part~="supplement-button"]']);
    await page.waitFor(inLookup('[part~="notice"]'));
    assert.match(await page.innerText(inLookup('[part~="notice"]')), /已收到您的补充材料/);
    s = await until(async () => {
      const x = await shown(page);
      return x.newest.title === '已收到补充材料' && x;
    }, 'the supplement in the timeline');
    await shots.take(page, 'supplement-sent', { full: true });
    assert.equal(s.status, '已转办', 'back to where it was before the request');
    assert.equal(s.newest.detail, '补充说明');
    assert.equal(await page.count(supplement), 0, 'the supplement form is gone');

    await handled('verify', receipt.reportCode);
    s = await refreshUntil(page, '核查中');
    await shots.take(page, 'verifying', { full: true });
    assert.equal(s.newest.title, '开始核查');
    assert.match(s.statusText, /正在核查/);

    const outcome = '举报属实，已责令停产整改并处罚款。';
    await handled('close', receipt.reportCode, '--outcome', outcome, '--substantiated', '--reward', '奖励 2000 元');
    s = await refreshUntil(page, '已办结');
    await shots.take(page, 'closed', { full: true });
    assert.deepEqual(s.newest, { title: '已办结', detail: outcome, org: '办理单位：郑州市金水区应急管理局' });
    const result = await page.innerText(inLookup('[part~="outcome"]'));
    assert.match(result, /经核查，举报情况属实。/);
    assert.match(result, /举报奖励：奖励 2000 元/);
    // Newest first: submitted, accepted, transferred, requested, received, verifying, closed.
    assert.equal(s.events, 7);
    assert.equal(await page.evaluate(() => document.querySelector('aqjb-progress-lookup')?.shadowRoot?.querySelector('[part~="timeline"] li:last-child .event-title')?.textContent?.trim()), '提交举报');
  });
});
