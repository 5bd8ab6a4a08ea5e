import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, ErrorBody } from '../../src/sdk/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { devAction, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { anonymousDraft, realNameDraft, staffLetter } from '../support/drafts.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';

// #17.9: a NUL (or another control character) in any free-text field of any request body is that field's
// validation error, on PGlite and on PostgreSQL (which refuses NUL in text), never a 500.

const NUL = '\u0000';

interface Context {
  server: TestServer;
  staffToken: string;
  ackToken: string;
  /** A report awaiting a supplement. */
  report: { reportCode: string; queryKey: string };
}

interface Case {
  name: string;
  field: string;
  request: (ctx: Context) => { path: string; headers?: Record<string, string>; body: unknown };
  /** The table a wrongly accepted request would have written to. */
  table: string;
}

const realName = (ackToken: string, name: string) => realNameDraft(ackToken, { name });

const staffEntry = (extra: Record<string, unknown>) => staffLetter(`HN-${crypto.randomUUID()}`, extra);

const report = (body: (ctx: Context) => unknown) => (ctx: Context) => ({
  path: 'reports',
  headers: { 'Idempotency-Key': crypto.randomUUID() },
  body: body(ctx),
});
const staff = (extra: Record<string, unknown>) => (ctx: Context) => ({
  path: 'staff/reports',
  headers: { authorization: `Bearer ${ctx.staffToken}` },
  body: staffEntry(extra),
});
const dev = (body: Record<string, unknown>) => (ctx: Context) => ({ path: `dev/reports/${ctx.report.reportCode}/actions`, body });

const cases: Case[] = [
  {
    name: 'report: unit name',
    field: 'subject.name',
    table: 'reports',
    request: report(({ ackToken }) => anonymousDraft(ackToken, { subject: { name: `某某${NUL}化工`, address: '郑州市金水区某路 1 号' } })),
  },
  {
    name: 'report: address',
    field: 'subject.address',
    table: 'reports',
    request: report(({ ackToken }) => anonymousDraft(ackToken, { subject: { name: '某某化工', address: `郑州市${NUL}金水区` } })),
  },
  {
    name: 'report: description',
    field: 'description',
    table: 'reports',
    request: report(({ ackToken }) => anonymousDraft(ackToken, { description: `储罐区可燃气体报警器${NUL}长期损坏，夜间有人吸烟。` })),
  },
  {
    name: 'report: description with a bell character (C0) rather than NUL',
    field: 'description',
    table: 'reports',
    request: report(({ ackToken }) => anonymousDraft(ackToken, { description: `储罐区可燃气体报警器\u0007长期损坏，夜间有人吸烟。` })),
  },
  {
    name: 'real-name report: reporter name',
    field: 'reporter.name',
    table: 'reports',
    request: report(({ ackToken }) => realName(ackToken, `张${NUL}三`)),
  },
  {
    name: 'supplement: text',
    field: 'text',
    table: 'supplements',
    request: ({ report: r }) => ({
      path: 'reports/supplements',
      headers: { 'X-Report-Code': r.reportCode, 'X-Query-Key': r.queryKey },
      body: { text: `消防通道${NUL}已被堵塞` },
    }),
  },
  { name: 'staff entry: unit name', field: 'subject.name', table: 'reports', request: staff({ subject: { name: `某${NUL}厂`, address: '某路 1 号' } }) },
  { name: 'staff entry: description', field: 'description', table: 'reports', request: staff({ description: `来信反映储罐区报警器${NUL}长期损坏。` }) },
  {
    name: 'staff entry: reporter name',
    field: 'reporter.name',
    table: 'reports',
    request: staff({ reporter: { name: `张${NUL}三`, phone: '13800000000' } }),
  },
  { name: 'dev action: supplement request', field: 'request', table: 'report_events', request: dev({ action: 'request-supplement', request: `请补充${NUL}照片` }) },
  {
    name: 'dev action: closing outcome',
    field: 'outcome',
    table: 'report_events',
    request: dev({ action: 'close', outcome: `经核查${NUL}属实`, substantiated: true }),
  },
  {
    name: 'dev action: reward',
    field: 'reward',
    table: 'report_events',
    request: dev({ action: 'close', outcome: '经核查属实', substantiated: true, reward: `奖励${NUL}500 元` }),
  },
];

const backends = [
  { name: 'PGlite', skip: false as const, options: async () => ({}) },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    options: async () => ({ databaseUrl: await freshDatabase(), dataDir: mkdtempSync(path.join(tmpdir(), 'aqjb-nul-')) }),
  },
];

for (const backend of backends) {
  describe(`control characters in request bodies, on ${backend.name}`, { skip: backend.skip }, () => {
    const ctx = {} as Context;
    before(async () => {
      ctx.server = await startTestServer(await backend.options());
      ctx.staffToken = (await createStaffToken(ctx.server.sql, { scope: '410000', role: 'handler', label: '河南省厅 测试' })).token;
      const client = createClient({ baseUrl: ctx.server.url, retry: 0 });
      ctx.report = await client.submitReport(anonymousDraft(await readNotice(ctx.server)), { idempotencyKey: crypto.randomUUID() });
      assert.equal((await devAction(ctx.server.url, ctx.report.reportCode, { action: 'accept' })).status, 200);
      assert.equal((await devAction(ctx.server.url, ctx.report.reportCode, { action: 'request-supplement', request: '请补充照片。' })).status, 200);
    });
    after(() => ctx.server?.close());

    const count = async (table: string) =>
      (await ctx.server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

    for (const c of cases) {
      test(`${c.name} → 400 VALIDATION_FAILED at ${c.field}, nothing stored`, async () => {
        ctx.ackToken = await readNotice(ctx.server);
        const { path, headers, body } = c.request(ctx);
        const stored = await count(c.table);
        const response = await fetch(new URL(path, ctx.server.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        const answer = ErrorBody.parse(await response.json());
        assert.equal(response.status, 400, JSON.stringify(answer));
        assert.equal(answer.error.code, 'VALIDATION_FAILED');
        const issue = answer.error.fields?.find((f) => f.path === c.field);
        assert.equal(issue?.code, 'field.controlCharacter', JSON.stringify(answer.error.fields));
        assert.match(issue!.message, /隐藏字符/);
        assert.equal(await count(c.table), stored);
      });
    }

    test('tabs and line breaks are text, not control characters: such a report is filed', async () => {
      const draft = anonymousDraft(await readNotice(ctx.server), { description: '储罐区：\n\t1. 报警器长期损坏；\r\n\t2. 夜间有人吸烟。' });
      const response = await fetch(new URL('reports', ctx.server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(draft),
      });
      assert.equal(response.status, 201);
    });

    test('a NUL in a query string or an Idempotency-Key never reaches the database', async () => {
      for (const path of ['regions/search?q=%00', 'regions/search?q=%E9%87%91%00', 'regions?parent=41%0001']) {
        const response = await fetch(new URL(path, ctx.server.url));
        assert.equal(response.status, 400, path);
      }
      // fetch refuses to send a NUL in a header, so write the request by hand.
      const body = JSON.stringify(anonymousDraft(await readNotice(ctx.server)));
      const head =
        `POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n` +
        `Idempotency-Key: abcdefgh${NUL}12\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        const socket = net.connect(ctx.server.port, '127.0.0.1', () => socket.end(head + body));
        socket.setEncoding('utf8');
        socket.on('data', (s: string) => (text += s));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
      assert.match(answer, /^HTTP\/1\.1 400 /);
    });
  });
}
