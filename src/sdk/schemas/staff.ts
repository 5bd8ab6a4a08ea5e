import * as z from 'zod/mini';
import { IsoDateTime, RegionCode } from './common.js';
import { AnonymousReportDraft, ReportReceipt, Reporter, RoutedTo } from './report.js';
import { Channel, ReportStatus } from './progress.js';

/**
 * The staff API (`/staff/*`): reports that reached an authority by letter, visit, fax or phone, or through a
 * provincial legacy system, entered into the national system by the province's own staff or servers. Every call
 * carries a bearer token scoped to one province; tokens never go into a browser.
 */

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

/** A report as its handling staff see it, reporter included (举报人信息仅经办人员可查看). */
export const StaffReport = z.object({
  reportCode: z.string(),
  externalId: z.optional(z.string()),
  channel: Channel,
  mode: z.enum(['anonymous', 'real-name']),
  regionCode: RegionCode,
  status: ReportStatus,
  handledBy: RoutedTo,
  receivedAt: IsoDateTime,
  subject: z.object({ name: z.string(), address: z.string() }),
  industry: z.string(),
  problemTypes: z.array(z.object({ code: z.string(), items: z.optional(z.array(z.string())) })),
  description: z.string(),
  occurredAt: z.optional(z.string()),
  reporter: z.optional(z.object({ name: z.string(), phone: z.string(), idNumber: z.optional(z.string()) })),
});
export type StaffReport = z.infer<typeof StaffReport>;
