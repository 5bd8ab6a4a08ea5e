import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ApiError, ValidationError, createClient } from '../../src/sdk/index.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { runCommand, type Out } from '../../src/server/cli/command.js';
import { token as tokenCommand } from '../../src/server/cli/token.js';
import type { Sql } from '../../src/server/db/sql.js';
import { staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
let henan: string;
let hubei: string;
let hubeiId: string;
before(async () => {
  server = await startTestServer();
  henan = (await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' })).token;
  ({ token: hubei, id: hubeiId } = await createStaffToken(server.sql, { scope: '420000', role: 'handler', label: '湖北省厅 测试' }));
});
after(() => server.close());

/** `aqjb token …` on the test server's database. */
const staffToken = (argv: string[], out: Out, err: Out, sql: Sql) => runCommand(tokenCommand, argv, { out, err, env: process.env, sql });

const count = async (table: string) =>
  Number((await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);

interface AuditRow {
  token_id: string | null;
  action: string;
  reason: string | null;
  report_code: string | null;
  route: string | null;
}
/** The audit rows written since `since` (a row count), oldest first. */
const auditSince = async (since: number) =>
  (
    await server.sql.query<AuditRow>(
      'SELECT token_id, action, reason, report_code, route FROM staff_audit ORDER BY id OFFSET $1',
      [since],
    )
  ).rows;

test('a token of another province gets 403 on entry, nothing is written, and the refusal is recorded', async () => {
  const before = { reports: await count('reports'), ids: await count('external_ids'), audit: await count('staff_audit') };
  const staff = createStaffClient({ baseUrl: server.url, token: hubei, retry: 0 });
  await assert.rejects(staff.enterReport(staffLetter('HB-403')), (e) => e instanceof ApiError && e.status === 403 && e.code === 'FORBIDDEN');
  assert.deepEqual({ reports: await count('reports'), ids: await count('external_ids') }, { reports: before.reports, ids: before.ids });
  assert.deepEqual(await auditSince(before.audit), [
    { token_id: hubeiId, action: 'deny', reason: 'scope', report_code: null, route: 'POST /staff/reports' },
  ]);
});

test('outside its province a token gets the same 404 as for an unknown code, and both refusals are recorded', async () => {
  const { reportCode } = await createStaffClient({ baseUrl: server.url, token: henan, retry: 0 }).enterReport(staffLetter('HN-scope'));
  const unknownCode = reportCode.replace(/.$/, (c) => (c === '2' ? '3' : '2'));
  const since = await count('staff_audit');
  const read = (code: string) => fetch(new URL(`staff/reports/${code}`, server.url), { headers: { authorization: `Bearer ${hubei}` } });
  const outside = await read(reportCode);
  const unknown = await read(unknownCode);
  assert.equal(outside.status, 404);
  assert.equal(unknown.status, 404);
  const outsideBody = await outside.text();
  assert.equal(outsideBody, await unknown.text());
  // Nothing says where the report is, or that it exists.
  assert.doesNotMatch(outsideBody, /河南|湖北|410000|FORBIDDEN/);
  const rows = await auditSince(since);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { token_id: hubeiId, action: 'deny', reason: 'scope', report_code: reportCode, route: 'GET /staff/reports/:code' });
  assert.equal(rows[1]!.reason, 'unknown');
  assert.equal(rows[1]!.token_id, hubeiId);
  // The SDK sees an ordinary not-found.
  const other = createStaffClient({ baseUrl: server.url, token: hubei, retry: 0 });
  await assert.rejects(other.getReport(reportCode), (e) => e instanceof ApiError && e.status === 404 && e.code === 'REPORT_NOT_FOUND');
});

test('a bad or revoked token is refused and recorded, without the token', async () => {
  const { reportCode } = await createStaffClient({ baseUrl: server.url, token: henan, retry: 0 }).enterReport(staffLetter('HN-badtoken'));
  const revoked = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '将吊销 审计' });
  const out = new Writable({ write: (_c, _e, done) => done() });
  assert.equal(await staffToken(['revoke', revoked.id], out, out, server.sql), 0);
  const forged = `aqjbst_${'A'.repeat(32)}`;
  const since = await count('staff_audit');
  const read = (authorization?: string) =>
    fetch(new URL(`staff/reports/${reportCode}`, server.url), { headers: authorization ? { authorization } : {} });
  for (const auth of [undefined, `Bearer ${forged}`, `Bearer ${revoked.token}`, 'Basic Zm9vOmJhcg==']) {
    assert.equal((await read(auth)).status, 401);
  }
  const rows = await auditSince(since);
  assert.deepEqual(
    rows.map((r) => [r.action, r.reason, r.token_id, r.report_code, r.route]),
    [
      ['deny', 'token', null, reportCode, 'GET /staff/reports/:code'],
      ['deny', 'token', null, reportCode, 'GET /staff/reports/:code'],
      ['deny', 'revoked', revoked.id, reportCode, 'GET /staff/reports/:code'],
      ['deny', 'token', null, reportCode, 'GET /staff/reports/:code'],
    ],
  );
  const everything = JSON.stringify((await server.sql.query('SELECT * FROM staff_audit')).rows);
  assert.ok(!everything.includes(forged) && !everything.includes(revoked.token));
});

test('the bearer is read as /metrics reads it: any case, spaces or tabs, one token and nothing else', async () => {
  const { reportCode } = await createStaffClient({ baseUrl: server.url, token: henan, retry: 0 }).enterReport(staffLetter('HN-bearer'));
  const read = (authorization: string) => fetch(new URL(`staff/reports/${reportCode}`, server.url), { headers: { authorization } });
  for (const auth of [`bearer ${henan}`, `BEARER  ${henan}`, `Bearer\t${henan}`]) assert.equal((await read(auth)).status, 200, auth);
  // A no-break space (byte A0) between scheme and token was taken here and refused by /metrics; both refuse it now.
  for (const auth of [`Bearer\u00a0${henan}`, 'Bearer', `Bearer ${henan} ${henan}`, `Token ${henan}`, henan]) {
    assert.equal((await read(auth)).status, 401, JSON.stringify(auth));
  }
});

test('no token, a malformed one or a revoked one is 401', async () => {
  const raw = await fetch(new URL('staff/reports', server.url), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(raw.status, 401);
  assert.match(raw.headers.get('www-authenticate') ?? '', /^Bearer/);
  const revoked = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '将吊销' });
  const out = new Writable({ write: (_c, _e, done) => done() });
  assert.equal(await staffToken(['revoke', revoked.id], out, out, server.sql), 0);
  const staff = createStaffClient({ baseUrl: server.url, token: revoked.token, retry: 0 });
  await assert.rejects(staff.enterReport(staffLetter('HN-revoked')), (e) => e instanceof ApiError && e.status === 401);
});

test('the same externalId twice yields the same national code', async () => {
  const staff = createStaffClient({ baseUrl: server.url, token: henan, retry: 0 });
  const first = await staff.enterReport(staffLetter('HN-0001'));
  const [second, third] = await Promise.all([staff.enterReport(staffLetter('HN-0001')), staff.enterReport(staffLetter('HN-0001'))]);
  assert.equal(second.reportCode, first.reportCode);
  assert.equal(third.reportCode, first.reportCode);
  assert.equal(second.queryKey, first.queryKey);
  assert.equal(first.submittedAt, '2026-02-27T02:00:00.000Z');
  assert.equal(first.routedTo.orgName, '郑州市金水区应急管理局');
  const rows = await server.sql.query('SELECT report_code FROM external_ids WHERE external_id = $1', ['HN-0001']);
  assert.deepEqual(rows.rows, [{ report_code: first.reportCode }]);
  // Other content under the same id is a conflict, not a silent second report.
  await assert.rejects(
    staff.enterReport(staffLetter('HN-0001', { description: '来信反映的是另一件事，车间无通风设施。' })),
    (e) => e instanceof ApiError && e.status === 409 && e.code === 'IDEMPOTENCY_KEY_REUSED',
  );
  // The citizen who wrote the letter can follow it with the code and key the staff hand on.
  const progress = await createClient({ baseUrl: server.url, retry: 0 }).getProgress(first.reportCode, first.queryKey);
  assert.equal(progress.status, 'submitted');
  assert.deepEqual(progress.events[0]?.type === 'submitted' && progress.events[0].channel, 'letter');
});

test('reporter data is readable only by staff of the province, and each read is recorded', async () => {
  const staff = createStaffClient({ baseUrl: server.url, token: henan, retry: 0 });
  const { reportCode } = await staff.enterReport(staffLetter('HN-0002', { channel: 'visit' }));
  const report = await staff.getReport(reportCode);
  assert.deepEqual(report.reporter, { name: '张三', phone: '13800000000' });
  assert.equal(report.externalId, 'HN-0002');
  assert.equal(report.channel, 'visit');
  const other = createStaffClient({ baseUrl: server.url, token: hubei, retry: 0 });
  await assert.rejects(other.getReport(reportCode), (e) => e instanceof ApiError && e.status === 404);
  const audit = await server.sql.query<{ action: string; reason: string | null }>(
    'SELECT action, reason FROM staff_audit WHERE report_code = $1 ORDER BY id',
    [reportCode],
  );
  assert.deepEqual(
    audit.rows.map((r) => [r.action, r.reason]),
    [
      ['enter', null],
      ['read', null],
      ['deny', 'scope'],
    ],
  );
});

test('bad entries are field errors before anything is written', async () => {
  const staff = createStaffClient({ baseUrl: server.url, token: henan, retry: 0 });
  const n = await count('reports');
  await assert.rejects(
    staff.enterReport(staffLetter('HN-bad', { regionCode: '419999' })),
    (e) => e instanceof ValidationError && e.status === 400 && e.fields.some((f) => f.path === 'regionCode'),
  );
  const response = await fetch(new URL('staff/reports', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${henan}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...staffLetter('HN-future'), receivedAt: '2030-01-01T00:00:00Z', channel: 'email' }),
  });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: { fields: { path: string }[] } };
  assert.deepEqual(body.error.fields.map((f) => f.path), ['channel']);
  const future = await fetch(new URL('staff/reports', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${henan}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...staffLetter('HN-future'), receivedAt: '2030-01-01T00:00:00Z' }),
  });
  assert.equal(future.status, 400);
  assert.equal(await count('reports'), n);
});

test('the token CLI prints a token once and lists it without the secret', async () => {
  let text = '';
  const out = new Writable({
    write(chunk, _e, done) {
      text += chunk;
      done();
    },
  });
  assert.equal(await staffToken(['create', '--province', '410000', '--label', '河南省厅 迁移'], out, out, server.sql), 0);
  const token = /aqjbst_[A-Za-z0-9_-]{32}/.exec(text)?.[0];
  assert.ok(token);
  text = '';
  assert.equal(await staffToken(['list'], out, out, server.sql), 0);
  assert.match(text, /410000 河南省\s+有效/);
  assert.ok(!text.includes(token!));
  const stored = await server.sql.query<{ token_hash: string }>('SELECT token_hash FROM staff_tokens');
  assert.ok(stored.rows.every((r) => !r.token_hash.includes('aqjbst_')));
  assert.equal(await staffToken(['create', '--province', '410100', '--label', 'x'], out, out, server.sql), 2);
});

test('the token CLI revokes any id it issued: new ids never read as an option, and `--` passes an old one that does', async () => {
  const out = new Writable({ write: (_c, _e, done) => done() });
  // 1 in 64 base64url ids began with '-', and `revoke <id>` then failed as an unknown option.
  const issued = await Promise.all(Array.from({ length: 64 }, () => createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '编号形式' })));
  assert.ok(issued.every(({ id }) => /^[0-9a-f]{12}$/.test(id)));
  await server.sql.query("INSERT INTO staff_tokens (id, token_hash, scope, role, label, created_at) VALUES ('-old_Id1', 'x', '410000', 'backfill', '旧编号', now())");
  assert.equal(await staffToken(['revoke', '-old_Id1'], out, out, server.sql), 2);
  assert.equal(await staffToken(['revoke', '--', '-old_Id1'], out, out, server.sql), 0);
  const { rows } = await server.sql.query<{ revoked: boolean }>("SELECT revoked_at IS NOT NULL AS revoked FROM staff_tokens WHERE id = '-old_Id1'");
  assert.deepEqual(rows, [{ revoked: true }]);
});
