import * as z from 'zod/mini';
import { e, type ErrorKey } from './error-keys.js';
import { IsoDateTime, Id, FieldIssue, ErrorBody } from './base.js';
import { LIMITS } from './limits.js';

export { IsoDateTime, Id, FieldIssue, ErrorBody };

/** A real calendar date, `YYYY-MM-DD` (2026-02-30 is refused); `error` names the key a form shows. */
export const isoDate = (error?: ErrorKey) => z.iso.date(error && e(error));
export const IsoDate = isoDate();

/** 6-digit statistical division code (统计用区划代码, county level and above). */
export const RegionCode = z.string().check(z.regex(/^\d{6}$/, e('region.required')));

/**
 * Chinese mainland mobile number: `LIMITS.phoneDigits` digits, the first 1 and the second 3–9. The length is its
 * own check (stopping there), so the bound is readable from the schema and the document; `error` names the key.
 */
export const phone = (error: ErrorKey = 'phone.invalid') =>
  z.string().check(z.trim(), z.length(LIMITS.phoneDigits, { error: e(error), abort: true }), z.regex(/^1[3-9]\d*$/, e(error)));
export const Phone = phone();

/**
 * Control characters (Unicode Cc: C0, DEL, C1) other than tab, line feed and carriage return. Nobody types them;
 * they arrive by pasting from other programs or on purpose, print as nothing, and PostgreSQL refuses NUL outright.
 */
const CONTROL_CHARACTER = /[^\P{Cc}\t\n\r]/u;

/**
 * Free text a person writes (names, addresses, descriptions, staff notes): trimmed, at most `max` characters, at
 * least `min` when given, and no control character. Every free-text field of every request body is built here, so a
 * stray NUL is the field's own error (`field.controlCharacter`), never a database error.
 */
export const Text = ({ min, max, tooShort, tooLong }: { min?: number; max: number; tooShort?: ErrorKey; tooLong?: ErrorKey }) =>
  z.string().check(
    z.trim(),
    z.refine((value) => !CONTROL_CHARACTER.test(value), e('field.controlCharacter')),
    ...(min ? [z.minLength(min, tooShort && e(tooShort))] : []),
    z.maxLength(max, tooLong && e(tooLong)),
  );

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
  'CHALLENGE_INVALID',
  'STORAGE_FULL',
  'UPLOAD_LOCKED',
  'TUS_VERSION_UNSUPPORTED',
  'INTEGRITY_FAILED',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
