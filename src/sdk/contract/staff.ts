import * as z from 'zod/mini';
import { HandlingAction, Inbox, InboxQuery, StaffReport, StaffReportEntry, StaffReportReceipt } from '../schemas/staff.js';
import { Progress } from '../schemas/progress.js';
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

/** The reports handled within the token's division, newest first, with counts (the 督办 view). */
export const listInbox = route({
  operationId: 'listInbox',
  method: 'get',
  path: '/staff/inbox',
  security: 'staff',
  query: InboxQuery,
  responses: { 200: Inbox },
  responseHeaders: refused,
  errors: { 401: ['UNAUTHORIZED'], 403: ['FORBIDDEN'], 429: ['RATE_LIMITED'] },
});

/** One handling step on a report handled within the token's division (`handler` tokens only). */
export const applyAction = route({
  operationId: 'applyAction',
  method: 'post',
  path: '/staff/reports/{code}/actions',
  security: 'staff',
  params: z.object({ code: z.string() }),
  body: HandlingAction,
  responses: { 200: Progress },
  responseHeaders: refused,
  errors: { 401: ['UNAUTHORIZED'], 403: ['FORBIDDEN'], 404: ['REPORT_NOT_FOUND'], 409: ['ILLEGAL_TRANSITION'], 429: ['RATE_LIMITED'] },
});
