import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../src/server/cli/main.js';
import { createClient } from '../../src/sdk/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import type { StaffRole } from '../../src/sdk/schemas/staff.js';
import { anonymousDraft, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
let dir: string;
before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'aqjb-handle-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = () => {
  let value = '';
  return { write: (chunk: string) => void (value += chunk), get value() { return value; } };
};

/** `aqjb handle …` in-process, the token in AQJB_STAFF_TOKEN unless the arguments bring their own. */
async function handle(args: string[], env: Record<string, string | undefined> = {}) {
  const out = text();
  const err = text();
  const code = await run(['handle', ...args, '--api', server.url], { out, err, env });
  return { code, out: out.value, err: err.value };
}

const tokenFor = async (scope: string, role: StaffRole = 'handler') => (await createStaffToken(server.sql, { scope, role, label: `handle ${scope}` })).token;

async function fileReport() {
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const draft = anonymousDraft(await readNotice(server, client), {
    regionCode: '410100',
    subject: { name: '某建材厂', address: '郑州市某区' },
    industry: 'building-materials',
    problemTypes: [{ code: 'violation' }],
    description: '粉尘车间未设置除尘设施，工人未佩戴防护用品。',
  });
  return client.submitReport(draft, { idempotencyKey: crypto.randomUUID() });
}

const statusOf = async (code: string) =>
  (await server.sql.query<{ status: string }>('SELECT status FROM reports WHERE code = $1', [code])).rows[0]?.status;

test('aqjb handle moves a report along over the staff API and prints where it stands', async () => {
  const { reportCode } = await fileReport();
  const env = { AQJB_STAFF_TOKEN: await tokenFor('410100') };
  let r = await handle(['accept', reportCode], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /accepted（郑州市应急管理局）/);
  assert.match(r.out, /核查期限/);
  r = await handle(['transfer', reportCode, '--to', '410105'], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /transferred（郑州市金水区应急管理局）/);
  // The token in a file, as `aqjb token create --token-file` writes it.
  const file = path.join(dir, 'zhengzhou.token');
  writeFileSync(file, `${env.AQJB_STAFF_TOKEN}\n`, { mode: 0o600 });
  r = await handle(['close', reportCode, '--outcome', '举报属实，已责令整改', '--substantiated', '--token-file', file]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /closed/);
  r = await handle(['accept', reportCode], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /409 ILLEGAL_TRANSITION/);
});

test('a token never comes from the command line, and a missing one is named: exit 2, nothing sent', async () => {
  const { reportCode } = await fileReport();
  const token = await tokenFor('410100');
  let r = await handle(['accept', reportCode, '--token', token]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--token-file/);
  assert.ok(!r.err.includes(token), 'the refusal does not echo the token');
  r = await handle(['accept', reportCode]);
  assert.equal(r.code, 2);
  assert.match(r.err, /AQJB_STAFF_TOKEN/);
  assert.equal(await statusOf(reportCode), 'submitted');
});

test("a token of another place or without the handler role cannot move the report: exit 1 with the server's answer", async () => {
  const { reportCode } = await fileReport();
  const kaifeng = await handle(['accept', reportCode], { AQJB_STAFF_TOKEN: await tokenFor('410200') });
  assert.equal(kaifeng.code, 1);
  assert.match(kaifeng.err, /^404 /);
  const readOnly = await handle(['accept', reportCode], { AQJB_STAFF_TOKEN: await tokenFor('410100', 'read-only') });
  assert.equal(readOnly.code, 1);
  assert.match(readOnly.err, /^403 /);
  assert.equal(await statusOf(reportCode), 'submitted');
});

test('bad arguments are explained, not sent', async () => {
  const env = { AQJB_STAFF_TOKEN: await tokenFor('410100') };
  let r = await handle(['extend', 'K7M9QXRT3HWP', '--days', '45'], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /参数不正确/);
  r = await handle(['promote', 'K7M9QXRT3HWP'], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /没有 promote 这个操作/);
  r = await handle([], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /aqjb handle --help/);
});
