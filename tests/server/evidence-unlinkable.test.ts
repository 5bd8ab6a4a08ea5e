/**
 * #17.6, evidence: an upload's id travels in URLs (`PATCH /uploads/<id>`, `HEAD`, `GET …/result`), so a proxy's
 * access log holds it beside the client address, and the server's `upload.*` lines beside an exact time. Once a
 * report or supplement takes the attachment, that id must be nowhere the report can be reached from: not in any
 * table, not in any file name or file under the data folder. The evidence stays readable under its new id, and the
 * attachment keeps only the Beijing date. Run on PGlite and, when AQJB_TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import { createClient, isAqjbError, type AqjbClient } from '../../src/sdk/index.js';
import { stripMetadata } from '../../src/sdk/media/strip.js';
import { createSealer } from '../../src/server/crypto.js';
import { migrate } from '../../src/server/db/migrate.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { openPglite } from '../../src/server/db/pglite.js';
import { createAttachmentStore, fileKeyContext } from '../../src/server/uploads/repo.js';
import { newFileKey, readSealedFile, writeSealedFile } from '../../src/server/uploads/cipher.js';
import * as fixtures from '../support/media-fixtures.js';
import { anonymousDraft, devAction, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';

const DAY_MS = 86_400_000;
const isStartOfBeijingDay = (at: Date | string) => (new Date(at).getTime() + 8 * 3_600_000) % DAY_MS === 0;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
// A 1×1 PNG with a text chunk the server strips.
const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PNG = (() => {
  const text = Buffer.from('Author\0Zhang San 13800000000', 'latin1');
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  text.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
  return Uint8Array.from(Buffer.concat([PNG_1x1.subarray(0, 33), chunk, PNG_1x1.subarray(33)]));
})();

const backends = [
  { name: 'PGlite', databaseUrl: async () => undefined },
  { name: 'PostgreSQL', databaseUrl: freshDatabase },
];

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(file);
    else yield file;
  }
}

for (const backend of backends) {
  describe(`evidence unlinkable from its upload on ${backend.name}`, { skip: backend.name === 'PostgreSQL' && skipWithoutPostgres }, () => {
    let server: TestServer;
    let client: AqjbClient;
    const dataKey = randomBytes(32);

    before(async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aqjb-unlinkable-'));
      // 10:00:00 in Beijing; every request below lands on an odd millisecond.
      const clock = new ManualClock('2026-03-02T02:00:00.000Z');
      server = await startTestServer({ clock, dataKey, dataDir, databaseUrl: await backend.databaseUrl(), memory: backend.name === 'PGlite' });
      client = createClient({ baseUrl: server.url, retry: 0 });
    });
    after(() => server.close());

    /** A tus upload, as any tus client makes it; returns the id from `Location` and the server's answer. */
    async function tusUpload(bytes: Uint8Array, filetype: string) {
      const tus = (url: string | URL, method: string, headers: Record<string, string> = {}, body?: Uint8Array) =>
        fetch(url, { method, headers: { 'Tus-Resumable': '1.0.0', ...headers }, body: body as Uint8Array<ArrayBuffer> | undefined });
      const created = await tus(new URL('uploads', server.url), 'POST', {
        'Upload-Length': String(bytes.length),
        'Upload-Metadata': `filetype ${Buffer.from(filetype).toString('base64')}`,
      });
      assert.equal(created.status, 201);
      const location = created.headers.get('Location')!;
      const id = location.split('/').pop()!;
      server.clock.advance(1_337);
      assert.equal((await tus(location, 'PATCH', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, bytes)).status, 204);
      server.clock.advance(2_419);
      const head = await tus(location, 'HEAD');
      assert.equal(head.headers.get('Upload-Offset'), String(bytes.length));
      const result = await fetch(`${location}/result`);
      assert.equal(result.status, 200);
      const attachment = (await result.json()) as { attachmentId: string; sha256: string; size: number };
      assert.equal(attachment.attachmentId, id, 'the client knows its attachment by the upload id');
      return { id, attachment };
    }

    const read = async (id: string) => {
      const stream = await server.app.readEvidence(id);
      assert.ok(stream, `evidence ${id} is readable`);
      return new Uint8Array(await buffer(stream));
    };

    /** Where `needle` occurs: every text and JSON column of every table, every file name and file under the data folder. */
    async function whereIs(needle: string): Promise<string[]> {
      const found: string[] = [];
      const { rows: columns } = await server.sql.query<{ table_name: string; column_name: string }>(
        `SELECT c.table_name, c.column_name FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
      );
      assert.ok(columns.some((c) => c.table_name === 'attachments' && c.column_name === 'id'), 'the scan reaches attachments.id');
      assert.ok(columns.some((c) => c.table_name === 'supplements' && c.column_name === 'attachment_ids'), '… and supplements.attachment_ids');
      for (const { table_name: table, column_name: column } of columns) {
        const { rows } = await server.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`,
          [needle],
        );
        if (rows[0]!.n > 0) found.push(`${table}.${column}`);
      }
      for (const file of filesUnder(server.dataDir)) {
        const name = path.relative(server.dataDir, file);
        if (name.includes(needle)) found.push(`file name ${name}`);
        if (fs.readFileSync(file).includes(needle)) found.push(`contents of ${name}`);
      }
      return found;
    }

    test("once a report and a supplement take their evidence, the upload ids are nowhere; the evidence reads under new ids", async () => {
      const photo = await tusUpload(PNG, 'image/png');
      const video = await tusUpload(fixtures.mp4(), 'video/mp4');
      // Before: the upload id is what the row and the stored state are found by (so the scan below can find it).
      assert.notDeepEqual(await whereIs(photo.id), [], 'an unlinked upload keeps its id');
      const videoBefore = await read(video.id);

      const ackToken = await readNotice(server, client);
      server.clock.advance(61_237);
      const receipt = await client.submitReport(anonymousDraft(ackToken, { attachmentIds: [photo.id] }), { idempotencyKey: crypto.randomUUID() });
      server.clock.advance(300_013);
      assert.equal((await devAction(server.url, receipt.reportCode, { action: 'accept' })).status, 200);
      assert.equal((await devAction(server.url, receipt.reportCode, { action: 'request-supplement', request: '请补充视频。' })).status, 200);
      server.clock.advance(3_600_777);
      await client.addSupplement(receipt.reportCode, receipt.queryKey, { text: '视频见附件。', attachmentIds: [video.id] });

      assert.deepEqual(await whereIs(photo.id), [], "the report's upload id");
      assert.deepEqual(await whereIs(video.id), [], "the supplement's upload id");

      const { rows } = await server.sql.query<{
        id: string; supplement_id: string | null; created_at: Date; finished_at: Date; linked_at: Date; upload_length: string | null;
      }>('SELECT id, supplement_id, created_at, finished_at, linked_at, upload_length FROM attachments WHERE report_id = $1 ORDER BY supplement_id NULLS FIRST', [
        receipt.reportCode,
      ]);
      assert.equal(rows.length, 2);
      const [ofReport, ofSupplement] = rows as [(typeof rows)[0], (typeof rows)[0]];
      for (const row of rows) {
        assert.match(row.id, /^[A-Za-z0-9_-]{22}$/);
        for (const column of ['created_at', 'finished_at', 'linked_at'] as const) {
          assert.ok(isStartOfBeijingDay(row[column]), `${column} ${new Date(row[column]).toISOString()} is a date only`);
        }
        assert.equal(row.upload_length, null, 'the bytes sent (a proxy may log them) are not kept');
      }
      assert.equal(ofReport.supplement_id, null);
      const { rows: supplements } = await server.sql.query<{ id: string; attachment_ids: string[] }>(
        'SELECT id, attachment_ids FROM supplements WHERE report_code = $1',
        [receipt.reportCode],
      );
      assert.equal(ofSupplement.supplement_id, supplements[0]!.id);
      assert.deepEqual(supplements[0]!.attachment_ids, [ofSupplement.id], 'the supplement lists the new id');

      // Readable under the new ids: the stored (stripped) bytes, as uploaded.
      const photoNow = await read(ofReport.id);
      assert.deepEqual(photoNow, stripMetadata(PNG, 'image/png'));
      assert.ok(!Buffer.from(photoNow).includes('Zhang San'));
      assert.equal(sha256(photoNow), photo.attachment.sha256);
      const videoNow = await read(ofSupplement.id);
      assert.deepEqual(videoNow, videoBefore);
      assert.equal(sha256(videoNow), video.attachment.sha256);
      assert.ok(!Buffer.from(videoNow).includes(fixtures.LOCATION), 'the location was stripped at upload');
      assert.equal(await server.app.readEvidence(photo.id), undefined, 'nothing answers to the upload id');

      const progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
      const received = progress.events.find((e) => e.type === 'supplement-received') as { attachmentCount?: number } | undefined;
      assert.equal(received?.attachmentCount, 1);

      // The upload ids are unknown now: to uploads' routes, and to a second report or supplement naming them.
      assert.equal((await fetch(new URL(`uploads/${photo.id}/result`, server.url))).status, 404);
      const again = await client
        .submitReport(anonymousDraft(await readNotice(server, client), { attachmentIds: [photo.id] }), { idempotencyKey: crypto.randomUUID() })
        .then(() => assert.fail('a second report took the evidence'), (e: unknown) => e);
      assert.ok(isAqjbError(again) && again.code === 'VALIDATION_FAILED', String(again));
      assert.ok(
        (again as { fields?: { path: string; code: string }[] }).fields?.some((f) => f.path === 'attachmentIds' && f.code === 'attachments.unknown'),
        JSON.stringify(again),
      );
    });

    test("the day after linking, cleanup gives each linked file a new name and day-only times; an earlier version's linked row gets a new id", async () => {
      const photo = await tusUpload(PNG, 'image/png');
      const receipt = await client.submitReport(anonymousDraft(await readNotice(server, client), { attachmentIds: [photo.id] }), {
        idempotencyKey: crypto.randomUUID(),
      });
      const ready = path.join(server.dataDir, 'uploads', 'ready');
      const fileOf = async (id: string) =>
        (await server.sql.query<{ file: string | null }>('SELECT file FROM attachments WHERE id = $1', [id])).rows[0]?.file;
      const { rows } = await server.sql.query<{ id: string; linked_at: Date }>('SELECT id, linked_at FROM attachments WHERE report_id = $1', [receipt.reportCode]);
      const { id, linked_at: linkedAt } = rows[0]!;
      const before = (await fileOf(id))!;
      assert.ok(fs.existsSync(path.join(ready, before)));

      // As an earlier version left it: linked to a report under its upload id, its file named by that id, in a supplement.
      const legacyId = randomBytes(16).toString('base64url');
      const legacyBytes = stripMetadata(PNG, 'image/png');
      const key = newFileKey();
      await writeSealedFile(path.join(ready, legacyId), key, [legacyBytes]);
      await server.sql.query(
        `INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, report_id, supplement_id, linked_at, file_key_enc)
         VALUES ($1, 'ready', 'image/png', $2, $3, $2, $4, $4, $5, 'S-LEGACY', $6, $7)`,
        [legacyId, legacyBytes.length, sha256(legacyBytes), new Date(server.clock.now() - 7_777).toISOString(), receipt.reportCode, linkedAt,
          createSealer(dataKey).seal(key.toString('base64'), fileKeyContext(legacyId))],
      );
      await server.sql.query(`INSERT INTO supplements (id, report_code, text, attachment_ids, received_at) VALUES ('S-LEGACY', $1, 't', $2, $3)`, [
        receipt.reportCode, JSON.stringify([legacyId]), linkedAt,
      ]);

      await server.app.maintain();
      assert.equal(await fileOf(id), before, 'not on the day of linking');

      // A reader that looked the file up before the rename, and opens it after, follows it.
      const lookedUp = await server.app.readEvidence(id);
      server.clock.advance(DAY_MS);
      await server.app.maintain();
      assert.deepEqual(new Uint8Array(await buffer(lookedUp!)), stripMetadata(PNG, 'image/png'));
      const after = (await fileOf(id))!;
      assert.notEqual(after, before, 'renamed');
      assert.ok(!fs.existsSync(path.join(ready, before)), 'the old name is gone');
      const stat = fs.statSync(path.join(ready, after));
      assert.equal(stat.mtimeMs, new Date(linkedAt).getTime(), 'mtime: the linking date only');
      assert.equal(stat.mode & 0o777, 0o600);
      assert.deepEqual(await read(id), stripMetadata(PNG, 'image/png'));

      assert.deepEqual(await whereIs(legacyId), [], "the earlier version's upload id");
      const { rows: renewed } = await server.sql.query<{ id: string; file: string }>(`SELECT id, file FROM attachments WHERE supplement_id = 'S-LEGACY'`);
      assert.equal(renewed.length, 1);
      assert.deepEqual(await read(renewed[0]!.id), legacyBytes);
      const { rows: listed } = await server.sql.query<{ attachment_ids: string[] }>(`SELECT attachment_ids FROM supplements WHERE id = 'S-LEGACY'`);
      assert.deepEqual(listed[0]!.attachment_ids, [renewed[0]!.id]);
      // Every file in the ready folder is a row's.
      const { rows: named } = await server.sql.query<{ file: string }>(`SELECT coalesce(file, id) AS file FROM attachments WHERE status = 'ready'`);
      const names = new Set(named.map((r) => r.file));
      assert.deepEqual(fs.readdirSync(ready).filter((f) => !names.has(f)), []);

      // A crash between the rename's steps leaves a second name (the new one before the row moved, or the old one
      // after): the stray sweep removes it, and the row's file stays readable.
      const stray = path.join(ready, randomBytes(16).toString('base64url'));
      fs.linkSync(path.join(ready, after), stray);
      const repo = createAttachmentStore(server.sql, server.clock, ready, createSealer(dataKey), readSealedFile);
      assert.equal(await repo.removeStrayFiles(3_600_000), 0, 'not while it is fresh');
      assert.equal(await repo.removeStrayFiles(0), 1);
      assert.ok(!fs.existsSync(stray));
      assert.deepEqual(await read(id), stripMetadata(PNG, 'image/png'));
      assert.deepEqual(fs.readdirSync(ready).filter((f) => !names.has(f)), []);
    });
  });
}

test('upgrading keeps only the date of evidence earlier versions linked, and drops the bytes sent', async () => {
  const sql = await openPglite();
  try {
    await sql.query('CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL)');
    for (const { id, sql: script } of migrations.filter((m) => m.id < '010')) {
      await sql.exec(script);
      await sql.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, now())', [id]);
    }
    const exact = '2026-03-02T15:59:59.237Z'; // 23:59:59 in Beijing
    await sql.query(
      `INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, report_id, linked_at)
       VALUES ('LINKED', 'ready', 'image/png', 1, 'x', 9, $1, $1, 'R', '2026-03-02T16:00:00.000Z'),
              ('OPEN', 'ready', 'image/png', 1, 'x', 9, $1, $1, NULL, NULL)`,
      [exact],
    );
    await migrate(sql);
    const { rows } = await sql.query<{ id: string; created_at: Date; finished_at: Date; upload_length: string | null; file: string | null }>(
      'SELECT id, created_at, finished_at, upload_length, file FROM attachments ORDER BY id',
    );
    const at = (d: Date) => new Date(d).toISOString();
    assert.deepEqual(
      rows.map((r) => [r.id, at(r.created_at), at(r.finished_at), r.upload_length === null ? null : Number(r.upload_length), r.file]),
      [
        ['LINKED', '2026-03-01T16:00:00.000Z', '2026-03-01T16:00:00.000Z', null, null],
        ['OPEN', exact, exact, 9, null], // not yet any report's: the exact times decide when it is an orphan
      ],
    );
  } finally {
    await sql.close();
  }
});
