/**
 * #17.1 (client address behind a proxy), the salted buckets of #17.6, #17.8 (lookups) and #17.12 (headers, dev
 * mode), attacked as an outsider would. Requests from a chosen socket address go through `app.fetch` with the
 * bindings @hono/node-server gives a request (`incoming.socket`), which is all `getConnInfo` reads; one test goes
 * over a real socket.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, openPostgres, startServer, type ReferenceApp } from '../../src/server/index.js';
import { silentLogger } from '../../src/server/log.js';
import { ApiError, createClient } from '../../src/sdk/index.js';
import { formatReportCode, generateReportCode } from '../../src/sdk/report-code.js';
import { beijingDate } from '../../src/server/deadlines.js';
import { anonymousDraft, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';

const CSP = "default-src 'none'; frame-ancestors 'none'";
const KEY = randomBytes(32);
let server: TestServer; // --trust-proxy
let walker: ReferenceApp; // --trusted-proxies 10.0.0.0/8,fd00::/8, same database

before(async () => {
  server = await startTestServer({ trustProxy: true, dataKey: KEY });
  walker = await createApp({
    sql: server.sql,
    dataDir: server.dataDir,
    dataKey: KEY,
    clock: server.clock,
    logger: silentLogger,
    dev: true,
    trustedProxies: ['10.0.0.0/8', 'fd00::/8'],
  });
});
after(async () => {
  await walker.close();
  await server.close();
});

/** A raw progress lookup, as a script would send it, from socket address `peer`. */
async function lookup(app: { fetch: ReferenceApp['fetch'] }, peer: string, code: string, key: string, headers: Record<string, string> = {}) {
  const request = new Request('http://api.test/reports/progress', { headers: { 'X-Report-Code': code, 'X-Query-Key': key, ...headers } });
  return app.fetch(request, { incoming: { socket: { remoteAddress: peer } } });
}

/** How many of `n` lookups (each with its own extra headers) were answered before the first 429. */
async function answeredBefore429(n: number, send: (i: number) => Promise<Response>): Promise<{ answered: number; limited: number }> {
  let answered = 0;
  let limited = 0;
  for (let i = 0; i < n; i++) {
    const response = await send(i);
    await response.body?.cancel();
    if (response.status === 429) limited++;
    else if (limited === 0) answered++;
  }
  return { answered, limited };
}

const unknownCode = () => generateReportCode();
const wrongKey = 'ABCDEFGHJKMNPQRSTV';

test('#17.1 40 lookups with rotating left-most X-Forwarded-For entries through --trust-proxy meet the per-client limit', async () => {
  // Over a real socket: the client writes its own X-Forwarded-For; our proxy appends the address it saw.
  const code = unknownCode();
  let limited = 0;
  for (let i = 0; i < 40; i++) {
    const client = createClient({ baseUrl: server.url, retry: 0, headers: { 'X-Forwarded-For': `10.${i}.${i}.1, 203.0.113.5` } });
    try {
      await client.getProgress(code, wrongKey);
    } catch (error) {
      assert.ok(error instanceof ApiError);
      if (error.code === 'RATE_LIMITED') limited++;
      else assert.equal(error.code, 'REPORT_NOT_FOUND');
    }
  }
  assert.equal(limited, 10, '30 a minute per client (DEFAULT_LIMITS.lookupsPerClient), whatever the left-most entry says');
  // Another citizen behind the same proxy (another right-most entry) is not held up.
  const other = createClient({ baseUrl: server.url, retry: 0, headers: { 'X-Forwarded-For': '203.0.113.6' } });
  await assert.rejects(other.getProgress(code, wrongKey), (e: unknown) => e instanceof ApiError && e.code === 'REPORT_NOT_FOUND');
});

test('#17.1 X-Forwarded-For values that are not IP addresses are ignored: the socket address counts', async () => {
  const garbage = ['unknown', '<script>', '1.2.3.4.5', '999.0.0.1', 'fe80::1%eth0', 'localhost', '[::1', '_hidden', '', '01.2.3.4'];
  const code = unknownCode();
  const result = await answeredBefore429(40, (i) =>
    lookup(server.app, '192.0.2.44', code, wrongKey, { 'X-Forwarded-For': `198.51.100.${i}, ${garbage[i % garbage.length]}${'x'.repeat(i)}` }),
  );
  assert.deepEqual(result, { answered: 30, limited: 10 });
});

test('#17.1 --trusted-proxies: walked from the right past our proxies; an untrusted peer cannot forward at all', async () => {
  // A fresh unknown code per round: 60 failures on one code would lock it (#17.8) and blur what is measured here.
  let code = unknownCode();
  // Through two tiers of our proxies (10.1.x appended the client's address; the socket peer, one of a pool 10.0.0.x,
  // appended 10.1.x), with whatever the client wrote itself on the left.
  const proxied = await answeredBefore429(40, (i) =>
    lookup(walker, `10.0.0.${i}`, code, wrongKey, { 'X-Forwarded-For': `172.16.${i}.1, 198.51.100.77, 10.1.${i % 3}.1` }),
  );
  assert.deepEqual(proxied, { answered: 30, limited: 10 });
  // A peer outside the trusted ranges writes whatever it likes: ignored, its own address is the bucket.
  code = unknownCode();
  const direct = await answeredBefore429(40, (i) =>
    lookup(walker, '192.0.2.45', code, wrongKey, { 'X-Forwarded-For': `198.51.100.${i}, 10.0.0.${i}` }),
  );
  assert.deepEqual(direct, { answered: 30, limited: 10 });
  // The walk's answer is a bucket of its own: 198.51.100.77 is limited now, 198.51.100.78 is not.
  const fresh = await lookup(walker, 'fd00::1', code, wrongKey, { 'X-Forwarded-For': '198.51.100.78, 10.1.1.1' });
  assert.equal(fresh.status, 404);
  const same = await lookup(walker, 'fd00::1', code, wrongKey, { 'X-Forwarded-For': '198.51.100.77, 10.2.2.2' });
  assert.equal(same.status, 429);
});

test('#17.1 a --trusted-proxies entry that is not a CIDR stops the server at startup', async () => {
  for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/8', 'fd00::/129', '10.0.0.0/x']) {
    await assert.rejects(
      createApp({ sql: server.sql, dataDir: server.dataDir, dataKey: KEY, clock: server.clock, logger: silentLogger, trustedProxies: [bad] }),
      /not an IP address or CIDR/,
    );
  }
});

test('#17.1 IPv6 clients share a bucket per /64; another /64 is another client; ::ffff:a.b.c.d is IPv4', async () => {
  let code = unknownCode();
  const sameNet = ['2001:db8:17:1::a', '2001:db8:17:1:ffff:ffff:ffff:fffe', '2001:DB8:17:1:0:0:0:5', '[2001:db8:17:1::6]'];
  assert.deepEqual(await answeredBefore429(31, (i) => lookup(server.app, sameNet[i % sameNet.length]!, code, wrongKey)), {
    answered: 30,
    limited: 1,
  });
  assert.equal((await lookup(server.app, '2001:db8:17:2::a', code, wrongKey)).status, 404, 'the next /64 is someone else');
  const mapped = ['::ffff:198.51.100.99', '198.51.100.99'];
  code = unknownCode();
  assert.deepEqual(await answeredBefore429(31, (i) => lookup(server.app, mapped[i % 2]!, code, wrongKey)), { answered: 30, limited: 1 });
});

test('#17.8 failed lookups count per normalised code; correct lookups never count; at the limit 429 with Retry-After', async () => {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const { reportCode, queryKey } = await client.submitReport(anonymousDraft(await readNotice(server, client)), {
    idempotencyKey: crypto.randomUUID(),
  });
  const spellings = [reportCode, reportCode.toLowerCase(), formatReportCode(reportCode), formatReportCode(reportCode).toLowerCase().replaceAll('-', ' ')];
  // A botnet: every try from another address, so no per-client limit helps; the code's own limit must.
  let peer = 0;
  const from = () => `198.18.${Math.floor(++peer / 250)}.${peer % 250}`;
  for (let i = 0; i < 59; i++) {
    assert.equal((await lookup(server.app, from(), spellings[i % 4]!, `${wrongKey.slice(0, -2)}${i % 10}X`)).status, 404);
    // The owner, between the attacker's tries, in any spelling: always answered, and never counted.
    if (i % 5 === 0) assert.equal((await lookup(server.app, from(), spellings[(i + 1) % 4]!, queryKey.toLowerCase())).status, 200);
  }
  for (let i = 0; i < 30; i++) assert.equal((await lookup(server.app, from(), spellings[i % 4]!, queryKey)).status, 200);
  assert.equal((await lookup(server.app, from(), spellings[3]!, wrongKey)).status, 404, 'the 60th failure is still answered');
  const locked = await lookup(server.app, from(), spellings[1]!, queryKey);
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get('Retry-After')) > 0);
  assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
  // Another code is not affected.
  assert.equal((await lookup(server.app, from(), unknownCode(), wrongKey)).status, 404);
});

test('#17.12 every API answer carries a CSP that lets nothing run: JSON, 404, errors, tus', async () => {
  const responses = [
    await fetch(new URL('health', server.url)),
    await fetch(new URL('no/such/route', server.url)),
    await fetch(new URL('reports', server.url), { method: 'POST', body: '{' }),
    await fetch(new URL('uploads', server.url), { method: 'OPTIONS' }),
    await fetch(new URL('uploads', server.url), {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '5', 'Upload-Metadata': `filetype ${btoa('application/pdf')}` },
    }),
    await fetch(new URL('uploads/AAAAAAAAAAAAAAAAAAAAAA', server.url), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } }),
  ];
  assert.deepEqual(
    responses.map((r) => r.status),
    [200, 404, 400, 204, 201, 404],
  );
  for (const response of responses) {
    await response.body?.cancel();
    assert.equal(response.headers.get('Content-Security-Policy'), CSP, `${response.url} ${response.status}`);
  }
});

test('#17.12 --dev refuses to listen beyond loopback', async () => {
  for (const hostname of ['0.0.0.0', '::', '192.0.2.1']) {
    const started = await startServer({ memory: true, dev: true, hostname, logger: silentLogger }).catch((error: Error) => error);
    if (!(started instanceof Error)) await started.close();
    assert.ok(started instanceof Error, `--dev listened on ${hostname}`);
    assert.match(started.message, /loopback/);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aqjb-dev-'));
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--dev', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(cli.status, 1);
  assert.match(cli.stdout + cli.stderr, /loopback/);
});

test('#17.6 client buckets are salted per Beijing day, shared through the database, and the salt is gone after the day', async () => {
  const oldLookupHash = (value: string) =>
    createHmac('sha256', createHmac('sha256', KEY).update('aqjb:lookup:v1').digest())
      .update(value)
      .digest('hex');
  const code = unknownCode();
  // Two instances on one database count one client together (15 + 15 + 1), so they agree on the day's salt.
  const result = await answeredBefore429(31, (i) => lookup(i % 2 ? walker : server.app, '192.0.2.46', code, wrongKey));
  assert.deepEqual(result, { answered: 30, limited: 1 });

  const { rows } = await server.sql.query<{ bucket: string }>('SELECT bucket FROM rate_limits');
  assert.ok(rows.length > 0);
  for (const address of ['192.0.2.46', '127.0.0.1', '198.51.100.77', '2001:db8:17:1::/64']) {
    const old = oldLookupHash(`client:${address}`);
    assert.ok(!rows.some((r) => r.bucket.includes(old) || r.bucket.includes(address)), `${address} is findable with the data key`);
  }
  const today = beijingDate(server.clock.now());
  const days = async () => (await server.sql.query<{ day: string }>('SELECT day FROM rate_limit_salts ORDER BY day')).rows.map((r) => r.day);
  assert.deepEqual(await days(), [today]);

  server.clock.advance(24 * 3600_000);
  await server.app.maintain();
  assert.deepEqual(await days(), [], "yesterday's salt is destroyed");
  // The new day starts afresh with a new salt (and the same client is counted from zero).
  assert.equal((await lookup(server.app, '192.0.2.46', code, wrongKey)).status, 404);
  assert.deepEqual(await days(), [beijingDate(server.clock.now())]);
});

test('#17.6 #17.8 on PostgreSQL, two instances starting a day together share one salt, and parallel failures cannot pass the code limit', { skip: skipWithoutPostgres }, async () => {
  const url = await freshDatabase();
  const clock = new ManualClock();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aqjb-salt-'));
  const sqls = [await openPostgres(url), await openPostgres(url)];
  const apps: ReferenceApp[] = [];
  for (const sql of sqls) apps.push(await createApp({ sql, dataDir, dataKey: KEY, clock, logger: silentLogger }));
  try {
    // 31 lookups at once from one client, alternating instances, before either has a salt for the day.
    const one = await Promise.all(Array.from({ length: 31 }, (_, i) => lookup(apps[i % 2]!, '192.0.2.60', unknownCode(), wrongKey)));
    assert.deepEqual(one.map((r) => r.status).sort(), [...Array<number>(30).fill(404), 429]);
    const { rows } = await sqls[0]!.query<{ day: string }>('SELECT day FROM rate_limit_salts');
    assert.deepEqual(rows.map((r) => r.day), [beijingDate(clock.now())]);
    // 80 wrong tries on one code at once, each from its own address, spelled four ways: 60 are answered, no more.
    const code = unknownCode();
    const spellings = [code, code.toLowerCase(), formatReportCode(code), ` ${formatReportCode(code).toLowerCase()} `];
    const many = await Promise.all(
      Array.from({ length: 80 }, (_, i) => lookup(apps[i % 2]!, `198.19.0.${i + 1}`, spellings[i % 4]!, wrongKey)),
    );
    const statuses = many.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 404).length, 60);
    assert.equal(statuses.filter((s) => s === 429).length, 20);
  } finally {
    for (const app of apps) await app.close();
    for (const sql of sqls) await sql.close();
  }
});
