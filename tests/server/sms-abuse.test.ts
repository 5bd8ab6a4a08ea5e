import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorBody, createClient, type ReportDraft } from '../../src/sdk/index.js';
import { DEFAULT_SMS_LIMITS } from '../../src/server/sms.js';
import { readNotice, startTestServer, type TestServer } from '../support/reference-server.js';
import { anonymousDraft, realNameDraft } from '../support/drafts.js';
import { ManualClock } from '../support/manual-clock.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';

// #17.7: SMS codes cannot be raced past the cooldown, flooded onto a phone all day, asked for without reading the
// notice, or voided by strangers' wrong guesses.

const servers: TestServer[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

let nextPhone = 13_600_000_001;
const newPhone = () => String(nextPhone++);

/** `POST /sms/codes` as any caller could send it. */
async function requestCode(server: Pick<TestServer, 'url'>, body: Record<string, unknown>) {
  const response = await fetch(new URL('sms/codes', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as unknown;
  return { status: response.status, error: response.ok ? undefined : ErrorBody.parse(json).error };
}

/** Messages the server sent to `phone` (the `--dev` outbox holds the last 50). */
async function sentTo(server: Pick<TestServer, 'url'>, phone: string): Promise<string[]> {
  const { messages } = (await (await fetch(new URL('dev/outbox', server.url))).json()) as { messages: { phone: string; code: string }[] };
  return messages.filter((m) => m.phone === phone).map((m) => m.code);
}

const realName = (ackToken: string, phone: string, smsCode: string): ReportDraft => realNameDraft(ackToken, { name: '王五', phone, smsCode });

async function fileReport(server: Pick<TestServer, 'url'>, draft: ReportDraft) {
  const response = await fetch(new URL('reports', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(draft),
  });
  const json = (await response.json()) as unknown;
  return { status: response.status, error: response.ok ? undefined : ErrorBody.parse(json).error };
}

describe('the cooldown holds across instances on PostgreSQL', { skip: skipWithoutPostgres }, () => {
  test('40 parallel requests for one number through two instances send exactly one message', async () => {
    const databaseUrl = await freshDatabase();
    const clock = new ManualClock();
    const dataKey = randomBytes(32);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aqjb-sms-'));
    dirs.push(dataDir);
    const [a, b] = await Promise.all([
      start({ databaseUrl, dataDir, dataKey, clock }),
      start({ databaseUrl, dataDir, dataKey, clock }),
    ]);
    // Eight readers of the notice, five requests each (what one notice may ask for): the phone's rule alone decides.
    const acks: string[] = [];
    for (let i = 0; i < 8; i++) acks.push(await readNotice(i % 2 ? a : b));
    const phone = newPhone();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => requestCode(i % 2 ? a : b, { phone, ackToken: acks[i % acks.length] })),
    );
    assert.deepEqual(
      answers.map((r) => r.status).sort(),
      [201, ...Array<number>(39).fill(429)],
      JSON.stringify(answers.filter((r) => r.status !== 201 && r.status !== 429)),
    );
    assert.equal((await sentTo(a, phone)).length, 1);
  });
});

describe('SMS limits', () => {
  // One server for these tests (each uses its own phone numbers); the clock only moves forward.
  let server: TestServer;
  before(async () => {
    server = await start();
  });

  test('a code is sent only to a reader of the notice: no token, a junk token, a used or an expired one are refused', async () => {
    const phone = newPhone();

    const none = await requestCode(server, { phone });
    assert.equal(none.status, 400);
    assert.deepEqual(none.error?.fields?.map((f) => f.path), ['ackToken']);

    const junk = await requestCode(server, { phone, ackToken: 'x'.repeat(32) });
    assert.equal(junk.status, 400);
    assert.equal(junk.error?.code, 'NOTICE_ACK_INVALID');

    const used = await readNotice(server);
    await createClient({ baseUrl: server.url, retry: 0 }).submitReport(anonymousDraft(used), { idempotencyKey: crypto.randomUUID() });
    assert.equal((await requestCode(server, { phone, ackToken: used })).error?.code, 'NOTICE_ACK_INVALID');

    const old = await readNotice(server);
    server.clock.advance(3 * 3600_000 + 1);
    assert.equal((await requestCode(server, { phone, ackToken: old })).error?.code, 'NOTICE_ACK_INVALID');

    assert.deepEqual(await sentTo(server, phone), [], 'no message went out');
    // Checking a token does not spend it: a valid one still gets its code.
    assert.equal((await requestCode(server, { phone, ackToken: await readNotice(server) })).status, 201);
  });

  test(`one notice asks for at most ${DEFAULT_SMS_LIMITS.perNotice} codes`, async () => {
    const ackToken = await readNotice(server);
    const statuses = [];
    for (let i = 0; i <= DEFAULT_SMS_LIMITS.perNotice; i++) statuses.push((await requestCode(server, { phone: newPhone(), ackToken })).status);
    assert.deepEqual(statuses, [...Array<number>(DEFAULT_SMS_LIMITS.perNotice).fill(201), 429]);
  });

  test('five reports with a wrong code and a junk notice token do not void the owner’s code', async () => {
    const victim = newPhone();
    const ackToken = await readNotice(server);
    assert.equal((await requestCode(server, { phone: victim, ackToken })).status, 201);
    const [code] = await sentTo(server, victim);
    const wrong = code === '000000' ? '000001' : '000000';

    const junk = [];
    for (let i = 0; i < DEFAULT_SMS_LIMITS.maxAttempts; i++) junk.push(await fileReport(server, realName(`junk-${i}-${'x'.repeat(24)}`, victim, wrong)));
    const owner = await fileReport(server, realName(ackToken, victim, code!));
    assert.equal(owner.status, 201, `the owner's code was voided: ${JSON.stringify(owner.error)}`);
    // The junk token is what each stranger's report was refused for: the code was never tried.
    assert.deepEqual(new Set(junk.map((r) => r.error?.code)), new Set(['NOTICE_ACK_INVALID']));
  });

  test('a stranger with a token of their own cannot try, nor use, a code another reader asked for', async () => {
    const victim = newPhone();
    const ackToken = await readNotice(server);
    assert.equal((await requestCode(server, { phone: victim, ackToken })).status, 201);
    const [code] = await sentTo(server, victim);
    const wrong = code === '000000' ? '000001' : '000000';
    const strangersOwn = await readNotice(server);
    for (let i = 0; i < DEFAULT_SMS_LIMITS.maxAttempts; i++) {
      const guess = await fileReport(server, realName(strangersOwn, victim, wrong));
      assert.deepEqual(guess.error?.fields?.map((f) => f.code), ['reporter.smsCode.wrong']);
    }
    // Even the right code is no use with another token: it answers only to the token that asked for it.
    const stolen = await fileReport(server, realName(strangersOwn, victim, code!));
    assert.deepEqual(stolen.error?.fields?.map((f) => f.code), ['reporter.smsCode.wrong']);

    const owner = await fileReport(server, realName(ackToken, victim, code!));
    assert.equal(owner.status, 201, JSON.stringify(owner.error));
  });

  test('the owner’s own wrong tries are still bounded', async () => {
    const phone = newPhone();
    const ackToken = await readNotice(server);
    await requestCode(server, { phone, ackToken });
    const [code] = await sentTo(server, phone);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < DEFAULT_SMS_LIMITS.maxAttempts; i++) await fileReport(server, realName(ackToken, phone, wrong));
    const late = await fileReport(server, realName(ackToken, phone, code!));
    assert.deepEqual(late.error?.fields?.map((f) => f.code), ['reporter.smsCode.wrong']);
  });

  test(`one phone receives at most ${DEFAULT_SMS_LIMITS.perPhonePerDay} codes per Beijing day, however the requests are spaced`, async () => {
    const phone = newPhone();
    // 09:00 Beijing. Every 13 minutes: past the cooldown, and never more than 5 in a clock hour.
    server.clock.set(Date.parse('2026-03-10T09:00:00+08:00'));
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof requestCode>> | undefined;
    for (let i = 0; i <= DEFAULT_SMS_LIMITS.perPhonePerDay; i++) {
      last = await requestCode(server, { phone, ackToken: await readNotice(server) });
      statuses.push(last.status);
      server.clock.advance(13 * 60_000);
    }
    assert.deepEqual(statuses, [...Array<number>(DEFAULT_SMS_LIMITS.perPhonePerDay).fill(201), 429]);
    assert.equal(last!.error?.code, 'RATE_LIMITED');
    // The refusal says how long: until 00:00 Beijing time.
    const midnight = Date.parse('2026-03-11T00:00:00+08:00');
    const askedAt = server.clock.now() - 13 * 60_000;
    assert.equal(last!.error?.retryAfterMs, midnight - askedAt);
    assert.equal((await sentTo(server, phone)).length, DEFAULT_SMS_LIMITS.perPhonePerDay);

    server.clock.set(midnight + 60_000);
    assert.equal((await requestCode(server, { phone, ackToken: await readNotice(server) })).status, 201, 'a new day, a new count');
  });
});
