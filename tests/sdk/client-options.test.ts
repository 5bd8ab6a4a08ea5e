import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AqjbError, ApiError, TimeoutError, createClient, isAqjbError } from '../../src/sdk/index.js';
import { call, createTransport as createContext } from '../../src/sdk/transport.js';
import { createStaffClient } from '../../src/sdk/staff.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import * as mediaFixtures from '../support/media-fixtures.js';
import { anonymousDraft, readNotice, staffLetter, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('zod-setup turns zod jitless without importing zod (no `new Function` probe under a strict CSP)', async () => {
  await import('../../src/sdk/zod-setup.js');
  const { config } = await import('zod/mini');
  assert.equal(config().jitless, true, 'zod reads the configuration zod-setup.ts sets on globalThis');
  assert.doesNotMatch(readFileSync(new URL('../../src/sdk/zod-setup.ts', import.meta.url), 'utf8'), /^import .*['"]zod/m);
});

test('base URLs other than https are refused, except a local server', () => {
  for (const bad of ['http://api.example.gov.cn/', 'ftp://127.0.0.1/', 'not a url']) {
    assert.throws(() => createClient({ baseUrl: bad }), (e: unknown) => e instanceof AqjbError && e.code === 'BAD_BASE_URL', bad);
  }
  for (const good of ['https://api.example.gov.cn/aqjb', 'http://localhost:8080/', 'http://127.0.0.1:8080/api/']) {
    assert.match(createClient({ baseUrl: good }).baseUrl, /\/$/, good);
  }
});

test('a call whose signal is aborted ends with the SDK’s ABORTED error, not a raw DOMException', async () => {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.getNotice({ signal: controller.signal }), (e: unknown) => isAqjbError(e) && e.code === 'ABORTED');
});

test('SMS codes are never sent twice by a retry, even when the answer is lost', async () => {
  let posts = 0;
  const lossy: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST' && request.url.endsWith('/sms/codes')) {
      posts++;
      await fetch(request); // the server sends the code…
      throw new TypeError('Failed to fetch'); // …but the answer never arrives
    }
    return fetch(request);
  };
  const client = createClient({ baseUrl: server.url, fetch: lossy, retry: 2 });
  const ackToken = await readNotice(server);
  await assert.rejects(client.sendSmsCode({ phone: '13600001234', ackToken }), (e: unknown) => isAqjbError(e) && e.code === 'NETWORK');
  assert.equal(posts, 1);
});

test('reads are retried after a lost answer', async () => {
  let gets = 0;
  const flaky: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.url.endsWith('/dictionaries') && gets++ === 0) throw new TypeError('Failed to fetch');
    return fetch(request);
  };
  const client = createClient({ baseUrl: server.url, fetch: flaky, retry: 2 });
  const dictionaries = await client.getDictionaries();
  assert.equal(gets, 2);
  assert.ok(dictionaries.industries.length >= 16);
});

/**
 * A fetch in front of the real server that replaces the server's first `failures` answers with `status` (as a
 * gateway or rate limiter in between would); it records every request it sees.
 */
function gateway(status: number, headers: Record<string, string>, failures = 1) {
  const requests: Request[] = [];
  const at: number[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    at.push(performance.now());
    const response = await fetch(request);
    if (requests.length > failures) return response;
    await response.body?.cancel();
    const body = { error: { code: status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE', message: '请稍后再试' } };
    return Response.json(body, { status, headers });
  };
  return { fetch: fetchImpl, requests, at };
}

test('a GET answered 503 with Retry-After: 0 is retried at once and gives the second answer', async () => {
  const wire = gateway(503, { 'Retry-After': '0' });
  const client = createClient({ baseUrl: server.url, fetch: wire.fetch });
  const notice = await client.getNotice();
  assert.equal(wire.requests.length, 2);
  assert.equal(notice.minReadSeconds, 15);
  // Retry-After: 0 replaces the backoff (300 ms before the first retry).
  assert.ok(wire.at[1]! - wire.at[0]! < 250, `waited ${wire.at[1]! - wire.at[0]!} ms`);
});

test('a POST is not retried after a 503 unless the call opts in', async () => {
  const plain = gateway(503, { 'Retry-After': '0' });
  const ctx = createContext({ baseUrl: server.url, fetch: plain.fetch, retry: 2 });
  await assert.rejects(
    call(() => ctx.http('notice/receipts', { method: 'POST' })),
    (e: unknown) => e instanceof ApiError && e.status === 503 && e.code === 'UNAVAILABLE',
  );
  assert.equal(plain.requests.length, 1);

  const optedIn = gateway(503, { 'Retry-After': '0' });
  const receipt = await call(async () =>
    (await createContext({ baseUrl: server.url, fetch: optedIn.fetch }).http('notice/receipts', { method: 'POST', retry: { limit: 1, methods: ['post'] } })).json(),
  );
  assert.equal(optedIn.requests.length, 2);
  assert.ok((receipt as { receiptId?: string }).receiptId);
});

test('429 is not retried by default, even with a short Retry-After; a call may opt in', async () => {
  const limited = gateway(429, { 'Retry-After': '0' });
  const client = createClient({ baseUrl: server.url, fetch: limited.fetch, retry: 2 });
  await assert.rejects(client.getNotice(), (e: unknown) => e instanceof ApiError && e.status === 429 && e.code === 'RATE_LIMITED');
  assert.equal(limited.requests.length, 1);

  // What the staff client does for its keyed entries.
  const optedIn = gateway(429, { 'Retry-After': '0' });
  const ctx = createContext({ baseUrl: server.url, fetch: optedIn.fetch });
  const response = await ctx.http('notice', { retry: { limit: 1, statusCodes: [429] } });
  assert.equal(response.status, 200);
  assert.equal(optedIn.requests.length, 2);
});

test('a Retry-After longer than maxRetryAfter (5 s) means no retry', async () => {
  const wire = gateway(503, { 'Retry-After': '60' });
  const client = createClient({ baseUrl: server.url, fetch: wire.fetch, retry: 2 });
  await assert.rejects(client.getNotice(), (e: unknown) => e instanceof ApiError && e.status === 503);
  assert.equal(wire.requests.length, 1);
});

test('a retry wait ends at once when the caller aborts', async () => {
  const controller = new AbortController();
  const wire = gateway(503, { 'Retry-After': '4' }); // honoured: 4 s ≤ 5 s
  const client = createClient({ baseUrl: server.url, fetch: wire.fetch, retry: 2 });
  const pending = client.getNotice({ signal: controller.signal });
  while (wire.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const abortedAt = performance.now();
  controller.abort();
  await assert.rejects(pending, (e: unknown) => isAqjbError(e) && e.code === 'ABORTED');
  assert.ok(performance.now() - abortedAt < 1_000);
  assert.equal(wire.requests.length, 1, 'no retry after an abort');
});

test('an attempt without an answer within timeoutMs is a TimeoutError, and its request is aborted', async () => {
  const requests: Request[] = [];
  // Never answers; rejects only when its request is aborted, as fetch does.
  const silent: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
  };
  const client = createClient({ baseUrl: server.url, fetch: silent, timeoutMs: 50 });
  await assert.rejects(client.getNotice(), (e: unknown) => e instanceof TimeoutError && e.code === 'TIMEOUT');
  assert.equal(requests.length, 1, 'a timeout is not retried');
  assert.equal(requests[0]!.signal.aborted, true);
});

test('the headers option reaches the server with every request; no credentials are sent', async () => {
  const seen: Request[] = [];
  const spy: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push(request);
    return fetch(request);
  };
  const client = createClient({ baseUrl: server.url, fetch: spy, headers: { 'X-Embed-Site': 'henan-portal' } });
  await client.getNotice();
  const { regions } = await client.listRegions('410000');
  assert.ok(regions.length > 0);
  assert.equal(seen.length, 2);
  for (const request of seen) {
    assert.equal(request.headers.get('x-embed-site'), 'henan-portal');
    assert.equal(request.credentials, 'omit');
  }
  assert.equal(new URL(seen[1]!.url).search, '?parent=410000');
});

test('a keyed report submission is retried after a 503, but a 429 ends it at once with the wait', async () => {
  const ackToken = await readNotice(server);
  const unavailable = gateway(503, {}, 1);
  const busy: typeof fetch = (input, init) => ((input as Request).url.endsWith('/reports') ? unavailable.fetch(input, init) : fetch(input, init));
  const receipt = await createClient({ baseUrl: server.url, fetch: busy }).submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() });
  assert.match(receipt.reportCode, /\w/);
  assert.equal(unavailable.requests.length, 2, 'the keyed POST was sent again after the 503');

  const limited = gateway(429, { 'Retry-After': '0' }, 1);
  const client = createClient({ baseUrl: server.url, fetch: limited.fetch, retry: 2 });
  await assert.rejects(
    client.submitReport(anonymousDraft(await readNotice(server)), { idempotencyKey: crypto.randomUUID() }),
    (e: unknown) => e instanceof ApiError && e.status === 429 && e.code === 'RATE_LIMITED',
  );
  assert.equal(limited.requests.length, 1, 'a citizen is told the wait, not kept waiting');
});

test('a Retry-After within 5 s is waited out instead of the backoff', async () => {
  const wire = gateway(503, { 'Retry-After': '1' });
  const client = createClient({ baseUrl: server.url, fetch: wire.fetch });
  assert.equal((await client.getNotice()).minReadSeconds, 15);
  assert.equal(wire.requests.length, 2);
  // The backoff alone would have retried after 300 ms.
  assert.ok(wire.at[1]! - wire.at[0]! >= 950, `retried after ${wire.at[1]! - wire.at[0]!} ms`);
});

test('hooks: beforeRequest sees every request, tus uploads and their retries included, and what it adds is sent', async () => {
  const seen: string[] = [];
  const sent: Request[] = [];
  let patches = 0;
  const wire: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push(request);
    if (request.method === 'PATCH' && ++patches === 2) throw new TypeError('fetch failed'); // dropped before sending
    return fetch(request);
  };
  const client = createClient({
    baseUrl: server.url,
    fetch: wire,
    hooks: {
      beforeRequest: [
        (request, _options, { retryCount }) => {
          const where = request.url.slice(server.url.length).replace(/[\w-]{22}/, ':id');
          seen.push(`${request.method} ${where}${retryCount ? ` (retry ${retryCount})` : ''}`);
          request.headers.set('X-Embed-Trace', 'henan-portal');
        },
      ],
    },
  });
  await client.getNotice();
  const attachment = await client.uploadAttachment(new Blob([mediaFixtures.mp4({ metadata: false, size: 150 * 1024 })]), { chunkSize: 64 * 1024 });
  assert.equal(attachment.mime, 'video/mp4');
  assert.deepEqual(seen, [
    'GET notice',
    'POST uploads',
    'PATCH uploads/:id',
    'PATCH uploads/:id',
    'HEAD uploads/:id', // asked where the server stood, before the retry
    'PATCH uploads/:id (retry 1)',
    'PATCH uploads/:id',
    'GET uploads/:id/result',
  ]);
  assert.equal(sent.length, seen.length);
  for (const request of sent) assert.equal(request.headers.get('x-embed-trace'), 'henan-portal', `${request.method} ${request.url}`);
  const tus = sent.filter((r) => !r.url.endsWith('/result') && r.url.includes('/uploads'));
  for (const request of tus) assert.equal(request.headers.get('tus-resumable'), '1.0.0', `${request.method} carries Tus-Resumable`);
});

test('the staff client sends its token through a beforeRequest hook, before the caller’s own hooks', async () => {
  const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' });
  const seen: (string | null)[] = [];
  const staff = createStaffClient({
    baseUrl: server.url,
    token,
    retry: 0,
    hooks: { beforeRequest: [(request) => void seen.push(request.headers.get('authorization'))] },
  });
  const { reportCode } = await staff.enterReport(staffLetter('HN-hook'));
  assert.equal((await staff.getReport(reportCode)).reportCode, reportCode);
  assert.deepEqual(seen, [`Bearer ${token}`, `Bearer ${token}`]);
});

test('a locked upload (423) is tried again after the backoff; a full server (507 STORAGE_FULL) is asked once', async () => {
  const answer = (status: number, code: string) =>
    Response.json({ error: { code, message: '请稍后再试' } }, { status, headers: { 'Tus-Resumable': '1.0.0' } });
  const sent: string[] = [];
  let locked = 1;
  const lockedOnce: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push(request.method);
    if (request.method === 'PATCH' && locked-- > 0) return answer(423, 'UPLOAD_LOCKED');
    return fetch(request);
  };
  const file = new Blob([mediaFixtures.mp4({ metadata: false, size: 2000 })]);
  const attachment = await createClient({ baseUrl: server.url, fetch: lockedOnce, retry: 0 }).uploadAttachment(file);
  assert.equal(attachment.size, 2000);
  assert.deepEqual(sent, ['POST', 'PATCH', 'HEAD', 'PATCH', 'GET'], 'the retry asked for the offset first');

  let posts = 0;
  const full: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== 'POST') return fetch(request);
    posts++;
    return answer(507, 'STORAGE_FULL');
  };
  await assert.rejects(
    createClient({ baseUrl: server.url, fetch: full }).uploadAttachment(file),
    (e: unknown) => e instanceof ApiError && e.status === 507 && e.code === 'STORAGE_FULL',
  );
  assert.equal(posts, 1);
});
