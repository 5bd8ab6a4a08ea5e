import { call, createTransport, send, type ClientContext, type LazyRoute, type TransportOptions } from './transport.js';
import { loadOnce } from './load-once.js';
import { NOTICE_ADDRESSES } from './contract/notice-addresses.js';
import type * as NoticeRoutes from './contract/notice.js';
// Only the notice gate's methods load with the client (the first screen), and no schema: each sends its request at
// once and loads its route from the contract (contract/notice.ts, with the schemas it checks with) meanwhile. The
// other methods are in client-later.ts, loaded on the first call of any of them.
import type { LaterMethods } from './client-later.js';
import type { NoticeReceipt, PowSolution } from './schemas/notice.js';

export interface CallOptions {
  signal?: AbortSignal;
}

export type ClientOptions = TransportOptions;


/**
 * The typed client for the reporting API. Every method validates what it sends and what it gets with the
 * contract's schemas, takes an AbortSignal, and throws only the SDK's error classes.
 */
export function createClient(options: ClientOptions) {
  const ctx: ClientContext = createTransport(options);
  const { http } = ctx;
  const noRetry = { limit: 0 };

  // The proof-of-work of each receipt this client opened, solved in the background from the moment it is opened,
  // while the notice is read: by the time `minReadSeconds` are over the solution is normally long ready.
  const solutions = new Map<string, { solution: Promise<PowSolution | undefined>; stop: AbortController }>();
  const forget = (receiptId: string) => {
    solutions.get(receiptId)?.stop.abort();
    solutions.delete(receiptId);
  };
  const solve = (receipt: NoticeReceipt, solver = import('./pow.js')) => {
    const stop = new AbortController();
    const solution = solver.then((m) => m.solvePow(receipt.challenge, { signal: stop.signal })).catch(() => undefined);
    solutions.set(receipt.receiptId, { solution, stop });
    // A gate restarted a few times leaves receipts behind: stop solving the oldest (a Map keeps insertion order).
    for (const id of solutions.keys()) if (solutions.size > 3) forget(id);
    return solution;
  };

  return {
    baseUrl: ctx.baseUrl,

    getNotice: ({ signal }: CallOptions = {}) => call(() => send(http, notice('getNotice'), { signal })),

    /**
     * Opens a reading receipt when the notice is shown; the server's clock starts here, and this client starts
     * solving the receipt's proof-of-work (`challenge`) in the background. More than 10 open at once from one
     * address → `ApiError` `RATE_LIMITED` with `retryAfterMs`.
     */
    startNoticeReceipt: ({ signal }: CallOptions = {}) =>
      call(async () => {
        const solver = import('./pow.js'); // loads while the request runs
        const receipt = await send(http, notice('startNoticeReceipt'), { signal, retry: noRetry });
        void solve(receipt, solver);
        return receipt;
      }),

    /**
     * After `minReadSeconds`: the token a report needs, once per receipt. Waits for the receipt's proof-of-work if it
     * is not solved yet. Pass the receipt itself when another client opened it. Too early → `ApiError`
     * `NOTICE_TOO_EARLY` with `retryAfterMs`; a solution the server does not take (a second confirmation, a receipt
     * older than an hour) → `CHALLENGE_INVALID`: open a new receipt.
     */
    confirmNoticeReceipt: (receipt: string | NoticeReceipt, { signal }: CallOptions = {}) =>
      call(async () => {
        const receiptId = typeof receipt === 'string' ? receipt : receipt.receiptId;
        const pending = solutions.get(receiptId)?.solution ?? (typeof receipt === 'string' ? undefined : solve(receipt));
        signal?.throwIfAborted();
        const solution = await new Promise<PowSolution | undefined>((resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          void Promise.resolve(pending).then(resolve);
        });
        try {
          const ack = await send(http, notice('confirmNoticeReceipt'), {
            params: { id: receiptId },
            json: solution ? { solution } : {},
            signal,
            // Retried after no answer: if the first attempt did arrive, the retry is refused (CHALLENGE_INVALID) and
            // the caller opens a new receipt, as it would have without the retry.
            retry: { limit: 2, methods: ['post'] },
          });
          forget(receiptId);
          return ack;
        } catch (error) {
          if ((error as { response?: Response }).response?.status === 400) forget(receiptId);
          throw error;
        }
      }),

    ...laterOnFirstUse(ctx),
  };
}

export type AqjbClient = ReturnType<typeof createClient>;

/**
 * One of the notice's routes: its request leaves at once (method and path need no schema), while the route with the
 * schemas that check the answer loads on first use. The receipt must not wait for a chunk: the server's reading time
 * starts when it arrives.
 */
const notice = <K extends keyof typeof NOTICE_ADDRESSES>(name: K): LazyRoute<(typeof NoticeRoutes)[K]> => ({
  ...NOTICE_ADDRESSES[name],
  route: import('./contract/notice.js').then((m) => m[name]),
});

/**
 * `LaterMethods` with the same signatures, each loading client-later.ts on its first call. Every one of them returns
 * a promise already, so loading first changes nothing a caller can see but the first call's wait.
 */
function laterOnFirstUse(ctx: ClientContext): LaterMethods {
  const load = loadOnce(() => import('./client-later.js').then((m) => m.laterMethods(ctx)));
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
