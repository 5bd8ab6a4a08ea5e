/**
 * `--cipher sm4` (#19.4): reporter fields, file keys and evidence sealed with SM4 and HMAC-SM3, lookups hashed with
 * HMAC-SM3; the cipher recorded per value and per file, so AES and SM4 live side by side and `aqjb rotate-key` moves a
 * database (values and evidence files) from one to the other, surviving a stop halfway. Node's SM4 and SM3 are
 * checked against the published vectors of GB/T 32907 and GB/T 32905 first, so the rest stands on the standard.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { markedJpeg } from '../support/media-fixtures.js';
import { walkFiles } from '../support/files.js';
import { buffer } from 'node:stream/consumers';
import { createClient } from '../../src/sdk/index.js';
import { stripMetadata } from '../../src/sdk/media/strip.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { openDatabase } from '../../src/server/db/open.js';
import type { Sql } from '../../src/server/db/sql.js';
import { createSealer, sealedAt, SealedValueError, type DataKey } from '../../src/server/crypto.js';
import { openSealer, SEALED_COLUMNS } from '../../src/server/keys.js';
import { rekey } from '../../src/server/rekey.js';
import { run as aqjb } from '../../src/server/cli/main.js';
import { lastSmsCode, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { realNameDraft } from '../support/drafts.js';
import { ManualClock } from '../support/manual-clock.js';
import { skipWithoutPostgres, storageBackends, tempDirs } from '../support/fresh-database.js';

const tempDir = tempDirs('aqjb-sm4-');
const hex = (s: string) => Buffer.from(s, 'hex');

describe('Node implements the national standards', () => {
  test('SM4 gives the GB/T 32907-2016 appendix A results (one block, and a million rounds)', () => {
    const key = hex('0123456789abcdeffedcba9876543210');
    const ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    assert.equal(ecb.update(key).toString('hex'), '681edf34d206965e86b3e94f536e4246');
    let block = key;
    const rounds = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    for (let i = 0; i < 1_000_000; i++) block = rounds.update(block);
    assert.equal(block.toString('hex'), '595298c7c6fd271f0402f804c33d3f66');
  });

  test('SM3 gives the GB/T 32905-2016 appendix A digests', () => {
    assert.equal(createHash('sm3').update('abc').digest('hex'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    assert.equal(
      createHash('sm3').update('abcd'.repeat(16)).digest('hex'),
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  test('sm4-ctr is counter mode over that block cipher (GB/T 17964), and HMAC-SM3 is HMAC (GB/T 15852.2) over SM3', () => {
    const key = randomBytes(16);
    const iv = Buffer.concat([randomBytes(8), hex('fffffffffffffffe')]); // the counter carries past the low 64 bits
    const plain = randomBytes(16 * 5 + 7);
    const ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const stream: Buffer[] = [];
    for (let i = 0n; i < 6n; i++) {
      const counter = (BigInt(`0x${iv.toString('hex')}`) + i) % (1n << 128n);
      stream.push(ecb.update(hex(counter.toString(16).padStart(32, '0'))));
    }
    const expected = Buffer.from(plain.map((b, i) => b ^ Buffer.concat(stream)[i]!));
    assert.deepEqual(createCipheriv('sm4-ctr', key, iv).update(plain), expected);

    const macKey = randomBytes(32);
    const message = randomBytes(100);
    const pad = (byte: number) => Buffer.concat([macKey, Buffer.alloc(32)]).map((b) => b ^ byte); // SM3 block: 64 bytes
    const inner = createHash('sm3').update(pad(0x36)).update(message).digest();
    const outer = createHash('sm3').update(pad(0x5c)).update(inner).digest('hex');
    assert.equal(createHmac('sm3', macKey).update(message).digest('hex'), outer);
  });
});

const MARKER = 'SM4-PHOTO-MARKER-脚手架未设连墙件';


/** Files a real-name report with one photo as a citizen does (SMS code from the dev outbox); returns its code. */
async function fileWithPhoto(server: TestServer, name: string, phone: string, photo: Uint8Array<ArrayBuffer>) {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const upload = await client.uploadAttachment(new Blob([photo], { type: 'image/jpeg' }), { chunkSize: 65_543 });
  const ackToken = await readNotice(server, client);
  await client.sendSmsCode({ phone, ackToken });
  const smsCode = await lastSmsCode(server.url, phone);
  const receipt = await client.submitReport(realNameDraft(ackToken, { name, phone, smsCode }, { attachmentIds: [upload.attachmentId] }), {
    idempotencyKey: crypto.randomUUID(),
  });
  return { code: receipt.reportCode, sha256: upload.sha256 };
}

/** The staff read of a report's reporter: status and name (handler token of the province). */
async function reporterOf(server: TestServer, code: string) {
  const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 国密测试' });
  const response = await fetch(new URL(`staff/reports/${code}`, server.url), { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, name: response.ok ? (JSON.parse(text) as { reporter?: { name: string } }).reporter?.name : undefined };
}

/** Every sealed value with its context, and the head of every sealed column's format. */
async function sealedValues(sql: Sql) {
  const out: { v: string; context: string }[] = [];
  for (const { table, column, key } of SEALED_COLUMNS) {
    const { rows } = await sql.query<Record<string, string>>(
      `SELECT ${key.map((k, i) => `${k}::text AS k${i}`).join(', ')}, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`,
    );
    for (const row of rows) out.push({ v: row.v!, context: sealedAt(table, column, ...key.map((_, i) => row[`k${i}`]!)) });
  }
  return out;
}

const formatOf = (v: string) => (v.startsWith('v2.') ? 'aes' : /^v3\.[A-Za-z0-9_-]+\.sm4\./.test(v) ? 'sm4' : v.slice(0, 3));
const headerOf = (file: string) => fs.readFileSync(file).subarray(0, 8).toString('latin1');

/** The evidence of every finished attachment, read back through the server, by attachment id. */
async function allEvidence(server: TestServer) {
  const { rows } = await server.sql.query<{ id: string }>(`SELECT id FROM attachments WHERE status = 'ready' ORDER BY id`);
  const out = new Map<string, string>();
  for (const { id } of rows) out.set(id, createHash('sha256').update(await buffer((await server.app.readEvidence(id))!)).digest('hex'));
  return out;
}

for (const backend of storageBackends(tempDir)) {
  describe(`--cipher sm4 on ${backend.name}`, { skip: backend.name === 'PostgreSQL' && skipWithoutPostgres }, () => {
    test('a real-name report with a photo leaves no name, phone or photo byte in clear; every value and file is SM4', async () => {
      const where = await backend.open();
      const { dataDir } = where;
      const dataKey = randomBytes(32);
      const name = `国密测试者${randomBytes(3).toString('hex')}`;
      const phone = `139${String(Date.now()).slice(-8)}`;
      const photo = markedJpeg(MARKER, 150 * 1024);
      const server = await startTestServer({ ...where, dataKey, cipher: 'sm4' });
      let code: string;
      try {
        const filed = await fileWithPhoto(server, name, phone, photo);
        code = filed.code;
        const values = await sealedValues(server.sql);
        assert.ok(values.some((s) => s.context.startsWith('reports.reporter_enc:')) && values.some((s) => s.context.startsWith('attachments.')));
        assert.deepEqual([...new Set(values.map((s) => formatOf(s.v)))], ['sm4']);
        const { rows: checks } = await server.sql.query<{ check_enc: string }>('SELECT check_enc FROM data_keys');
        assert.deepEqual(checks.map((r) => formatOf(r.check_enc)), ['sm4']);
        // The file key says SM4 too, and the finished file's header names SM4.
        const sealer = createSealer(dataKey, { cipher: 'sm4' });
        const attachment = values.find((s) => s.context.startsWith('attachments.'))!;
        assert.match(sealer.open(attachment.v, attachment.context), /^sm4:/);
        const ready = [...walkFiles(path.join(dataDir, 'uploads', 'ready'))];
        assert.equal(ready.length, 1);
        assert.equal(headerOf(ready[0]!), 'AQJB-SM1');
        // The phone's lookup hash is HMAC-SM3 under the SM4 lookup subkey (crypto.ts), not HMAC-SHA256.
        const lookupKey = createHmac('sm3', dataKey).update('aqjb:sm4:lookup:v1').digest();
        const { rows: sms } = await server.sql.query<{ phone_hash: string }>('SELECT phone_hash FROM sms_codes');
        assert.deepEqual(sms.map((r) => r.phone_hash), [createHmac('sm3', lookupKey).update(`phone:${phone}`).digest('hex')]);
        // Client addresses too: HMAC-SM3 under the day's salt and the SM3-derived pepper (rate-limit.ts).
        const { rows: salts } = await server.sql.query<{ salt: string }>('SELECT salt FROM rate_limit_salts');
        const pepper = createHmac('sm3', lookupKey).update('aqjb:rate-limit-pepper').digest('hex');
        const dayKey = createHmac('sm3', Buffer.from(salts[0]!.salt, 'base64')).update(pepper).digest();
        const client = createHmac('sm3', dayKey).update('client:127.0.0.1').digest('base64url');
        const { rows: buckets } = await server.sql.query<{ bucket: string }>('SELECT bucket FROM rate_limits');
        assert.ok(buckets.some((r) => r.bucket.endsWith(`:${client}`)), buckets.map((r) => r.bucket).join(' '));

        assert.deepEqual((await reporterOf(server, code)).name, name);
        const [id] = (await allEvidence(server)).keys();
        assert.deepEqual(new Uint8Array(await buffer((await server.app.readEvidence(id!))!)), stripMetadata(photo, 'image/jpeg'));
      } finally {
        await server.close();
      }

      // On disk (PGlite: the database's files and the uploads together; PostgreSQL: the uploads, and a dump of every
      // table): nothing in clear.
      const needles = [name, phone, MARKER.slice(0, 16), 'JFIF'].map((s) => Buffer.from(s, 'utf8'));
      let files = 0;
      for (const file of walkFiles(dataDir)) {
        const bytes = fs.readFileSync(file);
        files++;
        for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${path.relative(dataDir, file)} holds "${needle}" in clear`);
      }
      assert.ok(files > (where.databaseUrl ? 0 : 10), `${files} files searched`);
      if (where.databaseUrl) {
        const sql = await openDatabase(where);
        try {
          const { rows: tables } = await sql.query<{ t: string }>(
            `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()`,
          );
          let dump = '';
          for (const { t } of tables) dump += JSON.stringify((await sql.query(`SELECT * FROM ${t}`)).rows);
          assert.ok(dump.includes('v3.'), 'the dump holds the sealed values');
          for (const needle of needles) assert.ok(!dump.includes(needle.toString('utf8')), `the database holds "${needle}" in clear`);
        } finally {
          await sql.close();
        }
      }
    });

    test('an altered SM4 value is refused with 409, an altered or moved SM4 chunk does not read; never a 500', async () => {
      const dataKey = randomBytes(32);
      const server = await startTestServer({ ...(await backend.open()), dataKey, cipher: 'sm4' });
      try {
        const a = await fileWithPhoto(server, '李四', '13900000001', markedJpeg(MARKER, 150 * 1024));
        const b = await fileWithPhoto(server, '王五', '13900000002', markedJpeg(MARKER, 1000));
        const { rows } = await server.sql.query<{ code: string; reporter_enc: string }>('SELECT code, reporter_enc FROM reports');
        const sealed = rows.find((r) => r.code === a.code)!.reporter_enc;
        const raw = Buffer.from(sealed.split('.')[3]!, 'base64');
        // One bit in the ciphertext (CTR would flip one bit of the name: the tag must catch it), then in the tag.
        for (const at of [20, raw.length - 1]) {
          const bent = Buffer.from(raw);
          bent[at]! ^= 1;
          await server.sql.query('UPDATE reports SET reporter_enc = $2 WHERE code = $1', [a.code, `${sealed.split('.').slice(0, 3).join('.')}.${bent.toString('base64')}`]);
          const read = await reporterOf(server, a.code);
          assert.equal(read.status, 409, read.text);
          assert.equal((JSON.parse(read.text) as { error: { code: string } }).error.code, 'INTEGRITY_FAILED');
          assert.ok(!read.text.includes('李四'));
        }
        // Another report's SM4 value in this row: bound to its row, it does not open either.
        await server.sql.query('UPDATE reports SET reporter_enc = (SELECT reporter_enc FROM reports WHERE code = $1) WHERE code = $2', [b.code, a.code]);
        assert.equal((await reporterOf(server, a.code)).status, 409);
        assert.throws(() => createSealer(dataKey, { cipher: 'sm4' }).open(sealed, sealedAt('reports', 'reporter_enc', b.code)), SealedValueError);

        // Evidence: one bit of the second chunk, or the chunks of another file: refused before any byte is returned.
        const files = await server.sql.query<{ id: string; file: string; size: number }>(
          `SELECT id, file, size FROM attachments WHERE status = 'ready' ORDER BY size DESC`,
        );
        const [big, small] = files.rows.map((r) => ({ id: r.id, file: path.join(server.dataDir, 'uploads', 'ready', r.file) }));
        const original = fs.readFileSync(big!.file);
        const bent = Buffer.from(original);
        bent[8 + 64 * 1024 + 32 + 5]! ^= 1;
        fs.writeFileSync(big!.file, bent);
        await assert.rejects(buffer((await server.app.readEvidence(big!.id))!), (e: Error) => e.name === 'EvidenceIntegrityError');
        fs.writeFileSync(big!.file, original.subarray(0, original.length - 100)); // cut off
        await assert.rejects(buffer((await server.app.readEvidence(big!.id))!), (e: Error) => e.name === 'EvidenceIntegrityError');
        fs.writeFileSync(big!.file, fs.readFileSync(small!.file)); // another file in its place
        await assert.rejects(buffer((await server.app.readEvidence(big!.id))!), (e: Error) => e.name === 'EvidenceIntegrityError');
      } finally {
        await server.close();
      }
    });

    test('an upload begun under AES finishes after a restart with --cipher sm4 and still reads; the next rotation moves its file', async () => {
      const where = await backend.open();
      const dataKey = randomBytes(32);
      const photo = markedJpeg(MARKER, 200 * 1024);
      const tus = (url: string | URL, method: string, headers: Record<string, string> = {}, body?: Uint8Array<ArrayBuffer>) =>
        fetch(url, { method, headers: { 'Tus-Resumable': '1.0.0', ...headers }, body });
      let server = await startTestServer({ ...where, dataKey });
      const created = await tus(new URL('uploads', server.url), 'POST', { 'Upload-Length': String(photo.length) });
      const location = new URL(created.headers.get('Location')!, server.url).pathname;
      const half = photo.subarray(0, 100_003);
      assert.equal((await tus(new URL(location, server.url), 'PATCH', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, half)).status, 204);
      await server.close();

      // A rotation now re-seals the reservation's key but leaves the partial file's cipher, and says so.
      const readyDir = path.join(where.dataDir, 'uploads', 'ready');
      const sql = await openDatabase(where);
      try {
        const early = await rekey(sql, dataKey, { cipher: 'sm4', readyDir });
        assert.deepEqual({ files: early.files, filesRemaining: early.filesRemaining, remaining: early.remaining }, { files: 0, filesRemaining: 1, remaining: 0 });
        const { rows } = await sql.query<{ file_key_enc: string }>('SELECT file_key_enc FROM upload_reservations');
        assert.equal(formatOf(rows[0]!.file_key_enc), 'sm4');
      } finally {
        await sql.close();
      }

      server = await startTestServer({ ...where, dataKey, cipher: 'sm4', clock: new ManualClock() });
      try {
        const url = new URL(location, server.url);
        assert.equal((await tus(url, 'HEAD')).headers.get('Upload-Offset'), String(half.length));
        const rest = photo.subarray(half.length);
        assert.equal((await tus(url, 'PATCH', { 'Upload-Offset': String(half.length), 'Content-Type': 'application/offset+octet-stream' }, rest)).status, 204);
        // The last PATCH answers once the upload is finished: its partial read with the AES key it started with.
        const id = location.split('/').at(-1)!;
        assert.equal((await fetch(new URL(`uploads/${id}/result`, server.url))).status, 200);
        const stripped = stripMetadata(photo, 'image/jpeg');
        assert.deepEqual(new Uint8Array(await buffer((await server.app.readEvidence(id))!)), stripped);
        assert.deepEqual([...walkFiles(readyDir)].map(headerOf), ['AQJB-EV1'], 'finished under the key (and cipher) it began with');

        // The next rotation, while the server runs, moves the file; the server reads the new one.
        const later = await rekey(server.sql, dataKey, { cipher: 'sm4', readyDir });
        assert.deepEqual({ files: later.files, filesRemaining: later.filesRemaining }, { files: 1, filesRemaining: 0 });
        assert.deepEqual([...walkFiles(readyDir)].map(headerOf), ['AQJB-SM1']);
        assert.deepEqual(new Uint8Array(await buffer((await server.app.readEvidence(id))!)), stripped);
      } finally {
        await server.close();
      }
    });

    test('rotation AES → SM4 stopped halfway (twice) leaves every value and file readable; resumed, everything is SM4', async () => {
      const where = await backend.open();
      const key: DataKey = { kid: 'hn2026', key: randomBytes(32) };
      const names = ['张三', '李四', '王五', '赵六'];
      let server = await startTestServer({ ...where, dataKey: [key] });
      const codes: string[] = [];
      for (const [i, name] of names.entries()) codes.push((await fileWithPhoto(server, name, `1390000010${i}`, markedJpeg(MARKER, 1000 + i * 40_000))).code);
      const evidence = await allEvidence(server);
      assert.equal(evidence.size, names.length);
      await server.close();

      const readyDir = path.join(where.dataDir, 'uploads', 'ready');
      const check = async (cipher: 'aes' | 'sm4') => {
        const s = await startTestServer({ ...where, dataKey: [key], cipher, clock: new ManualClock() });
        try {
          for (const [i, code] of codes.entries()) assert.equal((await reporterOf(s, code)).name, names[i]);
          assert.deepEqual(await allEvidence(s), evidence);
        } finally {
          await s.close();
        }
      };
      const formats = async (sql: Sql) => {
        const values = await sealedValues(sql);
        const sealer = await openSealer(sql, [key]);
        for (const { v, context } of values) sealer.open(v, context); // throws if one does not open
        return {
          values: [...new Set(values.map((s) => formatOf(s.v)))].sort(),
          files: [...new Set([...walkFiles(readyDir)].map(headerOf))].sort(),
        };
      };

      let sql = await openDatabase(where);
      try {
        // Stopped after the first batch of values (power cut), then again after the first batch of files.
        let batches = 0;
        await assert.rejects(rekey(sql, [key], { cipher: 'sm4', readyDir, batchSize: 2, onBatch: () => {
          batches++;
          throw new Error('power cut');
        } }), /power cut/);
        assert.equal(batches, 1);
        assert.deepEqual(await formats(sql), { values: ['aes', 'sm4'], files: ['AQJB-EV1'] });
        await sql.close();
        await check('aes');
        await check('sm4');

        sql = await openDatabase(where);
        await assert.rejects(rekey(sql, [key], { cipher: 'sm4', readyDir, batchSize: 2, onBatch: (p) => {
          if (p.column === 'file') throw new Error('power cut');
        } }), /power cut/);
        assert.deepEqual(await formats(sql), { values: ['sm4'], files: ['AQJB-EV1', 'AQJB-SM1'] });
        await sql.close();
        await check('sm4');
        await check('aes');
      } finally {
        await sql.close().catch(() => undefined);
      }

      // Resumed as an operator does: `aqjb rotate-key`, the keyring and the cipher from the environment.
      const out: string[] = [];
      const sink = { write: (t: string) => out.push(t) };
      const env = { AQJB_DATA_KEYS: `${key.kid}:${Buffer.from(key.key).toString('base64')}`, AQJB_CIPHER: 'sm4' };
      const args = ['rotate-key', '--data-dir', where.dataDir, '--batch-size', '2', ...(where.databaseUrl ? ['--database-url', where.databaseUrl] : [])];
      assert.equal(await aqjb(args, { out: sink, err: sink, env }), 0, out.join(''));
      assert.match(out.join(''), /Everything is now under key "hn2026" and sm4/);

      sql = await openDatabase(where);
      try {
        assert.deepEqual(await formats(sql), { values: ['sm4'], files: ['AQJB-SM1'] });
        assert.equal([...walkFiles(readyDir)].length, names.length, 'no stray copies left');
        const { rows: checks } = await sql.query<{ check_enc: string }>('SELECT check_enc FROM data_keys');
        assert.deepEqual(checks.map((r) => formatOf(r.check_enc)), ['sm4'], 'not even the key check is left under AES');
        const again = await rekey(sql, [key], { cipher: 'sm4', readyDir });
        assert.deepEqual({ resealed: again.resealed, files: again.files, remaining: again.remaining + again.filesRemaining }, { resealed: 0, files: 0, remaining: 0 });
      } finally {
        await sql.close();
      }
      await check('sm4');
    });
  });
}
