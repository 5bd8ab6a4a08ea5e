import * as z from 'zod/mini';
import { IsoDate, IsoDateTime, RegionCode } from './common.js';

/**
 * Where a report stands. Plain-language labels live in the components' locales:
 * submitted 受理中 · accepted 已受理 · not-accepted 不予受理 · transferred 已转办 · verifying 核查中 ·
 * extended 已延期 · supplement-requested 待补充材料 · closed 已办结.
 */
export const ReportStatus = z.enum([
  'submitted',
  'accepted',
  'not-accepted',
  'transferred',
  'verifying',
  'extended',
  'supplement-requested',
  'closed',
]);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** The three ways a report is not accepted (operations manual, 工作要求 五). */
export const NotAcceptedReason = z.discriminatedUnion('kind', [
  /** 需补正: no usable evidence; the reporter is told everything to supply and may report again with it. */
  z.object({ kind: z.literal('needs-correction'), missing: z.string() }),
  /** 重复举报: already handled or in progress, and nothing new was given. */
  z.object({ kind: z.literal('duplicate') }),
  /** 不属于本部门职责: passed to the department responsible. */
  z.object({ kind: z.literal('out-of-scope'), department: z.string() }),
]);
export type NotAcceptedReason = z.infer<typeof NotAcceptedReason>;

/** How a report reached the authority: the citizen web form, or one of the ways staff enter (`StaffChannel`). */
export const Channel = z.enum(['web', 'letter', 'visit', 'fax', 'phone', 'legacy']);
export type Channel = z.infer<typeof Channel>;

const at = { at: IsoDateTime, org: z.string() };

export const ProgressEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('submitted'), ...at, channel: Channel }),
  z.object({ type: z.literal('accepted'), ...at }),
  z.object({ type: z.literal('not-accepted'), ...at, reason: NotAcceptedReason }),
  z.object({ type: z.literal('transferred'), ...at, toOrg: z.string(), toRegionCode: RegionCode }),
  z.object({ type: z.literal('verifying'), ...at }),
  z.object({ type: z.literal('extension-requested'), ...at, days: z.number().check(z.int()) }),
  z.object({ type: z.literal('extension-approved'), ...at, days: z.number().check(z.int()), verifyBy: IsoDate }),
  z.object({ type: z.literal('supplement-requested'), ...at, request: z.string() }),
  z.object({ type: z.literal('supplement-received'), ...at, attachmentCount: z.number().check(z.int()) }),
  z.object({
    type: z.literal('closed'),
    ...at,
    /** Result of the verification, in the handling authority's words. */
    outcome: z.string(),
    substantiated: z.boolean(),
    /** Reward note for a substantiated real-name report (举报奖励), if any. */
    reward: z.optional(z.string()),
  }),
]);
export type ProgressEvent = z.infer<typeof ProgressEvent>;
export type ProgressEventType = ProgressEvent['type'];

export const Deadline = z.object({
  kind: z.enum(['acceptance', 'verification']),
  /** Last day (Beijing date) on which it is still on time. */
  due: IsoDate,
  /** True when the holiday calendar does not cover the year: working days were counted Monday to Friday. */
  estimated: z.boolean(),
  /** When it was met; absent while open. */
  metAt: z.optional(IsoDateTime),
  /**
   * Working days left from today (server's Beijing date) while open: 0 = due today, negative = overdue by that many
   * working days. Absent once met.
   */
  workingDaysLeft: z.optional(z.number().check(z.int())),
});
export type Deadline = z.infer<typeof Deadline>;

export const Progress = z.object({
  reportCode: z.string(),
  status: ReportStatus,
  /** Handling authority now. */
  handledBy: z.object({ regionCode: RegionCode, orgName: z.string() }),
  /** Oldest first. */
  events: z.array(ProgressEvent),
  deadlines: z.array(Deadline),
  /** Present while status is `supplement-requested`: what the authority asks for. */
  supplementRequest: z.optional(z.string()),
});
export type Progress = z.infer<typeof Progress>;
