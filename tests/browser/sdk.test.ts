import { expect } from '@open-wc/testing';
import { ApiError, NetworkError, createClient, parseReportCode } from '../../src/sdk/index.js';
import { anonymousDraft } from '../support/drafts.js';

declare global {
  interface Window {
    __AQJB__: { api: string };
    /** Collected from page start by the runner's HTML (web-test-runner.config.mjs). */
    __cspViolations: string[];
  }
}

const api = window.__AQJB__.api;
const advanceServerClock = (ms: number) => fetch(`/__aqjb/clock?advance=${ms}`);

describe('SDK in the browser', () => {
  const client = createClient({ baseUrl: api, retry: 0 });

  it('loads and parses under a CSP without unsafe-eval: no violation reported', async () => {
    await client.getNotice();
    await client.getDictionaries();
    await client.listRegions('410000');
    expect(window.__cspViolations).to.deep.equal([]);
  });

  it('files an anonymous report across origins (CORS) and reads its progress', async () => {
    const { receiptId } = await client.startNoticeReceipt();
    await advanceServerClock(15_000);
    const { ackToken } = await client.confirmNoticeReceipt(receiptId);
    const receipt = await client.submitReport(anonymousDraft(ackToken), { idempotencyKey: crypto.randomUUID() });
    expect(parseReportCode(receipt.reportCode).ok).to.equal(true);
    const progress = await client.getProgress(receipt.reportCode, receipt.queryKey);
    expect(progress.status).to.equal('submitted');
    expect(document.cookie).to.equal('');
  });

  it('gives a typed error for a refused notice confirmation', async () => {
    const { receiptId } = await client.startNoticeReceipt();
    let error: unknown;
    try {
      await client.confirmNoticeReceipt(receiptId);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).code).to.equal('NOTICE_TOO_EARLY');
    expect((error as ApiError).retryAfterMs).to.be.greaterThan(0);
  });

  it('turns an unreachable server into a NetworkError', async () => {
    const offline = createClient({ baseUrl: 'http://127.0.0.1:9/', retry: 0 });
    let error: unknown;
    try {
      await offline.getNotice();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NetworkError);
  });
});
