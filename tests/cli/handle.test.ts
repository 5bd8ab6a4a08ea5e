import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { main } from '../../scripts/handle.js';
import { createClient } from '../../src/sdk/index.js';
import { anonymousDraft, readNotice, startTestServer, type TestServer } from '../support/reference-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const capture = () => {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
};

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

test('npm run handle moves a report along and prints where it stands', async () => {
  const { reportCode } = await fileReport();
  const run = async (...args: string[]) => {
    const out = capture();
    const err = capture();
    const code = await main([...args, '--api', server.url], out.stream, err.stream);
    return { code, out: out.text(), err: err.text() };
  };
  let r = await run('accept', reportCode);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /accepted（郑州市应急管理局）/);
  assert.match(r.out, /核查期限/);
  r = await run('transfer', reportCode, '--to', '410105');
  assert.match(r.out, /transferred（郑州市金水区应急管理局）/);
  r = await run('close', reportCode, '--outcome', '举报属实，已责令整改', '--substantiated');
  assert.match(r.out, /closed/);
  r = await run('accept', reportCode);
  assert.equal(r.code, 1);
  assert.match(r.err, /409 ILLEGAL_TRANSITION/);
});

test('bad arguments are explained, not sent', async () => {
  const err = capture();
  assert.equal(await main(['extend', 'X', '--days', '45', '--api', server.url], capture().stream, err.stream), 2);
  assert.match(err.text(), /参数不正确/);
  assert.equal(await main([], capture().stream, err.stream), 2);
  assert.match(err.text(), /用法/);
});
