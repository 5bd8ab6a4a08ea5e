import { startServer, type RunningServer, type StartOptions } from '../../src/server/index.js';
import { silentLogger } from '../../src/server/log.js';
import { ManualClock } from './manual-clock.js';

export interface TestServer extends RunningServer {
  clock: ManualClock;
}

/**
 * The real reference server, in-process on an ephemeral port, with a manual clock and `/dev/*` on. Each test file
 * starts one (PGlite takes ~2 s to boot) and shares it.
 */
export async function startTestServer(options: Partial<StartOptions> & { clock?: ManualClock } = {}): Promise<TestServer> {
  const clock = options.clock ?? new ManualClock();
  const server = await startServer({ memory: !options.dataDir && !options.databaseUrl, dev: true, logger: silentLogger, ...options, clock });
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
