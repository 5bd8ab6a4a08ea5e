import * as z from 'zod/mini';
import { IsoDateTime, RegionCode, Text } from './common.js';
import { e } from './error-keys.js';
import { LIMITS } from './limits.js';
import { NotAcceptedReason } from './progress.js';

/** Staff notes of a dev action (a supplement request, a closing outcome): as long as a citizen's description. */
const note = (min?: number) => Text({ min, max: LIMITS.descriptionMax });

/** `--dev` only: what a handling authority does, so demos and tests can move a report through its life. */
export const DevAction = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('accept') }),
    z.strictObject({ action: z.literal('reject'), reason: NotAcceptedReason }),
    z.strictObject({ action: z.literal('transfer'), toRegionCode: RegionCode }),
    z.strictObject({ action: z.literal('request-supplement'), request: note(1) }),
    z.strictObject({
      action: z.literal('extend'),
      days: z.number().check(z.int(), z.minimum(1, e('extension.days')), z.maximum(LIMITS.extensionDays, e('extension.days'))),
    }),
    z.strictObject({ action: z.literal('verify') }),
    z.strictObject({
      action: z.literal('close'),
      outcome: note(1),
      substantiated: z.boolean(),
      reward: z.optional(note()),
    }),
  ],
  { error: e('action.invalid') },
);
export type DevAction = z.infer<typeof DevAction>;

export const DevOutboxEntry = z.object({ phone: z.string(), code: z.string(), sentAt: IsoDateTime });
export const DevOutbox = z.object({ messages: z.array(DevOutboxEntry) });
export type DevOutbox = z.infer<typeof DevOutbox>;
