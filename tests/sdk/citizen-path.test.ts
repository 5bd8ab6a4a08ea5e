import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError,
  ValidationError,
  createClient,
  parseReportCode,
  type AqjbClient,
  type ReportDraft,
} from '../../src/sdk/index.js';
import { devAction, lastSmsCode, readNotice as readNoticeOn, startTestServer, type TestServer } from '../support/reference-server.js';
import { REPORTER, anonymousDraft, realNameDraft } from '../support/drafts.js';

let server: TestServer;
let client: AqjbClient;

before(async () => {
  server = await startTestServer();
  client = createClient({ baseUrl: server.url, retry: 0 });
});
after(() => server.close());

const readNotice = () => readNoticeOn(server, client);

describe('notice gate (15 s on the server clock)', () => {
  test('the notice is structured text with a 15-second minimum', async () => {
    const notice = await client.getNotice();
    assert.equal(notice.minReadSeconds, 15);
    assert.ok(notice.sections.length >= 3);
    const text = JSON.stringify(notice);
    assert.doesNotMatch(text, /<[a-z]/i, 'no markup in the notice');
    assert.match(text, /瞒报/);
  });

  test('confirming before 15 s is refused with the time left; after 15 s it yields a token', async () => {
    const { receiptId, readableAt } = await client.startNoticeReceipt();
    assert.equal(Date.parse(readableAt) - server.clock.now(), 15_000);
    server.clock.advance(14_000);
    await assert.rejects(client.confirmNoticeReceipt(receiptId), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 409);
      assert.equal(error.code, 'NOTICE_TOO_EARLY');
      assert.equal(error.retryAfterMs, 1_000);
      return true;
    });
    server.clock.advance(1_000);
    const ack = await client.confirmNoticeReceipt(receiptId);
    assert.ok(ack.ackToken.length >= 16);
  });

  test('a report without a valid ack token is refused and nothing is stored', async () => {
    const before = await count('reports');
    await assert.rejects(
      client.submitReport(anonymousDraft('not-a-real-token-123'), { idempotencyKey: crypto.randomUUID() }),
      (error: unknown) => error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID',
    );
    assert.equal(await count('reports'), before);
  });

  test('an ack token is consumed by the report it goes with', async () => {
    const ackToken = await readNotice();
    await client.submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() });
    await assert.rejects(
      client.submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() }),
      (error: unknown) => error instanceof ApiError && error.code === 'NOTICE_ACK_INVALID',
    );
  });
});

describe('reports', () => {
  test('an anonymous report returns a checkable code, a query key and the bureau it was routed to', async () => {
    const receipt = await client.submitReport(anonymousDraft(await readNotice()), { idempotencyKey: crypto.randomUUID() });
    assert.ok(parseReportCode(receipt.reportCode).ok);
    assert.ok(receipt.queryKey.length >= 17);
    assert.deepEqual(receipt.routedTo, { regionCode: '410105', orgName: '郑州市金水区应急管理局' });
    // Submitted Monday 2026-03-02 (Beijing): three working days later is Thursday.
    assert.equal(receipt.acceptBy, '2026-03-05');
  });

  test('an anonymous report with a personal field is rejected, not stripped', async () => {
    const ackToken = await readNotice();
    const draft = { ...anonymousDraft(ackToken), reporter: REPORTER };
    const response = await fetch(new URL('reports', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify(draft),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; fields: { path: string; code: string }[] } };
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(body.error.fields.map((f) => [f.path, f.code]), [['reporter', 'personal.forbidden']]);
    // The SDK refuses it before sending, with the same field and key.
    await assert.rejects(client.submitReport(draft as ReportDraft, { idempotencyKey: crypto.randomUUID() }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.status, 0);
      assert.deepEqual(error.fields.map((f) => f.code), ['personal.forbidden']);
      return true;
    });
  });

  test('a real-name report needs the SMS code sent to the phone, and its reporter fields are accepted', async () => {
    const phone = '13912345678';
    // The code is asked for with the notice token the report will carry, and answers only to it.
    const ackToken = await readNotice();
    const { cooldownSeconds } = await client.sendSmsCode({ phone, ackToken });
    assert.equal(cooldownSeconds, 60);
    await assert.rejects(
      client.sendSmsCode({ phone, ackToken }),
      (e: unknown) => e instanceof ApiError && e.code === 'RATE_LIMITED' && e.retryAfterMs! > 0,
    );
    const code = await lastSmsCode(server.url, phone);
    const draft = realNameDraft(ackToken, { name: '李四', phone, smsCode: code === '000000' ? '000001' : '000000' });
    await assert.rejects(
      client.submitReport(draft, { idempotencyKey: crypto.randomUUID() }),
      (e: unknown) => e instanceof ValidationError && e.fields[0]?.path === 'reporter.smsCode' && e.status === 400,
    );
    const receipt = await client.submitReport(
      { ...draft, reporter: { name: '李四', phone, smsCode: code, idNumber: '11010519491231002X' } },
      { idempotencyKey: crypto.randomUUID() },
    );
    assert.ok(parseReportCode(receipt.reportCode).ok);
  });

  test('one idempotency key, one report: a replay returns the same receipt; another body is 409', async () => {
    const ackToken = await readNotice();
    const key = crypto.randomUUID();
    const first = await client.submitReport(anonymousDraft(ackToken), { idempotencyKey: key });
    const again = await client.submitReport(anonymousDraft(ackToken), { idempotencyKey: key });
    assert.deepEqual(again, first);
    await assert.rejects(
      client.submitReport(anonymousDraft(ackToken, { description: '另一份完全不同的举报内容，字数足够。' }), { idempotencyKey: key }),
      (e: unknown) => e instanceof ApiError && e.status === 409 && e.code === 'IDEMPOTENCY_KEY_REUSED',
    );
  });

  test('20 concurrent submissions with one key store exactly one report', async () => {
    const ackToken = await readNotice();
    const key = crypto.randomUUID();
    const before = await count('reports');
    const receipts = await Promise.all(
      Array.from({ length: 20 }, () => client.submitReport(anonymousDraft(ackToken), { idempotencyKey: key })),
    );
    assert.equal(new Set(receipts.map((r) => r.reportCode)).size, 1);
    assert.equal(await count('reports'), before + 1);
  });
});

describe('progress and handling', () => {
  test('a wrong query key and an unknown code answer identically', async () => {
    const receipt = await client.submitReport(anonymousDraft(await readNotice()), { idempotencyKey: crypto.randomUUID() });
    const wrongKey = await rawProgress(receipt.reportCode, 'ABCDEFGHJKMNPQRSTV');
    const body = receipt.reportCode.slice(0, -1);
    const unknown = await rawProgress(unknownCode(body), receipt.queryKey);
    assert.equal(wrongKey.status, 404);
    assert.deepEqual([unknown.status, unknown.text], [wrongKey.status, wrongKey.text]);
  });

  test('a report moves through its life and the lookup shows each step with deadlines', async () => {
    const receipt = await client.submitReport(anonymousDraft(await readNotice()), { idempotencyKey: crypto.randomUUID() });
    let progress = await client.getProgress(receipt.reportCode.toLowerCase(), receipt.queryKey);
    assert.equal(progress.status, 'submitted');
    assert.deepEqual(progress.deadlines.map((d) => [d.kind, d.due, d.workingDaysLeft]), [['acceptance', '2026-03-05', 3]]);

    server.clock.advance(24 * 3600_000); // Tuesday
    assert.equal((await devAction(server.url, receipt.reportCode, { action: 'accept' })).status, 200);
    assert.equal((await devAction(server.url, receipt.reportCode, { action: 'accept' })).status, 409, 'accepting twice is illegal');
    await devAction(server.url, receipt.reportCode, { action: 'transfer', toRegionCode: '410105' }).then((r) =>
      assert.equal(r.status, 400, 'cannot transfer to the level that already handles it'),
    );
    await devAction(server.url, receipt.reportCode, { action: 'request-supplement', request: '请补充储罐区照片。' });
    progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
    assert.equal(progress.status, 'supplement-requested');
    assert.equal(progress.supplementRequest, '请补充储罐区照片。');
    await client.addSupplement(receipt.reportCode, receipt.queryKey, { text: '已补充：储罐区位于厂区东侧。' });
    await assert.rejects(
      client.addSupplement(receipt.reportCode, receipt.queryKey, { text: '再补充一次' }),
      (e: unknown) => e instanceof ApiError && e.code === 'SUPPLEMENT_NOT_REQUESTED',
    );
    await devAction(server.url, receipt.reportCode, { action: 'verify' });
    await devAction(server.url, receipt.reportCode, { action: 'extend', days: 30 });
    assert.equal((await devAction(server.url, receipt.reportCode, { action: 'extend', days: 10 })).status, 409, 'one extension only');
    await devAction(server.url, receipt.reportCode, { action: 'close', outcome: '经核查，举报属实，已责令整改并立案处罚。', substantiated: true });
    progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
    assert.equal(progress.status, 'closed');
    assert.deepEqual(
      progress.events.map((e) => e.type),
      ['submitted', 'accepted', 'supplement-requested', 'supplement-received', 'verifying', 'extension-requested', 'extension-approved', 'closed'],
    );
    const verification = progress.deadlines.find((d) => d.kind === 'verification')!;
    assert.ok(verification.metAt, 'met once closed');
    assert.equal(verification.workingDaysLeft, undefined);
  });

  test('not accepted: the reason travels with the event', async () => {
    const receipt = await client.submitReport(anonymousDraft(await readNotice()), { idempotencyKey: crypto.randomUUID() });
    await devAction(server.url, receipt.reportCode, {
      action: 'reject',
      reason: { kind: 'out-of-scope', department: '郑州市住房和城乡建设局' },
    });
    const progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
    assert.equal(progress.status, 'not-accepted');
    const event = progress.events.at(-1)!;
    assert.equal(event.type, 'not-accepted');
    assert.deepEqual(event.type === 'not-accepted' && event.reason, { kind: 'out-of-scope', department: '郑州市住房和城乡建设局' });
  });

  test('a transfer goes only to a lower level and changes the handling bureau', async () => {
    const receipt = await client.submitReport(anonymousDraft(await readNotice(), { regionCode: '410100' }), {
      idempotencyKey: crypto.randomUUID(),
    });
    assert.equal(receipt.routedTo.orgName, '郑州市应急管理局');
    await devAction(server.url, receipt.reportCode, { action: 'accept' });
    assert.equal((await devAction(server.url, receipt.reportCode, { action: 'transfer', toRegionCode: '420100' })).status, 400);
    assert.equal((await devAction(server.url, receipt.reportCode, { action: 'transfer', toRegionCode: '410173' })).status, 200);
    const progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
    assert.equal(progress.status, 'transferred');
    assert.equal(progress.handledBy.regionCode, '410173');
  });
});

async function rawProgress(code: string, key: string) {
  const response = await fetch(new URL('reports/progress', server.url), { headers: { 'X-Report-Code': code, 'X-Query-Key': key } });
  return { status: response.status, text: await response.text() };
}

/** A well-formed code (valid check character) that was never issued. */
function unknownCode(avoid: string): string {
  for (const c of '23456789ABCDEFGH') {
    const body = `${c}${avoid.slice(1)}`;
    if (body === avoid) continue;
    for (const check of '23456789ABCDEFGHJKMNPQRSTVWXYZ') if (parseReportCode(body + check).ok) return body + check;
  }
  throw new Error('unreachable');
}

async function count(table: string): Promise<number> {
  const { rows } = await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

describe('region search (GET /regions/search)', () => {
  const names = (hits: { region: { name: string }; within: { name: string }[] }[]) =>
    hits.map((h) => [...h.within.map((w) => w.name), h.region.name].join(' › '));

  test('finds a county from the whole country by name, initials or syllables, with the places above it', async () => {
    for (const query of ['金水', 'jsq', 'jinshui']) {
      const result = await client.searchRegions(query);
      assert.equal(result.within, null);
      assert.ok(names(result.hits).includes('河南省 › 郑州市 › 金水区'), `${query} finds 金水区: ${names(result.hits).slice(0, 5)}`);
    }
  });

  test('below a division: only its places, the path starting under it; shallower places first', async () => {
    const result = await client.searchRegions('zz', '410000');
    assert.equal(result.within, '410000');
    assert.equal(names(result.hits)[0], '郑州市');
    assert.ok(result.hits.every((h) => h.region.code.startsWith('41')), 'nothing outside 河南省');
    const national = await client.searchRegions('zz');
    assert.ok(names(national.hits).some((n) => n.startsWith('福建省 › 漳州市')), 'the whole country has 漳州市 too');
    assert.ok(national.hits.length <= 50);
  });

  test('an empty or over-long query is 400, an unknown division 404', async () => {
    for (const [query, within, status] of [[' ', undefined, 400], ['x'.repeat(21), undefined, 400], ['zz', '999999', 404]] as const) {
      await assert.rejects(client.searchRegions(query, within), (error: unknown) => error instanceof ApiError && error.status === status);
    }
  });
});
