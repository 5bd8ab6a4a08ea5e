import * as z from 'zod/mini';
import { IsoDateTime } from './common.js';
import { HandlingAction } from './staff.js';

/** `--dev` only: the staff handling actions without a token, so demos and tests can move a report through its life. */
export const DevAction = HandlingAction;
export type DevAction = HandlingAction;

export const DevOutboxEntry = z.object({ phone: z.string(), code: z.string(), sentAt: IsoDateTime });
export const DevOutbox = z.object({ messages: z.array(DevOutboxEntry) });
export type DevOutbox = z.infer<typeof DevOutbox>;
