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

export const NoticeReceipt = z.object({ receiptId: Id, readableAt: IsoDateTime });
export type NoticeReceipt = z.infer<typeof NoticeReceipt>;

export const NoticeAck = z.object({ ackToken: z.string().check(z.minLength(16)), expiresAt: IsoDateTime });
export type NoticeAck = z.infer<typeof NoticeAck>;
