import * as z from 'zod/mini';
import { Progress } from '../schemas/progress.js';
import { ReportDraft, ReportReceipt, SupplementDraft, SupplementReceipt } from '../schemas/report.js';
import { route } from './route.js';
import { IDEMPOTENCY_KEY_HEADER, QUERY_KEY_HEADER, REPORT_CODE_HEADER } from './headers.js';

export { IDEMPOTENCY_KEY_HEADER, QUERY_KEY_HEADER, REPORT_CODE_HEADER };

/** Missing or empty: `IDEMPOTENCY_KEY_REQUIRED`; present but malformed: `BAD_REQUEST` (both 400). */
export const IdempotencyKey = z
  .string({ error: 'IDEMPOTENCY_KEY_REQUIRED' })
  .check(z.minLength(1, 'IDEMPOTENCY_KEY_REQUIRED'), z.regex(/^[A-Za-z0-9_-]{8,128}$/, 'BAD_REQUEST'));

/**
 * Code and key of a report. Spaces, hyphens and lower case in the code are the lookup's to tolerate; whatever is
 * missing, malformed or unknown answers the same 404 `REPORT_NOT_FOUND` (no enumeration).
 */
const ReportAccess = z.object({
  [REPORT_CODE_HEADER]: z.string().check(z.minLength(1), z.maxLength(64)),
  [QUERY_KEY_HEADER]: z.string().check(z.minLength(1), z.maxLength(128)),
});

export const submitReport = route({
  operationId: 'submitReport',
  method: 'post',
  path: '/reports',
  headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: IdempotencyKey }),
  body: ReportDraft,
  responses: { 201: ReportReceipt, 200: ReportReceipt },
  errors: { 400: ['IDEMPOTENCY_KEY_REQUIRED', 'NOTICE_ACK_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'], 429: ['RATE_LIMITED'] },
});

export const getProgress = route({
  operationId: 'getProgress',
  method: 'get',
  path: '/reports/progress',
  headers: ReportAccess,
  refuse: { headers: [404, 'REPORT_NOT_FOUND'] },
  responses: { 200: Progress },
  errors: { 404: ['REPORT_NOT_FOUND'], 429: ['RATE_LIMITED'] },
});

export const addSupplement = route({
  operationId: 'addSupplement',
  method: 'post',
  path: '/reports/supplements',
  headers: ReportAccess,
  refuse: { headers: [404, 'REPORT_NOT_FOUND'] },
  body: SupplementDraft,
  responses: { 201: SupplementReceipt },
  errors: { 404: ['REPORT_NOT_FOUND'], 409: ['SUPPLEMENT_NOT_REQUESTED'], 429: ['RATE_LIMITED'] },
});
