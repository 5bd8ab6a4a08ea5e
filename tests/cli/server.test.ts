import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createClient } from '../../src/sdk/index.js';
import { jsonLogger } from '../../src/server/log.js';
import { lastSmsCode, readNotice, startTestServer } from '../support/reference-server.js';
import { realNameDraft } from '../support/drafts.js';

test('the server CLI reports healthy, then stops cleanly on SIGTERM', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--dev', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    let url = '';
    for await (const line of lines) {
      const entry = JSON.parse(line) as { event: string; url?: string };
      if (entry.event === 'listening') {
        url = entry.url!;
        break;
      }
    }
    const health = await fetch(new URL('health', url));
    assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('without --dev and without a data key the server refuses to start', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AQJB_DATA_KEY: '' },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
  assert.equal(code, 1);
  assert.match(out, /AQJB_DATA_KEY/);
});

test('an SMS webhook over plain http to another host, or without its secret, stops the server at start', async () => {
  for (const [url, secret, said] of [
    ['http://sms.example.gov.cn/send', 'a-shared-secret-of-at-least-32-characters', /https/],
    ['https://sms.example.gov.cn/send', '', /AQJB_SMS_WEBHOOK_SECRET/],
  ] as const) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-cli-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--dev', '--data-dir', dataDir, '--sms-webhook', url], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AQJB_SMS_WEBHOOK_SECRET: secret },
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 1, url);
    assert.match(out, said);
    assert.ok(!out.includes(secret) || secret === '', 'the secret is never logged');
  }
});

test('aqjb serve on a port another process holds says so, and how to pick another, without a stack trace; exit 1', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-cli-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve', '--port', String(port), '--dev', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, err);
    assert.match(err, new RegExp(`端口 ${port} 已被其他程序占用.*--port N（或环境变量 PORT）`));
    assert.match(err, new RegExp(`port ${port} is already in use.*--port N \\(or the PORT environment variable\\)`));
    assert.doesNotMatch(err, /^ {4}at /m, 'no stack trace');
    assert.match(out, /"event":"start.failed"/);
  } finally {
    holder.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('logs never contain personal fields, query keys, ack tokens or codes', async () => {
  const lines: string[] = [];
  const server = await startTestServer({ logger: jsonLogger((line) => lines.push(line)) });
  try {
    const client = createClient({ baseUrl: server.url, retry: 0 });
    const phone = '13700001234';
    const ackToken = await readNotice(server, client);
    await client.sendSmsCode({ phone, ackToken });
    const smsCode = await lastSmsCode(server.url, phone);
    const receipt = await client.submitReport(
      // Every personal field filled, and a unit name of its own: the log is searched for each below.
      realNameDraft(ackToken, { name: '赵六日志测试', phone, smsCode, idNumber: '11010519491231002X' }, { subject: { name: '某某仓储公司', address: '中原区某路' } }),
      { idempotencyKey: crypto.randomUUID() },
    );
    await client.getProgress(receipt.reportCode, receipt.queryKey);
    await client.getProgress(receipt.reportCode, 'WRONGKEYWRONGKEY22').catch(() => {});
    const log = lines.join('\n');
    assert.ok(lines.length > 5, 'requests were logged');
    for (const secret of [phone, smsCode, '赵六日志测试', '11010519491231002X', receipt.queryKey, ackToken, '某某仓储公司']) {
      assert.ok(!log.includes(secret), `log holds ${secret}`);
    }
  } finally {
    await server.close();
  }
});
