// The staff handling API (#19.2): tokens for any division with a role, the inbox with its counts and filters, and
// the handling steps through the one state machine, each recorded with the token that took it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ValidationError, createClient, type Inbox } from '../../src/sdk/index.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { issueHenanStaff, type IssuedToken, type StaffName } from '../support/staff-tokens.js';
import { anonymousDraft, devAction, readNotice, staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
let tokens: Record<StaffName, IssuedToken>;

before(async () => {
  server = await startTestServer();
  tokens = await issueHenanStaff(server);
});
after(() => server.close());

const staff = (name: StaffName) => tokens[name].client;
const codesOf = (inbox: Inbox) => inbox.items.map((i) => i.reportCode).sort();
const refused = (status: number, code: string) => (e: unknown) => e instanceof ApiError && e.status === status && e.code === code;

/** A report entered by the province's backfill token (a letter) for `regionCode`. */
async function letter(externalId: string, regionCode: string, overrides = {}) {
  return staff('henanBackfill').enterReport(staffLetter(externalId, { regionCode, ...overrides }));
}

test('a token sees the reports handled within its division: county, city and province, and nothing else', async () => {
  const jinshui = await letter('scope-1', '410105');
  const { reporter: _r, ...anonymous } = staffLetter('scope-2', { regionCode: '410103' }) as Extract<ReturnType<typeof staffLetter>, { mode: 'real-name' }>;
  const erqi = await staff('henanBackfill').enterReport({ ...anonymous, mode: 'anonymous' });
  const city = await letter('scope-3', '410100');

  const seen = async (name: StaffName) => codesOf(await staff(name).inbox({ limit: 100 }));
  assert.ok((await seen('zhengzhou')).includes(jinshui.reportCode));
  assert.ok((await seen('zhengzhou')).includes(erqi.reportCode));
  assert.ok((await seen('zhengzhou')).includes(city.reportCode));
  assert.ok((await seen('jinshui')).includes(jinshui.reportCode));
  assert.ok(!(await seen('jinshui')).includes(erqi.reportCode), 'a county does not see its neighbour');
  assert.ok(!(await seen('jinshui')).includes(city.reportCode), "a county does not see the city's own reports");
  assert.deepEqual(await seen('kaifeng'), []);
  assert.ok((await seen('henanReadOnly')).includes(erqi.reportCode));

  // A direct read outside the division is the same 404 as an unknown code.
  await assert.rejects(staff('kaifeng').getReport(jinshui.reportCode), refused(404, 'REPORT_NOT_FOUND'));
  await assert.rejects(staff('erqi').getReport(jinshui.reportCode), refused(404, 'REPORT_NOT_FOUND'));
  // A filter outside the division is refused, not silently emptied.
  await assert.rejects(staff('jinshui').inbox({ region: '410103' }), refused(403, 'FORBIDDEN'));
  const filtered = await staff('zhengzhou').inbox({ region: '410105', limit: 100 });
  assert.ok(filtered.items.every((i) => i.handledBy.regionCode === '410105'));
  assert.ok(codesOf(filtered).includes(jinshui.reportCode));
});

test('the reporter is decrypted only for handler tokens and only on the single read, each read audited', async () => {
  const { reportCode } = await letter('reporter-1', '410105');
  const inbox = await staff('jinshui').inbox({ limit: 100 });
  const item = inbox.items.find((i) => i.reportCode === reportCode)!;
  assert.ok(item);
  assert.ok(!('reporter' in item) && !('description' in item), 'the inbox carries neither reporter nor description');
  assert.ok(!JSON.stringify(inbox).includes('13800000000'));

  const before = Number((await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_audit')).rows[0]!.n);
  const asHandler = await staff('jinshui').getReport(reportCode);
  assert.deepEqual(asHandler.reporter, { name: '张三', phone: '13800000000' });
  const asReader = await staff('henanReadOnly').getReport(reportCode);
  assert.equal(asReader.reporter, undefined);
  assert.equal(asReader.description, asHandler.description);
  const asBackfill = await staff('henanBackfill').getReport(reportCode);
  assert.equal(asBackfill.reporter, undefined);
  const { rows } = await server.sql.query<{ token_id: string; action: string; report_code: string }>(
    'SELECT token_id, action, report_code FROM staff_audit ORDER BY id OFFSET $1',
    [before],
  );
  assert.deepEqual(rows, [
    { token_id: tokens.jinshui.id, action: 'read', report_code: reportCode },
    { token_id: tokens.henanReadOnly.id, action: 'read', report_code: reportCode },
    { token_id: tokens.henanBackfill.id, action: 'read', report_code: reportCode },
  ]);
});

test('roles: only handlers act, read-only tokens cannot enter, and each refusal is recorded', async () => {
  const { reportCode } = await letter('roles-1', '410105');
  await assert.rejects(staff('henanBackfill').act(reportCode, { action: 'accept' }), (e) => {
    assert.ok(refused(403, 'FORBIDDEN')(e));
    assert.match((e as ApiError).message, /数据补录/);
    return true;
  });
  await assert.rejects(staff('henanReadOnly').act(reportCode, { action: 'accept' }), refused(403, 'FORBIDDEN'));
  await assert.rejects(staff('henanReadOnly').enterReport(staffLetter('roles-2')), refused(403, 'FORBIDDEN'));
  const { rows } = await server.sql.query<{ reason: string; token_id: string }>(
    "SELECT reason, token_id FROM staff_audit WHERE action = 'deny' AND reason = 'role' ORDER BY id",
  );
  assert.deepEqual(
    rows.map((r) => r.token_id),
    [tokens.henanBackfill.id, tokens.henanReadOnly.id, tokens.henanReadOnly.id],
  );
  assert.equal((await staff('jinshui').getReport(reportCode)).status, 'submitted', 'nothing moved');
});

test('accept → supplement → the citizen answers → verify → close: each step in the history with the token, the citizen sees the bureau', async () => {
  const citizen = createClient({ baseUrl: server.url, retry: 0 });
  const receipt = await citizen.submitReport(anonymousDraft(await readNotice(server), { regionCode: '410105' }), {
    idempotencyKey: 'staff-handling-flow-1',
  });
  const code = receipt.reportCode;
  const jinshui = staff('jinshui');

  await jinshui.act(code, { action: 'accept' });
  await jinshui.act(code, { action: 'request-supplement', request: '请补充储罐区现场照片' });
  const asked = await citizen.getProgress(code, receipt.queryKey);
  assert.equal(asked.status, 'supplement-requested');
  assert.equal(asked.supplementRequest, '请补充储罐区现场照片');
  await citizen.addSupplement(code, receipt.queryKey, { text: '报警器在东侧储罐区，照片稍后补充。' });
  await jinshui.act(code, { action: 'verify' });
  const closed = await jinshui.act(code, { action: 'close', outcome: '举报属实，已责令整改', substantiated: true });
  assert.equal(closed.status, 'closed');

  const progress = await citizen.getProgress(code, receipt.queryKey);
  assert.deepEqual(
    progress.events.map((e) => [e.type, e.org]),
    [
      ['submitted', '郑州市金水区应急管理局'],
      ['accepted', '郑州市金水区应急管理局'],
      ['supplement-requested', '郑州市金水区应急管理局'],
      ['supplement-received', '郑州市金水区应急管理局'],
      ['verifying', '郑州市金水区应急管理局'],
      ['closed', '郑州市金水区应急管理局'],
    ],
  );
  assert.ok(!JSON.stringify(progress).includes(tokens.jinshui.id), "the citizen never sees a staff token's id");

  const seenByStaff = await staff('zhengzhou').getReport(code);
  assert.deepEqual(
    seenByStaff.events.map((e) => [e.type, e.tokenId]),
    [
      ['submitted', undefined],
      ['accepted', tokens.jinshui.id],
      ['supplement-requested', tokens.jinshui.id],
      ['supplement-received', undefined],
      ['verifying', tokens.jinshui.id],
      ['closed', tokens.jinshui.id],
    ],
  );
  const acts = await server.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM staff_audit WHERE action = 'act' AND report_code = $1 AND token_id = $2",
    [code, tokens.jinshui.id],
  );
  assert.equal(acts.rows[0]!.n, 4);
});

test('an illegal step is 409 with a message that names the state, and changes nothing; the extension is granted once', async () => {
  const { reportCode } = await letter('illegal-1', '410105');
  const jinshui = staff('jinshui');
  await assert.rejects(jinshui.act(reportCode, { action: 'close', outcome: '已核实', substantiated: false }), (e) => {
    assert.ok(refused(409, 'ILLEGAL_TRANSITION')(e));
    assert.match((e as ApiError).message, /待受理.*办结/);
    return true;
  });
  await jinshui.act(reportCode, { action: 'accept' });
  await assert.rejects(jinshui.act(reportCode, { action: 'accept' }), refused(409, 'ILLEGAL_TRANSITION'));
  const extended = await jinshui.act(reportCode, { action: 'extend', days: 30 });
  assert.equal(extended.status, 'extended');
  await assert.rejects(jinshui.act(reportCode, { action: 'extend', days: 1 }), (e) => {
    assert.ok(refused(409, 'ILLEGAL_TRANSITION')(e));
    assert.match((e as ApiError).message, /只能延长一次/);
    return true;
  });
  // More than the rules allow never reaches the server: the SDK checks with the same schema.
  await assert.rejects(jinshui.act(reportCode, { action: 'extend', days: 31 }), (e: Error) => e.name === 'ValidationError');
  // The refused steps are on record for review, with the token and the report.
  const { rows } = await server.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM staff_audit WHERE action = 'deny' AND reason = 'refused' AND token_id = $1 AND report_code = $2",
    [tokens.jinshui.id, reportCode],
  );
  assert.equal(rows[0]!.n, 3);
});

test('each inbox request is recorded once, with the token and no report code', async () => {
  const before = Number((await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_audit')).rows[0]!.n);
  await staff('erqi').inbox({ status: 'submitted' });
  const { rows } = await server.sql.query<{ token_id: string; action: string; report_code: string | null; route: string }>(
    'SELECT token_id, action, report_code, route FROM staff_audit ORDER BY id OFFSET $1',
    [before],
  );
  assert.deepEqual(rows, [{ token_id: tokens.erqi.id, action: 'list', report_code: null, route: 'GET /staff/inbox' }]);
});

test('a transfer goes only downwards within the division, and hands the report to the county', async () => {
  const { reportCode } = await letter('transfer-1', '410100');
  const zhengzhou = staff('zhengzhou');
  await zhengzhou.act(reportCode, { action: 'accept' });
  // The county cannot see the city's report yet; sideways and upwards are refused as field errors.
  await assert.rejects(staff('jinshui').getReport(reportCode), refused(404, 'REPORT_NOT_FOUND'));
  const notBelow = (e: unknown) => e instanceof ValidationError && e.fields.some((f) => f.path === 'toRegionCode');
  await assert.rejects(zhengzhou.act(reportCode, { action: 'transfer', toRegionCode: '410200' }), notBelow);
  await assert.rejects(zhengzhou.act(reportCode, { action: 'transfer', toRegionCode: '410000' }), notBelow);
  await assert.rejects(zhengzhou.act(reportCode, { action: 'transfer', toRegionCode: '410100' }), notBelow);
  const moved = await zhengzhou.act(reportCode, { action: 'transfer', toRegionCode: '410105' });
  assert.deepEqual(moved.handledBy, { regionCode: '410105', orgName: '郑州市金水区应急管理局' });
  // Now the county handles it; the city still sees it (it lies within the city), 二七区 does not.
  const verified = await staff('jinshui').act(reportCode, { action: 'verify' });
  assert.equal(verified.events.at(-1)!.org, '郑州市金水区应急管理局');
  assert.ok(codesOf(await zhengzhou.inbox({ limit: 100 })).includes(reportCode));
  await assert.rejects(staff('erqi').act(reportCode, { action: 'close', outcome: '越权', substantiated: false }), refused(404, 'REPORT_NOT_FOUND'));
});

test('the 督办 view: overdue and due-soon filters and counts follow the working-day calendar', async () => {
  // A separate server, so the counts are this test's alone. Received Friday 2026-02-27: acceptance due Tuesday
  // 2026-03-03, the 3rd working day after (Saturday 2026-02-28 is a working day: the Spring Festival swap).
  const own = await startTestServer();
  try {
    const { token } = await createStaffToken(own.sql, { scope: '410105', role: 'handler', label: '金水区 督办' });
    const client = createStaffClient({ baseUrl: own.url, token, retry: 0 });
    const a = await client.enterReport(staffLetter('due-1'));
    const b = await client.enterReport(staffLetter('due-2', { receivedAt: '2026-03-02T01:00:00Z' })); // due 2026-03-05
    await client.act(b.reportCode, { action: 'accept' }); // verification due 60 working days after 2026-03-02

    own.clock.set('2026-03-02T04:00:00Z'); // Monday: a is due tomorrow
    let inbox = await client.inbox({ due: 'soon', days: 1 });
    assert.deepEqual(codesOf(inbox), [a.reportCode]);
    assert.deepEqual(inbox.items[0]!.due, { kind: 'acceptance', date: '2026-03-03', workingDaysLeft: 1 });
    assert.deepEqual(inbox.counts, {
      total: 1,
      byStatus: { ...zero, submitted: 1, accepted: 1 },
      overdue: 0,
      dueSoon: 1,
    });
    own.clock.set('2026-03-01T04:00:00Z'); // Sunday: two working days ahead, not one
    assert.deepEqual(codesOf(await client.inbox({ due: 'soon', days: 1 })), []);
    assert.deepEqual(codesOf(await client.inbox({ due: 'soon', days: 2 })), [a.reportCode]);

    own.clock.set('2026-03-05T04:00:00Z'); // Thursday: a is two working days late
    inbox = await client.inbox({ due: 'overdue' });
    assert.deepEqual(codesOf(inbox), [a.reportCode]);
    assert.equal(inbox.items[0]!.due!.workingDaysLeft, -2);
    assert.equal(inbox.counts.overdue, 1);
    assert.deepEqual(codesOf(await client.inbox({ due: 'overdue', status: 'accepted' })), []);
    assert.deepEqual(codesOf(await client.inbox({ status: 'accepted' })), [b.reportCode]);
    // Received dates, inclusive, in Beijing days.
    assert.deepEqual(codesOf(await client.inbox({ from: '2026-03-02' })), [b.reportCode]);
    assert.deepEqual(codesOf(await client.inbox({ to: '2026-02-27' })), [a.reportCode]);
  } finally {
    await own.close();
  }
});

const zero = { submitted: 0, accepted: 0, 'not-accepted': 0, transferred: 0, verifying: 0, extended: 0, 'supplement-requested': 0, closed: 0 };

test('the inbox pages with a cursor: every report once, newest first, and a forged cursor is a clear 400', async () => {
  const own = await startTestServer();
  try {
    const { token } = await createStaffToken(own.sql, { scope: '410000', role: 'backfill', label: '分页' });
    const client = createStaffClient({ baseUrl: own.url, token, retry: 0 });
    const entered: string[] = [];
    for (let i = 0; i < 7; i++) {
      const day = `2026-02-${String(20 + (i % 3)).padStart(2, '0')}T02:00:00Z`; // ties on the day: the code breaks them
      entered.push((await client.enterReport(staffLetter(`page-${i}`, { receivedAt: day }))).reportCode);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.inbox({ limit: 3, ...(cursor ? { cursor } : {}) });
      assert.equal(page.counts.total, 7);
      seen.push(...page.items.map((i) => i.reportCode));
      const dates = page.items.map((i) => i.receivedAt);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...entered].sort());
    assert.equal(new Set(seen).size, 7);

    const forged = await fetch(new URL('staff/inbox?cursor=bm90LWEtY3Vyc29y', own.url), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(forged.status, 400);
    assert.match(((await forged.json()) as { error: { message: string } }).error.message, /翻页标记无效/);
    const bad = await fetch(new URL('staff/inbox?limit=1000&due=late', own.url), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bad.status, 400);
  } finally {
    await own.close();
  }
});

test('the --dev actions are the same state machine: an illegal step is refused the same way', async () => {
  const { reportCode } = await letter('dev-1', '410105');
  const first = await devAction(server.url, reportCode, { action: 'verify' });
  assert.equal(first.status, 409);
  assert.equal((first.body as { error: { message: string } }).error.message, '举报当前为「待受理」，不能「开始核查」');
  assert.equal((await devAction(server.url, reportCode, { action: 'accept' })).status, 200);
  const history = await staff('jinshui').getReport(reportCode);
  assert.deepEqual(history.events.at(-1), { type: 'accepted', at: history.events.at(-1)!.at, org: '郑州市金水区应急管理局' });
});
