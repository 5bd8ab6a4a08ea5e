import * as z from 'zod/mini';
import { StaffReport, StaffReportEntry, StaffReportReceipt } from '../schemas/staff.js';
import { route } from './route.js';

/** A refused token is told how to authenticate. */
const refused = { 401: z.object({ 'WWW-Authenticate': z.string() }) };

export const enterReport = route({
  operationId: 'enterReport',
  method: 'post',
  path: '/staff/reports',
  security: 'staff',
  body: StaffReportEntry,
  responses: { 201: StaffReportReceipt, 200: StaffReportReceipt },
  responseHeaders: refused,
  errors: { 401: ['UNAUTHORIZED'], 403: ['FORBIDDEN'], 409: ['IDEMPOTENCY_KEY_REUSED'], 429: ['RATE_LIMITED'] },
});

export const getReport = route({
  operationId: 'getReport',
  method: 'get',
  path: '/staff/reports/{code}',
  security: 'staff',
  // Any text: the handler parses it, so that a malformed code is refused and audited like an unknown one (404).
  params: z.object({ code: z.string() }),
  responses: { 200: StaffReport },
  responseHeaders: refused,
  errors: { 401: ['UNAUTHORIZED'], 404: ['REPORT_NOT_FOUND'], 409: ['INTEGRITY_FAILED'], 429: ['RATE_LIMITED'] },
});
