import * as z from 'zod/mini';
import { IsoDate, IsoDateTime, RegionCode, Text } from './common.js';
import { e } from './error-keys.js';
import { LIMITS } from './limits.js';
import { AnonymousReportDraft, ReportReceipt, Reporter, RoutedTo } from './report.js';
import { Channel, Deadline, NotAcceptedReason, ProgressEvent, ReportStatus } from './progress.js';

/**
 * The staff API (`/staff/*`): reports that reached an authority by letter, visit, fax or phone, or through a
 * provincial legacy system, entered into the national system by the province's own staff or servers. Every call
 * carries a bearer token scoped to one province; tokens never go into a browser.
 */

/** A staff token's shape (`aqjbst_` and 32 base64url characters): the SDK refuses another, the server looks it up. */
export const STAFF_TOKEN_PATTERN = /^aqjbst_[A-Za-z0-9_-]{32}$/;

/**
 * What a staff token may do within its division: `handler` (the bureau's staff: inbox, reads with the reporter,
 * handling actions, entry), `backfill` (a province's server: entry, inbox and reads without the reporter) and
 * `read-only` (supervision: inbox and reads without the reporter).
 */
export const StaffRole = z.enum(['handler', 'backfill', 'read-only']);
export type StaffRole = z.infer<typeof StaffRole>;

/** How a staff-entered report reached the authority (the citizen web form is `web`, never entered here). */
export const StaffChannel = z.enum(Channel.options.filter((c): c is Exclude<Channel, 'web'> => c !== 'web'));
export type StaffChannel = z.infer<typeof StaffChannel>;

/** The legacy system's or the mail room's own identifier: the same one twice gives the same national code. */
export const ExternalId = z.string().check(z.trim(), z.minLength(1), z.maxLength(128), z.regex(/^[\x21-\x7e]+$/));

// The citizen draft's fields without what only the web path has: the notice token (the notice gate is a web
// step) and, for real names, the SMS code and the consent box (a signed letter or a visit stands for both).
const { ackToken: _ack, mode: _mode, ...contentFields } = AnonymousReportDraft.shape;
const { smsCode: _sms, ...reporterFields } = Reporter.shape;

/** The reporter as staff or a legacy system know them: name and mobile (checked as on the web), ID number optional. */
export const StaffReporter = z.strictObject(reporterFields);
export type StaffReporter = z.infer<typeof StaffReporter>;

/**
 * What a report says, however it arrived: the citizen draft without the web-only fields. Legacy adapters map this
 * to their system's shape, and staff entries carry it.
 */
export const ReportContent = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('anonymous'), ...contentFields }),
  z.strictObject({ mode: z.literal('real-name'), ...contentFields, reporter: StaffReporter }),
]);
export type ReportContent = z.input<typeof ReportContent>;
export type ParsedReportContent = z.output<typeof ReportContent>;

const entryFields = {
  externalId: ExternalId,
  channel: StaffChannel,
  /** When the authority received it (the letter's date stamp, the visit): deadlines run from here. */
  receivedAt: IsoDateTime,
  ...contentFields,
};

export const StaffReportEntry = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('anonymous'), ...entryFields }),
  z.strictObject({ mode: z.literal('real-name'), ...entryFields, reporter: StaffReporter }),
]);
export type StaffReportEntry = z.input<typeof StaffReportEntry>;
export type ParsedStaffReportEntry = z.output<typeof StaffReportEntry>;

/** The citizen's receipt (code and query key to hand on to the letter writer) and the external id it answers. */
export const StaffReportReceipt = z.object({ ...ReportReceipt.shape, externalId: z.string() });
export type StaffReportReceipt = z.infer<typeof StaffReportReceipt>;

/** What staff see of any report, in the inbox and on the single read: never the description or the reporter. */
const reportSummary = {
  reportCode: z.string(),
  channel: Channel,
  mode: z.enum(['anonymous', 'real-name']),
  regionCode: RegionCode,
  status: ReportStatus,
  handledBy: RoutedTo,
  receivedAt: IsoDateTime,
  subject: z.object({ name: z.string(), address: z.string() }),
  industry: z.string(),
};

/** A report as its handling staff see it, reporter included (举报人信息仅经办人员可查看). */
export const StaffReport = z.object({
  ...reportSummary,
  externalId: z.optional(z.string()),
  problemTypes: z.array(z.object({ code: z.string(), items: z.optional(z.array(z.string())) })),
  description: z.string(),
  occurredAt: z.optional(z.string()),
  /** For `handler` tokens only; each read that shows it is recorded. */
  reporter: z.optional(z.object({ name: z.string(), phone: z.string(), idNumber: z.optional(z.string()) })),
  /** The history as the citizen sees it, each handling step with the token that took it (never shown to citizens). */
  events: z.array(z.intersection(ProgressEvent, z.object({ tokenId: z.optional(z.string()) }))),
  deadlines: z.array(Deadline),
  supplementRequest: z.optional(z.string()),
});
export type StaffReport = z.infer<typeof StaffReport>;

/** Staff notes (a supplement request, a closing outcome): as long as a citizen's description. */
const note = (min?: number) => Text({ min, max: LIMITS.descriptionMax });

/**
 * What a handling bureau does to a report (the operations manual's flow): accept, or reject with one of the three
 * reasons, within 3 working days; transfer to a bureau below; request a supplement; extend the verification once,
 * by at most `LIMITS.extensionDays`; verify; close with the outcome and any reward. The server allows each only
 * from the states the flow allows (409 `ILLEGAL_TRANSITION` otherwise).
 */
export const HandlingAction = z.discriminatedUnion(
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
export type HandlingAction = z.infer<typeof HandlingAction>;

/** Largest inbox page, and the default. */
export const INBOX_PAGE = { max: 100, default: 20 } as const;
/** The 督办 view's reach: due within at most this many working days, 3 when not given. */
export const INBOX_DUE_WITHIN_MAX = 30;
export const INBOX_DUE_WITHIN_DEFAULT = 3;

/** A whole number in a query string, within bounds. */
const queryInt = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,3}$/)),
    z.pipe(z.transform((v: string) => Number(v)), z.number().check(z.int(), z.minimum(min), z.maximum(max))),
  );

/**
 * The inbox's filters (`GET /staff/inbox`), all optional and combined with AND: a status; a division below the
 * token's own (`region`); the received date range (`from`, `to`, Beijing dates, inclusive); the 督办 view:
 * `due=overdue` (the open deadline has passed) or `due=soon` (due within `days` working days, default 3, today
 * included); `cursor` from the previous page; `limit` 1–100.
 */
/** A date filter: a real date, not before `LIMITS.earliestDate`. */
const InboxDate = IsoDate.check(z.refine((date: string) => date >= LIMITS.earliestDate));

export const InboxQuery = z.object({
  status: z.optional(ReportStatus),
  region: z.optional(RegionCode),
  from: z.optional(InboxDate),
  to: z.optional(InboxDate),
  due: z.optional(z.enum(['overdue', 'soon'])),
  days: z.optional(queryInt(1, INBOX_DUE_WITHIN_MAX)),
  cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,200}$/))),
  limit: z.optional(queryInt(1, INBOX_PAGE.max)),
});
export type InboxQuery = z.input<typeof InboxQuery>;
/** The same filters with numbers as numbers: what the SDK's `inbox()` takes and the server's query check gives. */
export type InboxFilters = z.output<typeof InboxQuery>;

/** One report in the inbox: what a bureau sorts by, without the description and never the reporter. */
export const InboxItem = z.object({
  ...reportSummary,
  /** The deadline running now (acceptance, then verification); absent once decided against or closed. */
  due: z.optional(z.object({ kind: Deadline.shape.kind, date: IsoDate, workingDaysLeft: z.number().check(z.int()) })),
});
export type InboxItem = z.infer<typeof InboxItem>;

/**
 * A page of the inbox, newest first, with counts over every page: `total` matches all filters; `byStatus` all but
 * the status; `overdue` and `dueSoon` all but `due` (so a bureau sees at once how many are late).
 */
const count = z.number().check(z.int());
/** One count per status, every status present (spelt out, so the document lists the properties). */
const byStatus = Object.fromEntries(ReportStatus.options.map((status) => [status, count])) as Record<ReportStatus, typeof count>;

export const Inbox = z.object({
  items: z.array(InboxItem),
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor: z.optional(z.string()),
  counts: z.object({ total: count, byStatus: z.object(byStatus), overdue: count, dueSoon: count }),
});
export type Inbox = z.infer<typeof Inbox>;
