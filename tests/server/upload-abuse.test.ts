/**
 * Upload abuse (#17.5): the review created 300 uploads declaring 200 MB each from one address in 2.2 s. Creations
 * and declared bytes are limited per client, a disk quota (and a free-space margin) limits them in total before any
 * byte lands, and finished uploads that no report took are deleted after a set time.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createClient, isAqjbError } from '../../src/sdk/index.js';
import { anonymousDraft, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';

const MiB = 1024 * 1024;
const HOUR = 3600_000;
const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ trustProxy: true, ...options });
  servers.push(server);
  return server;
}

/** A tus creation from the client at `address` (our proxy appended it to `X-Forwarded-For`). */
const create = (server: TestServer, length: number, address = '203.0.113.7') =>
  fetch(new URL('uploads', server.url), {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'X-Forwarded-For': address },
  });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; retryAfterMs?: number } }).error;
const partials = (server: TestServer) => fs.readdirSync(path.join(server.dataDir, 'uploads', 'partial')).filter((f) => !f.endsWith('.json'));

test('300 creations declaring 200 MB from one client: a handful pass, the rest get 429 with Retry-After', async () => {
  const server = await start();
  const responses = await Promise.all(Array.from({ length: 300 }, () => create(server, 200 * MiB)));
  const created = responses.filter((r) => r.status === 201);
  const refused = responses.filter((r) => r.status === 429);
  assert.ok(created.length >= 1 && created.length <= 10, `${created.length} of 300 created`);
  assert.equal(created.length + refused.length, 300);
  for (const res of refused.slice(0, 5)) {
    const error = await errorOf(res);
    assert.equal(error.code, 'RATE_LIMITED');
    assert.ok(Number(res.headers.get('Retry-After')) > 0 && error.retryAfterMs! > 0, 'says when to come back');
  }
  await Promise.all(responses.map((r) => (r.bodyUsed ? undefined : r.body?.cancel())));
  assert.equal(partials(server).length, created.length, 'refused creations left nothing on disk');

  // The limit is the client's, not everyone's: another address still uploads, and the first one does after the hour.
  assert.equal((await create(server, 200 * MiB, '198.51.100.23')).status, 201);
  server.clock.advance(HOUR);
  assert.equal((await create(server, 200 * MiB)).status, 201);
});

test('a 1 MB quota: the creation that would pass it gets 507 STORAGE_FULL before any byte, from any client', async () => {
  const server = await start({ uploadQuotaBytes: MiB });
  const first = await create(server, 600 * 1024, '203.0.113.7');
  assert.equal(first.status, 201);

  for (const address of ['203.0.113.7', '198.51.100.23']) {
    const res = await create(server, 600 * 1024, address);
    assert.equal(res.status, 507);
    const error = await errorOf(res);
    assert.equal(error.code, 'STORAGE_FULL');
    assert.match(error.message, /服务器暂时无法接收更多材料/);
  }
  assert.equal(partials(server).length, 1, 'nothing was created for the refused uploads');
  assert.equal((await create(server, 300 * 1024, '198.51.100.23')).status, 201, 'what still fits is taken');

  // The SDK gives up at once with STORAGE_FULL (no retry loop), so the form can say so.
  const client = createClient({ baseUrl: server.url, retry: 0 });
  await assert.rejects(client.uploadAttachment(new Blob([new Uint8Array(600 * 1024)])), (e: unknown) => isAqjbError(e) && e.code === 'STORAGE_FULL');

  // Withdrawing an unfinished upload gives its bytes back; finished attachments count as much as they hold.
  assert.equal((await fetch(first.headers.get('Location')!, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } })).status, 204);
  assert.equal((await create(server, 600 * 1024, '198.51.100.23')).status, 201);
  await client.uploadAttachment(new Blob([PNG_1x1]));
  assert.equal((await create(server, 124 * 1024, '198.51.100.23')).status, 507, '300 KiB + 600 KiB + a PNG + 124 KiB > 1 MiB');
});

test('an upload that will not say its length is refused (400): nothing could be reserved for it', async () => {
  const server = await start();
  const res = await fetch(new URL('uploads', server.url), { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Defer-Length': '1' } });
  assert.equal(res.status, 400);
  assert.equal((await errorOf(res)).code, 'BAD_REQUEST');
  assert.equal(partials(server).length, 0);
});

test('too little free disk space: 507 STORAGE_FULL, whatever the quota', async () => {
  const server = await start({ uploadLimits: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
  const res = await create(server, 1000);
  assert.equal(res.status, 507);
  assert.equal((await errorOf(res)).code, 'STORAGE_FULL');
  assert.equal(partials(server).length, 0);
});

test('finished uploads no report took are deleted after the set time, file and row; linked ones stay', async () => {
  const server = await start({ orphanAttachmentMs: 48 * HOUR });
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const kept = await client.uploadAttachment(new Blob([PNG_1x1]));
  const orphan = await client.uploadAttachment(new Blob([PNG_1x1]));
  await client.submitReport(anonymousDraft(await readNotice(server, client), { attachmentIds: [kept.attachmentId] }), {
    idempotencyKey: crypto.randomUUID(),
  });
  // Files are named at random; a report's attachment has a new id, found by its report (#17.6).
  const fileOf = async (id: string) => {
    const { rows } = await server.sql.query<{ file: string }>('SELECT coalesce(file, id) AS file FROM attachments WHERE id = $1', [id]);
    return rows[0] && path.join(server.dataDir, 'uploads', 'ready', rows[0].file);
  };
  const result = (id: string) => fetch(new URL(`uploads/${id}/result`, server.url)).then((r) => r.status);
  const orphanFile = (await fileOf(orphan.attachmentId))!;
  const keptRow = async () => (await server.sql.query<{ id: string }>('SELECT id FROM attachments WHERE report_id IS NOT NULL')).rows;
  assert.equal((await keptRow()).length, 1);

  server.clock.advance(48 * HOUR - 60_000);
  await server.app.maintain();
  assert.equal(await result(orphan.attachmentId), 200, 'not before the time');
  assert.ok(fs.existsSync(orphanFile));

  server.clock.advance(2 * 60_000);
  await server.app.maintain();
  assert.equal(await result(orphan.attachmentId), 404, 'row gone');
  assert.ok(!fs.existsSync(orphanFile), 'file gone');
  assert.equal((await keptRow()).length, 1, 'a report holds it');
  assert.ok(fs.existsSync((await fileOf((await keptRow())[0]!.id))!));

  server.clock.advance(365 * 24 * HOUR);
  await server.app.maintain();
  assert.equal((await keptRow()).length, 1, 'evidence of a report is never an orphan');
  assert.ok(fs.existsSync((await fileOf((await keptRow())[0]!.id))!));
});
