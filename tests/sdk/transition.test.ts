import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ApiError } from '../../src/sdk/index.js';
import {
  MappingError,
  createSqlOutbox,
  createTransitionClient,
  mapExportRow,
  mapProgress,
  type OutboxEntrySummary,
  type OutboxStore,
  type TransitionClient,
} from '../../src/sdk/transition/index.js';
import { generateReportCode } from '../../src/sdk/report-code.js';
import { henanAdapter } from '../../demo/legacy/henan-adapter.js';
import { exportRow, startLegacyServer, type RunningLegacyServer } from '../../demo/legacy/server.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';
import { anonymousDraft, realNameDraft } from '../support/drafts.js';

let server: TestServer;
let db: PGlite;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'aqjb-legacy-'));
  dirs.push(d);
  return d;
};
before(async () => {
  [server, db] = await Promise.all([startTestServer(), PGlite.create()]);
});
after(async () => {
  await server.close();
  await db.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const facts = {
  regionCode: '410105',
  subject: { name: '某某化工有限公司', address: '郑州市金水区某路 1 号' },
  industry: 'chemical',
  problemTypes: [{ code: 'major-hazard' }, { code: 'evaluation-agency', items: ['qyj-3'] }],
  description: '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。',
};

async function ackToken(client: TransitionClient) {
  const { receiptId } = await client.startNoticeReceipt();
  server.clock.advance(15_000);
  return (await client.confirmNoticeReceipt(receiptId)).ackToken;
}

const clientOn = (legacyUrl: string, mode: 'dual' | 'legacy' | 'national', outbox?: OutboxStore) =>
  createTransitionClient({
    national: { baseUrl: server.url, retry: 0 },
    legacy: { adapter: henanAdapter, baseUrl: legacyUrl, timeoutMs: 2000 },
    mode,
    ...(outbox ? { outbox } : {}),
    clock: server.clock,
  });

/** Resolves with the first entry the outbox reports in `state` for `key`. */
const next = (client: TransitionClient, key: string, state: OutboxEntrySummary['state']) =>
  new Promise<OutboxEntrySummary>((resolve) => {
    const stop = client.outbox!.subscribe((e) => {
      if (e.key === key && e.state === state) {
        stop();
        resolve(e);
      }
    });
  });

test('dual mode: the legacy system down at filing, back after a reload: exactly one copy arrives', async () => {
  const dataDir = tempDir();
  const probe = await startLegacyServer({ port: 0, dataDir, clock: server.clock });
  const { port, url } = probe;
  await probe.close(); // down when the citizen files
  const store = await createSqlOutbox(db, { table: 'outbox_reload' });

  const first = clientOn(url, 'dual', store);
  const seen: OutboxEntrySummary[] = [];
  first.outbox!.subscribe((e) => seen.push(e));
  const draft = anonymousDraft(await ackToken(first), facts);
  const receipt = await first.submitReport(draft, { idempotencyKey: crypto.randomUUID() });
  assert.match(receipt.reportCode, /^[2-9A-HJKMNP-TV-Z]{12}$/, 'the citizen gets the national code');
  await first.outbox!.flush();
  const waiting = await first.outbox!.get(receipt.reportCode);
  assert.equal(waiting?.state, 'pending');
  assert.ok(waiting!.attempts >= 1);
  assert.equal(waiting!.lastError?.code, 'NETWORK');
  assert.deepEqual([...new Set(seen.map((e) => e.state))], ['pending']);
  first.close(); // the page is reloaded: nothing of the first client survives but the store

  const legacy: RunningLegacyServer = await startLegacyServer({ port, dataDir, clock: server.clock });
  try {
    const second = clientOn(url, 'dual', store);
    const delivered = next(second, receipt.reportCode, 'delivered');
    server.clock.advance(10 * 60_000); // past the backoff: the second page's timer fires
    const entry = await delivered;
    assert.match(entry.legacyCode ?? '', /^HN\d{14}$/);
    assert.equal((await store.get(receipt.reportCode))?.report, undefined, 'personal data leaves the outbox once delivered');

    // A third page, a forced retry and a direct resend with the same key add nothing.
    const third = clientOn(url, 'dual', store);
    await third.outbox!.flush();
    await third.outbox!.retry(receipt.reportCode);
    await henanAdapter.send(
      (await import('../../src/sdk/transition/index.js')).createLegacyHttp({ baseUrl: url }),
      henanAdapter.schemas.submission.parse(henanAdapter.toLegacy({ nationalCode: receipt.reportCode, submittedAt: receipt.submittedAt, content: { mode: 'anonymous', ...facts, attachmentIds: [] } })),
      { idempotencyKey: receipt.reportCode },
    );
    const copies = legacy.records().filter((r) => r.guojiaBianhao === receipt.reportCode);
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.jubaoNeirong, facts.description);
    assert.equal(copies[0]!.hangyeDaima, 'HY03');
    assert.equal(copies[0]!.wentiXize, 'qyj-3');
    assert.deepEqual(await third.outbox!.status().then((s) => s.counts), { pending: 0, delivered: 1, failed: 0 });
    second.close();
    third.close();
  } finally {
    await legacy.close();
  }
});

test('a legacy code looked up through the transition client shows the legacy progress in our schema', async () => {
  const legacy = await startLegacyServer({ port: 0, dataDir: tempDir(), clock: server.clock });
  try {
    const client = clientOn(legacy.url, 'legacy');
    const draft = realNameDraft(await ackToken(client), {}, facts);
    const receipt = await client.submitReport(draft, { idempotencyKey: crypto.randomUUID() });
    assert.match(receipt.reportCode, /^HN20260302\d{6}$/);
    assert.equal(receipt.routedTo.orgName, '郑州市金水区应急管理局');
    assert.equal(legacy.records()[0]?.jubaoren?.xingming, '张三');

    server.clock.advance(3600_000);
    const handled = await fetch(new URL('hnjb/api/jubao/banli', legacy.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jubaoBianhao: receipt.reportCode, huanjie: '受理' }),
    });
    assert.equal(((await handled.json()) as { fanhuiMa: string }).fanhuiMa, '0000');

    // Typed as a citizen copies it from paper: lower case, spaces.
    const typed = receipt.reportCode.toLowerCase().replace(/^(.{6})/, '$1 ');
    assert.equal(client.legacyCodeOf(typed), receipt.reportCode);
    const progress = await client.getProgress(typed, receipt.queryKey);
    assert.equal(progress.reportCode, receipt.reportCode);
    assert.equal(progress.status, 'accepted');
    assert.deepEqual(progress.events.map((e) => e.type), ['submitted', 'accepted']);
    assert.deepEqual(progress.events[0]?.type === 'submitted' && progress.events[0].channel, 'legacy');
    assert.equal(progress.handledBy.orgName, '郑州市金水区应急管理局');
    assert.deepEqual(progress.deadlines.map((d) => d.kind), ['acceptance', 'verification']);
    assert.ok(progress.deadlines[0]?.metAt);

    await assert.rejects(client.getProgress(receipt.reportCode, '000000'), (e) => e instanceof ApiError && e.code === 'REPORT_NOT_FOUND');
    // National codes still go to the national system.
    await assert.rejects(client.getProgress(generateReportCode(), '2'.repeat(18)), (e) => e instanceof ApiError && e.status === 404);
  } finally {
    await legacy.close();
  }
});

test('adapter mapping errors name the field, on the way out and on the way in', async () => {
  const legacy = await startLegacyServer({ port: 0, dataDir: tempDir(), clock: server.clock });
  try {
    const client = clientOn(legacy.url, 'legacy');
    const long = { ...facts, description: '储罐区报警器损坏。'.repeat(120) }; // 1080 characters: fine for us, too long for them
    await assert.rejects(
      client.submitReport(anonymousDraft('x', long), { idempotencyKey: crypto.randomUUID() }),
      (e) => e instanceof MappingError && e.field === 'jubaoNeirong' && e.counterpart === 'description' && e.direction === 'to-legacy',
    );
    await assert.rejects(
      client.submitReport(anonymousDraft('x', { ...facts, regionCode: '420102' }), { idempotencyKey: crypto.randomUUID() }),
      (e) => e instanceof MappingError && e.field === 'quhuaDaima' && e.counterpart === 'regionCode' && !e.message.includes('420102'),
    );
    assert.equal(legacy.records().length, 0);

    assert.throws(
      () => mapProgress(henanAdapter, { jubaoBianhao: 'HN20260302000001', dangqianZhuangtai: '处理中', chengbanDanwei: 'x', quhuaDaima: '410105', shouliQixian: '20260305', banliGuocheng: [] }, 'HN20260302000001'),
      (e) => e instanceof MappingError && e.field === 'dangqianZhuangtai' && e.direction === 'from-legacy',
    );
    const row = { ...exportRow({ ...legacyRecord(), hangyeDaima: 'HY42' }) };
    assert.throws(() => mapExportRow(henanAdapter, row), (e) => e instanceof MappingError && e.field === 'hangyeDaima' && e.counterpart === 'industry');
    assert.throws(
      () => mapExportRow(henanAdapter, exportRow({ ...legacyRecord(), jubaoNeirong: '太短' })),
      (e) => e instanceof MappingError && e.field === 'description' && e.direction === 'from-legacy',
    );

    // In dual mode the citizen still gets the national receipt; the operator sees a failed entry naming the field.
    const dual = clientOn(legacy.url, 'dual', await createSqlOutbox(db, { table: 'outbox_mapping' }));
    const failed = new Promise<OutboxEntrySummary>((resolve) => dual.outbox!.subscribe((e) => e.state === 'failed' && resolve(e)));
    const receipt = await dual.submitReport(anonymousDraft(await ackToken(dual), long), { idempotencyKey: crypto.randomUUID() });
    const entry = await failed;
    assert.equal(entry.key, receipt.reportCode);
    assert.equal(entry.lastError?.code, 'MAPPING_FAILED');
    assert.equal(entry.lastError?.field, 'jubaoNeirong');
    const status = await dual.outbox!.status();
    assert.equal(status.counts.failed, 1);
    assert.equal(status.open[0]?.state, 'failed');
    assert.ok(!('report' in status.open[0]!), 'the operator view carries no report content');
    dual.close();
  } finally {
    await legacy.close();
  }
});

test('outbox state is observable: pending with the last error, then delivered', async () => {
  const dataDir = tempDir();
  const probe = await startLegacyServer({ port: 0, dataDir, clock: server.clock });
  await probe.close();
  const client = clientOn(probe.url, 'dual', await createSqlOutbox(db, { table: 'outbox_observe' }));
  const events: OutboxEntrySummary[] = [];
  client.outbox!.subscribe((e) => events.push(e));
  const receipt = await client.submitReport(anonymousDraft(await ackToken(client), facts), { idempotencyKey: crypto.randomUUID() });
  await client.outbox!.flush();
  let status = await client.outbox!.status();
  assert.equal(status.counts.pending, 1);
  assert.equal(status.open[0]?.lastError?.code, 'NETWORK');
  assert.ok(status.open[0]!.nextAttemptAt > server.clock.now(), 'the next attempt waits (backoff)');

  const legacy = await startLegacyServer({ port: probe.port, dataDir, clock: server.clock });
  try {
    await client.outbox!.retry(receipt.reportCode); // an operator's "send now"
    status = await client.outbox!.status();
    assert.deepEqual(status.counts, { pending: 0, delivered: 1, failed: 0 });
    assert.deepEqual(events.map((e) => e.state), ['pending', 'pending', 'pending', 'delivered']);
    assert.equal(events.at(-1)?.lastError, undefined);
  } finally {
    client.close();
    await legacy.close();
  }
});

function legacyRecord() {
  return {
    jubaoBianhao: 'HN20260301000007',
    chaxunMa: '123456',
    laiyuan: '来信' as const,
    jubaoFangshi: '匿名' as const,
    quhuaDaima: '410105',
    beiJubaoDanwei: { mingcheng: '某某化工有限公司', dizhi: '郑州市金水区某路 1 号' },
    hangyeDaima: 'HY03',
    wentiLeixing: ['重大事故隐患'],
    jubaoNeirong: '储罐区可燃气体报警器长期损坏。',
    tijiaoShijian: '2026-03-01 09:30:00',
    dangqianZhuangtai: '待受理' as const,
    chengbanDanwei: '郑州市金水区应急管理局',
    shouliQixian: '20260304',
    banliGuocheng: [],
  };
}

test('the SQL outbox keeps the same contract on PostgreSQL (the throwaway cluster of npm test)', { skip: !process.env.AQJB_TEST_DATABASE_URL }, async () => {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: process.env.AQJB_TEST_DATABASE_URL, max: 4 });
  const table = `outbox_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  try {
    const store = await createSqlOutbox(pool, { table });
    const entry = { key: 'K7M9QXRT3HWP', adapter: 'henan', state: 'pending' as const, attempts: 0, createdAt: 1000, nextAttemptAt: 1000 };
    assert.equal(await store.add(entry), true);
    assert.equal(await store.add(entry), false, 'a key already there is left as it is');
    assert.deepEqual((await store.due(1000, 10)).map((e) => e.key), ['K7M9QXRT3HWP']);
    // Two processes race for one entry: one wins the lease.
    const claims = await Promise.all([store.claim(entry.key, 1000, 61_000), store.claim(entry.key, 1000, 61_000)]);
    assert.deepEqual(claims.sort(), [false, true]);
    assert.deepEqual(await store.due(2000, 10), [], 'a held entry is not due');
    assert.equal(await store.nextDue(), 61_001, 'nor scheduled before its lease ends');
    await store.put({ ...entry, state: 'delivered', attempts: 1, deliveredAt: 3000, legacyCode: 'HN20260302000001' });
    assert.deepEqual(await store.counts(), { pending: 0, delivered: 1, failed: 0 });
    assert.equal((await store.get(entry.key))?.legacyCode, 'HN20260302000001');
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  }
});
