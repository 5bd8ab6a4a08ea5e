import { call, send, type ClientContext } from './transport.js';
import { AqjbError } from './errors.js';
import type { CallOptions } from './client.js';
import type { ReportDraft, SupplementDraft } from './schemas/report.js';
import type { SmsCodeRequest } from './schemas/sms.js';
import type { UploadOptions } from './upload.js';

// The client's methods after the notice: `createClient` loads this module on the first call of any of them, so a
// page shows its notice gate without their code.

const reports = () => import('./contract/reports.js');
const lookup = () => import('./contract/lookup.js');

/**
 * The headers that name a report, checked before any request. Code and key never go in the URL: a proxy's access
 * log keeps the URL beside the client's address, and would tie an anonymous report to it.
 */
async function reportAccess(reportCode: string, queryKey: string) {
  const [{ normalizeQueryKey, parseReportCode }, { REPORT_CODE_HEADER, QUERY_KEY_HEADER }] = await Promise.all([import('./report-code.js'), import('./contract/headers.js')]);
  const parsed = parseReportCode(reportCode);
  if (!parsed.ok) throw new AqjbError('REPORT_CODE_INVALID', '举报编码不正确，请核对后重新输入');
  return { [REPORT_CODE_HEADER]: parsed.code, [QUERY_KEY_HEADER]: normalizeQueryKey(queryKey) };
}

const loadIssues = () => import('./issues.js');

// Each method loads its route from the contract (with the schemas it checks with) on its first call.
const regions = <K extends 'listRegions' | 'searchRegions' | 'getRegion'>(name: K) => import('./contract/regions.js').then((m) => m[name]);

/** Every method of `AqjbClient` but the notice gate's three. */
export function laterMethods(ctx: ClientContext) {
  const { http } = ctx;
  const noRetry = { limit: 0 };
  return {
    /** Child divisions of `parentCode`, or the 34 provincial-level units. */
    listRegions: (parentCode?: string, { signal }: CallOptions = {}) =>
      call(() => send(http, regions('listRegions'), { signal, searchParams: parentCode ? { parent: parentCode } : {} })),

    /**
     * Divisions matching `query` by name (`金水`) or pinyin (`jsq`, `jinshui`) below `within` (a division code) or in
     * the whole country, best 50 first, each with the places between `within` and it.
     */
    searchRegions: (query: string, within?: string, { signal }: CallOptions = {}) =>
      call(() => send(http, regions('searchRegions'), { signal, searchParams: { q: query, ...(within ? { within } : {}) } })),

    getRegion: (code: string, { signal }: CallOptions = {}) =>
      call(() => send(http, regions('getRegion'), { params: { code }, signal })),

    getDictionaries: ({ signal }: CallOptions = {}) =>
      call(() => send(http, import('./contract/dictionaries.js').then((m) => m.getDictionaries), { signal })),

    /**
     * Sends a verification code to `phone`. `ackToken` is the confirmed notice's token, the one the report will carry:
     * the code answers only to it. Never retried: a retry could send a second message.
     */
    sendSmsCode: (request: SmsCodeRequest, { signal }: CallOptions = {}) =>
      call(async () => {
        const [{ sendSmsCode }, { parseInput }] = await Promise.all([import('./contract/sms.js'), loadIssues()]);
        return send(http, sendSmsCode, { json: parseInput(sendSmsCode.body, request), signal, retry: noRetry });
      }),

    /** Resumable evidence upload (tus); see `UploadOptions`. Its code loads on first use (not on the first screen). */
    uploadAttachment: async (file: Blob, opts: UploadOptions = {}) => (await import('./upload.js')).uploadAttachment(ctx, file, opts),

    /**
     * Files a report. Use one `idempotencyKey` per draft (e.g. `crypto.randomUUID()` when the draft is created):
     * retries — ours on network errors and 5xx, or yours after a failure — then create exactly one report.
     */
    submitReport: (draft: ReportDraft, { idempotencyKey, signal }: CallOptions & { idempotencyKey: string }) =>
      call(async () => {
        const [{ submitReport, IDEMPOTENCY_KEY_HEADER }, { parseInput }] = await Promise.all([reports(), loadIssues()]);
        const json = parseInput(submitReport.body, draft, (draft as { mode?: string }).mode === 'anonymous');
        if (!idempotencyKey) throw new AqjbError('IDEMPOTENCY_KEY_REQUIRED', '缺少幂等键（idempotencyKey）');
        return send(http, submitReport, {
          json,
          signal,
          headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
          // Safe because the key makes a repeated request return the first answer. Answers and waits as for a GET.
          retry: { limit: ctx.retry, methods: ['post'] },
        });
      }),

    /** Status, events and deadlines. A wrong key and an unknown code both give `ApiError` `REPORT_NOT_FOUND`. */
    getProgress: (reportCode: string, queryKey: string, { signal }: CallOptions = {}) =>
      call(async () => {
        const [headers, { getProgress }] = await Promise.all([reportAccess(reportCode, queryKey), lookup()]);
        return send(http, getProgress, { signal, headers });
      }),

    /** Answers a supplement request (待补充材料) with text and evidence; otherwise `SUPPLEMENT_NOT_REQUESTED`. */
    addSupplement: (reportCode: string, queryKey: string, supplement: SupplementDraft, { signal }: CallOptions = {}) =>
      call(async () => {
        const [headers, { addSupplement }, { parseInput }] = await Promise.all([reportAccess(reportCode, queryKey), lookup(), loadIssues()]);
        return send(http, addSupplement, { json: parseInput(addSupplement.body, supplement), signal, headers, retry: noRetry });
      }),
  };
}

export type LaterMethods = ReturnType<typeof laterMethods>;
