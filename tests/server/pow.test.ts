// The notice's proof-of-work (#17.2): a report needs a confirmed receipt, a confirmation needs the solution of the
// receipt's challenge, each solution counts once, the price rises with load, and one client holds few open receipts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient } from '../../src/sdk/index.js';
import { solvePow } from '../../src/sdk/pow.js';
import { DEFAULT_POW } from '../../src/server/pow.js';
import { anonymousDraft, startTestServer, type TestServer } from '../support/reference-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { freshDatabase, skipWithoutPostgres } from '../support/fresh-database.js';

interface Receipt {
  receiptId: string;
  challenge: { maxNumber: number; [k: string]: unknown };
}

/** Requests as a script would send them, from the client address `from` (the server trusts one proxy). */
const api = (server: TestServer) => {
  const open = (from: string) =>
    fetch(new URL('notice/receipts', server.url), { method: 'POST', headers: { 'x-forwarded-for': from } });
  const receipt = async (from: string): Promise<Receipt> => {
    const response = await open(from);
    assert.equal(response.status, 201);
    return (await response.json()) as Receipt;
  };
  const confirm = (receiptId: string, body?: unknown, from = '192.0.2.1') =>
    fetch(new URL(`notice/receipts/${receiptId}/confirm`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { open, receipt, confirm };
};

const solve = async (receipt: Receipt) => {
  const solution = await solvePow(receipt.challenge as never);
  assert.ok(solution, 'the challenge has a solution');
  return solution;
};

async function refused(response: Response, status = 400, code = 'CHALLENGE_INVALID') {
  const body = (await response.json()) as { error?: { code: string } };
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error?.code, code);
}

describe('a report needs the solution of its receipt’s proof-of-work', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ pow: DEFAULT_POW, trustProxy: true });
  });
  after(() => server.close());

  test('a confirmation without a solution, with a wrong one, or with one already used is refused', async () => {
    const { receipt, confirm } = api(server);
    const first = await receipt('198.51.100.1');
    server.clock.advance(15_000);
    await refused(await confirm(first.receiptId)); // no body
    await refused(await confirm(first.receiptId, {}));
    await refused(await confirm(first.receiptId, { solution: { counter: 0, derivedKey: '00'.repeat(32) } }));
    // The wrong guess spent the challenge: the server is no oracle for searching the counter.
    await refused(await confirm(first.receiptId, { solution: await solve(first) }));

    const second = await receipt('198.51.100.1');
    const solution = await solve(second);
    server.clock.advance(15_000);
    const ok = await confirm(second.receiptId, { solution });
    assert.equal(ok.status, 200);
    const { ackToken } = (await ok.json()) as { ackToken: string };
    await refused(await confirm(second.receiptId, { solution })); // once per receipt

    const third = await receipt('198.51.100.1');
    server.clock.advance(15_000);
    await refused(await confirm(third.receiptId, { solution })); // another receipt's solution

    const client = createClient({ baseUrl: server.url, retry: 0 });
    const filed = await client.submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() });
    assert.ok(filed.reportCode);
  });

  test('confirming before the reading time is over does not spend the solution', async () => {
    const { receipt, confirm } = api(server);
    const early = await receipt('198.51.100.2');
    const solution = await solve(early);
    server.clock.advance(14_000);
    await refused(await confirm(early.receiptId, { solution }), 409, 'NOTICE_TOO_EARLY');
    server.clock.advance(1_000);
    assert.equal((await confirm(early.receiptId, { solution })).status, 200);
  });

  test('70 receipts opened at once by one client: 10 are opened, the rest wait (429 with Retry-After)', async () => {
    const { open, receipt, confirm } = api(server);
    const answers = await Promise.all(Array.from({ length: 70 }, () => open('203.0.113.70')));
    const opened = answers.filter((r) => r.status === 201);
    assert.equal(opened.length, DEFAULT_POW.openPerClient);
    for (const r of answers.filter((a) => a.status !== 201)) {
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) > 0, 'says when to try again');
      await refused(r, 429, 'RATE_LIMITED');
    }
    // Another client is not held up by this one.
    assert.equal((await open('203.0.113.71')).status, 201);
    // A confirmed receipt is no longer open: the client may open the next one.
    const mine = (await opened[0]!.json()) as Receipt;
    server.clock.advance(15_000);
    assert.equal((await confirm(mine.receiptId, { solution: await solve(mine) })).status, 200);
    assert.equal((await receipt('203.0.113.70')).challenge.maxNumber > 0, true);
    await refused(await open('203.0.113.70'), 429, 'RATE_LIMITED');
  });

  test('the SDK solves the challenge in Node, also for a receipt another client opened, and files a report', async () => {
    const citizen = createClient({ baseUrl: server.url, retry: 0 });
    const receipt = await citizen.startNoticeReceipt();
    assert.equal(receipt.challenge.maxNumber, DEFAULT_POW.baseMaxNumber, 'a first receipt costs the base price');
    server.clock.advance(15_000);
    const { ackToken } = await citizen.confirmNoticeReceipt(receipt.receiptId);
    const filed = await citizen.submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() });
    assert.ok(filed.reportCode);

    const other = await citizen.startNoticeReceipt();
    server.clock.advance(15_000);
    const elsewhere = createClient({ baseUrl: server.url, retry: 0 });
    assert.ok((await elsewhere.confirmNoticeReceipt(other)).ackToken);
  });
});

describe('the price of a receipt rises with load', () => {
  let server: TestServer;
  const settings = { ...DEFAULT_POW, openPerClient: 1_000, normalTotal: 40 };
  before(async () => {
    server = await startTestServer({ pow: settings, trustProxy: true });
  });
  after(() => server.close());

  test('per client: from the base price to the cap as one client keeps opening receipts', async () => {
    const { receipt } = api(server);
    const prices: number[] = [];
    for (let i = 0; i < 20; i++) prices.push((await receipt('198.51.100.20')).challenge.maxNumber);
    assert.equal(prices[0], settings.baseMaxNumber);
    assert.equal(prices[settings.freePerClient - 1], settings.baseMaxNumber, 'a few reloads cost nothing more');
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b), 'never cheaper while the flood goes on');
    assert.equal(prices.at(-1), settings.baseMaxNumber * settings.clientMaxFactor);
    // Another client still pays the base price.
    assert.equal((await receipt('198.51.100.21')).challenge.maxNumber, settings.baseMaxNumber);
    // Two windows later the flood is forgotten.
    server.clock.advance(2 * settings.windowMs);
    assert.equal((await receipt('198.51.100.20')).challenge.maxNumber, settings.baseMaxNumber);
  });

  test('in total: many clients with one receipt each make everyone pay more', async () => {
    const { receipt } = api(server);
    server.clock.advance(2 * settings.windowMs);
    assert.equal((await receipt('198.51.100.30')).challenge.maxNumber, settings.baseMaxNumber);
    for (let i = 0; i < 4 * settings.normalTotal; i++) await receipt(`10.1.${i >> 8}.${i & 255}`);
    const price = (await receipt('198.51.100.31')).challenge.maxNumber;
    assert.ok(price >= 4 * settings.baseMaxNumber, `a new client pays ${price}`);
    assert.ok(price <= settings.totalMaxFactor * settings.baseMaxNumber);
  });
});


describe('across instances on one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test('a solution counts once and the open-receipt cap holds, whichever instance is asked', async () => {
    const shared = {
      databaseUrl: await freshDatabase(),
      dataDir: mkdtempSync(path.join(tmpdir(), 'aqjb-pow-')),
      dataKey: randomBytes(32),
      clock: new ManualClock(),
      pow: DEFAULT_POW,
      trustProxy: true,
    };
    [a, b] = await Promise.all([startTestServer(shared), startTestServer(shared)]);

    const opened = await Promise.all(Array.from({ length: 30 }, (_, i) => api(i % 2 ? a! : b!).open('203.0.113.90')));
    assert.equal(opened.filter((r) => r.status === 201).length, DEFAULT_POW.openPerClient);

    const receipt = await api(a).receipt('203.0.113.91');
    const solution = await solve(receipt);
    shared.clock.advance(15_000);
    const answers = await Promise.all([a, b, a, b].map((s) => api(s!).confirm(receipt.receiptId, { solution })));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 400, 400, 400]);
  });
});
