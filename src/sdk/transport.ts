import type { HTTPError, Hooks, Input, Options, RetryOptions, TimeoutError as KyTimeoutError } from 'ky';
import type * as z from 'zod/mini';
import type { Route } from './contract/route.js';
import { AqjbError, ApiError, NetworkError, TimeoutError, ValidationError, isAqjbError } from './errors.js';
import { resolveBaseUrl } from './base-url.js';
import { loadOnce } from './load-once.js';

// The SDK's one transport: ky 1.x (the major that runs on Node 20). Every request of the SDK — the client's, the
// staff client's, the tus upload's, the legacy adapter's — goes through an instance made here, so there is one
// backoff, one retry policy, one timeout per attempt and one error mapping (`toAqjbError`).
//
// ky itself (14 KB minified) loads with the first request, not with the client: a page shows its notice from the
// prefetched answer (components/internal/prefetch.ts) before any request goes through the SDK, and the first screen
// should not compile a transport it does not need yet.

let kyModule: typeof import('ky') | undefined;
const loadKy = loadOnce(async () => (kyModule = await import('ky')));

/** ky's type guards, once ky has loaded: before, nothing can have thrown one of its errors. */
export const isHTTPError = (error: unknown): error is HTTPError => kyModule?.isHTTPError(error) ?? false;
export const isTimeoutError = (error: unknown): error is KyTimeoutError => kyModule?.isTimeoutError(error) ?? false;

export type { Hooks, Options, RetryOptions };

export interface TransportOptions {
  /** Base URL of the API, ending in `/` (one is added); https only, except a local server. */
  baseUrl: string;
  /** Your `fetch` (a proxy, a test double, a prefetch); it is called with a `Request`. Default: the global one. */
  fetch?: typeof fetch;
  /** Per attempt; default 15000. */
  timeoutMs?: number;
  /** Retries for the requests that are safe to repeat (GETs, keyed report submission). 0 turns them off. Default 2. */
  retry?: number;
  /** Added to every request. */
  headers?: Record<string, string>;
  /**
   * ky's hooks (`beforeRequest`, `beforeRetry`, `afterResponse`, `beforeError`), run for every request this client
   * sends, tus upload requests and retries included: to add a header, trace or log requests. A hook sees requests
   * and responses, never the SDK's parsed results. A `beforeRequest` hook that returns a `Request` or `Response` ends
   * the chain for that attempt (ky's rule), so the SDK's own hooks after it do not run: return nothing, change
   * `request.headers` instead.
   */
  hooks?: Hooks;
}

/**
 * A request through the transport, with ky's input and options: relative to the base URL (no leading slash), or
 * absolute as a `URL`. Resolves with a 2xx response; anything else throws ky's errors.
 */
export type Http = (input: Input, options?: Options) => Promise<Response>;

/** What every SDK method needs: the resolved base URL and the transport on it. */
export interface ClientContext {
  /** Absolute base URL, ending in `/`. */
  readonly baseUrl: string;
  /** The transport: a ky instance on the base URL, created with the first request. */
  readonly http: Http;
  readonly timeoutMs: number;
  /** Retries after the first attempt for the requests that may repeat (the `retry` option). */
  readonly retry: number;
}

/**
 * A `Retry-After` longer than `maxRetryAfter` means no retry (ky would wait `maxRetryAfter` and retry anyway): the
 * caller hears the wait at once, with the error's `retryAfterMs`, instead of watching a spinner.
 */
function retryAfterTooLong(error: HTTPError): boolean {
  const { response, options } = error;
  const header = response.headers.get('Retry-After');
  if (header === null || !options.retry.afterStatusCodes?.includes(response.status)) return false;
  let after = Number(header) * 1000;
  if (Number.isNaN(after)) after = Date.parse(header) - Date.now();
  return after > (options.retry.maxRetryAfter ?? Number.POSITIVE_INFINITY);
}

/**
 * What may be retried at all, before ky's method and status checks: answers (unless their Retry-After is too long),
 * timeouts (where the call opts in with `retryOnTimeout`) and no answer (fetch rejects with a TypeError). Not an
 * abort, nor anything a hook or our own code threw.
 */
const shouldRetry: RetryOptions['shouldRetry'] = ({ error }) => {
  if (isHTTPError(error)) return retryAfterTooLong(error) ? false : undefined;
  return isTimeoutError(error) || error instanceof TypeError ? undefined : false;
};

/** Answers worth another attempt of a request that may repeat: timeout, and the server's passing failures. */
export const RETRY_STATUS_CODES: readonly number[] = [408, 500, 502, 503, 504];

/**
 * The transport for one base URL. Defaults: GET and HEAD retried on no answer, 408 and 5xx (500, 502–504), with
 * ky's backoff (0.3 s, doubling, at most 3 s) or the server's `Retry-After` up to 5 s; POSTs opt in per call where
 * an idempotency key or the server's once-only rule makes a repeat safe. Never 429: a rate-limited citizen is told
 * the wait at once. No cookies or credentials, ever. A call's own `retry` object is merged into these by ky: its
 * `methods` and `statusCodes` are added to the defaults, its `limit` replaces the default.
 */
export function createTransport(options: TransportOptions): ClientContext {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retry = options.retry ?? 2;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const instance = loadOnce(() =>
    loadKy().then(({ default: ky }) =>
      ky.create({
        prefixUrl: baseUrl,
        fetch: fetchFn,
        timeout: timeoutMs,
        credentials: 'omit',
        headers: options.headers,
        hooks: options.hooks,
        retry: {
          limit: retry,
          methods: ['get', 'head'],
          statusCodes: [...RETRY_STATUS_CODES],
          afterStatusCodes: [413, 429, 503],
          maxRetryAfter: 5_000,
          backoffLimit: 3_000,
          shouldRetry,
        },
      }),
    ),
  );
  const http: Http = async (input, init) => (await instance())(input, init);
  return { baseUrl, http, timeoutMs, retry };
}

const aborted = (cause?: unknown) => new AqjbError('ABORTED', '请求已取消', { cause });

const isAbort = (error: unknown) => typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';

/** Turns anything thrown into one of the SDK's error classes; bodies never go into messages. */
export async function toAqjbError(error: unknown): Promise<AqjbError> {
  if (isAqjbError(error)) return error;
  if (isHTTPError(error)) {
    const { status } = error.response;
    // Loaded here, not with the module: a page shows its notice without any schema (see components/index.ts).
    const [{ ErrorBody }, body] = await Promise.all([import('./schemas/base.js'), error.response.json().catch(() => undefined)]);
    const parsed = ErrorBody.safeParse(body);
    if (!parsed.success) return new ApiError(status, status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${status}`);
    const { code, message, fields, retryAfterMs } = parsed.data.error;
    if (code === 'VALIDATION_FAILED') return new ValidationError(fields ?? [], { status, message, cause: error });
    return new ApiError(status, code, message, { retryAfterMs, cause: error });
  }
  if (isTimeoutError(error)) return new TimeoutError(undefined, { cause: error });
  if (isAbort(error)) return aborted(error);
  return new NetworkError(undefined, { cause: error });
}

/** Every public SDK function ends here: nothing raw (ky's errors, ZodError, TypeError) crosses the boundary. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw await toAqjbError(error);
  }
}

/** Parses a response body with its schema: a mismatch is a typed error here, not a crash in a component. */
export async function parseResponse<S extends z.ZodMiniType>(response: Response, schema: S): Promise<z.output<S>> {
  const body = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(response.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');
  return parsed.data as z.output<S>;
}

/** What a route answers on success: the output of its response schemas (`undefined` for a status without a body). */
export type Answer<R extends Route> = {
  [S in keyof R['responses']]: R['responses'][S] extends z.ZodMiniType ? z.output<R['responses'][S]> : undefined;
}[keyof R['responses']];

export interface SendOptions extends Omit<Options, 'method'> {
  /** Values of the path's `{name}` parameters. */
  params?: Record<string, string>;
}

/** A route whose method and path are known now and whose schemas load on first use (the notice gate's, see client.ts). */
export interface LazyRoute<R extends Route> {
  readonly method: R['method'];
  readonly path: R['path'];
  readonly route: Promise<R>;
}

/**
 * Sends the request `route` declares in the contract (its method, its path with `params` filled in) and parses the
 * answer with the schema the route gives for the status received: method, path and answers are written once, in
 * src/sdk/contract. `route` may be a promise (a method loads its route, and the schemas it brings, on first use), or
 * a `LazyRoute`, whose request leaves at once while its schemas load.
 */
export async function send<R extends Route>(
  http: Http,
  route: R | Promise<R> | LazyRoute<R>,
  { params, ...options }: SendOptions = {},
): Promise<Answer<R>> {
  const lazy = 'route' in route ? route : undefined;
  const { method, path } = lazy ?? (await (route as R | Promise<R>));
  const input = path.slice(1).replace(/\{(\w+)\}/g, (_: string, name: string) => encodeURIComponent(params?.[name] ?? ''));
  const [{ responses }, response] = await Promise.all([lazy ? lazy.route : (route as R | Promise<R>), http(input, { ...options, method })]);
  const schema = (responses as Route['responses'])[response.status];
  if (schema === undefined) throw new ApiError(response.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确');
  if (schema === null) return undefined as Answer<R>;
  return (await parseResponse(response, schema)) as Answer<R>;
}
