import * as z from 'zod/mini';
import { Id, IsoDateTime } from './base.js';

export const NoticeBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), text: z.string() }),
  z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.string()) }),
]);
export type NoticeBlock = z.infer<typeof NoticeBlock>;

export const NoticeSection = z.object({ heading: z.string(), blocks: z.array(NoticeBlock) });

/** The reporting notice (举报须知) as structured text: never HTML. */
export const Notice = z.object({
  version: z.string(),
  title: z.string(),
  /** Seconds the notice must be read before reporting; the server enforces it. */
  minReadSeconds: z.number().check(z.int(), z.positive()),
  sections: z.array(NoticeSection),
});
export type Notice = z.infer<typeof Notice>;

const Hex = z.string().check(z.regex(/^(?:[0-9a-f]{2})+$/));

/** Largest counter a challenge may use: the solver writes it as a 32-bit big-endian number (altcha's `uint32`). */
export const POW_MAX_NUMBER = 0xffff_ffff;

/**
 * The proof-of-work that goes with a reading receipt (ALTCHA v2 parameters, SHA-256): find the counter `n` in
 * 0…`maxNumber` whose key, SHA-256 applied `cost` times to salt ‖ nonce ‖ n (4 bytes, big-endian), starts with
 * `keyPrefix`. The SDK solves it while the notice is read; the server raises `maxNumber` under load.
 */
export const PowChallenge = z.object({
  algorithm: z.literal('SHA-256'),
  nonce: Hex,
  salt: Hex,
  cost: z.number().check(z.int(), z.positive(), z.maximum(16)),
  keyLength: z.literal(32),
  keyPrefix: Hex,
  maxNumber: z.number().check(z.int(), z.nonnegative(), z.maximum(POW_MAX_NUMBER)),
});
export type PowChallenge = z.infer<typeof PowChallenge>;

export const NoticeReceipt = z.object({ receiptId: Id, readableAt: IsoDateTime, challenge: PowChallenge });
export type NoticeReceipt = z.infer<typeof NoticeReceipt>;

/** The answer to a receipt's challenge: the counter and the key it derives (lower-case hex). */
export const PowSolution = z.object({
  counter: z.number().check(z.int(), z.nonnegative(), z.maximum(POW_MAX_NUMBER)),
  derivedKey: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type PowSolution = z.infer<typeof PowSolution>;

/** Body of `POST /notice/receipts/{id}/confirm`. */
export const NoticeConfirmation = z.object({ solution: PowSolution });
export type NoticeConfirmation = z.infer<typeof NoticeConfirmation>;

export const NoticeAck = z.object({ ackToken: z.string().check(z.minLength(16)), expiresAt: IsoDateTime });
export type NoticeAck = z.infer<typeof NoticeAck>;
