import * as z from 'zod/mini';
import { Phone } from './common.js';

export const SmsCodeRequest = z.strictObject({ phone: Phone });
export type SmsCodeRequest = z.infer<typeof SmsCodeRequest>;

export const SmsCodeSent = z.object({
  /** Seconds before another code may be asked for this phone. */
  cooldownSeconds: z.number().check(z.int(), z.nonnegative()),
});
export type SmsCodeSent = z.infer<typeof SmsCodeSent>;
