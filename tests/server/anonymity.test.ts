/**
 * Finding #17.6: nothing stored or logged may tie an anonymous report to the request that filed it. Someone holding
 * the whole database, the server's log and a proxy's access log (which pairs each URL with a client address) must
 * learn no more than the report's Beijing date: that is all the rules need (the 3-working-day acceptance deadline
 * counts from the date of receipt).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, formatReportCode, type AqjbClient, type ReportReceipt } from '../../src/sdk/index.js';
import { jsonLogger } from '../../src/server/log.js';
import { openPglite } from '../../src/server/db/pglite.js';
import { migrate } from '../../src/server/db/migrate.js';
import { migrations } from '../../src/server/db/migrations/index.js';
import { anonymousDraft, devAction, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const isStartOfBeijingDay = (ms: number) => (ms + BEIJING_MS) % DAY_MS === 0;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
// A 1×1 PNG: evidence for the linking test.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let server: TestServer;
const logLines: string[] = [];
const requestUrls: string[] = [];
let client: AqjbClient;

before(async () => {
  // Monday 2026-03-02, 14:17:43 in Beijing; every request below lands on an odd millisecond.
  server = await startTestServer({ clock: new ManualClock('2026-03-02T06:17:43.000Z'), logger: jsonLogger((line) => logLines.push(line)) });
  const recording: typeof fetch = (input, init) => {
    requestUrls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  client = createClient({ baseUrl: server.url, retry: 0, fetch: recording });
});
after(() => server.close());

interface Flow {
  receipt: ReportReceipt;
  idempotencyKey: string;
  draft: ReturnType<typeof anonymousDraft>;
  /** The server clock at each of the citizen's own requests. */
  citizenAt: number[];
  /** … and at the handling authority's actions, which may keep their time. */
  staffAt: number[];
}

/** What a citizen does: reads the notice, files anonymously, looks it up, answers a supplement request. */
async function citizenFlow(attachmentIds: string[] = []): Promise<Flow> {
  const ackToken = await readNotice(server, client);
  server.clock.advance(61_237); // 14:18:59.237 Beijing at the first run
  const filedAt = server.clock.now();
  const idempotencyKey = crypto.randomUUID();
  const draft = anonymousDraft(ackToken, { attachmentIds });
  const receipt = await client.submitReport(draft, { idempotencyKey });
  server.clock.advance(3_600_000 + 4_321);
  const lookedUpAt = server.clock.now();
  await client.getProgress(receipt.reportCode, receipt.queryKey);
  server.clock.advance(300_013);
  const staffAt = server.clock.now();
  assert.equal((await devAction(server.url, receipt.reportCode, { action: 'accept' })).status, 200);
  assert.equal((await devAction(server.url, receipt.reportCode, { action: 'request-supplement', request: '请补充储罐区照片。' })).status, 200);
  server.clock.advance(2 * 3_600_000 + 777);
  const supplementedAt = server.clock.now();
  await client.addSupplement(receipt.reportCode, receipt.queryKey, { text: '照片见附件，报警器在 2 号罐旁。', attachmentIds: [] });
  await client.getProgress(receipt.reportCode, receipt.queryKey);
  return { receipt, idempotencyKey, draft, citizenAt: [filedAt, lookedUpAt, supplementedAt], staffAt: [staffAt] };
}

async function tables(): Promise<string[]> {
  const { rows } = await server.sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => r.table_name).sort();
}

/** Every time held anywhere in a row: timestamp columns, and ISO times inside text and JSON (sealed values aside). */
function timesIn(value: unknown): number[] {
  if (value === null || value === undefined) return [];
  if (value instanceof Date) return [value.getTime()];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [...text.matchAll(ISO_TIME)].map((m) => Date.parse(m[0])).filter((ms) => !Number.isNaN(ms));
}

test('an anonymous report keeps only its Beijing date, in every table, and never a request\'s millisecond', async () => {
  const flow = await citizenFlow();
  const { reportCode } = flow.receipt;
  const { rows: supplements } = await server.sql.query<{ id: string }>('SELECT id FROM supplements WHERE report_code = $1', [reportCode]);
  const ids = [reportCode, ...supplements.map((s) => s.id)];
  const found: string[] = [];
  for (const table of await tables()) {
    const { rows } = await server.sql.query<Record<string, unknown>>(`SELECT * FROM "${table}"`);
    for (const row of rows) {
      const ofReport = ids.some((id) => JSON.stringify(row).includes(id));
      for (const [column, value] of Object.entries(row)) {
        for (const ms of timesIn(value)) {
          const at = `${table}.${column} = ${new Date(ms).toISOString()}`;
          if (flow.citizenAt.includes(ms)) found.push(`${at} (a citizen's request, to the millisecond)`);
          // The authority's own steps (accepted, supplement requested) keep their time: no client address goes with them.
          else if (ofReport && !isStartOfBeijingDay(ms) && !flow.staffAt.includes(ms)) found.push(`${at} (finer than a day)`);
        }
        if (typeof value === 'string' && flow.citizenAt.some((ms) => value.includes(String(ms)))) {
          found.push(`${table}.${column} holds a request's epoch milliseconds`);
        }
      }
    }
  }
  assert.deepEqual(found, []);
  // The deadline still counts from the date: filed Monday 2026-03-02, acceptance due by Thursday 2026-03-05.
  assert.equal(flow.receipt.submittedAt, '2026-03-01T16:00:00.000Z');
  assert.equal(flow.receipt.acceptBy, '2026-03-05');
  // The stored receipt (sealed under the idempotency key) is the coarse one too: a retry is answered with it.
  const replayed = await client.submitReport(flow.draft, { idempotencyKey: flow.idempotencyKey });
  assert.deepEqual(replayed, flow.receipt);
});

test('a used notice receipt is deleted with the report it let through, not stamped with its time', async () => {
  const { rows: before } = await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM notice_receipts');
  await citizenFlow();
  const { rows } = await server.sql.query<{ n: number; consumed: number }>(
    'SELECT count(*)::int AS n, count(consumed_at)::int AS consumed FROM notice_receipts',
  );
  assert.deepEqual(rows[0], { n: before[0]!.n, consumed: 0 });
});

test('evidence linked to an anonymous report records only the day it was linked', async () => {
  const { attachmentId } = await client.uploadAttachment(new Blob([PNG], { type: 'image/png' }));
  const { receipt } = await citizenFlow([attachmentId]);
  // Found by its report: the upload's id is gone once a report takes it (tests/server/evidence-unlinkable.test.ts).
  const { rows } = await server.sql.query<{ report_id: string; linked_at: Date }>(
    'SELECT report_id, linked_at FROM attachments WHERE report_id = $1',
    [receipt.reportCode],
  );
  assert.equal(rows.length, 1);
  assert.ok(isStartOfBeijingDay(new Date(rows[0]!.linked_at).getTime()), `linked_at ${new Date(rows[0]!.linked_at).toISOString()}`);
});

test('the SDK sends the report code and query key in headers, never in a URL', async () => {
  requestUrls.length = 0;
  const { receipt } = await citizenFlow();
  const urls = requestUrls.join('\n');
  for (const secret of [receipt.reportCode, formatReportCode(receipt.reportCode), receipt.queryKey]) {
    assert.ok(!urls.toUpperCase().includes(secret.toUpperCase()), `${secret} in a URL:\n${urls}`);
  }
  assert.equal(requestUrls.filter((u) => u.endsWith('/reports/progress')).length, 2, 'both lookups were made');
  assert.equal(requestUrls.filter((u) => u.endsWith('/reports/supplements')).length, 1, 'the supplement was sent');
});

test('the old path forms, with the code in the URL, answer 404', async () => {
  const { receipt } = await citizenFlow();
  await devAction(server.url, receipt.reportCode, { action: 'request-supplement', request: '请再补充一张照片。' });
  const headers = { 'X-Query-Key': receipt.queryKey, 'X-Report-Code': receipt.reportCode, 'content-type': 'application/json' };
  const progress = await fetch(new URL(`reports/${receipt.reportCode}/progress`, server.url), { headers });
  assert.equal(progress.status, 404);
  const supplement = await fetch(new URL(`reports/${receipt.reportCode}/supplements`, server.url), {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: '补充说明。', attachmentIds: [] }),
  });
  assert.equal(supplement.status, 404);
  // The header form answers the same request.
  const answered = await fetch(new URL('reports/progress', server.url), { headers });
  assert.equal(answered.status, 200);
});

test('the log of the whole flow holds neither the code, the query key nor the region', async () => {
  logLines.length = 0;
  const { receipt } = await citizenFlow();
  const log = logLines.join('\n');
  assert.match(log, /"event":"report.created"/, 'the flow was logged');
  for (const secret of [receipt.reportCode, formatReportCode(receipt.reportCode), receipt.queryKey, '410105', receipt.routedTo.orgName]) {
    assert.ok(!log.includes(secret), `${secret} in the log:\n${log}`);
  }
});

test('upgrading coarsens the times earlier versions stored, and deletes used notice receipts', async () => {
  const sql = await openPglite();
  try {
    await sql.query('CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL)');
    for (const { id, sql: script } of migrations.filter((m) => m.id < '009')) {
      await sql.exec(script);
      await sql.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, now())', [id]);
    }
    // As stored before: a web report, its supplement and evidence to the millisecond; a letter entered by staff.
    const exact = '2026-03-02T15:59:59.237Z'; // 23:59:59 in Beijing: still 2026-03-02 there
    const report = (code: string, channel: string) =>
      sql.query(
        `INSERT INTO reports (code, query_key_hash, mode, channel, region_code, handling_region, handling_org, status, subject_name,
           subject_address, industry, problem_types, description, submitted_at, accept_due, accept_estimated)
         VALUES ($1, 'h', 'anonymous', $2, '410105', '410105', '某局', 'submitted', 's', 'a', 'chemical', '[]', 'd', $3, '2026-03-05', false)`,
        [code, channel, exact],
      );
    await report('WEB', 'web');
    await report('LETTER', 'letter');
    await sql.query(`INSERT INTO report_events (report_code, seq, type, at, data) VALUES ('WEB', 1, 'submitted', $1, '{}'),
      ('WEB', 2, 'supplement-received', $1, '{}'), ('LETTER', 1, 'submitted', $1, '{}')`, [exact]);
    await sql.query(`INSERT INTO supplements (id, report_code, text, attachment_ids, received_at) VALUES ('S', 'WEB', 't', '[]', $1)`, [exact]);
    await sql.query(`INSERT INTO attachments (id, status, mime, size, sha256, upload_length, created_at, finished_at, report_id, linked_at)
      VALUES ('A', 'ready', 'image/png', 1, 'x', 1, $1, $1, 'WEB', $1)`, [exact]);
    await sql.query(`INSERT INTO idempotency_keys (key, request_hash, report_code, created_at) VALUES ('K', 'h', 'WEB', $1)`, [exact]);
    await sql.query(`INSERT INTO notice_receipts (id, created_at, readable_at, consumed_at) VALUES ('used', $1, $1, $1), ('open', $1, $1, NULL)`, [
      exact,
    ]);

    await sql.query(`SET TimeZone = 'America/Los_Angeles'`); // the rewrite must not depend on the session's zone
    await migrate(sql);

    const day = '2026-03-01T16:00:00.000Z';
    const one = async (query: string) => {
      const { rows } = await sql.query<{ t: Date }>(query);
      return new Date(rows[0]!.t).toISOString();
    };
    assert.equal(await one(`SELECT submitted_at AS t FROM reports WHERE code = 'WEB'`), day);
    assert.equal(await one(`SELECT submitted_at AS t FROM reports WHERE code = 'LETTER'`), exact, 'staff entry keeps the time given');
    assert.equal(await one(`SELECT at AS t FROM report_events WHERE report_code = 'WEB' AND seq = 1`), day);
    assert.equal(await one(`SELECT at AS t FROM report_events WHERE report_code = 'WEB' AND seq = 2`), day);
    assert.equal(await one(`SELECT at AS t FROM report_events WHERE report_code = 'LETTER'`), exact);
    assert.equal(await one(`SELECT received_at AS t FROM supplements`), day);
    assert.equal(await one(`SELECT linked_at AS t FROM attachments`), day);
    assert.equal(await one(`SELECT created_at AS t FROM idempotency_keys`), day);
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM notice_receipts');
    assert.deepEqual(rows.map((r) => r.id), ['open']);
  } finally {
    await sql.close();
  }
});
