import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AqjbError, createClient, isAqjbError } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

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
  await assert.rejects(client.sendSmsCode('13600001234'), (e: unknown) => isAqjbError(e) && e.code === 'NETWORK');
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
