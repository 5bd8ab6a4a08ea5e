import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { SmsSender } from './sms.js';

/**
 * SMS delivery by configuration (#19.1): the server POSTs each verification code to the province's own SMS platform,
 * or to a small adapter in front of a cloud SMS service, as JSON:
 *
 *   POST <url>
 *   Content-Type: application/json
 *   X-Aqjb-Timestamp: 1765094400                       (Unix seconds)
 *   X-Aqjb-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 *   { "phone": "13800000000", "code": "123456", "purpose": "real-name-report", "expiresAt": "2026-12-07T08:10:00.000Z" }
 *
 * The receiver checks the signature (`verifySmsWebhook` shows how) and refuses a timestamp more than five minutes
 * off, so a captured request cannot be replayed later. Any 2xx counts as delivered; anything else, or no answer
 * within the timeout, is a failed delivery: the citizen is told at once (503, with the 12350 hotline) and may ask
 * again; the server never retries by itself, because a retry after a timeout could send the code twice.
 */
export interface SmsWebhookOptions {
  /** https, or http to this host only (an adapter beside the server). */
  url: string;
  /** The shared secret (AQJB_SMS_WEBHOOK_SECRET): at least 32 characters. */
  secret: string;
  /** Per delivery; default 5000 ms, well inside the citizen's wait. */
  timeoutMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

export const SMS_WEBHOOK_TIMESTAMP = 'X-Aqjb-Timestamp';
export const SMS_WEBHOOK_SIGNATURE = 'X-Aqjb-Signature';
/** How far a receiver lets the timestamp be from its own clock. */
export const SMS_WEBHOOK_TOLERANCE_SECONDS = 300;

const sign = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** Why the options cannot be used, or undefined; checked at start so a mistake stops the server, not a citizen. */
export function smsWebhookProblem({ url, secret }: Pick<SmsWebhookOptions, 'url' | 'secret'>): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--sms-webhook is not a URL: ${url}`;
  }
  const local = ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
    return '--sms-webhook must be https (http only to 127.0.0.1 or localhost): phone numbers and codes travel in it';
  }
  if (parsed.username || parsed.password || parsed.search) return '--sms-webhook must carry no credentials or query string';
  if (secret.length < 32) return 'AQJB_SMS_WEBHOOK_SECRET must be set, at least 32 characters (e.g. `openssl rand -base64 32`)';
  return undefined;
}

/** An `SmsSender` that delivers through the webhook; throws on any failure (the SMS service turns that into 503). */
export function webhookSmsSender(options: SmsWebhookOptions): SmsSender {
  const problem = smsWebhookProblem(options);
  if (problem) throw new Error(problem);
  const { url, secret, timeoutMs = 5_000, clock = systemClock } = options;
  const send = options.fetch ?? globalThis.fetch;
  return async (phone, code, { expiresAt }) => {
    const body = JSON.stringify({ phone, code, purpose: 'real-name-report', expiresAt });
    const timestamp = String(Math.floor(clock.now() / 1000));
    const response = await send(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SMS_WEBHOOK_TIMESTAMP]: timestamp,
        [SMS_WEBHOOK_SIGNATURE]: sign(secret, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    // The status only: the receiver's answer may echo the number.
    if (!response.ok) throw new Error(`SMS webhook answered ${response.status}`);
  };
}

/**
 * For a receiver written in Node: true when `signature` is the server's for this timestamp and raw body, and the
 * timestamp is within five minutes of `now`. Check the raw bytes as received, before parsing the JSON.
 */
export function verifySmsWebhook(
  secret: string,
  { timestamp, signature, body }: { timestamp: string | null; signature: string | null; body: string },
  now = Date.now(),
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > SMS_WEBHOOK_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
