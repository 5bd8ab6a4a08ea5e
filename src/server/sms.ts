import { randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Queryable, Sql } from './db/sql.js';
import type { Sealer } from './crypto.js';
import { sealedAt, secretHash } from './crypto.js';
import { Problem, fieldProblem } from './problem.js';
import { hit, type Limit } from './rate-limit.js';
import { errorMessages } from '../messages/zh-CN.js';

/** Delivers a verification code; a province plugs in its SMS gateway. Must not log the code or the number. */
export type SmsSender = (phone: string, code: string) => Promise<void>;

export interface SmsLimits {
  /** Seconds before the same phone may ask again. */
  cooldownSeconds: number;
  perPhone: Limit;
  perClient: Limit;
  /** How long a code is valid. */
  ttlMs: number;
  /** Wrong tries before a code is void. */
  maxAttempts: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = {
  cooldownSeconds: 60,
  perPhone: { max: 5, windowMs: 3600_000 },
  perClient: { max: 20, windowMs: 3600_000 },
  ttlMs: 10 * 60_000,
  maxAttempts: 5,
};

const wrongCode = () =>
  fieldProblem([{ path: 'reporter.smsCode', code: 'reporter.smsCode.wrong', message: errorMessages['reporter.smsCode.wrong'] }]);

export function createSmsService(deps: { sql: Sql; clock: Clock; sealer: Sealer; send?: SmsSender; limits?: SmsLimits }) {
  const { sql, clock, sealer, send } = deps;
  const limits = deps.limits ?? DEFAULT_SMS_LIMITS;

  async function request(phone: string, clientHash: string): Promise<{ cooldownSeconds: number }> {
    if (!send) throw new Problem(503, 'UNAVAILABLE', { message: '短信服务暂不可用，请改用匿名举报或拨打 12350' });
    const now = clock.now();
    const phoneHash = sealer.lookupHash(`phone:${phone}`);
    const { rows } = await sql.query<{ sent_at: string | Date }>('SELECT sent_at FROM sms_codes WHERE phone_hash = $1', [phoneHash]);
    const last = rows[0] ? new Date(rows[0].sent_at).getTime() : 0;
    const wait = last + limits.cooldownSeconds * 1000 - now;
    if (wait > 0) throw new Problem(429, 'RATE_LIMITED', { retryAfterMs: wait });
    await hit(sql, `sms:client:${clientHash}`, limits.perClient, now);
    await hit(sql, `sms:phone:${phoneHash}`, limits.perPhone, now);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await sql.query(
      `INSERT INTO sms_codes (phone_hash, code_hash, sent_at, expires_at, attempts) VALUES ($1, $2, $3, $4, 0)
       ON CONFLICT (phone_hash) DO UPDATE SET code_hash = $2, sent_at = $3, expires_at = $4, attempts = 0`,
      [phoneHash, secretHash(`${phoneHash}:${code}`), new Date(now).toISOString(), new Date(now + limits.ttlMs).toISOString()],
    );
    await send(phone, code);
    return { cooldownSeconds: limits.cooldownSeconds };
  }

  /**
   * Checks a code and counts the attempt (committed even when the report then fails, so guessing stays bounded).
   * Returns a token for `consume`, which deletes the code inside the report's transaction.
   */
  async function check(phone: string, code: string): Promise<{ phoneHash: string; codeHash: string }> {
    const phoneHash = sealer.lookupHash(`phone:${phone}`);
    const { rows } = await sql.query<{ code_hash: string; attempts: number }>(
      `UPDATE sms_codes SET attempts = attempts + 1 WHERE phone_hash = $1 AND expires_at > $2
       RETURNING code_hash, attempts`,
      [phoneHash, new Date(clock.now()).toISOString()],
    );
    const row = rows[0];
    const codeHash = secretHash(`${phoneHash}:${code}`);
    if (!row || row.attempts > limits.maxAttempts || row.code_hash !== codeHash) throw wrongCode();
    return { phoneHash, codeHash };
  }

  async function consume(tx: Queryable, token: { phoneHash: string; codeHash: string }): Promise<void> {
    const { rowCount } = await tx.query('DELETE FROM sms_codes WHERE phone_hash = $1 AND code_hash = $2', [
      token.phoneHash,
      token.codeHash,
    ]);
    if (rowCount === 0) throw wrongCode();
  }

  return { request, check, consume };
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
