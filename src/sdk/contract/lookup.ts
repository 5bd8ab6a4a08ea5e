import * as z from 'zod/mini';
import { Progress } from '../schemas/progress.js';
import { SupplementDraft, SupplementReceipt } from '../schemas/report.js';
import { route } from './route.js';
import { QUERY_KEY_HEADER, REPORT_CODE_HEADER } from './headers.js';

// The routes a citizen uses after filing, with the code and key of the report: apart from ./reports.js, so that
// filing a report does not load the progress schema (−0.6 KB gzip over a report).

/**
 * Code and key of a report. Spaces, hyphens and lower case in the code are the lookup's to tolerate; whatever is
 * missing, malformed or unknown answers the same 404 `REPORT_NOT_FOUND` (no enumeration).
 */
const ReportAccess = z.object({
  [REPORT_CODE_HEADER]: z.string().check(z.minLength(1), z.maxLength(64)),
  [QUERY_KEY_HEADER]: z.string().check(z.minLength(1), z.maxLength(128)),
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
