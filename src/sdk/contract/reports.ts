import * as z from 'zod/mini';
import { ReportDraft, ReportReceipt } from '../schemas/report.js';
import { route } from './route.js';
import { IDEMPOTENCY_KEY_HEADER, QUERY_KEY_HEADER, REPORT_CODE_HEADER } from './headers.js';

export { IDEMPOTENCY_KEY_HEADER, QUERY_KEY_HEADER, REPORT_CODE_HEADER };
// The lookup's routes (progress, supplements) are in ./lookup.js: a report's filing does not load them.

/** Missing or empty: `IDEMPOTENCY_KEY_REQUIRED`; present but malformed: `BAD_REQUEST` (both 400). */
export const IdempotencyKey = z
  .string({ error: 'IDEMPOTENCY_KEY_REQUIRED' })
  .check(z.minLength(1, 'IDEMPOTENCY_KEY_REQUIRED'), z.regex(/^[A-Za-z0-9_-]{8,128}$/, 'BAD_REQUEST'));

export const submitReport = route({
  operationId: 'submitReport',
  method: 'post',
  path: '/reports',
  headers: z.object({ [IDEMPOTENCY_KEY_HEADER]: IdempotencyKey }),
  body: ReportDraft,
  responses: { 201: ReportReceipt, 200: ReportReceipt },
  errors: { 400: ['IDEMPOTENCY_KEY_REQUIRED', 'NOTICE_ACK_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'], 429: ['RATE_LIMITED'] },
});
