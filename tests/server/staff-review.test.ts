// An outside review of the staff handling API, /metrics and the inbox (#19), run against the real server: what an
// attacker holding a county's token, or a stranger next to the metrics endpoint, could try. The first tests are
// findings (they fail until fixed); the rest are attacks that held, kept as regression tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../src/sdk/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { issueHenanStaff, type IssuedToken, type StaffName } from '../support/staff-tokens.js';
import { anonymousDraft, readNotice, staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';
import { freshDatabase, skipWithoutPostgres, tempDirs } from '../support/fresh-database.js';

const tempDir = tempDirs('aqjb-staff-review-');

let server: TestServer;
let tokens: Record<StaffName, IssuedToken>;

before(async () => {
  server = await startTestServer();
  tokens = await issueHenanStaff(server);
});
after(() => server.close());

async function call(name: StaffName, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${tokens[name].token}`, 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, any> };
}

let entered = 0;
/** A real-name letter entered by the province's backfill token; its code. */
async function letter(regionCode: string): Promise<string> {
  const answer = await call('henanBackfill', 'staff/reports', { method: 'POST', body: staffLetter(`review-${++entered}`, { regionCode }) });
  assert.equal(answer.status, 201, answer.text);
  return answer.json().reportCode as string;
}
const act = (name: StaffName, code: string, body: unknown) => call(name, `staff/reports/${code}/actions`, { method: 'POST', body });
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

// ── Findings ────────────────────────────────────────────────────────────────────────────────────────────────────

test('review: a forged inbox cursor with an out-of-range time or a NUL in its code is a 400, not a 500', async () => {
  await letter('410105');
  const forged = {
    'a year before 4713 BC': cursorOf(['-271821-04-20T00:00:00.000Z', 'K7M9QXRT3HWP']),
    'year 0': cursorOf(['0000-01-01T00:00:00.000Z', 'K7M9QXRT3HWP']),
    'a year past PostgreSQL': cursorOf(['+275760-09-13T00:00:00.000Z', 'K7M9QXRT3HWP']),
    'NUL in the code': cursorOf(['2026-03-01T00:00:00.000Z', '\u0000']),
  };
  for (const [what, cursor] of Object.entries(forged)) {
    const answer = await call('jinshui', `staff/inbox?cursor=${cursor}`);
    assert.equal(answer.status, 400, `${what}: ${answer.text}`);
    assert.equal(answer.json().error.code, 'BAD_REQUEST');
  }
});

test('review: an inbox date of year 0000 is a 400, not a 500', async () => {
  for (const query of ['from=0000-01-01', 'to=0000-01-01']) {
    const answer = await call('jinshui', `staff/inbox?${query}`);
    assert.equal(answer.status, 400, `${query}: ${answer.text}`);
  }
});

test('review: an entry received in year 0000 or 0001 is a field error, not a 500', async () => {
  for (const receivedAt of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z']) {
    const answer = await call('henanBackfill', 'staff/reports', { method: 'POST', body: staffLetter(`review-year-${receivedAt}`, { receivedAt }) });
    assert.equal(answer.status, 400, `${receivedAt}: ${answer.text}`);
    assert.equal(answer.json().error.fields[0].path, 'receivedAt');
  }
});

test('review: a step tried on another division\'s report is audited as outside the division (scope), as a read is', async () => {
  const erqi = await letter('410103');
  const read = await call('jinshui', `staff/reports/${erqi}`);
  assert.equal(read.status, 404);
  const acted = await act('jinshui', erqi, { action: 'accept' });
  assert.equal(acted.status, 404, 'the same 404 as for an unknown code');
  const { rows } = await server.sql.query<{ route: string; reason: string }>(
    "SELECT route, reason FROM staff_audit WHERE action = 'deny' AND token_id = $1 AND report_code = $2 ORDER BY id",
    [tokens.jinshui.id, erqi],
  );
  assert.deepEqual(rows, [
    { route: 'GET /staff/reports/:code', reason: 'scope' },
    // Today 'unknown': an administrator looking for a county reaching into its neighbour's reports does not find it.
    { route: 'POST /staff/reports/:code/actions', reason: 'scope' },
  ]);
});

test('review: /metrics is not opened to a proxied client by an empty X-Forwarded-For beside the proxy\'s X-Real-IP', async () => {
  // A same-host proxy that sets only X-Real-IP (and passes the client's other headers on): the client adds an empty
  // X-Forwarded-For, and `'' ?? …` stops the check at the empty header.
  const direct = await fetch(new URL('metrics', server.url), { headers: { 'x-real-ip': '203.0.113.5' } });
  assert.equal(direct.status, 404, 'a proxied client is refused');
  for (const headers of [
    { 'x-forwarded-for': '', 'x-real-ip': '203.0.113.5' } as Record<string, string>,
    { 'x-forwarded-for': '', forwarded: 'for=203.0.113.5' },
  ]) {
    const sneaked = await fetch(new URL('metrics', server.url), { headers });
    await sneaked.text();
    assert.equal(sneaked.status, 404, JSON.stringify(headers));
  }
});

// ── Attacks that held (regression) ──────────────────────────────────────────────────────────────────────────────

test('held: a county never reads or moves its neighbour\'s or its city\'s reports, and gets the 404 of an unknown code', async () => {
  const city = await letter('410100');
  const erqi = await letter('410103');
  for (const code of [city, erqi]) {
    assert.equal((await call('jinshui', `staff/reports/${code}`)).status, 404);
    assert.equal((await act('jinshui', code, { action: 'accept' })).status, 404);
    assert.equal((await act('kaifeng', code, { action: 'reject', reason: { kind: 'duplicate' } })).status, 404);
  }
  const unknown = await call('jinshui', 'staff/reports/K7M9QXRT3HWP');
  const outside = await call('jinshui', `staff/reports/${erqi}`);
  assert.equal(outside.text, unknown.text, 'the answers cannot be told apart');
  for (const name of ['henan', 'zhengzhou'] as const) assert.equal((await call(name, `staff/reports/${erqi}`)).status, 200);
});

test('held: transfers go only downwards: not sideways, upwards, to itself or to a code that does not exist', async () => {
  const code = await letter('410100');
  assert.equal((await act('zhengzhou', code, { action: 'accept' })).status, 200);
  for (const toRegionCode of ['410000', '410203', '410100', '999999', '000000', '710000']) {
    const answer = await act('zhengzhou', code, { action: 'transfer', toRegionCode });
    assert.equal(answer.status, 400, `${toRegionCode}: ${answer.text}`);
    assert.equal(answer.json().error.fields[0].code, 'transfer.region');
  }
  assert.equal((await act('zhengzhou', code, { action: 'transfer', toRegionCode: '410105' })).status, 200);
  // Now the county's: 金水区 cannot hand it sideways to 二七区, and the city may not move it from there upwards.
  assert.equal((await act('jinshui', code, { action: 'transfer', toRegionCode: '410103' })).status, 400);
  assert.equal((await act('zhengzhou', code, { action: 'transfer', toRegionCode: '410100' })).status, 400);
  const after = await call('henan', `staff/reports/${code}`);
  assert.equal(after.json().handledBy.regionCode, '410105');
});

test('held: the region filter outside the token\'s division is 403, and a forged cursor pages only within it', async () => {
  const erqi = await letter('410103');
  for (const region of ['410103', '410100', '410000', '410200', '000000']) {
    assert.equal((await call('jinshui', `staff/inbox?region=${region}`)).status, 403, region);
  }
  // A well-formed cursor pointing anywhere (far future, the highest code) still lists only the token's division.
  const forged = await call('jinshui', `staff/inbox?limit=100&cursor=${cursorOf(['2099-01-01T00:00:00.000Z', 'ZZZZZZZZZZZZ'])}`);
  assert.equal(forged.status, 200);
  const items = forged.json().items as { reportCode: string; handledBy: { regionCode: string } }[];
  assert.ok(items.length > 0);
  assert.ok(items.every((i) => i.handledBy.regionCode === '410105'));
  assert.ok(!items.some((i) => i.reportCode === erqi));
  for (const cursor of ['A'.repeat(200), cursorOf(['not a date', 'x']), cursorOf([null, 'x']), cursorOf({ at: 1 })]) {
    assert.equal((await call('jinshui', `staff/inbox?cursor=${cursor}`)).status, 400);
  }
});

test('held: filter values that would be SQL, repeated or out of bounds are refused (400) before any query', async () => {
  for (const query of [
    "status=submitted'--",
    "region=410105' OR '1'='1",
    'region=410105&region=410103',
    'status=closed&status=submitted',
    'limit=0',
    'limit=101',
    'limit=1e2',
    'limit=-1',
    'days=0&due=soon',
    'days=31&due=soon',
    'due=late',
    'from=2026-02-30',
    'from=2026-02-27T00:00:00Z',
    `cursor=${'A'.repeat(201)}`,
  ]) {
    const answer = await call('zhengzhou', `staff/inbox?${query}`);
    assert.equal(answer.status, 400, `${query}: ${answer.text}`);
  }
});

test('held: the role matrix: read-only and backfill neither act nor see the reporter; nothing personal in the inbox', async () => {
  const code = await letter('410105');
  for (const name of ['henanReadOnly', 'henanBackfill'] as const) {
    assert.equal((await act(name, code, { action: 'accept' })).status, 403);
    const read = await call(name, `staff/reports/${code}`);
    assert.equal(read.status, 200);
    assert.equal(read.json().reporter, undefined);
    assert.ok(!read.text.includes('13800000000') && !read.text.includes('张三'));
  }
  assert.equal((await call('henanReadOnly', 'staff/reports', { method: 'POST', body: staffLetter('review-ro') })).status, 403);
  for (const name of ['jinshui', 'henan', 'henanReadOnly'] as const) {
    const inbox = await call(name, 'staff/inbox?limit=100');
    assert.ok(!inbox.text.includes('13800000000') && !inbox.text.includes('张三'), name);
    assert.ok(!inbox.text.includes('来信反映'), `${name}: no description in the inbox`);
  }
  const refused = await act('henanReadOnly', code, { action: 'accept' });
  assert.ok(!refused.text.includes('13800000000'));
});

test('held: two concurrent steps on one report: exactly one wins, and the extension is granted once', async () => {
  const code = await letter('410105');
  const raced = await Promise.all([
    act('jinshui', code, { action: 'accept' }),
    act('jinshui', code, { action: 'reject', reason: { kind: 'duplicate' } }),
    act('zhengzhou', code, { action: 'accept' }),
  ]);
  assert.deepEqual(raced.map((r) => r.status).sort(), [200, 409, 409]);
  const extended = await Promise.all([
    act('jinshui', code, { action: 'extend', days: 30 }),
    act('zhengzhou', code, { action: 'extend', days: 30 }),
  ]);
  assert.deepEqual(extended.map((r) => r.status).sort(), [200, 409]);
  const { rows } = await server.sql.query<{ type: string }>('SELECT type FROM report_events WHERE report_code = $1 ORDER BY seq', [code]);
  assert.deepEqual(
    rows.map((r) => r.type),
    ['submitted', 'accepted', 'extension-requested', 'extension-approved'],
  );
});

test("held: the citizen's progress shows each step with the bureau and never a staff token id", async () => {
  const citizen = createClient({ baseUrl: server.url, retry: 0 });
  const receipt = await citizen.submitReport(anonymousDraft(await readNotice(server), { regionCode: '410105' }), {
    idempotencyKey: 'staff-review-progress-1',
  });
  assert.equal((await act('jinshui', receipt.reportCode, { action: 'accept' })).status, 200);
  assert.equal((await act('jinshui', receipt.reportCode, { action: 'verify' })).status, 200);
  const progress = await citizen.getProgress(receipt.reportCode, receipt.queryKey);
  const text = JSON.stringify(progress);
  for (const { id } of Object.values(tokens)) assert.ok(!text.includes(id), 'no token id');
  assert.ok(!/tokenId|actor/.test(text));
  assert.deepEqual(
    progress.events.map((e) => e.type),
    ['submitted', 'accepted', 'verifying'],
  );
  // Staff see who took each step.
  const staffView = (await call('henan', `staff/reports/${receipt.reportCode}`)).json();
  assert.deepEqual(
    staffView.events.map((e: { tokenId?: string }) => e.tokenId),
    [undefined, tokens.jinshui.id, tokens.jinshui.id],
  );
});

test('held: odd report codes on the staff routes are a 404 or 400, never a 500', async () => {
  for (const code of ['x'.repeat(5000), '%00', '..%2F..%2Fdev%2Foutbox', 'K7M9-QXRT-3HWP%00', '%F0%9F%98%80', "K7M9QXRT3HWP'--"]) {
    const read = await call('henan', `staff/reports/${code}`);
    const acted = await act('henan', code, { action: 'accept' });
    assert.ok([400, 404].includes(read.status), `${code.slice(0, 20)}: ${read.status}`);
    assert.ok([400, 404].includes(acted.status), `${code.slice(0, 20)}: ${acted.status}`);
  }
});

test('held: /metrics labels are route templates and closed sets: no report code, token id or region code', async () => {
  const code = await letter('410105');
  await call('jinshui', `staff/reports/${code}`);
  await call('jinshui', `staff/reports/${code}/nope`);
  await call('jinshui', `staff/inbox?region=410105&status=submitted`);
  await fetch(new URL(`reports/${code}/progress?queryKey=X`, server.url));
  const metrics = await (await fetch(new URL('metrics', server.url))).text();
  assert.ok(!metrics.includes(code));
  for (const { id } of Object.values(tokens)) assert.ok(!metrics.includes(id));
  assert.ok(!/route="[^"]*(4101|K7M9|\?)/.test(metrics));
  assert.match(metrics, /route="\/staff\/reports\/\{code\}"/);
  // Anyone who came through a proxy is refused (without a metrics token).
  for (const headers of [{ 'x-forwarded-for': '203.0.113.5' } as Record<string, string>, { forwarded: 'for=203.0.113.5' }, { 'x-real-ip': '203.0.113.5' }]) {
    const answer = await fetch(new URL('metrics', server.url), { headers });
    await answer.text();
    assert.equal(answer.status, 404, JSON.stringify(headers));
  }
});

test('on PostgreSQL too: concurrent steps serialise, and a forged cursor or year 0000 is a 400', { skip: skipWithoutPostgres }, async () => {
  const pgServer = await startTestServer({ databaseUrl: await freshDatabase(), dataDir: tempDir() });
  try {
    const { token } = await createStaffToken(pgServer.sql, { scope: '410105', role: 'handler', label: 'review pg' });
    const send = async (path: string, body?: unknown) => {
      const response = await fetch(new URL(path, pgServer.url), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      await response.text();
      return response.status;
    };
    const entered = await fetch(new URL('staff/reports', pgServer.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(staffLetter('review-pg-1')),
    });
    const { reportCode } = (await entered.json()) as { reportCode: string };
    const raced = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      send(`staff/reports/${reportCode}/actions`, i % 2 ? { action: 'accept' } : { action: 'reject', reason: { kind: 'duplicate' } }),
    ));
    assert.deepEqual(raced.filter((s) => s === 200).length, 1, String(raced));
    const { rows } = await pgServer.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM report_events WHERE report_code = $1', [reportCode]);
    assert.equal(rows[0]!.n, 2, 'submitted and one decision');
    // The findings above, on PostgreSQL.
    assert.equal(await send(`staff/inbox?cursor=${cursorOf(['-271821-04-20T00:00:00.000Z', 'x'])}`), 400);
    assert.equal(await send(`staff/inbox?cursor=${cursorOf(['2026-03-01T00:00:00.000Z', '\u0000'])}`), 400);
    assert.equal(await send('staff/inbox?from=0000-01-01'), 400);
  } finally {
    await pgServer.close();
  }
});
