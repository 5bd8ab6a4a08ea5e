import * as z from 'zod/mini';
import { e } from './error-keys.js';

/** 6-digit statistical division code (统计用区划代码, county level and above). */
export const RegionCode = z.string().check(z.regex(/^\d{6}$/, e('region.required')));

export const IsoDate = z.iso.date();
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Chinese mainland mobile number, 11 digits. */
export const Phone = z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, e('phone.invalid')));

/** Opaque identifiers issued by the server. */
export const Id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/));

export const FieldIssue = z.object({
  /** Dotted form path, e.g. `reporter.phone` or `problemTypes.0.items`. */
  path: z.string(),
  /** Stable key (see README, "Validation keys"). */
  code: z.string(),
  /** zh-CN text for the citizen. */
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The one error shape every endpoint answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(FieldIssue)),
    /** Set when waiting helps: the notice gate (409) and rate limits (429). */
    retryAfterMs: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Stable error codes of the API; README lists them with their HTTP status. */
export const API_ERROR_CODES = [
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'BODY_TOO_LARGE',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOTICE_TOO_EARLY',
  'NOTICE_RECEIPT_NOT_FOUND',
  'NOTICE_ACK_INVALID',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'SMS_CODE_INVALID',
  'RATE_LIMITED',
  'REPORT_NOT_FOUND',
  'SUPPLEMENT_NOT_REQUESTED',
  'ILLEGAL_TRANSITION',
  'ATTACHMENT_NOT_READY',
  'ATTACHMENT_REJECTED',
  'UNSUPPORTED_MEDIA_TYPE',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'INTERNAL',
  'UNAVAILABLE',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
