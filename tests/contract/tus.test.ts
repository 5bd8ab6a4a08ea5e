/**
 * The upload routes speak tus 1.0 (https://tus.io/protocols/resumable-upload), as openapi.json documents them:
 * what a tus client other than our SDK (tus-js-client, Uppy, a province's own app) relies on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createSealer } from '../../src/server/crypto.js';
import { migrate } from '../../src/server/db/migrate.js';
import { openPglite } from '../../src/server/db/pglite.js';
import { createUploadRoutes } from '../../src/server/uploads/routes.js';
import { ATTACHMENT_LIMITS } from '../../src/sdk/schemas/attachments.js';
import { ErrorBody } from '../../src/sdk/schemas/common.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';
import { createUpload, finishedUpload, patchUpload, PNG_1x1, TUS } from './uploads.js';

let server: TestServer;
/** The upload routes alone (see `uploadsAlone`), with a 100 ms lock timeout. */
let alone: Awaited<ReturnType<typeof uploadsAlone>>;
before(async () => {
  server = await startTestServer();
  alone = await uploadsAlone(server, 100);
});
after(async () => {
  await alone.close();
  await server.close();
});

const errorOf = async (res: Response) => {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body: unknown = await res.json();
  assert.ok(ErrorBody.safeParse(body).success, `an ErrorBody: ${JSON.stringify(body)}`);
  return (body as ErrorBody).error;
};
const offsetOf = async (url: string) => (await fetch(url, { method: 'HEAD', headers: TUS })).headers.get('upload-offset');

test('every tus request without Tus-Resumable 1.0.0 is refused with 412 and Tus-Version, and nothing is done', async () => {
  const open = await createUpload(server, 100);
  const done = await finishedUpload(server);
  const collection = new URL('uploads', server.url).toString();
  const requests: [string, string, Record<string, string>][] = [
    ['POST', collection, { 'Upload-Length': '10' }],
    ['HEAD', open.url, {}],
    ['PATCH', open.url, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }],
    ['DELETE', open.url, {}],
    // A finished upload is answered by our routes, not by tus: the same rule holds.
    ['HEAD', done.url, {}],
    ['PATCH', done.url, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }],
    ['DELETE', done.url, {}],
  ];
  for (const version of [undefined, '0.2.2', '1.0', '']) {
    for (const [method, url, headers] of requests) {
      const res = await fetch(url, {
        method,
        headers: { ...headers, ...(version === undefined ? {} : { 'Tus-Resumable': version }) },
        body: method === 'PATCH' ? new Uint8Array(10) : undefined,
      });
      const what = `${method} ${url === collection ? 'collection' : url === open.url ? 'open' : 'finished'}, Tus-Resumable ${version}`;
      assert.equal(res.status, 412, what);
      assert.equal(res.headers.get('tus-version'), '1.0.0', what);
      if (method !== 'HEAD') assert.equal((await errorOf(res)).code, 'TUS_VERSION_UNSUPPORTED', what);
    }
  }
  // Not processed: the open upload has no bytes and still exists, the finished one is still there.
  assert.equal(await offsetOf(open.url), '0');
  assert.equal((await fetch(`${done.url}/result`)).status, 200);
});

test('an upload declares its length: Upload-Defer-Length is refused, and a PATCH cannot set a length', async () => {
  const deferred = await fetch(new URL('uploads', server.url), { method: 'POST', headers: { ...TUS, 'Upload-Defer-Length': '1' } });
  assert.equal(deferred.status, 400);
  assert.equal((await errorOf(deferred)).code, 'BAD_REQUEST');

  const open = await createUpload(server, 100);
  const res = await fetch(open.url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': '0', 'Upload-Length': '100', 'Content-Type': 'application/offset+octet-stream' },
    body: new Uint8Array(10),
  });
  assert.equal(res.status, 400); // tus answers 501 for a server without creation-defer-length
  assert.equal((await errorOf(res)).code, 'BAD_REQUEST');
  assert.equal(await offsetOf(open.url), '0');
});

test('a PATCH without Upload-Offset is a bad request (400), as one with a malformed offset is', async () => {
  const open = await createUpload(server, 100);
  for (const offset of [undefined, '-1', 'zero', '1e3']) {
    const res = await fetch(open.url, {
      method: 'PATCH',
      headers: { ...TUS, 'Content-Type': 'application/offset+octet-stream', ...(offset === undefined ? {} : { 'Upload-Offset': offset }) },
      body: new Uint8Array(10),
    });
    assert.equal(res.status, 400, String(offset)); // tus answers 403 when it is missing
    assert.equal((await errorOf(res)).code, 'BAD_REQUEST');
  }
  assert.equal(await offsetOf(open.url), '0');
});

test('a PATCH that is not application/offset+octet-stream gets 415 UNSUPPORTED_MEDIA_TYPE and stores nothing', async () => {
  const open = await createUpload(server, PNG_1x1.length);
  for (const type of [undefined, 'application/octet-stream', 'text/plain', 'application/offset+octet-stream; charset=x', 'image/png']) {
    const res = await fetch(open.url, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': '0', ...(type === undefined ? {} : { 'Content-Type': type }) },
      body: new Blob([PNG_1x1]), // a Blob without a type sends no Content-Type
    });
    assert.equal(res.status, 415, String(type));
    assert.equal((await errorOf(res)).code, 'UNSUPPORTED_MEDIA_TYPE', String(type));
  }
  assert.equal(await offsetOf(open.url), '0');
  assert.equal((await patchUpload(open.url, PNG_1x1)).status, 204, 'the right type still works');
});

/** Upload routes alone, mounted as the app mounts them (without its CORS layer), e.g. with a short lock timeout. */
async function uploadsAlone(server: TestServer, lockTimeoutMs: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aqjb-tus-'));
  const sql = await openPglite();
  await migrate(sql);
  const routes = createUploadRoutes({ sql, dataDir, clock: server.clock, sealer: createSealer(randomBytes(32)), lockTimeoutMs });
  const app = new Hono().route('/uploads', routes.routes);
  const listener = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(listener, 'listening');
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`,
    partialPath: (id: string) => path.join(dataDir, 'uploads', 'partial', id),
    async close() {
      await new Promise((resolve) => listener.close(resolve));
      await routes.close();
      await sql.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('a request for an upload another request holds past the lock timeout answers 423 UPLOAD_LOCKED', async () => {
  const open = await createUpload(alone, 100);
  // A slow client: its PATCH holds the upload while its body is still arriving. tus asks it to stop when another
  // request wants the upload, but gives it 3 s to drain, longer than the 100 ms the other request waits.
  const holder = http.request(open.url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': '100' },
  });
  holder.on('error', () => undefined);
  holder.write(new Uint8Array(40));
  const partial = alone.partialPath(open.id);
  while (!fs.existsSync(partial) || fs.statSync(partial).size < 40) await new Promise(setImmediate); // it holds the lock
  // The same upload resumed from another tab.
  const res = await patchUpload(open.url, new Uint8Array(60), 40);
  holder.destroy();
  assert.equal(res.status, 423);
  assert.equal((await errorOf(res)).code, 'UPLOAD_LOCKED'); // not RATE_LIMITED: nothing about this client is limited
});

test('OPTIONS needs no Tus-Resumable and names tus 1.0 and its extensions, without creation-defer-length', async () => {
  // Through the whole app: a discovery OPTIONS (no Access-Control-Request-Method) reaches tus, past the CORS layer.
  const res = await fetch(new URL('uploads', server.url), { method: 'OPTIONS' });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('tus-version'), '1.0.0');
  const extensions = res.headers.get('tus-extension')?.split(',') ?? [];
  assert.ok(extensions.includes('creation') && extensions.includes('termination') && extensions.includes('expiration'), String(extensions));
  assert.ok(!extensions.includes('creation-defer-length'), 'every upload declares its length');
  assert.equal(res.headers.get('tus-max-size'), String(Math.max(ATTACHMENT_LIMITS.documentBytes, ATTACHMENT_LIMITS.videoBytes)));
});

test('a CORS preflight is answered from the route table: its methods and headers, and no staff header', async () => {
  const portal = 'https://www.example.gov.cn';
  const cors = await startTestServer({ allowOrigins: [portal] });
  try {
    const preflight = (path: string, method: string, headers: string) =>
      fetch(new URL(path, cors.url), {
        method: 'OPTIONS',
        headers: { Origin: portal, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
      });
    const res = await preflight('uploads', 'POST', 'tus-resumable,upload-length');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), portal);
    assert.equal(res.headers.get('tus-version'), null, 'a preflight is CORS, not tus discovery');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
    for (const name of ['content-type', 'tus-resumable', 'upload-length', 'upload-offset', 'idempotency-key', 'x-report-code', 'x-query-key']) {
      assert.ok(allowed.includes(name), `${name} in ${allowed}`);
    }
    for (const name of ['authorization', 'upload-defer-length', 'x-http-method-override']) assert.ok(!allowed.includes(name), `${name} not allowed`);
    const methods = (res.headers.get('access-control-allow-methods') ?? '').split(',');
    assert.deepEqual([...methods].sort(), ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST']);
  } finally {
    await cors.close();
  }
});
