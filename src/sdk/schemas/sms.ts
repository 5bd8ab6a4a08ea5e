import * as z from 'zod/mini';
import { Phone } from './common.js';
import { AnonymousReportDraft } from './report.js';

/**
 * Asks for a verification code: only a citizen who has confirmed the notice can, with the same `ackToken` the report
 * will carry (it is checked, not spent; the code then answers only to this token).
 */
export const SmsCodeRequest = z.strictObject({ phone: Phone, ackToken: AnonymousReportDraft.shape.ackToken });
export type SmsCodeRequest = z.infer<typeof SmsCodeRequest>;

export const SmsCodeSent = z.object({
  /** Seconds before another code may be asked for this phone. */
  cooldownSeconds: z.number().check(z.int(), z.nonnegative()),
});
export type SmsCodeSent = z.infer<typeof SmsCodeSent>;
