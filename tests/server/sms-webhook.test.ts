import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, createClient } from '../../src/sdk/index.js';
import {
  SMS_WEBHOOK_SIGNATURE,
  SMS_WEBHOOK_TIMESTAMP,
  smsWebhookProblem,
  verifySmsWebhook,
  webhookSmsSender,
} from '../../src/server/sms-webhook.js';
import { readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { realNameDraft } from '../support/drafts.js';
import { ManualClock } from '../support/manual-clock.js';

// #19.1: a province's SMS platform receives each code by a signed POST; a failed delivery is a clear 503 at once.

const SECRET = 'a-shared-secret-of-at-least-32-characters';

interface Delivery {
  timestamp: string | null;
  signature: string | null;
  body: string;
}

/** A province's SMS platform: records what arrives and answers `status` (or never, while `hang`). */
const receiver = { deliveries: [] as Delivery[], status: 200, hang: false, url: '' };
const platform = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    receiver.deliveries.push({
      timestamp: req.headers[SMS_WEBHOOK_TIMESTAMP.toLowerCase()] as string | null,
      signature: req.headers[SMS_WEBHOOK_SIGNATURE.toLowerCase()] as string | null,
      body,
    });
    if (!receiver.hang) res.writeHead(receiver.status).end('{}');
  });
});

const clock = new ManualClock();
let server: TestServer;
let timeoutServer: TestServer;
before(async () => {
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/sms`;
  server = await startTestServer({ clock, smsSender: webhookSmsSender({ url: receiver.url, secret: SECRET, clock }) });
  timeoutServer = await startTestServer({ smsSender: webhookSmsSender({ url: receiver.url, secret: SECRET, timeoutMs: 300 }) });
});
after(async () => {
  await Promise.all([server.close(), timeoutServer.close()]);
  platform.closeAllConnections();
  await new Promise((resolve) => platform.close(resolve));
});

test('a code goes to the webhook signed, with phone, code, purpose and expiry, and the report it verifies is filed', async () => {
  receiver.deliveries = [];
  receiver.status = 200;
  const client = createClient({ baseUrl: server.url, retry: 0 });
  const ackToken = await readNotice(server, client);
  const phone = '13900000001';
  assert.deepEqual(await client.sendSmsCode({ phone, ackToken }), { cooldownSeconds: 60 });

  assert.equal(receiver.deliveries.length, 1);
  const [delivery] = receiver.deliveries as [Delivery];
  assert.ok(verifySmsWebhook(SECRET, delivery, clock.now()), 'the signature verifies');
  const sent = JSON.parse(delivery.body) as { phone: string; code: string; purpose: string; expiresAt: string };
  assert.deepEqual(Object.keys(sent).sort(), ['code', 'expiresAt', 'phone', 'purpose']);
  assert.equal(sent.phone, phone);
  assert.match(sent.code, /^\d{6}$/);
  assert.equal(sent.purpose, 'real-name-report');
  assert.equal(Date.parse(sent.expiresAt), clock.now() + 10 * 60_000);

  // What a receiver must refuse: another body, another secret, a replay after five minutes.
  assert.ok(!verifySmsWebhook(SECRET, { ...delivery, body: delivery.body.replace(sent.code, '000000') }, clock.now()));
  assert.ok(!verifySmsWebhook(`${SECRET}x`, delivery, clock.now()));
  assert.ok(!verifySmsWebhook(SECRET, delivery, clock.now() + 301_000));

  const receipt = await client.submitReport(realNameDraft(ackToken, { phone, smsCode: sent.code }), { idempotencyKey: crypto.randomUUID() });
  assert.match(receipt.reportCode, /^[2-9A-Z]{12}$/);
});

test('a refused delivery is a 503 with the 12350 hint at once, sent once, and the citizen may ask again without waiting', async () => {
  receiver.deliveries = [];
  receiver.status = 502;
  const client = createClient({ baseUrl: server.url });
  const ackToken = await readNotice(server, client);
  const phone = '13900000002';
  await assert.rejects(
    client.sendSmsCode({ phone, ackToken }),
    (e) => e instanceof ApiError && e.status === 503 && e.code === 'UNAVAILABLE' && e.message.includes('12350'),
  );
  assert.equal(receiver.deliveries.length, 1, 'never retried blindly');
  const voided = (JSON.parse(receiver.deliveries[0]!.body) as { code: string }).code;

  receiver.status = 200;
  await client.sendSmsCode({ phone, ackToken }); // no cooldown: the first code never arrived
  assert.equal(receiver.deliveries.length, 2);
  const code = (JSON.parse(receiver.deliveries[1]!.body) as { code: string }).code;
  if (code !== voided) {
    await assert.rejects(
      client.submitReport(realNameDraft(ackToken, { phone, smsCode: voided }), { idempotencyKey: crypto.randomUUID() }),
      (e) => e instanceof Error && (e as { code?: string }).code === 'VALIDATION_FAILED',
      'the undelivered code is void',
    );
  }
});

test('a platform that does not answer within the timeout is a 503, not a hung citizen', async () => {
  receiver.deliveries = [];
  receiver.hang = true;
  try {
    const client = createClient({ baseUrl: timeoutServer.url, retry: 0 });
    const ackToken = await readNotice(timeoutServer, client);
    await assert.rejects(
      client.sendSmsCode({ phone: '13900000003', ackToken }),
      (e) => e instanceof ApiError && e.status === 503 && e.message.includes('12350'),
    );
    assert.equal(receiver.deliveries.length, 1);
  } finally {
    receiver.hang = false;
    platform.closeAllConnections();
  }
});

test('the webhook must be https (http only on this host) and its secret long enough, checked before the server starts', () => {
  assert.match(smsWebhookProblem({ url: 'http://sms.example.gov.cn/send', secret: SECRET }) ?? '', /https/);
  assert.match(smsWebhookProblem({ url: 'https://user:pw@sms.example.gov.cn/send', secret: SECRET }) ?? '', /credentials/);
  assert.match(smsWebhookProblem({ url: 'https://sms.example.gov.cn/send', secret: 'short' }) ?? '', /AQJB_SMS_WEBHOOK_SECRET/);
  assert.equal(smsWebhookProblem({ url: 'https://sms.example.gov.cn/send', secret: SECRET }), undefined);
  assert.equal(smsWebhookProblem({ url: 'http://127.0.0.1:9000/sms', secret: SECRET }), undefined);
  assert.throws(() => webhookSmsSender({ url: 'ftp://x', secret: SECRET }));
});
