import { startServer, type RunningServer, type StartOptions } from '../../src/server/index.js';
import { createClient, type AqjbClient, type ReportDraft } from '../../src/sdk/index.js';
import type { StaffReportEntry } from '../../src/sdk/schemas/staff.js';
import { silentLogger } from '../../src/server/log.js';
import type { PowSettings } from '../../src/server/pow.js';
import { ManualClock } from './manual-clock.js';

export interface TestServer extends RunningServer {
  clock: ManualClock;
}

/**
 * Test servers take hundreds of receipts from one address (127.0.0.1) on a clock that hardly moves. The notice's
 * proof-of-work stays on (every receipt is solved and checked) at a small flat price and without the open-receipt
 * cap; tests/server/pow.test.ts tests the real prices and the cap (`DEFAULT_POW`).
 */
export const TEST_POW: Partial<PowSettings> = { baseMaxNumber: 5_000, clientMaxFactor: 1, totalMaxFactor: 1, openPerClient: 1e9 };

/**
 * The real reference server, in-process on an ephemeral port, with a manual clock and `/dev/*` on. Each test file
 * starts one (PGlite takes ~2 s to boot) and shares it.
 */
export async function startTestServer(options: Partial<StartOptions> & { clock?: ManualClock } = {}): Promise<TestServer> {
  const clock = options.clock ?? new ManualClock();
  const server = await startServer({ memory: !options.dataDir && !options.databaseUrl, dev: true, logger: silentLogger, pow: TEST_POW, ...options, clock });
  return Object.assign(server, { clock });
}

export interface DevMessage {
  phone: string;
  code: string;
}

/** The SMS code the server would have sent to `phone` (from `GET /dev/outbox`). */
export async function lastSmsCode(baseUrl: string, phone: string): Promise<string> {
  const response = await fetch(new URL('dev/outbox', baseUrl));
  const { messages } = (await response.json()) as { messages: DevMessage[] };
  const message = messages.find((m) => m.phone === phone);
  if (!message) throw new Error(`no SMS to ${phone} in the dev outbox`);
  return message.code;
}

export async function devAction(baseUrl: string, code: string, action: Record<string, unknown>) {
  const response = await fetch(new URL(`dev/reports/${code}/actions`, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(action),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Reads the notice for the minimum time on the server's (manual) clock, as a citizen would; returns the token. Any
 * server with its URL and clock will do (a test server, or the demo's API: `{ url: apiBase, clock }`).
 */
export async function readNotice(
  server: Pick<TestServer, 'url' | 'clock'>,
  client: AqjbClient = createClient({ baseUrl: server.url, retry: 0 }),
): Promise<string> {
  const { receiptId } = await client.startNoticeReceipt();
  server.clock.advance(15_000);
  return (await client.confirmNoticeReceipt(receiptId)).ackToken;
}

/** A valid anonymous report about a chemical plant in 郑州市金水区; `extra` overrides any field. */
export const anonymousDraft = (ackToken: string, extra: Partial<ReportDraft> = {}): ReportDraft =>
  ({
    mode: 'anonymous',
    ackToken,
    regionCode: '410105',
    subject: { name: '某某化工有限公司', address: '郑州市金水区某路 1 号' },
    industry: 'chemical',
    problemTypes: [{ code: 'major-hazard' }],
    description: '储罐区可燃气体报警器长期损坏，夜间有人在罐区吸烟。',
    attachmentIds: [],
    ...extra,
  }) as ReportDraft;

/** A letter staff enter: 张三's real-name report about the same plant, received 2026-02-27; `extra` overrides any field. */
export const staffLetter = (externalId: string, extra: Partial<StaffReportEntry> = {}): StaffReportEntry =>
  ({
    externalId,
    channel: 'letter',
    receivedAt: '2026-02-27T02:00:00Z',
    mode: 'real-name',
    regionCode: '410105',
    subject: { name: '某某化工有限公司', address: '郑州市金水区某路 1 号' },
    industry: 'chemical',
    problemTypes: [{ code: 'major-hazard' }],
    description: '来信反映储罐区可燃气体报警器长期损坏。',
    reporter: { name: '张三', phone: '13800000000' },
    ...extra,
  }) as StaffReportEntry;
