import { call, checked, createContext, type ClientContext, type CreateContextOptions } from './http.js';
// Only the notice gate's methods load with the client (the first screen), and no schema: each method loads the ones it
// checks with on its first call, in parallel with its request. The other methods are in client-later.ts, loaded on
// the first call of any of them.
import type { LaterMethods } from './client-later.js';

export interface CallOptions {
  signal?: AbortSignal;
}

export type ClientOptions = CreateContextOptions;

/** Header that carries the query key: never a URL, so it stays out of server and proxy logs. */
export const QUERY_KEY_HEADER = 'X-Query-Key';
/** Header that carries the report code: in a URL, a proxy's access log would pair it with the citizen's address. */
export const REPORT_CODE_HEADER = 'X-Report-Code';

/**
 * The typed client for the reporting API. Every method validates what it sends and what it gets with the
 * contract's schemas, takes an AbortSignal, and throws only the SDK's error classes.
 */
export function createClient(options: ClientOptions) {
  const ctx: ClientContext = createContext(options);
  const { http } = ctx;
  const noRetry = { limit: 0 };

  return {
    baseUrl: ctx.baseUrl,

    getNotice: ({ signal }: CallOptions = {}) => call(() => checked(notice('Notice'), http.get('notice', { signal }))),

    /** Opens a reading receipt when the notice is shown; the server's clock starts here. */
    startNoticeReceipt: ({ signal }: CallOptions = {}) =>
      call(() => checked(notice('NoticeReceipt'), http.post('notice/receipts', { signal, retry: noRetry }))),

    /** After `minReadSeconds`: the token a report needs. Too early → `ApiError` `NOTICE_TOO_EARLY` with `retryAfterMs`. */
    confirmNoticeReceipt: (receiptId: string, { signal }: CallOptions = {}) =>
      call(() =>
        checked(
          notice('NoticeAck'),
          // Safe to retry: confirming twice only replaces the token.
          http.post(`notice/receipts/${encodeURIComponent(receiptId)}/confirm`, { signal, retry: { limit: 2, methods: ['post'] } }),
        ),
      ),

    ...laterOnFirstUse(ctx, options),
  };
}

export type AqjbClient = ReturnType<typeof createClient>;

/** One of the notice's schemas, loaded on first use. */
const notice = <K extends 'Notice' | 'NoticeReceipt' | 'NoticeAck'>(name: K) => import('./schemas/notice.js').then((m) => m[name]);

/**
 * `LaterMethods` with the same signatures, each loading client-later.ts on its first call. Every one of them returns
 * a promise already, so loading first changes nothing a caller can see but the first call's wait.
 */
function laterOnFirstUse(ctx: ClientContext, options: ClientOptions): LaterMethods {
  let methods: Promise<LaterMethods> | undefined;
  const load = () => (methods ??= import('./client-later.js').then((m) => m.laterMethods(ctx, options)));
  return Object.fromEntries(
    Object.keys(LATER).map((name) => [name, async (...args: unknown[]) => ((await load())[name as keyof LaterMethods] as (...a: unknown[]) => unknown)(...args)]),
  ) as unknown as LaterMethods;
}

/** The names of `LaterMethods`: a record, so the build fails when client-later.ts gains a method that is not here. */
const LATER: Record<keyof LaterMethods, 1> = {
  listRegions: 1,
  getRegion: 1,
  searchRegions: 1,
  getDictionaries: 1,
  sendSmsCode: 1,
  uploadAttachment: 1,
  submitReport: 1,
  getProgress: 1,
  addSupplement: 1,
};
