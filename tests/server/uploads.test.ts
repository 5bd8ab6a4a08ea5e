import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createTransport as createContext } from '../../src/sdk/transport.js';
import { isAqjbError } from '../../src/sdk/errors.js';
import { checkFileBeforeUpload, uploadAttachment } from '../../src/sdk/upload.js';
import { buffer } from 'node:stream/consumers';
import { createSealer } from '../../src/server/crypto.js';
import { migrate } from '../../src/server/db/migrate.js';
import { openPglite } from '../../src/server/db/pglite.js';
import type { Sql } from '../../src/server/db/sql.js';
import { AttachmentUnavailableError, createUploadRoutes, type UploadRoutes } from '../../src/server/uploads/routes.js';
import * as mediaFixtures from '../support/media-fixtures.js';

const MiB = 1024 * 1024;
const EXPIRY_MS = 60 * 60 * 1000;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.concat(parts));
const hasBytes = (hay: Uint8Array, needle: string) => Buffer.from(hay).includes(needle);
const isCode = (code: string, status?: number) => (e: unknown) =>
  isAqjbError(e) && e.code === code && (status === undefined || (e as { status?: number }).status === status);

// An 8×8 baseline JPEG behind an Exif with Make, Orientation 6 and a GPS latitude (see tests/sdk/media.test.ts).
function gpsJpeg(): Uint8Array<ArrayBuffer> {
  const seg = (code: number, payload: Uint8Array) =>
    concat(Uint8Array.of(0xff, code, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload);
  const tiff = concat(
    latin1('II*\0'), Uint8Array.of(8, 0, 0, 0, 3, 0),
    Uint8Array.of(0x0f, 0x01, 2, 0, 17, 0, 0, 0, 50, 0, 0, 0), // Make → offset 50
    Uint8Array.of(0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0), // Orientation 6
    Uint8Array.of(0x25, 0x88, 4, 0, 1, 0, 0, 0, 67, 0, 0, 0), // GPS IFD → offset 67
    Uint8Array.of(0, 0, 0, 0), latin1('SecretPhoneMaker\0'),
    Uint8Array.of(1, 0, 0x02, 0x00, 5, 0, 3, 0, 0, 0, 85, 0, 0, 0, 0, 0, 0, 0), // GPSLatitude → offset 85
    Uint8Array.of(39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0, 0x96, 0x0a, 0, 0, 100, 0, 0, 0),
  );
  return concat(
    Uint8Array.of(0xff, 0xd8),
    seg(0xe0, concat(latin1('JFIF\0'), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0))),
    seg(0xe1, concat(latin1('Exif\0\0'), tiff)),
    seg(0xfe, latin1('Zhang San, 13800000000')),
    seg(0xdb, Uint8Array.from([0, ...new Array(64).fill(1)])),
    seg(0xc0, Uint8Array.of(8, 0, 8, 0, 8, 1, 1, 0x11, 0)),
    seg(0xc4, Uint8Array.from([0x00, 1, ...new Array(15).fill(0), 0])),
    seg(0xc4, Uint8Array.from([0x10, 1, ...new Array(15).fill(0), 0])),
    seg(0xda, Uint8Array.of(1, 1, 0, 0, 63, 0)),
    Uint8Array.of(0x3f, 0xff, 0xd9),
  );
}
const GPS_LATITUDE = Buffer.from([39, 0, 0, 0, 1, 0, 0, 0, 54, 0, 0, 0, 1, 0, 0, 0]).toString('latin1');
/** PDF magic bytes, padded: for uploads refused by size or never finished (a finished PDF is parsed and rewritten). */
const pdf = (size: number) => {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  b.set(latin1('%PDF-1.7\n'));
  return b;
};
/** A well-formed MP4 without metadata, `size` bytes: the server checks its structure and stores it byte for byte. */
const mp4 = (size: number) => mediaFixtures.mp4({ metadata: false, size });
const pngHeader = concat(Uint8Array.of(0x89), latin1('PNG\r\n\x1a\n'), Uint8Array.of(0, 0, 0, 13), latin1('IHDR'));

let dataDir: string;
let sql: Sql;
let uploads: UploadRoutes;
let small: UploadRoutes;
let server: ServerType;
let baseUrl: string;
const now = { t: Date.now() };
const clock = { now: () => now.t };
const events: Record<string, unknown>[] = [];
const sealer = createSealer(randomBytes(32));
/** Evidence is encrypted at rest: the stored (stripped) bytes come back through the decrypting reader. */
const storedBytes = async (routes: UploadRoutes, id: string) => buffer((await routes.attachments.readEvidence(id))!);

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aqjb-'));
  sql = await openPglite();
  await migrate(sql);
  const log = (e: Record<string, unknown>) => void events.push(e);
  uploads = createUploadRoutes({ sql, dataDir, clock, sealer, expiryMs: EXPIRY_MS, log });
  small = createUploadRoutes({ sql, dataDir: path.join(dataDir, 'small'), clock, sealer, log, limits: { documentBytes: 1000, videoBytes: 2000 } });
  const app = new Hono().route('/api/uploads', uploads.routes).route('/small/uploads', small.routes);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      baseUrl = `http://127.0.0.1:${info.port}/api/`;
      resolve();
    });
  });
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await uploads.close();
  await small.close();
  await sql.close();
  // FileStore's constructor starts an fs.mkdir it never awaits; deleting its parent first makes that callback throw.
  await new Promise((resolve) => setTimeout(resolve, 50));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const tus = (url: string, method: string, headers: Record<string, string> = {}, body?: Uint8Array<ArrayBuffer>) =>
  fetch(url, { method, headers: { 'Tus-Resumable': '1.0.0', ...headers }, body });

test('a phone photo is stored without GPS or camera data, keeping its orientation', async () => {
  const jpeg = gpsJpeg();
  const urls: string[] = [];
  // A personal file name must never reach the server, its files or its logs.
  const file = new File([jpeg], '张三-身份证-现场.jpg', { type: 'image/jpeg' });
  const result = await uploadAttachment(createContext({ baseUrl }), file, { onUploadUrl: (u) => urls.push(u) });

  assert.equal(result.mime, 'image/jpeg');
  assert.match(result.attachmentId, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(urls, [`${baseUrl}uploads/${result.attachmentId}`]); // absolute, under the mount prefix
  const stored = await storedBytes(uploads, result.attachmentId);
  assert.ok(!stored.includes('SecretPhoneMaker') && !stored.includes('Zhang San'), 'camera and comment gone');
  assert.ok(!stored.toString('latin1').includes(GPS_LATITUDE), 'GPS gone');
  assert.ok(stored.includes(Buffer.from([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6])), 'orientation 6 kept');
  assert.equal(result.size, stored.length);
  assert.ok(result.size < jpeg.length, 'stored file is smaller');
  assert.equal(result.sha256, sha256(stored));
  assert.deepEqual(await uploads.attachments.get(result.attachmentId), result);

  const everything = JSON.stringify(events) + fs.readdirSync(dataDir, { recursive: true }).join('\n');
  assert.ok(!everything.includes('张三') && !everything.includes('.jpg'), 'no file name in logs or files');
  assert.ok(events.some((e) => e.event === 'upload.finished' && e.id === result.attachmentId), 'finish logged');
});

test('a dropped connection resumes where the server stopped, never sending bytes twice', async () => {
  const original = mp4(300 * 1024);
  let patches = 0;
  let bytesDelivered = 0;
  const flaky: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== 'PATCH') return fetch(request);
    patches++;
    if (patches === 4) throw new TypeError('fetch failed'); // lost before sending
    const size = (await request.clone().arrayBuffer()).byteLength;
    const res = await fetch(request);
    bytesDelivered += size;
    if (patches === 2) throw new TypeError('fetch failed'); // the server got it, the answer was lost
    return res;
  };
  const progress: number[] = [];
  const result = await uploadAttachment(createContext({ baseUrl, fetch: flaky }), new Blob([original]), {
    chunkSize: 64 * 1024,
    onProgress: (p) => progress.push(p.sent),
  });
  assert.equal(result.mime, 'video/mp4');
  assert.equal(result.size, original.length);
  assert.equal(result.sha256, sha256(original));
  assert.equal(bytesDelivered, original.length, 'no chunk was sent twice');
  assert.equal(patches, 6); // 5 chunks + the one lost before sending
  assert.deepEqual(progress, [65536, 131072, 196608, 262144, 307200]);
});

test('resumeFrom continues an upload started before a reload', async () => {
  const original = mp4(200 * 1024);
  const ctx = createContext({ baseUrl });
  const first = new AbortController();
  let url = '';
  await assert.rejects(
    uploadAttachment(ctx, new Blob([original]), {
      chunkSize: 64 * 1024,
      signal: first.signal,
      onUploadUrl: (u) => (url = u),
      onProgress: (p) => p.sent >= 128 * 1024 && first.abort(),
    }),
    isCode('ABORTED'),
  );
  const head = await tus(url, 'HEAD');
  assert.equal(head.headers.get('Upload-Offset'), String(128 * 1024));
  const patched: string[] = [];
  const spy: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'PATCH') patched.push(request.headers.get('Upload-Offset')!);
    return fetch(request);
  };
  const result = await uploadAttachment(createContext({ baseUrl, fetch: spy }), new Blob([original]), {
    chunkSize: 64 * 1024,
    resumeFrom: url,
  });
  assert.deepEqual(patched, [String(128 * 1024), String(192 * 1024)]); // nothing before 128 KiB again
  assert.equal(result.sha256, sha256(original));
  // Resuming a finished upload just returns it.
  assert.deepEqual(await uploadAttachment(ctx, new Blob([original]), { resumeFrom: url }), result);
});

test('cancelling an upload rejects with ABORTED; termination then deletes it', async () => {
  const controller = new AbortController();
  let url = '';
  const pending = uploadAttachment(createContext({ baseUrl }), new Blob([pdf(256 * 1024)]), {
    chunkSize: 64 * 1024,
    signal: controller.signal,
    onUploadUrl: (u) => (url = u),
    onProgress: () => controller.abort(),
  });
  await assert.rejects(pending, isCode('ABORTED'));
  assert.equal((await tus(url, 'HEAD')).headers.get('Upload-Offset'), String(64 * 1024));
  assert.equal((await tus(url, 'DELETE')).status, 204);
  assert.equal((await tus(url, 'HEAD')).status, 404);
  const already = new AbortController();
  already.abort();
  await assert.rejects(uploadAttachment(createContext({ baseUrl }), new Blob([pdf(100)]), { signal: already.signal }), isCode('ABORTED'));
});

test('an HTML page named .jpg is rejected by content: 422 ATTACHMENT_REJECTED', async () => {
  const html = new File(['<!doctype html><script>alert(1)</script>'], 'photo.jpg', { type: 'image/jpeg' });
  assert.deepEqual(await checkFileBeforeUpload(html), { ok: false, reason: 'type' });
  let url = '';
  await assert.rejects(
    uploadAttachment(createContext({ baseUrl }), html, { onUploadUrl: (u) => (url = u) }),
    isCode('ATTACHMENT_REJECTED', 422),
  );
  const res = await fetch(`${url}/result`);
  assert.equal(res.status, 422);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'ATTACHMENT_REJECTED');
  assert.match(body.error.message, /JPEG、PNG、PDF/);
  assert.equal(fs.readdirSync(path.join(dataDir, 'uploads', 'partial')).length, 0, 'rejected bytes deleted');
});

test('a PNG over 20 MB is rejected; a declared length over 200 MB is refused at creation', async () => {
  const big = new Uint8Array(20 * MiB + 1);
  big.set(pngHeader);
  const blob = new Blob([big]);
  assert.deepEqual(await checkFileBeforeUpload(blob), { ok: false, reason: 'size' });
  await assert.rejects(
    uploadAttachment(createContext({ baseUrl }), blob, { chunkSize: 8 * MiB }),
    isCode('ATTACHMENT_REJECTED', 422),
  );
  assert.ok(events.some((e) => e.event === 'upload.rejected' && e.reason === 'size'), 'size rejection logged');

  const res = await tus(`${baseUrl}uploads`, 'POST', { 'Upload-Length': String(200 * MiB + 1) });
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BODY_TOO_LARGE');
});

test('an MP4 is accepted up to its own limit (limits are injectable)', async () => {
  const smallBase = baseUrl.replace('/api/', '/small/');
  const ok = await uploadAttachment(createContext({ baseUrl: smallBase }), new Blob([mp4(2000)]));
  assert.equal(ok.mime, 'video/mp4');
  assert.equal(ok.sha256, sha256(mp4(2000)));
  // over the largest limit: refused at creation, before any byte is sent
  await assert.rejects(uploadAttachment(createContext({ baseUrl: smallBase }), new Blob([mp4(2001)])), isCode('BODY_TOO_LARGE', 413));
  // 1500 bytes: fine for a video, too much for a PDF under the same injected limits
  assert.equal((await uploadAttachment(createContext({ baseUrl: smallBase }), new Blob([mp4(1500)]))).mime, 'video/mp4');
  await assert.rejects(uploadAttachment(createContext({ baseUrl: smallBase }), new Blob([pdf(1500)])), isCode('ATTACHMENT_REJECTED'));
});

test('unfinished uploads expire: HEAD answers 410, cleanup removes them, then 404', async () => {
  const created = await tus(`${baseUrl}uploads`, 'POST', { 'Upload-Length': '1000' });
  assert.equal(created.status, 201);
  const url = created.headers.get('Location')!;
  const expires = Date.parse(created.headers.get('Upload-Expires')!);
  assert.ok(Math.abs(expires - (now.t + EXPIRY_MS)) < 1000, 'Upload-Expires on the injected clock');
  const patched = await tus(url, 'PATCH', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, pdf(100));
  assert.equal(patched.status, 204);
  assert.equal((await fetch(`${url}/result`)).status, 409);
  assert.equal((await uploads.cleanup()), 0);

  now.t += EXPIRY_MS + 1;
  try {
    assert.equal((await tus(url, 'HEAD')).status, 410);
    const late = await tus(url, 'PATCH', { 'Upload-Offset': '100', 'Content-Type': 'application/offset+octet-stream' }, pdf(100));
    assert.equal(late.status, 410);
    assert.equal(await uploads.cleanup(), 1);
    assert.equal((await tus(url, 'HEAD')).status, 404);
    const result = await fetch(`${url}/result`);
    assert.equal(result.status, 404);
    assert.deepEqual(await result.json(), { error: { code: 'NOT_FOUND', message: '未找到请求的内容' } });
    assert.equal(fs.readdirSync(path.join(dataDir, 'uploads', 'partial')).length, 0);
  } finally {
    now.t -= EXPIRY_MS + 1;
  }
});

test('a finished upload is never served by GET, and can be withdrawn until a report uses it', async () => {
  const ctx = createContext({ baseUrl });
  const a = await uploadAttachment(ctx, new Blob([mp4(600)]));
  const b = await uploadAttachment(ctx, new Blob([mp4(700)]));
  const url = (id: string) => `${baseUrl}uploads/${id}`;
  assert.equal((await fetch(url(a.attachmentId))).status, 404);

  await assert.rejects(
    sql.transaction((tx) => uploads.attachments.requireFinished(tx, [a.attachmentId, 'AAAAAAAAAAAAAAAAAAAAAA'])),
    (e: unknown) => e instanceof AttachmentUnavailableError && e.ids.join() === 'AAAAAAAAAAAAAAAAAAAAAA',
  );
  let linked = '';
  await sql.transaction(async (tx) => {
    assert.deepEqual(await uploads.attachments.requireFinished(tx, [a.attachmentId, a.attachmentId]), [a]);
    linked = (await uploads.attachments.link(tx, [a.attachmentId], { reportId: 'R1' })).join();
  });
  assert.match(linked, /^[\w-]{22}$/);
  assert.notEqual(linked, a.attachmentId, 'the report holds a new id, never the upload id (#17.6)');
  await assert.rejects(
    sql.transaction((tx) => uploads.attachments.requireFinished(tx, [a.attachmentId])),
    AttachmentUnavailableError,
  ); // one report only
  assert.deepEqual(await uploads.attachments.listForReport(sql, 'R1'), [{ ...a, attachmentId: linked, supplementId: null }]);
  assert.equal((await tus(url(a.attachmentId), 'DELETE')).status, 404, 'the upload id is unknown now');
  assert.equal((await tus(url(linked), 'DELETE')).status, 403, 'evidence of a report stays');

  const fileB = await uploads.attachments.path(b.attachmentId);
  assert.ok(fileB && fs.existsSync(fileB));
  assert.equal((await tus(url(b.attachmentId), 'DELETE')).status, 204);
  assert.equal(await uploads.attachments.get(b.attachmentId), undefined);
  assert.ok(!fs.existsSync(fileB), 'file deleted');
  assert.equal((await fetch(`${url(b.attachmentId)}/result`)).status, 404);
});

test('Location follows X-Forwarded-* only when trustProxy is set', async () => {
  const post = (routes: UploadRoutes) =>
    new Hono().route('/v1/uploads', routes.routes).fetch(
      new Request('http://internal:8080/v1/uploads', {
        method: 'POST',
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'jubao.example.gov.cn' },
      }),
    );
  const dir = path.join(dataDir, 'proxy');
  const trusting = createUploadRoutes({ sql, dataDir: dir, clock, sealer, trustProxy: true });
  const plain = createUploadRoutes({ sql, dataDir: dir, clock, sealer });
  assert.match((await post(trusting)).headers.get('Location')!, /^https:\/\/jubao\.example\.gov\.cn\/v1\/uploads\/[\w-]{22}$/);
  assert.match((await post(plain)).headers.get('Location')!, /^http:\/\/internal:8080\/v1\/uploads\/[\w-]{22}$/);
});

test('finished attachments survive a restart (PGlite on disk)', async () => {
  const dbDir = path.join(dataDir, 'pg');
  const files = path.join(dataDir, 'restart');
  let db = await openPglite(dbDir);
  await migrate(db);
  const first = createUploadRoutes({ sql: db, dataDir: files, clock, sealer });
  const app = new Hono().route('/api/uploads', first.routes);
  const inProcess: typeof fetch = (input, init) => Promise.resolve(app.fetch(new Request(input, init)));
  const result = await uploadAttachment(createContext({ baseUrl: 'http://localhost/api/', fetch: inProcess }), new Blob([gpsJpeg()]));
  await first.close();
  await db.close();

  db = await openPglite(dbDir);
  try {
    await migrate(db); // applied once: safe to run again
    const again = createUploadRoutes({ sql: db, dataDir: files, clock, sealer });
    assert.deepEqual(await again.attachments.get(result.attachmentId), result);
    const stored = await storedBytes(again, result.attachmentId);
    assert.equal(sha256(stored), result.sha256);
    assert.ok(!hasBytes(stored, 'SecretPhoneMaker'), 'stripped copy kept');
  } finally {
    await db.close();
  }
});
