import { expect } from '@open-wc/testing';
import { waitUntil } from '../support/wait.js';
import * as z from 'zod/mini';
import { NetworkError } from '../../src/sdk/index.js';
import {
  createTransitionClient,
  defineLegacyAdapter,
  openIndexedDbOutbox,
  type OutboxEntrySummary,
  type OutboxStore,
} from '../../src/sdk/transition/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { anonymousDraft } from '../support/drafts.js';

const api = window.__AQJB__.api;
const advanceServerClock = (ms: number) => fetch(`/__aqjb/clock?advance=${ms}`);

/**
 * A stand-in legacy system (the browser harness starts no servers but ours): it dedupes on the idempotency key,
 * as the adapter contract asks, and counts every copy it takes.
 */
function fakeLegacy() {
  const state = { up: false, copies: new Map<string, number>(), attempts: 0 };
  const adapter = defineLegacyAdapter({
    name: 'fake',
    codePattern: /^FK\d{6}$/,
    schemas: {
      submission: z.object({ guojia: z.string(), neirong: z.string() }),
      receipt: z.object({ bianhao: z.string() }),
      progress: z.object({}),
    },
    toLegacy: (r) => ({ guojia: r.nationalCode ?? '', neirong: r.content.description }),
    async send(_http, submission, { idempotencyKey }) {
      state.attempts++;
      if (!state.up) throw new NetworkError();
      if (!state.copies.has(idempotencyKey)) state.copies.set(idempotencyKey, 0);
      state.copies.set(idempotencyKey, state.copies.get(idempotencyKey)! + 1);
      return { bianhao: `FK${String(state.copies.size).padStart(6, '0')}`, guojia: submission.guojia };
    },
    fromReceipt: (r, report) => ({
      reportCode: r.bianhao,
      queryKey: '000000',
      submittedAt: report.submittedAt,
      routedTo: { regionCode: report.content.regionCode, orgName: '某应急管理局' },
      acceptBy: '2026-03-05',
    }),
    lookup: async () => ({}),
    fromProgress: () => {
      throw new Error('not used');
    },
  });
  return { state, adapter };
}

describe('transition outbox in the browser (IndexedDB)', () => {
  const name = `aqjb-outbox-test-${crypto.randomUUID()}`;
  after(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = r.onblocked = () => resolve(undefined); }));

  it('survives a reload (the database reopened) and delivers exactly once', async () => {
    const clock = new ManualClock(Date.now());
    const legacy = fakeLegacy();
    const open = (store: OutboxStore) =>
      createTransitionClient({
        national: { baseUrl: api, retry: 0 },
        legacy: { adapter: legacy.adapter, baseUrl: 'http://127.0.0.1:9/' },
        mode: 'dual',
        outbox: store,
        clock,
      });

    const firstStore = await openIndexedDbOutbox({ name });
    const first = open(firstStore);
    const { receiptId } = await first.startNoticeReceipt();
    await advanceServerClock(15_000);
    const { ackToken } = await first.confirmNoticeReceipt(receiptId);
    const receipt = await first.submitReport(anonymousDraft(ackToken, { description: '储罐区可燃气体报警器长期损坏。' }), {
      idempotencyKey: crypto.randomUUID(),
    });
    await first.outbox!.flush();
    expect((await first.outbox!.get(receipt.reportCode))?.state).to.equal('pending');
    expect(legacy.state.attempts).to.be.greaterThan(0);
    expect(legacy.state.copies.size).to.equal(0);
    // The reload: the page's objects are gone; only IndexedDB remains.
    first.close();
    await firstStore.close();

    legacy.state.up = true;
    const secondStore = await openIndexedDbOutbox({ name });
    expect((await secondStore.get(receipt.reportCode))?.report?.content.description).to.equal('储罐区可燃气体报警器长期损坏。');
    const second = open(secondStore);
    const seen: OutboxEntrySummary[] = [];
    second.outbox!.subscribe((e) => seen.push(e));
    clock.advance(10 * 60_000);
    await waitUntil(() => seen.some((e) => e.state === 'delivered'), 'the entry is delivered after the reload');
    expect(legacy.state.copies.get(receipt.reportCode)).to.equal(1);
    expect((await secondStore.get(receipt.reportCode))?.report).to.equal(undefined);

    // Another tab on the same database finds nothing left to send.
    const third = open(await openIndexedDbOutbox({ name }));
    await third.outbox!.flush();
    expect(legacy.state.copies.get(receipt.reportCode)).to.equal(1);
    expect((await third.outbox!.status()).counts).to.deep.equal({ pending: 0, delivered: 1, failed: 0 });
    second.close();
    third.close();
  });
});
