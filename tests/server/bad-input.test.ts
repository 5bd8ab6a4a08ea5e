import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorBody } from '../../src/sdk/index.js';
import { readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { anonymousDraft } from '../support/drafts.js';

let server: TestServer;
let ackToken: string;

before(async () => {
  server = await startTestServer();
  ackToken = await readNotice(server);
});
after(() => server.close());

const valid = () => anonymousDraft(ackToken);

type Case = {
  name: string;
  status: number;
  code: string;
  fields?: string[];
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
};

const cases: Case[] = [
  { name: 'no Idempotency-Key', status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED', body: valid(), headers: { 'Idempotency-Key': '' } },
  { name: 'not JSON', status: 400, code: 'BAD_REQUEST', raw: '{"mode":' },
  { name: 'wrong content type', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', raw: 'mode=anonymous', headers: { 'content-type': 'text/plain' } },
  { name: 'body over 64 KB', status: 413, code: 'BODY_TOO_LARGE', body: { ...valid(), description: 'x'.repeat(70_000) } },
  { name: 'unknown mode', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), mode: 'secret' }, fields: ['mode'] },
  { name: 'region not six digits', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), regionCode: '4101' }, fields: ['regionCode'] },
  { name: 'region that does not exist', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), regionCode: '999999' }, fields: ['regionCode'] },
  { name: 'empty unit name', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), subject: { name: '   ', address: 'x' } }, fields: ['subject.name'] },
  { name: 'description too short', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), description: '太短' }, fields: ['description'] },
  { name: 'description too long', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), description: '长'.repeat(2001) }, fields: ['description'] },
  { name: 'no problem type', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), problemTypes: [] }, fields: ['problemTypes'] },
  { name: 'unknown industry', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), industry: 'casino' }, fields: ['industry'] },
  {
    name: 'a 七严禁 item under the wrong type',
    status: 400,
    code: 'VALIDATION_FAILED',
    body: { ...valid(), problemTypes: [{ code: 'expert-misconduct', items: ['qyj-1'] }] },
    fields: ['problemTypes.0.items'],
  },
  { name: 'occurred in the future', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), occurredAt: '2099-01-01' }, fields: ['occurredAt'] },
  { name: 'impossible date', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), occurredAt: '2025-02-30' }, fields: ['occurredAt'] },
  { name: 'ten attachments', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), attachmentIds: Array(10).fill('abc') }, fields: ['attachmentIds'] },
  { name: 'an attachment that was never uploaded', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), attachmentIds: ['nope'] }, fields: ['attachmentIds'] },
  {
    name: 'anonymous with consent',
    status: 400,
    code: 'VALIDATION_FAILED',
    body: { ...valid(), consent: true },
    fields: ['consent'],
  },
  {
    name: 'real-name with a bad phone, bad ID number and no consent',
    status: 400,
    code: 'VALIDATION_FAILED',
    body: { ...valid(), mode: 'real-name', reporter: { name: '王五', phone: '12345', smsCode: '123456', idNumber: '110105194912310021' } },
    fields: ['reporter.phone', 'reporter.idNumber', 'consent'],
  },
  { name: 'unexpected top-level field', status: 400, code: 'VALIDATION_FAILED', body: { ...valid(), admin: true }, fields: ['admin'] },
];

for (const c of cases) {
  test(`bad input is answered with the error shape and nothing is stored: ${c.name}`, async () => {
    const before = await count();
    const response = await fetch(new URL('reports', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), ...c.headers },
      // Cases are declared before the notice is read: the token is filled in here.
      body: c.raw ?? JSON.stringify({ ...(c.body as object), ackToken }),
    });
    const body = ErrorBody.parse(await response.json());
    assert.equal(response.status, c.status);
    assert.equal(body.error.code, c.code);
    assert.match(body.error.message, /[\u4e00-\u9fff]/, 'message is Chinese');
    if (c.fields) assert.deepEqual(body.error.fields?.map((f) => f.path), c.fields);
    for (const f of body.error.fields ?? []) assert.match(f.message, /[\u4e00-\u9fff]/);
    assert.equal(await count(), before);
  });
}

test('every other endpoint answers bad input with the same shape', async () => {
  const probes: [string, RequestInit, number, string][] = [
    ['sms/codes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone":"123"}' }, 400, 'VALIDATION_FAILED'],
    ['regions?parent=abc', {}, 400, 'BAD_REQUEST'],
    ['regions?parent=999999', {}, 404, 'NOT_FOUND'],
    ['regions/12', {}, 404, 'NOT_FOUND'],
    ['notice/receipts/nope/confirm', { method: 'POST' }, 404, 'NOTICE_RECEIPT_NOT_FOUND'],
    ['reports/progress', { headers: { 'X-Report-Code': 'ABCD', 'X-Query-Key': 'x' } }, 404, 'REPORT_NOT_FOUND'],
    ['reports/progress', { headers: { 'X-Query-Key': 'x' } }, 404, 'REPORT_NOT_FOUND'],
    ['no/such/path', {}, 404, 'NOT_FOUND'],
    ['dev/reports/ABCD/actions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"extend","days":31}' }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [url, init, status, code] of probes) {
    const response = await fetch(new URL(url, server.url), init);
    const body = ErrorBody.parse(await response.json());
    assert.deepEqual([response.status, body.error.code], [status, code], url);
  }
});

async function count() {
  const { rows } = await server.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  return rows[0]!.n;
}
