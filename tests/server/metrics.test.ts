/**
 * Operations (#19.5): `GET /metrics` (Prometheus text, per instance) and readiness on `GET /health`. Metrics count
 * real requests by route pattern and never carry a code, key, upload id or phone; they answer only the operator
 * (bearer token, or loopback without a proxy) and are a 404 to anyone else. Readiness says 503 with the failed check
 * when the upload folder or the database is unusable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type AqjbClient } from '../../src/sdk/index.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { ROUTES } from '../../src/sdk/contract/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { lastSmsCode, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { realNameDraft, staffLetter } from '../support/drafts.js';
import { freshDatabase, skipWithoutPostgres, tempDirs } from '../support/fresh-database.js';

const TOKEN = 'm'.repeat(20) + 'etrics-token-for-tests';
// A 1×1 PNG (as in tests/server/anonymity.test.ts).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const tempDir = tempDirs('aqjb-metrics-');

/** The value of one sample (`name{labels}`, labels in any order), or undefined when the body has none. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(server: { url: string }, init: RequestInit = {}): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(new URL('metrics', server.url), init);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

/** A tus creation that sends no bytes: an upload in progress until it finishes or expires. */
async function openUpload(server: { url: string }): Promise<string> {
  const response = await fetch(new URL('uploads', server.url), {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1000', 'Upload-Metadata': `filetype ${btoa('application/pdf')}` },
  });
  assert.equal(response.status, 201);
  return response.headers.get('location')!.split('/').pop()!;
}

describe('metrics on a local server (loopback, no token)', () => {
  let server: TestServer;
  let client: AqjbClient;
  before(async () => {
    server = await startTestServer({
      limits: { lookupsPerClient: { max: 3, windowMs: 60_000 }, staffAuthFailures: { max: 2, windowMs: 3600_000 } },
    });
    client = createClient({ baseUrl: server.url, retry: 0 });
  });
  after(() => server.close());

  test('requests count by route pattern, method and status, with latency, and nothing personal in the body', async () => {
    const before = (await scrape(server)).body;
    const phone = '13912345678';
    const { attachmentId } = await client.uploadAttachment(new Blob([PNG], { type: 'image/png' }));
    const ackToken = await readNotice(server, client);
    await client.sendSmsCode({ phone, ackToken });
    const draft = realNameDraft(ackToken, { phone, smsCode: await lastSmsCode(server.url, phone) }, { attachmentIds: [attachmentId] });
    const receipt = await client.submitReport(draft, { idempotencyKey: crypto.randomUUID() });
    await client.getProgress(receipt.reportCode, receipt.queryKey);
    // A path that is no route, holding the code: it must not become a label.
    assert.equal((await fetch(new URL(`reports/${receipt.reportCode}?key=${receipt.queryKey}`, server.url))).status, 404);
    const staffToken = (await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' })).token;
    const entered = await createStaffClient({ baseUrl: server.url, token: staffToken, retry: 0 }).enterReport(staffLetter('HN-metrics-1'));

    const { status, type, body } = await scrape(server);
    assert.equal(status, 200);
    assert.match(type ?? '', /^text\/plain; version=0\.0\.4/);
    const moved = (labels: Record<string, string>) =>
      (sample(body, 'aqjb_http_requests_total', labels) ?? 0) - (sample(before, 'aqjb_http_requests_total', labels) ?? 0);
    assert.equal(moved({ route: ROUTES.submitReport.path, method: 'POST', status: '201' }), 1);
    assert.equal(moved({ route: ROUTES.getProgress.path, method: 'GET', status: '200' }), 1);
    assert.equal(moved({ route: ROUTES.sendSmsCode.path, method: 'POST', status: '201' }), 1);
    assert.equal(moved({ route: '/notice/receipts/{id}/confirm', method: 'POST', status: '200' }), 1);
    assert.equal(moved({ route: ROUTES.enterReport.path, method: 'POST', status: '201' }), 1);
    assert.ok(moved({ route: '/uploads/{id}', method: 'PATCH', status: '204' }) >= 1, 'the upload counted under its pattern');
    assert.equal(moved({ route: 'unmatched', method: 'GET', status: '404' }), 1);
    // The latency histogram, under the same labels.
    const filedLabels = { route: '/reports', method: 'POST', status: '201' };
    assert.ok((sample(body, 'aqjb_http_request_duration_seconds_count', filedLabels) ?? 0) >= 1);
    assert.ok(sample(body, 'aqjb_http_request_duration_seconds_bucket', { ...filedLabels, le: '+Inf' })! >= 1);
    assert.ok(sample(body, 'aqjb_http_request_duration_seconds_sum', filedLabels)! > 0);
    // Reports by channel and mode, counted where they are written (the web and a staff entry alike).
    const filed = (labels: Record<string, string>) =>
      (sample(body, 'aqjb_reports_filed_total', labels) ?? 0) - (sample(before, 'aqjb_reports_filed_total', labels) ?? 0);
    assert.equal(filed({ channel: 'web', mode: 'real-name' }), 1);
    assert.equal(filed({ channel: 'letter', mode: 'real-name' }), 1);
    // Process metrics of our own registry, with our prefix.
    assert.ok(sample(body, 'aqjb_process_start_time_seconds')! > 0);
    assert.ok(body.includes('# TYPE aqjb_nodejs_eventloop_lag_seconds gauge'));
    // PGlite is one embedded connection: no pool to report.
    assert.equal(body.includes('aqjb_db_pool_connections'), false);

    const secrets = { code: receipt.reportCode, queryKey: receipt.queryKey, staffCode: entered.reportCode, phone, ackToken, staffToken };
    for (const [name, secret] of Object.entries({ ...secrets, attachmentId })) {
      assert.equal(body.includes(secret), false, `${name} appears in /metrics`);
    }
    // Every route label is a pattern of the table, or `unmatched`.
    const patterns = new Set<string>([...Object.values(ROUTES).map((r) => r.path), 'unmatched']);
    for (const [, route] of body.matchAll(/route="([^"]*)"/g)) assert.ok(patterns.has(route!), `route label ${route}`);
  });

  test('a method we do not route is one label (OTHER), so clients cannot add label values', async () => {
    // Methods Node's parser lets through (it refuses unknown ones before the app sees them).
    await fetch(new URL('health', server.url), { method: 'PROPFIND' });
    await fetch(new URL('health', server.url), { method: 'MKCOL' });
    const { body } = await scrape(server);
    assert.equal(body.includes('PROPFIND'), false);
    assert.equal(body.includes('MKCOL'), false);
    assert.ok(sample(body, 'aqjb_http_requests_total', { route: '/health', method: 'OTHER' })! >= 2);
  });

  test('refusals are counted by the limit that tripped', async () => {
    server.clock.advance(60_000); // a new lookup window: the first test looked up once
    const lookup = () =>
      fetch(new URL('reports/progress', server.url), { headers: { 'X-Report-Code': 'K7M9QXRT3HWP', 'X-Query-Key': 'ABCDEFGHJKMNPQRST' } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await lookup()).status);
    assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
    const bearer = (t: string) => fetch(new URL('staff/reports/K7M9QXRT3HWP', server.url), { headers: { Authorization: `Bearer ${t}` } });
    const staff: number[] = [];
    for (let i = 0; i < 3; i++) staff.push((await bearer(`aqjbst_${'x'.repeat(31)}${i}`)).status);
    assert.deepEqual(staff, [401, 401, 429]);
    const { body } = await scrape(server);
    assert.equal(sample(body, 'aqjb_rate_limit_refusals_total', { limit: 'lookup' }), 2);
    assert.equal(sample(body, 'aqjb_rate_limit_refusals_total', { limit: 'staff-auth' }), 1);
    server.clock.advance(3600_000);
  });

  test('through a proxy on this machine (a forwarding header), or with a token never set, the answer is 404', async () => {
    for (const header of ['X-Forwarded-For', 'Forwarded', 'X-Real-IP']) {
      const { status, body } = await scrape(server, { headers: { [header]: header === 'Forwarded' ? 'for=203.0.113.9' : '203.0.113.9' } });
      assert.equal(status, 404, header);
      assert.deepEqual(JSON.parse(body), { error: { code: 'NOT_FOUND', message: '未找到请求的内容' } }, 'the 404 of a path that does not exist');
    }
    assert.equal((await scrape(server, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200, 'no token set: loopback is enough');
  });
});

/** This machine's first non-loopback IPv4 address, if it has one. */
const outside = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

test('from another address, without a token, /metrics is a 404', { skip: outside ? false : 'no non-loopback address here' }, async () => {
  const server = await startTestServer({ dev: false, hostname: '0.0.0.0' });
  try {
    const remote = `http://${outside}:${server.port}/`;
    assert.equal((await fetch(new URL('health', remote))).status, 200, 'the server answers on that address');
    const response = await fetch(new URL('metrics', remote));
    assert.equal(response.status, 404);
    assert.equal((await fetch(new URL('metrics', server.url))).status, 200, 'the same server from loopback');
  } finally {
    await server.close();
  }
});

test('with AQJB_METRICS_TOKEN, only its bearer is answered (from anywhere); uploads in progress survive a restart', async () => {
  const dataDir = tempDir();
  let server = await startTestServer({ dataDir, metricsToken: TOKEN });
  try {
    assert.equal((await scrape(server)).status, 404, 'loopback is not enough once a token is set');
    assert.equal((await scrape(server, { headers: { Authorization: `Bearer ${TOKEN}x` } })).status, 404);
    assert.equal((await scrape(server, { headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}` } })).status, 404);
    assert.equal((await scrape(server, { headers: { Authorization: TOKEN } })).status, 404, 'the scheme is required');
    // Read as the staff API reads its bearer (src/server/bearer.ts): any case, spaces or tabs; no other separator.
    assert.equal((await scrape(server, { headers: { Authorization: `bearer \t${TOKEN}` } })).status, 200);
    assert.equal((await scrape(server, { headers: { Authorization: `Bearer\u00a0${TOKEN}` } })).status, 404, 'a no-break space');
    const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
    assert.equal(sample((await scrape(server, auth)).body, 'aqjb_uploads_in_progress'), 0);
    const id = await openUpload(server);
    await openUpload(server);
    assert.equal(sample((await scrape(server, auth)).body, 'aqjb_uploads_in_progress'), 2);
    await server.close();
    server = await startTestServer({ dataDir, metricsToken: TOKEN });
    const { body } = await scrape(server, auth);
    assert.equal(sample(body, 'aqjb_uploads_in_progress'), 2, 'counted from the database, not from memory');
    assert.equal(body.includes(id), false);
    // Expired uploads are not in progress.
    server.clock.advance(25 * 3600_000);
    assert.equal(sample((await scrape(server, auth)).body, 'aqjb_uploads_in_progress'), 0);
  } finally {
    await server.close();
  }
});

test('a metrics token shorter than 32 characters stops the server at start, without echoing it', async () => {
  await assert.rejects(startTestServer({ metricsToken: 'short-secret-value' }), (error: Error) => {
    assert.match(error.message, /AQJB_METRICS_TOKEN must be at least 32 characters/);
    assert.equal(error.message.includes('short-secret-value'), false);
    return true;
  });
});

test('on PostgreSQL the pool is reported: total, idle and waiting connections', { skip: skipWithoutPostgres }, async () => {
  const server = await startTestServer({ databaseUrl: await freshDatabase(), dataDir: tempDir() });
  try {
    const { body } = await scrape(server);
    const total = sample(body, 'aqjb_db_pool_connections', { state: 'total' });
    assert.ok(total !== undefined && total >= 1, `total ${total}`);
    assert.ok(sample(body, 'aqjb_db_pool_connections', { state: 'idle' })! <= total);
    // Queries waiting for a connection: the scrape's own upload count may be one, while the pool opens it.
    assert.ok(sample(body, 'aqjb_db_pool_connections', { state: 'waiting' })! >= 0);
  } finally {
    await server.close();
  }
});

describe('readiness (/health) and liveness (/health/live)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  const health = async (p = 'health') => {
    const response = await fetch(new URL(p, server.url));
    return { status: response.status, text: await response.text() };
  };

  test('ready: the same answer as before, database kind included', async () => {
    assert.deepEqual(await health(), { status: 200, text: JSON.stringify({ status: 'ok', database: 'pglite' }) });
  });

  test('an upload folder that cannot take a file (replaced by a file: holds for root too) is 503 uploads', async () => {
    const uploads = path.join(server.dataDir, 'uploads');
    const saved = path.join(server.dataDir, 'uploads-saved');
    fs.renameSync(uploads, saved);
    fs.writeFileSync(uploads, 'not a folder');
    try {
      const { status, text } = await health();
      assert.equal(status, 503);
      assert.deepEqual(JSON.parse(text), { status: 'unavailable', failed: ['uploads'] });
      assert.equal(text.includes(server.dataDir), false, 'no path in the answer');
      assert.equal((await health('health/live')).status, 200, 'alive all the same');
    } finally {
      fs.rmSync(uploads);
      fs.renameSync(saved, uploads);
    }
    assert.equal((await health()).status, 200, 'ready again once the folder is back');
    assert.deepEqual(fs.readdirSync(path.join(uploads, 'partial')).filter((f) => f.startsWith('.ready')), [], 'no probe file left');
  });

  test('a database that does not answer is 503 database; draining keeps its 503', async () => {
    await server.sql.close();
    const { status, text } = await health();
    assert.equal(status, 503);
    assert.deepEqual(JSON.parse(text), { status: 'unavailable', failed: ['database'] });
    assert.equal((await health('health/live')).status, 200, 'liveness does not depend on the database');
    const metrics = await scrape(server);
    assert.equal(metrics.status, 200, 'metrics still answer (the upload gauge keeps its last value)');
    server.app.drain();
    assert.deepEqual(await health(), { status: 503, text: JSON.stringify({ status: 'draining' }) });
    // The server's own close() closes the database again: give it one that can be closed.
    server.sql.close = async () => {};
  });
});
