/**
 * A corpus-driven hostile-input run over every operation `openapi.json` declares, on PGlite and on PostgreSQL:
 * hostile path segments, query strings, headers, raw bodies and, for every JSON body, each leaf replaced by a value of
 * the wrong type, a string with a NUL or a control character, an oversized string, or removed when it is required.
 * What must hold: no answer is a 5xx, every input that is invalid by the contract is refused with a 4xx and the
 * error body, and nothing a refused request carried is stored (the row counts do not move).
 *
 * An operation added to the document without a valid base request here fails the run: the corpus covers the contract.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import openapi from '../../openapi.json' with { type: 'json' };
import { createClient } from '../../src/sdk/index.js';
import { ErrorBody } from '../../src/sdk/schemas/base.js';
import { NoticeConfirmation } from '../../src/sdk/schemas/notice.js';
import { ReportDraft, SupplementDraft } from '../../src/sdk/schemas/report.js';
import { SmsCodeRequest } from '../../src/sdk/schemas/sms.js';
import { HandlingAction, StaffReportEntry } from '../../src/sdk/schemas/staff.js';
import { DevAction } from '../../src/sdk/schemas/dev.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { anonymousDraft, realNameDraft, staffLetter } from '../support/drafts.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';


/** Everything a valid base request may need, made once per backend by filing through the real server. */
interface Ctx {
  ackToken: string;
  reportCode: string;
  queryKey: string;
  staffToken: string;
  uploadId: string;
  receiptId: string;
}

interface Req {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Query parameters and headers that take free text: a hostile value there may be answered 2xx (no match). */
const FREE = new Set(['q', 'Upload-Metadata']);

/** The staff letter entered anonymously (a letter without a sender). */
const staffEntry = () => {
  const { reporter: _reporter, ...facts } = staffLetter('HN-2026-000001') as { reporter?: unknown };
  return { ...facts, mode: 'anonymous', attachmentIds: [] };
};
const tus = { 'Tus-Resumable': '1.0.0' };

/** One valid request per operation; the corpus mutates it. Several bases per operation exercise each body variant. */
const BASES: Record<string, (ctx: Ctx) => Req[]> = {
  'GET /health': () => [{}],
  'GET /health/live': () => [{}],
  'GET /metrics': () => [{}],
  'GET /notice': () => [{}],
  'POST /notice/receipts': () => [{}],
  'POST /notice/receipts/{id}/confirm': (c) => [{ params: { id: c.receiptId }, body: { solution: { counter: 1, derivedKey: 'ab'.repeat(32) } } }],
  'GET /regions': () => [{ query: { parent: '410000' } }],
  'GET /regions/search': () => [{ query: { q: '金水', within: '410000' } }],
  'GET /regions/{code}': () => [{ params: { code: '410105' } }],
  'GET /dictionaries': () => [{}],
  'POST /sms/codes': (c) => [{ body: { phone: '13800000000', ackToken: c.ackToken } }],
  'POST /reports': (c) => [
    { headers: { 'Idempotency-Key': 'corpus-key-0001' }, body: anonymousDraft(c.ackToken) },
    { headers: { 'Idempotency-Key': 'corpus-key-0002' }, body: realNameDraft(c.ackToken, { idNumber: '11010519491231002X' }) },
  ],
  'GET /reports/progress': (c) => [{ headers: { 'X-Report-Code': c.reportCode, 'X-Query-Key': c.queryKey } }],
  'POST /reports/supplements': (c) => [
    { headers: { 'X-Report-Code': c.reportCode, 'X-Query-Key': c.queryKey }, body: { text: '补充：夜间仍有人吸烟。', attachmentIds: [] } },
  ],
  'POST /uploads': () => [{ headers: { ...tus, 'Upload-Length': '10', 'Upload-Metadata': `filetype ${btoa('image/png')}` } }],
  'HEAD /uploads/{id}': (c) => [{ params: { id: c.uploadId }, headers: tus }],
  'PATCH /uploads/{id}': (c) => [
    { params: { id: c.uploadId }, headers: { ...tus, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' } },
  ],
  'DELETE /uploads/{id}': (c) => [{ params: { id: c.uploadId }, headers: tus }],
  'GET /uploads/{id}/result': (c) => [{ params: { id: c.uploadId } }],
  'POST /staff/reports': (c) => [{ headers: { Authorization: `Bearer ${c.staffToken}` }, body: staffEntry() }],
  'GET /staff/reports/{code}': (c) => [{ params: { code: c.reportCode }, headers: { Authorization: `Bearer ${c.staffToken}` } }],
  'GET /staff/inbox': (c) => [
    { query: { status: 'submitted', region: '410100', from: '2026-01-01', to: '2026-12-31', due: 'soon', days: '3', limit: '5' }, headers: { Authorization: `Bearer ${c.staffToken}` } },
  ],
  'POST /staff/reports/{code}/actions': (c) => [
    { params: { code: c.reportCode }, headers: { Authorization: `Bearer ${c.staffToken}` }, body: { action: 'request-supplement', request: '请补充现场照片。' } },
  ],
  'POST /dev/reports/{code}/actions': (c) => [{ params: { code: c.reportCode }, body: { action: 'accept' } }],
  'GET /dev/outbox': () => [{}],
};

/** The contract's schema for each JSON body: the oracle of what is valid. The server may refuse more, never less. */
const BODY_SCHEMAS: Record<string, { safeParse(v: unknown): { success: boolean } }> = {
  'POST /sms/codes': SmsCodeRequest,
  'POST /reports': ReportDraft,
  'POST /reports/supplements': SupplementDraft,
  'POST /notice/receipts/{id}/confirm': NoticeConfirmation,
  'POST /staff/reports': StaffReportEntry,
  'POST /staff/reports/{code}/actions': HandlingAction,
  'POST /dev/reports/{code}/actions': DevAction,
};

/** Path segments and query values no operation takes (already percent-encoded where a URL needs it). */
const HOSTILE_SEGMENTS = [
  '%00',
  'a%00b',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'x'.repeat(4096),
  '%E2%80%AE410105',
  '%F0%9F%92%A3',
  "1'%20OR%20'1'%3D'1",
  '%25',
  '-1',
  '4101050',
  '__proto__',
  '%C0%AE',
  '%EF%BF%BF',
];
/** Header values fetch can carry (no NUL/CR/LF there: those go through the raw socket below). */
const HOSTILE_HEADERS = ['', ' ', 'x'.repeat(9000), '\u00e9\u00ff', '-1', '1e309', '__proto__!', "' OR 1=1 --", '0x10', '\u00bd'];

type Leaf = { path: (string | number)[]; value: unknown; required: boolean };

/** Every leaf of a JSON body (arrays count as leaves too, and so do their first items). */
function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) {
    return [{ path, value, required: true }, ...value.slice(0, 1).flatMap((v, i) => leaves(v, [...path, i]))];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value, required: true }];
}

function setAt(body: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/**
 * Replacements that are invalid whatever the field: a wrong type (`typed`: the contract's schema must refuse it
 * too), NUL, a C0 control, far too long (the schema or the server's semantic checks refuse it).
 */
function invalidFor(value: unknown): { label: string; value: unknown; typed?: boolean }[] {
  const out: { label: string; value: unknown; typed?: boolean }[] = [];
  if (typeof value !== 'number') out.push({ label: 'number', value: 12345, typed: true });
  if (typeof value !== 'boolean') out.push({ label: 'boolean', value: false, typed: true });
  out.push({ label: 'null', value: null, typed: true });
  if (!Array.isArray(value)) out.push({ label: 'array', value: ['x'], typed: true });
  if (typeof value !== 'object' || Array.isArray(value)) out.push({ label: 'object', value: { $gt: '' }, typed: true });
  if (typeof value === 'string') {
    out.push({ label: 'NUL', value: `${value}\u0000` });
    out.push({ label: 'C0 control', value: `${value}\u0007\u001b` });
    out.push({ label: 'oversized', value: value + '长'.repeat(20_000) });
  } else {
    out.push({ label: 'string', value: 'x\u0000' });
  }
  if (Array.isArray(value)) out.push({ label: '10 000 items', value: Array(10_000).fill(value[0] ?? 'x') });
  return out;
}

interface Case {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The input is invalid by the contract: it must be refused with a 4xx. Otherwise only "no 5xx". */
  invalid: boolean;
}

function buildUrl(base: string, path: string, params: Record<string, string> = {}, query: Record<string, string> = {}) {
  const filled = path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'missing').replace(/^\//, '');
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
    .join('&');
  return new URL(filled + (qs ? `?${qs}` : ''), base).href;
}

function casesFor(base: string, ctx: Ctx): Case[] {
  const cases: Case[] = [];
  const operations = Object.entries(openapi.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { requestBody?: unknown; parameters?: { in: string; name: string; required?: boolean }[] }>)
      .filter(([m]) => ['get', 'post', 'patch', 'delete', 'head', 'put'].includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
  for (const { method, path, op } of operations) {
    const key = `${method} ${path}`;
    const make = BASES[key];
    assert.ok(make, `no valid base request for ${key} in the hostile corpus: add one`);
    const params = (op.parameters ?? []) as { in: string; name: string; required?: boolean }[];
    for (const req of make(ctx)) {
      const json = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers = { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers };
      const at = (p = req.params, q = req.query) => buildUrl(base, path, p, q);
      // Path: every segment parameter replaced by something no operation takes.
      for (const p of params.filter((x) => x.in === 'path')) {
        for (const v of HOSTILE_SEGMENTS) {
          cases.push({ name: `${key} path ${p.name}=${v.slice(0, 20)}`, method, url: at({ ...req.params, [p.name]: v }), headers, body: json, invalid: true });
        }
      }
      for (const p of params.filter((x) => x.in === 'query')) {
        for (const v of HOSTILE_SEGMENTS) {
          cases.push({ name: `${key} query ${p.name}=${v.slice(0, 20)}`, method, url: at(req.params, { ...req.query, [p.name]: v }), headers, body: json, invalid: !FREE.has(p.name) });
        }
      }
      for (const p of params.filter((x) => x.in === 'header')) {
        for (const v of HOSTILE_HEADERS) {
          cases.push({ name: `${key} header ${p.name}=${v.slice(0, 20)}`, method, url: at(), headers: { ...headers, [p.name]: v }, body: json, invalid: !FREE.has(p.name) });
        }
      }
      if (json === undefined) continue;
      // Raw bodies: not JSON, not an object, not UTF-8, nested past any sense, the wrong media type.
      const raws: [string, string | Buffer, string?][] = [
        ['empty', ''],
        ['truncated', json.slice(0, json.length >> 1)],
        ['array', '[]'],
        ['null', 'null'],
        ['string', '"x"'],
        ['huge number', '1e999'],
        ['deep nesting', '['.repeat(100_000) + ']'.repeat(100_000)],
        ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
        ['NUL byte', `${json.slice(0, -1)}\u0000}`],
        ['text/plain', json, 'text/plain'],
        ['form', 'mode=anonymous', 'application/x-www-form-urlencoded'],
        ['UTF-16 JSON', Buffer.from(json, 'utf16le'), 'application/json; charset=utf-16'],
      ];
      for (const [label, body, type] of raws) {
        cases.push({ name: `${key} body ${label}`, method, url: at(), headers: { ...headers, 'content-type': type ?? 'application/json' }, body, invalid: true });
      }
      const schema = BODY_SCHEMAS[key];
      assert.ok(schema, `no body schema for ${key} in the hostile corpus`);
      assert.ok(schema.safeParse(req.body).success, `the base body of ${key} is not valid by the contract`);
      const rejected = (body: unknown) => !schema.safeParse(body).success;
      // Leaves: each replaced by a value invalid whatever the field (the contract's schema must agree), and each
      // removed (invalid when the schema says so: a removed optional field may be accepted).
      for (const leaf of leaves(req.body)) {
        for (const bad of invalidFor(leaf.value)) {
          const body = setAt(req.body, leaf.path, bad.value);
          const name = `${key} ${leaf.path.join('.')}=${bad.label}`;
          if (bad.typed && !rejected(body)) cases.push({ name: `${name} (the schema accepts it)`, method: 'SCHEMA', url: '', headers, invalid: true });
          cases.push({ name, method, url: at(), headers, body: JSON.stringify(body), invalid: true });
        }
        if (leaf.path.length && typeof leaf.path.at(-1) === 'string') {
          const body = setAt(req.body, leaf.path, undefined, true);
          cases.push({ name: `${key} without ${leaf.path.join('.')}`, method, url: at(), headers, body: JSON.stringify(body), invalid: rejected(body) });
        }
      }
      const polluted = json.replace(/^\{/, '{"__proto__":{"isAdmin":true},');
      cases.push({ name: `${key} __proto__ key`, method, url: at(), headers, body: polluted, invalid: rejected(JSON.parse(polluted)) });
    }
  }
  return cases;
}

/** Requests Node's fetch refuses to send: NUL, CR and LF in a header, duplicate lengths, a bogus transfer coding. */
function rawRequests(host: string, port: number): { name: string; bytes: string }[] {
  const h = `Host: ${host}:${port}\r\n`;
  const body = '{"phone":"13800000000"}';
  return [
    { name: 'NUL in Idempotency-Key', bytes: `POST /reports HTTP/1.1\r\n${h}Content-Type: application/json\r\nIdempotency-Key: abc\u0000defghij\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}` },
    { name: 'NUL in X-Query-Key', bytes: `GET /reports/progress HTTP/1.1\r\n${h}X-Query-Key: a\u0000b\r\nConnection: close\r\n\r\n` },
    { name: 'two Content-Length', bytes: `POST /sms/codes HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}` },
    { name: 'Content-Length and chunked', bytes: `POST /sms/codes HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n` },
    { name: 'unknown transfer coding', bytes: `POST /sms/codes HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n` },
    { name: 'bad chunk size', bytes: `POST /sms/codes HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n` },
    { name: 'absolute-form to another host', bytes: `GET http://evil.example/health HTTP/1.1\r\n${h}Connection: close\r\n\r\n` },
    { name: 'NUL in the path', bytes: `GET /regions/41\u00000105 HTTP/1.1\r\n${h}Connection: close\r\n\r\n` },
    { name: 'raw UTF-8 in the path', bytes: `GET /regions/金水 HTTP/1.1\r\n${h}Connection: close\r\n\r\n` },
    { name: 'HTTP/1.0 without Host', bytes: `GET /health HTTP/1.0\r\n\r\n` },
  ];
}

function sendRaw(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => (data += d));
    socket.on('error', () => resolve(0)); // a reset is a refusal, not a 5xx
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.write(Buffer.from(bytes, 'utf8'), (e) => e && reject(e));
  });
}

const UNLIMITED = { max: 1_000_000, windowMs: 60_000 };

const backends = [
  { name: 'PGlite', options: async () => ({}) },
  { name: 'PostgreSQL', options: async () => ({ databaseUrl: await freshDatabase(), dataDir: mkdtempSync(path.join(tmpdir(), 'aqjb-corpus-')) }) },
];

for (const backend of backends) {
  describe(`hostile input on ${backend.name}`, { skip: backend.name === 'PostgreSQL' && skipWithoutPostgres }, () => {
    let server: TestServer;
    let ctx: Ctx;
    before(async () => {
      server = await startTestServer({
        ...(await backend.options()),
        limits: { noticeReceipts: UNLIMITED, reports: UNLIMITED, lookupsPerClient: UNLIMITED, lookupsPerCode: UNLIMITED },
      });
      const client = createClient({ baseUrl: server.url, retry: 0 });
      const filed = await client.submitReport(anonymousDraft(await readNotice(server, client)), { idempotencyKey: `corpus-${randomBytes(6).toString("hex")}` });
      const upload = await fetch(new URL('uploads', server.url), {
        method: 'POST',
        headers: { ...tus, 'Upload-Length': '10', 'Upload-Metadata': `filetype ${btoa('image/png')}` },
      });
      const receipt = (await (await fetch(new URL('notice/receipts', server.url), { method: 'POST' })).json()) as { receiptId: string };
      ctx = {
        ackToken: await readNotice(server, client),
        reportCode: filed.reportCode,
        queryKey: filed.queryKey,
        staffToken: (await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '河南省厅 语料测试' })).token,
        uploadId: new URL(upload.headers.get('location')!, server.url).pathname.split('/').pop()!,
        receiptId: receipt.receiptId,
      };
    });
    after(async () => {
      await server?.close();
      if (server && server.sql.kind === 'postgres') rmSync(server.dataDir, { recursive: true, force: true });
    });

    const counts = async () => {
      const { rows } = await server.sql.query<{ reports: number; events: number; supplements: number; attachments: number }>(
        `SELECT (SELECT count(*)::int FROM reports) AS reports, (SELECT count(*)::int FROM report_events) AS events,
                (SELECT count(*)::int FROM supplements) AS supplements, (SELECT count(*)::int FROM attachments) AS attachments`,
      );
      return rows[0]!;
    };

    test('every operation, ≥ 300 hostile requests: no 5xx, invalid input refused with the error body, nothing stored', async () => {
      const cases = casesFor(server.url, ctx);
      assert.ok(cases.length >= 300, `only ${cases.length} cases`);
      const before = await counts();
      const failures: string[] = [];
      for (const c of cases) {
        if (c.method === 'SCHEMA') {
          failures.push(c.name);
          continue;
        }
        const response = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body as BodyInit | undefined });
        const text = await response.text();
        if (response.status >= 500) failures.push(`${c.name}: ${response.status} ${text.slice(0, 120)}`);
        else if (c.invalid && response.status < 400) failures.push(`${c.name}: accepted with ${response.status}`);
        else if (response.status >= 400 && c.method !== 'HEAD' && text) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (!ErrorBody.safeParse(parsed).success) failures.push(`${c.name}: ${response.status} without the error body: ${text.slice(0, 80)}`);
        }
      }
      assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
      // A removed optional field or a stray key may be accepted, but only the base reports and no new events.
      const afterRun = await counts();
      assert.equal(afterRun.supplements, before.supplements);
      assert.equal(afterRun.attachments, before.attachments);
    });

    test('raw requests no client library would send: never a 5xx', async () => {
      const { port } = server;
      for (const r of rawRequests('127.0.0.1', port)) {
        const status = await sendRaw(port, r.bytes);
        assert.ok(status < 500, `${r.name}: ${status}`);
      }
      assert.equal((await fetch(new URL('health', server.url))).status, 200, 'the server still answers');
    });
  });
}
