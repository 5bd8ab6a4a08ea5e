import { call, createTransport, send, type TransportOptions } from './transport.js';
import { parseInput } from './issues.js';
import { AqjbError } from './errors.js';
import { parseReportCode } from './report-code.js';
import { STAFF_TOKEN_PATTERN, type HandlingAction, type InboxFilters, type InboxQuery, type StaffReportEntry } from './schemas/staff.js';
import { applyAction, enterReport, getReport, listInbox } from './contract/staff.js';
import type { CallOptions } from './client.js';

export interface StaffClientOptions extends TransportOptions {
  /**
   * A staff token (`aqjbst_…`) for one division (province, prefecture or county) and role (`handler`, `backfill`,
   * `read-only`). Server-side only: never ship it to a browser.
   */
  token: string;
}

function checkedCode(reportCode: string): string {
  const parsed = parseReportCode(reportCode);
  if (!parsed.ok) throw new AqjbError('REPORT_CODE_INVALID', '举报编码不正确，请核对后重新输入');
  return parsed.code;
}

/**
 * The staff API: enter reports that arrived by letter, visit, fax, phone or a legacy system, list the division's
 * inbox, read a report (with its reporter for `handler` tokens) and take handling steps. For the province's own
 * servers and the bureaus' tools (Node); the token must never reach a browser.
 */
export function createStaffClient(options: StaffClientOptions) {
  const { token, ...rest } = options;
  if (!STAFF_TOKEN_PATTERN.test(token)) throw new AqjbError('BAD_TOKEN', '经办人员令牌格式不正确');
  // Set by a hook on each attempt, not as a default header: ky hands its options (default headers included) to every
  // hook and error (`HTTPError.options`), which callers log. The caller's own `beforeRequest` hooks run after it.
  const bearer = (request: Request) => request.headers.set('Authorization', `Bearer ${token}`);
  const hooks = { ...rest.hooks, beforeRequest: [bearer, ...(rest.hooks?.beforeRequest ?? [])] };
  const ctx = createTransport({ ...rest, hooks });
  const { http } = ctx;

  return {
    baseUrl: ctx.baseUrl,

    /**
     * Enters one report. Safe to retry (ours on network errors, 429 and 5xx, or yours after a crash): the same
     * `externalId` with the same content answers the first receipt, never a second report. A region outside the
     * token's province is `ApiError` 403 `FORBIDDEN`, and nothing is written.
     */
    enterReport: (entry: StaffReportEntry, { signal }: CallOptions = {}) =>
      call(async () => {
        const json = parseInput(enterReport.body, entry, (entry as { mode?: string }).mode === 'anonymous');
        return send(http, enterReport, {
          json,
          signal,
          // 429 too (the citizen client never retries it): a province's batch may wait out a short Retry-After.
          retry: { limit: ctx.retry, methods: ['post'], statusCodes: [429] },
        });
      }),

    /**
     * A report handled within the token's division, with its history; the reporter for `handler` tokens only
     * (举报人信息仅经办人员可查看). Each read is recorded.
     */
    getReport: (reportCode: string, { signal }: CallOptions = {}) =>
      call(async () => send(http, getReport, { params: { code: checkedCode(reportCode) }, signal })),

    /** A page of the division's inbox with counts; pass `nextCursor` back as `cursor` for the next page. */
    inbox: (filters: InboxFilters = {}, { signal }: CallOptions = {}) =>
      call(async () => {
        const searchParams = Object.fromEntries(
          Object.entries(filters).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
        ) as InboxQuery;
        parseInput(listInbox.query, searchParams);
        return send(http, listInbox, { searchParams, signal });
      }),

    /**
     * One handling step (`handler` tokens). Not retried on its own after a network error: the step may have been
     * taken; read the report to see. An illegal step is `ApiError` 409 `ILLEGAL_TRANSITION`.
     */
    act: (reportCode: string, action: HandlingAction, { signal }: CallOptions = {}) =>
      call(async () => {
        const json = parseInput(applyAction.body, action, false);
        return send(http, applyAction, { params: { code: checkedCode(reportCode) }, json, signal, retry: 0 });
      }),
  };
}

export type StaffClient = ReturnType<typeof createStaffClient>;
