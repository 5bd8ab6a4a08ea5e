import { call, createTransport, send, type TransportOptions } from './transport.js';
import { parseInput } from './issues.js';
import { AqjbError } from './errors.js';
import { parseReportCode } from './report-code.js';
import type { StaffReportEntry } from './schemas/staff.js';
import { enterReport, getReport } from './contract/staff.js';
import type { CallOptions } from './client.js';

export interface StaffClientOptions extends TransportOptions {
  /** A staff token scoped to one province (`aqjbst_…`). Server-side only: never ship it to a browser. */
  token: string;
}

/**
 * The staff API: enter reports that arrived by letter, visit, fax, phone or a legacy system, and read a report
 * with its reporter. For the province's own servers (Node); the token must never reach a browser.
 */
export function createStaffClient(options: StaffClientOptions) {
  const { token, ...rest } = options;
  if (!/^aqjbst_[A-Za-z0-9_-]{32}$/.test(token)) throw new AqjbError('BAD_TOKEN', '经办人员令牌格式不正确');
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

    /** A report with its reporter, within the token's province only (举报人信息仅经办人员可查看); each read is recorded. */
    getReport: (reportCode: string, { signal }: CallOptions = {}) =>
      call(async () => {
        const parsed = parseReportCode(reportCode);
        if (!parsed.ok) throw new AqjbError('REPORT_CODE_INVALID', '举报编码不正确，请核对后重新输入');
        return send(http, getReport, { params: { code: parsed.code }, signal });
      }),
  };
}

export type StaffClient = ReturnType<typeof createStaffClient>;
