import * as z from 'zod/mini';
import { e, type ErrorKey } from './error-keys.js';
import { Id, IsoDate, IsoDateTime, RegionCode, Text, isoDate, phone } from './common.js';
import { isValidIdNumber } from './id-number.js';
import { LIMITS } from './limits.js';

/** Limits of the contract, exported so forms show the same numbers they check (`limits.ts`). */
export { LIMITS } from './limits.js';

const text = (max: number, required: ErrorKey, tooLong: ErrorKey) => Text({ min: 1, max, tooShort: required, tooLong });

export const Subject = z.strictObject({
  /** The reported unit (被举报单位) or person. */
  name: text(LIMITS.subjectName, 'subject.name.required', 'subject.name.tooLong'),
  /** Where the problem is: street address of the site. */
  address: text(LIMITS.subjectAddress, 'subject.address.required', 'subject.address.tooLong'),
});
export type Subject = z.infer<typeof Subject>;

export const ProblemChoice = z.strictObject({
  code: z.string().check(z.minLength(1, e('problemTypes.required')), z.maxLength(64)),
  /** Sub-item codes (七严禁 / 五不准), only for types that have them. */
  items: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(12))),
});
export type ProblemChoice = z.infer<typeof ProblemChoice>;

const reportFields = {
  /** Token from confirming the notice receipt after the minimum reading time. */
  ackToken: z.string().check(z.minLength(1, e('ackToken.required')), z.maxLength(200)),
  /** Division where the problem is (属地): the report is routed to its bureau. */
  regionCode: RegionCode,
  subject: Subject,
  industry: z.string().check(z.minLength(1, e('industry.required')), z.maxLength(64)),
  problemTypes: z
    .array(ProblemChoice)
    .check(z.minLength(1, e('problemTypes.required')), z.maxLength(LIMITS.problemTypes, e('problemTypes.tooMany'))),
  description: Text({
    min: LIMITS.descriptionMin,
    max: LIMITS.descriptionMax,
    tooShort: 'description.tooShort',
    tooLong: 'description.tooLong',
  }),
  /** Day the problem was seen (YYYY-MM-DD), optional. */
  occurredAt: z.optional(isoDate('occurredAt.invalid')),
  attachmentIds: z._default(z.array(Id).check(z.maxLength(LIMITS.attachments, e('attachments.tooMany'))), []),
};

export const Reporter = z.strictObject({
  name: text(LIMITS.reporterName, 'reporter.name.required', 'reporter.name.tooLong'),
  phone: phone('reporter.phone.invalid'),
  smsCode: z.string().check(
    z.trim(),
    z.length(LIMITS.smsCodeDigits, { error: e('reporter.smsCode.invalid'), abort: true }),
    z.regex(/^\d*$/, e('reporter.smsCode.invalid')),
  ),
  /** Optional citizen ID number, checked per GB 11643 including its check character. */
  idNumber: z.optional(
    z.string().check(
      z.trim(),
      z.toUpperCase(),
      z.maxLength(LIMITS.idNumberLength, { error: e('reporter.idNumber.invalid'), abort: true }),
      z.refine((v) => v === '' || isValidIdNumber(v), e('reporter.idNumber.invalid')),
    ),
  ),
});
export type Reporter = z.infer<typeof Reporter>;

/** Anonymous: nothing about the reporter. Unknown keys (a stray `reporter`) are rejected, never ignored. */
export const AnonymousReportDraft = z.strictObject({ mode: z.literal('anonymous'), ...reportFields });
export const RealNameReportDraft = z.strictObject({
  mode: z.literal('real-name'),
  ...reportFields,
  reporter: Reporter,
  /** The reporter agrees that the authority uses name and phone to handle this report and pay a reward. */
  consent: z.literal(true, e('consent.required')),
});

export const ReportDraft = z.discriminatedUnion('mode', [AnonymousReportDraft, RealNameReportDraft], {
  error: e('mode.invalid'),
});
export type ReportDraft = z.input<typeof ReportDraft>;
export type ParsedReportDraft = z.output<typeof ReportDraft>;

/** Fields that identify the reporter; none of them may leave the device in an anonymous report. */
export const PERSONAL_FIELDS = ['reporter', 'consent'] as const;

export const RoutedTo = z.object({
  regionCode: RegionCode,
  /** The emergency-management bureau that handles it, e.g. 郑州市金水区应急管理局. */
  orgName: z.string(),
});
export type RoutedTo = z.infer<typeof RoutedTo>;

export const ReportReceipt = z.object({
  reportCode: z.string(),
  /** Secret for progress lookups; shown once, stored by the server only as a hash. */
  queryKey: z.string(),
  /** Filed on the web: the date only, as the start (00:00 UTC+8) of its Beijing day. Staff entry: when received. */
  submittedAt: IsoDateTime,
  routedTo: RoutedTo,
  /** Last day (Beijing date) by which acceptance must be decided: 3 working days. */
  acceptBy: IsoDate,
});
export type ReportReceipt = z.infer<typeof ReportReceipt>;

export const SupplementDraft = z.strictObject({
  text: Text({ min: 1, max: LIMITS.supplementText, tooShort: 'supplement.text.required', tooLong: 'supplement.text.tooLong' }),
  attachmentIds: z._default(z.array(Id).check(z.maxLength(LIMITS.attachments, e('attachments.tooMany'))), []),
});
export type SupplementDraft = z.input<typeof SupplementDraft>;

export const SupplementReceipt = z.object({ receivedAt: IsoDateTime });
export type SupplementReceipt = z.infer<typeof SupplementReceipt>;
