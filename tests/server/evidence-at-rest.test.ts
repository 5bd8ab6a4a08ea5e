/**
 * Evidence at rest (#17.6): the bytes of a finished upload and of one still uploading are encrypted on disk, files
 * and folders are the owner's only, and the server reads the evidence back through the key sealed into its row.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { markedJpeg } from '../support/media-fixtures.js';
import { walkFiles } from '../support/files.js';
import { buffer } from 'node:stream/consumers';
import { createClient } from '../../src/sdk/index.js';
import { stripMetadata } from '../../src/sdk/media/strip.js';
import { startTestServer, type TestServer } from '../support/reference-server.js';

const MARKER = 'EVIDENCE-MARKER-塔吊螺栓松动';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');


let server: TestServer;
const tus = (url: string | URL, method: string, headers: Record<string, string> = {}, body?: Uint8Array<ArrayBuffer>) =>
  fetch(url, { method, headers: { 'Tus-Resumable': '1.0.0', ...headers }, body });
const readEvidence = async (id: string) => buffer((await server.app.readEvidence(id))!);
/** A finished attachment's file: named at random, never by the upload id (#17.6), so its row says which. */
const storedFile = async (id: string) => {
  const { rows } = await server.sql.query<{ file: string }>('SELECT coalesce(file, id) AS file FROM attachments WHERE id = $1', [id]);
  return path.join(server.dataDir, 'uploads', 'ready', rows[0]!.file);
};

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('finished and unfinished evidence hold no plaintext on disk; files 0600, folders 0700', async () => {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const original = markedJpeg(MARKER, 300 * 1024, { make: 'SecretPhoneMaker' });
  // Chunks that are not a multiple of 16 bytes: each PATCH is encrypted from the middle of a cipher block.
  const done = await client.uploadAttachment(new Blob([original], { type: 'image/jpeg' }), { chunkSize: 65_543 });

  // One still uploading: created, half sent.
  const partialBytes = markedJpeg(MARKER, 200 * 1024, { make: 'SecretPhoneMaker' });
  const created = await tus(new URL('uploads', server.url), 'POST', { 'Upload-Length': String(partialBytes.length) });
  assert.equal(created.status, 201);
  const url = created.headers.get('Location')!;
  const half = partialBytes.subarray(0, 100_003);
  const patched = await tus(url, 'PATCH', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, half);
  assert.equal(patched.status, 204);
  assert.equal((await tus(url, 'HEAD')).headers.get('Upload-Offset'), String(half.length), 'offsets stay byte-exact');

  const uploads = path.join(server.dataDir, 'uploads');
  const entries = [...walkFiles(uploads, { dirs: true })].map((file) => ({ file, isDir: fs.statSync(file).isDirectory() }));
  const files = entries.filter((e) => !e.isDir).map((e) => e.file);
  assert.ok(files.includes(await storedFile(done.attachmentId)), 'the finished file is there');
  assert.ok(files.some((f) => f.endsWith('.json')), "tus's state file is there");
  assert.ok(files.some((f) => fs.statSync(f).size === half.length), 'the partial file is there');
  for (const { file, isDir } of [{ file: uploads, isDir: true }, ...entries]) {
    const mode = fs.statSync(file).mode & 0o777;
    assert.equal(mode, isDir ? 0o700 : 0o600, `${path.relative(uploads, file)} is ${mode.toString(8)}`);
    if (isDir) continue;
    const bytes = fs.readFileSync(file);
    for (const needle of ['EVIDENCE-MARKER', 'SecretPhoneMaker', 'JFIF']) {
      assert.equal(bytes.indexOf(needle), -1, `${path.relative(uploads, file)} holds "${needle}" in clear`);
    }
  }

  // The server reads back exactly the stored (stripped) bytes.
  const stored = await readEvidence(done.attachmentId);
  assert.deepEqual(new Uint8Array(stored), stripMetadata(original, 'image/jpeg'));
  assert.equal(sha256(stored), done.sha256);
  assert.equal(stored.length, done.size);
  assert.ok(stored.includes(MARKER) && !stored.includes('SecretPhoneMaker'));
});

test('a file key copied to another row does not open, and an altered file does not read', async () => {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const a = await client.uploadAttachment(new Blob([markedJpeg(MARKER, 1000, { make: 'SecretPhoneMaker' })]));
  const b = await client.uploadAttachment(new Blob([markedJpeg(MARKER, 2000, { make: 'SecretPhoneMaker' })]));
  const keyOf = async (id: string) =>
    (await server.sql.query<{ file_key_enc: string }>('SELECT file_key_enc FROM attachments WHERE id = $1', [id])).rows[0]!.file_key_enc;
  const keyB = await keyOf(b.attachmentId);
  assert.match(keyB, /^v\d\./, 'the file key is sealed under the data key');

  // A's sealed key in B's row: bound to A's row, it does not open for B.
  await server.sql.query('UPDATE attachments SET file_key_enc = $2 WHERE id = $1', [b.attachmentId, await keyOf(a.attachmentId)]);
  await assert.rejects(readEvidence(b.attachmentId), (e: Error) => e.name === 'SealedValueError');
  await server.sql.query('UPDATE attachments SET file_key_enc = $2 WHERE id = $1', [b.attachmentId, keyB]);
  assert.equal(sha256(await readEvidence(b.attachmentId)), b.sha256);

  // A's file in B's place, or B's file with one byte changed: refused, never returned.
  const [fileA, fileB] = [await storedFile(a.attachmentId), await storedFile(b.attachmentId)];
  // Without --cipher, as before #19.4: chunked AES-256-GCM, named by its header.
  assert.equal(fs.readFileSync(fileB).subarray(0, 8).toString('latin1'), 'AQJB-EV1');
  const original = fs.readFileSync(fileB);
  try {
    fs.copyFileSync(fileA, fileB);
    await assert.rejects(readEvidence(b.attachmentId), (e: Error) => e.name === 'EvidenceIntegrityError');
    const altered = Buffer.from(original);
    altered[altered.length - 20]! ^= 1;
    fs.writeFileSync(fileB, altered);
    await assert.rejects(readEvidence(b.attachmentId), (e: Error) => e.name === 'EvidenceIntegrityError');
    fs.writeFileSync(fileB, original.subarray(0, original.length - 17)); // cut off
    await assert.rejects(readEvidence(b.attachmentId), (e: Error) => e.name === 'EvidenceIntegrityError');
  } finally {
    fs.writeFileSync(fileB, original);
  }
  assert.equal(sha256(await readEvidence(b.attachmentId)), b.sha256);
});

test('evidence stored before encryption is sealed by the next cleanup, and reads the same', async () => {
  // As an older server left it: a plain file, a row without a file key.
  const id = 'LegacyPlainEvidence000';
  const plain = markedJpeg(MARKER, 70 * 1024, { make: 'SecretPhoneMaker' });
  const file = path.join(server.dataDir, 'uploads', 'ready', id);
  fs.writeFileSync(file, plain, { mode: 0o600 });
  const at = new Date(server.clock.now()).toISOString();
  await server.sql.query(
    `INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, report_id)
     VALUES ($1, 'ready', 'image/jpeg', $2, $3, $2, $4, $4, 'R-LEGACY')`,
    [id, plain.length, sha256(plain), at],
  );
  assert.deepEqual(new Uint8Array(await readEvidence(id)), plain, 'readable before the sweep');

  await server.app.maintain();
  const onDisk = fs.readFileSync(file);
  assert.equal(onDisk.indexOf('EVIDENCE-MARKER'), -1, 'no longer plain');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(new Uint8Array(await readEvidence(id)), plain, 'the same bytes after');
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp')), [], 'no copy left behind');
});
