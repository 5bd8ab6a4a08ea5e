import { startServer, type RunningServer, type StartOptions } from '../../src/server/index.js';
import { createClient, type AqjbClient } from '../../src/sdk/index.js';
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

export type Engine = 'chromium' | 'firefox' | 'webkit';

/**
 * The engine a test page runs in, from the User-Agent its requests carry (the runner's three: Chromium, Firefox ESR,
 * WebKitGTK's MiniBrowser). The browser suite gives each engine its own server: engines run side by side, and tests
 * move their server's clock and spend its per-address rate limits as if they had it to themselves.
 */
export function engineOf(userAgent: string): Engine {
  if (/\bFirefox\//.test(userAgent)) return 'firefox';
  return /Chrom(e|ium)\//.test(userAgent) ? 'chromium' : 'webkit';
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

// The drafts moved to ./drafts.ts (browser tests import them without the server); still exported here for the
// files that take them with the server helpers.
export { anonymousDraft, staffLetter } from './drafts.js';
