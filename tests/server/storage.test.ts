/**
 * The storage suite, run against both backends: PGlite in a data directory (the default) and a real PostgreSQL
 * (the throwaway cluster scripts/test.mjs starts; AQJB_TEST_DATABASE_URL). Same SQL, same migrations.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { createClient, type ReportDraft } from '../../src/sdk/index.js';
import { lastSmsCode, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { anonymousDraft, realNameDraft } from '../support/drafts.js';
import { freshDatabase, skipWithoutPostgres, storageBackends, tempDirs } from '../support/fresh-database.js';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const tempDir = tempDirs('aqjb-storage-');
const backends = storageBackends(tempDir);

/** A mine's evaluation agency: its problem type carries items (七严禁), so they are stored and read back too. */
const MINE = {
  subject: { name: '某某矿业有限公司', address: '郑州市金水区' },
  industry: 'metal-nonmetal-mine',
  problemTypes: [{ code: 'evaluation-agency', items: ['qyj-3', 'qyj-7'] }],
  description: '安全评价报告照搬其他项目，评价人员从未到现场勘验。',
} satisfies Partial<ReportDraft>;
const draft = (ackToken: string, extra: Partial<ReportDraft> = {}) => anonymousDraft(ackToken, { ...MINE, ...extra });

for (const backend of backends) {
  describe(`storage on ${backend.name}`, { skip: backend.name === 'PostgreSQL' && skipWithoutPostgres }, () => {
    const dataKey = randomBytes(32);

    test('reports and attachments survive a restart', async () => {
      const where = await backend.open();
      let server = await startTestServer({ ...where, dataKey });
      let client = createClient({ baseUrl: server.url, retry: 0 });
      const attachment = await client.uploadAttachment(new Blob([Buffer.from(PNG_1x1, 'base64')], { type: 'image/png' }));
      const receipt = await client.submitReport(draft(await readNotice(server), { attachmentIds: [attachment.attachmentId] }), {
        idempotencyKey: crypto.randomUUID(),
      });
      await server.close();

      server = await startTestServer({ ...where, dataKey, clock: new ManualClock(server.clock.now()) });
      client = createClient({ baseUrl: server.url, retry: 0 });
      try {
        const progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
        assert.equal(progress.status, 'submitted');
        // The report holds its evidence under a new id: the upload's id (in proxy logs) is gone (#17.6).
        const { rows } = await server.sql.query<{ id: string; mime: string; size: string | number; sha256: string }>(
          'SELECT id, mime, size, sha256 FROM attachments WHERE report_id = $1',
          [receipt.reportCode],
        );
        assert.deepEqual(rows.map((r) => ({ mime: r.mime, size: Number(r.size), sha256: r.sha256 })), [
          { mime: attachment.mime, size: attachment.size, sha256: attachment.sha256 },
        ]);
        const stored = await buffer((await server.app.readEvidence(rows[0]!.id))!);
        assert.equal(createHash('sha256').update(stored).digest('hex'), attachment.sha256);
        assert.equal((await fetch(new URL(`uploads/${attachment.attachmentId}/result`, server.url))).status, 404);
      } finally {
        await server.close();
      }
    });

    test('reporter fields are not readable in the stored data', async () => {
      const where = await backend.open();
      const server = await startTestServer({ ...where, dataKey });
      const client = createClient({ baseUrl: server.url, retry: 0 });
      const name = `测试者${randomBytes(3).toString('hex')}`;
      const phone = `139${String(Date.now()).slice(-8)}`;
      const idNumber = '11010519491231002X';
      const ackToken = await readNotice(server);
      await client.sendSmsCode({ phone, ackToken });
      const smsCode = await lastSmsCode(server.url, phone);
      const receipt = await client.submitReport(
        realNameDraft(ackToken, { name, phone, smsCode, idNumber }, MINE),
        { idempotencyKey: crypto.randomUUID() },
      );
      const rows = await server.sql.query('SELECT * FROM reports');
      const everything = JSON.stringify(rows.rows) + JSON.stringify((await server.sql.query('SELECT * FROM idempotency_keys')).rows);
      for (const secret of [name, phone, idNumber, receipt.queryKey]) assert.ok(!everything.includes(secret), `${secret} in clear`);
      await server.close();
      if (backend.name === 'PGlite') {
        const needles = [name, phone, idNumber, receipt.queryKey].map((s) => Buffer.from(s, 'utf8'));
        for (const file of walk(where.dataDir)) {
          const bytes = readFileSync(file);
          for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${path.relative(where.dataDir, file)} holds a reporter field`);
        }
      }
    });
  });
}

describe('several instances on one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  let a: TestServer;
  let b: TestServer;
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test('notice receipts and idempotency keys hold across instances', async () => {
    const databaseUrl = await freshDatabase();
    const clock = new ManualClock();
    const dataKey = randomBytes(32);
    const dataDir = tempDir();
    [a, b] = await Promise.all([
      startTestServer({ databaseUrl, dataDir, dataKey, clock }),
      startTestServer({ databaseUrl, dataDir, dataKey, clock }),
    ]);
    const ca = createClient({ baseUrl: a.url, retry: 0 });
    const cb = createClient({ baseUrl: b.url, retry: 0 });
    const receipt = await ca.startNoticeReceipt();
    clock.advance(15_000);
    // The receipt itself, not only its id: cb has not seen its proof-of-work (#17.2).
    const { ackToken } = await cb.confirmNoticeReceipt(receipt);
    const key = crypto.randomUUID();
    const receipts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? ca : cb).submitReport(draft(ackToken), { idempotencyKey: key })),
    );
    assert.equal(new Set(receipts.map((r) => r.reportCode)).size, 1);
    const { rows } = await a.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    assert.equal(rows[0]!.n, 1);
    assert.equal((await cb.getProgress(receipts[0]!.reportCode, receipts[0]!.queryKey)).status, 'submitted');
  });
});

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}
