/**
 * Guessing staff tokens (#17.11's audit trail, attacked): every refusal is audited, so a client presenting bad
 * tokens without end would grow `staff_audit` without end and guess at leisure. Refusals count per client; past
 * the limit the client gets 429 before its token is looked at, while a province's valid token is never slowed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createStaffToken } from '../../src/server/staff/index.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';

const MAX = 5;
let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer({ trustProxy: true, limits: { staffAuthFailures: { max: MAX, windowMs: 3600_000 } } });
  token = (await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' })).token;
});
after(() => server.close());

/** A staff read from a given client address (the one our proxy appended to X-Forwarded-For). */
const read = (from: string, bearer: string) =>
  fetch(new URL('staff/reports/K7M9QXRT3HWP', server.url), { headers: { Authorization: `Bearer ${bearer}`, 'X-Forwarded-For': from } });
const auditRows = async () => (await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_audit')).rows[0]!.n;

test('a client guessing tokens is stopped after a few refusals, and the audit table stops growing', async () => {
  const before = await auditRows();
  const statuses: number[] = [];
  for (let i = 0; i < 3 * MAX; i++) statuses.push((await read('203.0.113.9', `aqjbst_${'x'.repeat(31)}${i % 10}`)).status);
  assert.deepEqual(statuses.slice(0, MAX), Array(MAX).fill(401));
  assert.deepEqual(statuses.slice(MAX), Array(2 * MAX).fill(429));
  assert.equal((await auditRows()) - before, MAX, 'one audit row per refusal that was looked at, none for the 429s');
  const limited = await read('203.0.113.9', token);
  assert.equal(limited.status, 429, 'even a right token waits out the window from that client');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  server.clock.advance(3600_000);
  assert.equal((await read('203.0.113.9', token)).status, 404, 'after the window the client is heard again');
});

test('valid tokens never count: a backfill from one address is not slowed', async () => {
  for (let i = 0; i < 4 * MAX; i++) assert.equal((await read('198.51.100.7', token)).status, 404);
  assert.equal((await read('198.51.100.7', 'aqjbst_bad')).status, 401);
});
