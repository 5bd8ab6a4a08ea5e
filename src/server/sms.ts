import { randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Queryable, Sql } from './db/sql.js';
import type { Sealer } from './crypto.js';
import { sameHash, sealedAt, secretHash } from './crypto.js';
import { Problem, fieldProblem } from './problem.js';
import { hit, RateLimited, type Limit } from './rate-limit.js';
import { beijingDate, startOfBeijingDay } from './deadlines.js';
import { errorMessages } from '../messages/zh-CN.js';

/**
 * Delivers a verification code: `--sms-webhook` (src/server/sms-webhook.ts), or a function given to `startServer`.
 * Throws when it could not deliver. Must not log the code or the number.
 */
export type SmsSender = (phone: string, code: string, details: { expiresAt: string }) => Promise<void>;

const smsUnavailable = (message: string) => new Problem(503, 'UNAVAILABLE', { message });

export interface SmsLimits {
  /** Seconds before the same phone may be sent another code, whoever asks. */
  cooldownSeconds: number;
  /** Codes one phone may be sent per Beijing calendar day, whoever asks: the most a stranger can make it receive. */
  perPhonePerDay: number;
  /** Codes one confirmed notice (one citizen's visit) may ask for: a resend or two, a mistyped number. */
  perNotice: number;
  perClient: Limit;
  /** How long a code is valid. */
  ttlMs: number;
  /** Wrong tries before a code is void. */
  maxAttempts: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = {
  cooldownSeconds: 60,
  perPhonePerDay: 10,
  perNotice: 5,
  perClient: { max: 20, windowMs: 3600_000 },
  ttlMs: 10 * 60_000,
  maxAttempts: 5,
};

const DAY_MS = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const wrongCode = () =>
  fieldProblem([{ path: 'reporter.smsCode', code: 'reporter.smsCode.wrong', message: errorMessages['reporter.smsCode.wrong'] }]);

const noticeInvalid = () =>
  new Problem(400, 'NOTICE_ACK_INVALID', {
    fields: [{ path: 'ackToken', code: 'ackToken.required', message: errorMessages['ackToken.required'] }],
  });

/**
 * Verification codes for real-name reports. Only a citizen who has read the notice gets or checks one: every call
 * carries the token of a confirmed, unused notice receipt, and a code answers only to the token that asked for it,
 * so nobody else can spend its tries. The per-phone rules (cooldown, daily cap) hold in one conditional upsert, so
 * they hold however many requests and instances race.
 */
export function createSmsService(deps: { sql: Sql; clock: Clock; sealer: Sealer; send?: SmsSender; limits?: SmsLimits }) {
  const { sql, clock, sealer, send } = deps;
  const limits = deps.limits ?? DEFAULT_SMS_LIMITS;

  /** 400 NOTICE_ACK_INVALID unless `ackHash` is a confirmed notice's, unexpired and not yet used by a report. */
  async function requireNotice(db: Queryable, ackHash: string, now: number): Promise<void> {
    const { rows } = await db.query(
      'SELECT 1 FROM notice_receipts WHERE ack_hash = $1 AND consumed_at IS NULL AND ack_expires_at > $2',
      [ackHash, iso(now)],
    );
    if (rows.length === 0) throw noticeInvalid();
  }

  /** Why `phoneHash` may not be sent a code now, as the 429 to answer. */
  async function refusal(db: Queryable, phoneHash: string, now: number): Promise<Problem> {
    const { rows } = await db.query<{ sent_at: string | Date; day: string | null; day_count: number }>(
      'SELECT sent_at, day, day_count FROM sms_codes WHERE phone_hash = $1',
      [phoneHash],
    );
    const row = rows[0];
    const today = beijingDate(now);
    if (row && row.day === today && row.day_count >= limits.perPhonePerDay) {
      const tomorrow = startOfBeijingDay(now) + DAY_MS;
      return new RateLimited('sms-phone-day', tomorrow - now);
    }
    const wait = row ? new Date(row.sent_at).getTime() + limits.cooldownSeconds * 1000 - now : 0;
    return new RateLimited('sms-phone-cooldown', Math.max(0, wait));
  }

  async function request({ phone, ackToken }: { phone: string; ackToken: string }, clientHash: string): Promise<{ cooldownSeconds: number }> {
    if (!send) throw smsUnavailable('短信服务暂不可用，请改用匿名举报或拨打 12350');
    const now = clock.now();
    const ackHash = secretHash(ackToken);
    await hit(sql, `sms:client:${clientHash}`, limits.perClient, now);
    // Checked, not spent: the report this notice goes with spends it.
    await requireNotice(sql, ackHash, now);
    const phoneHash = sealer.lookupHash(`phone:${phone}`);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await sql.transaction(async (tx) => {
      const notice = await tx.query(
        `UPDATE notice_receipts SET sms_sent = sms_sent + 1
         WHERE ack_hash = $1 AND consumed_at IS NULL AND ack_expires_at > $2 AND sms_sent < $3 RETURNING id`,
        [ackHash, iso(now), limits.perNotice],
      );
      if (notice.rowCount === 0) throw new RateLimited('sms-notice');
      // One statement decides: a new phone gets its row; a known one is updated only when its cooldown is over and
      // its day's count is under the cap (a new Beijing day starts the count again). No row back: nothing is sent.
      // Concurrent requests for one phone queue on its row and re-check the condition against the winner's update.
      const { rows } = await tx.query(
        `INSERT INTO sms_codes AS s (phone_hash, code_hash, ack_hash, sent_at, expires_at, attempts, day, day_count)
         VALUES ($1, $2, $3, $4, $5, 0, $6, 1)
         ON CONFLICT (phone_hash) DO UPDATE SET
           code_hash = excluded.code_hash, ack_hash = excluded.ack_hash, sent_at = excluded.sent_at,
           expires_at = excluded.expires_at, attempts = 0, day = excluded.day,
           day_count = CASE WHEN s.day = excluded.day THEN s.day_count + 1 ELSE 1 END
         WHERE s.sent_at <= $7 AND (s.day IS DISTINCT FROM excluded.day OR s.day_count < $8)
         RETURNING day_count`,
        [
          phoneHash,
          secretHash(`${phoneHash}:${code}`),
          ackHash,
          iso(now),
          iso(now + limits.ttlMs),
          beijingDate(now),
          iso(now - limits.cooldownSeconds * 1000),
          limits.perPhonePerDay,
        ],
      );
      if (rows.length === 0) throw await refusal(tx, phoneHash, now);
    });
    try {
      await send(phone, code, { expiresAt: iso(now + limits.ttlMs) });
    } catch {
      // Not delivered: the code is void and the phone's cooldown released, so the citizen may ask again at once (the
      // day's count stays: it bounds what a failing gateway can be made to try). Never retried here: after a timeout
      // the message may still arrive, and a second one would confuse.
      await sql.query(
        `UPDATE sms_codes SET code_hash = '', ack_hash = NULL, expires_at = sent_at, sent_at = $3
         WHERE phone_hash = $1 AND code_hash = $2`,
        [phoneHash, secretHash(`${phoneHash}:${code}`), iso(now - limits.cooldownSeconds * 1000)],
      );
      throw smsUnavailable('验证码短信发送失败，请稍后重新获取；也可改用匿名举报，或拨打 12350 举报');
    }
    return { cooldownSeconds: limits.cooldownSeconds };
  }

  /**
   * Checks a code and counts the attempt (committed even when the report then fails, so guessing stays bounded).
   * The notice token is checked first, and only the token that asked for the code can try it: a stranger with a
   * junk or their own token never spends the owner's tries. Returns a token for `consume`, which retires the code
   * inside the report's transaction.
   */
  async function check(phone: string, code: string, ackToken: string): Promise<{ phoneHash: string; codeHash: string }> {
    const now = clock.now();
    const ackHash = secretHash(ackToken);
    await requireNotice(sql, ackHash, now);
    const phoneHash = sealer.lookupHash(`phone:${phone}`);
    const { rows } = await sql.query<{ code_hash: string; attempts: number }>(
      `UPDATE sms_codes SET attempts = attempts + 1 WHERE phone_hash = $1 AND ack_hash = $2 AND expires_at > $3
       RETURNING code_hash, attempts`,
      [phoneHash, ackHash, iso(now)],
    );
    const row = rows[0];
    const codeHash = secretHash(`${phoneHash}:${code}`);
    if (!row || row.attempts > limits.maxAttempts || !sameHash(row.code_hash, codeHash)) throw wrongCode();
    return { phoneHash, codeHash };
  }

  /** Retires a checked code; the row stays for the phone's cooldown and daily count. */
  async function consume(tx: Queryable, token: { phoneHash: string; codeHash: string }): Promise<void> {
    const { rowCount } = await tx.query(
      `UPDATE sms_codes SET code_hash = '', ack_hash = NULL, expires_at = sent_at
       WHERE phone_hash = $1 AND code_hash = $2`,
      [token.phoneHash, token.codeHash],
    );
    if (rowCount === 0) throw wrongCode();
  }

  /** Forgets phones whose code, cooldown and day are all over. */
  async function prune(): Promise<void> {
    const now = clock.now();
    await sql.query('DELETE FROM sms_codes WHERE expires_at <= $1 AND sent_at <= $2 AND (day IS NULL OR day < $3)', [
      iso(now),
      iso(now - limits.cooldownSeconds * 1000),
      beijingDate(now),
    ]);
  }

  return { request, check, consume, prune };
}

export type SmsService = ReturnType<typeof createSmsService>;

/** `--dev`: codes go to a table the demo and tests read through `GET /dev/outbox`; the phone stays encrypted. */
export const devOutboxSender =
  (sql: Sql, sealer: Sealer, clock: Clock): SmsSender =>
  async (phone, code) => {
    // The row's id is taken first: the sealed phone is bound to it.
    const { rows } = await sql.query<{ id: string }>("SELECT nextval(pg_get_serial_sequence('dev_outbox', 'id'))::text AS id");
    const id = rows[0]!.id;
    await sql.query('INSERT INTO dev_outbox (id, phone_enc, code, sent_at) VALUES ($1, $2, $3, $4)', [
      id,
      sealer.seal(phone, sealedAt('dev_outbox', 'phone_enc', id)),
      code,
      new Date(clock.now()).toISOString(),
    ]);
  };
