import type * as z from 'zod/mini';
import { AqjbError, ApiError, NetworkError, TimeoutError, ValidationError, isAqjbError } from './errors.js';
import { resolveBaseUrl } from './base-url.js';

/** Retries of one request. A number is the limit. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  limit?: number;
  /** Methods that may be retried, any case; default GET and HEAD. */
  methods?: string[];
  /** Answers that are retried; default 408, 500, 502, 503, 504 (never 429 unless listed). */
  statusCodes?: number[];
  /** A `Retry-After` (on 413, 429, 503) longer than this many ms means no retry; default 5000. */
  maxRetryAfter?: number;
}

export interface RequestOptions {
  /** Becomes the query string. */
  searchParams?: Record<string, string>;
  /** Sent as the JSON body. */
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  retry?: number | RetryOptions;
}

/** Requests relative to the base URL (no leading slash). Resolves with 2xx responses; anything else throws. */
export interface Http {
  get(path: string, options?: RequestOptions): Promise<Response>;
  post(path: string, options?: RequestOptions): Promise<Response>;
}

export interface ClientContext {
  /** Absolute base URL, ending in `/`. */
  readonly baseUrl: string;
  readonly http: Http;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

/** A non-2xx answer, carrying the response; `toAqjbError` reads its body. Internal: never crosses `call`. */
export class HttpError extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super(`HTTP ${response.status}`);
    this.response = response;
  }
}

const aborted = (cause?: unknown) => new AqjbError('ABORTED', '请求已取消', { cause });

/** Turns anything thrown into one of the SDK's error classes; bodies never go into messages. */
export async function toAqjbError(error: unknown): Promise<AqjbError> {
  if (isAqjbError(error)) return error;
  if (error instanceof HttpError) {
    const { status } = error.response;
    // Loaded here, not with the module: a page shows its notice without any schema (see components/index.ts).
    const [{ ErrorBody }, body] = await Promise.all([import('./schemas/base.js'), error.response.json().catch(() => undefined)]);
    const parsed = ErrorBody.safeParse(body);
    if (!parsed.success) return new ApiError(status, status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${status}`);
    const { code, message, fields, retryAfterMs } = parsed.data.error;
    if (code === 'VALIDATION_FAILED') return new ValidationError(fields ?? [], { status, message, cause: error });
    return new ApiError(status, code, message, { retryAfterMs, cause: error });
  }
  if (isAbort(error)) return aborted(error);
  return new NetworkError(undefined, { cause: error });
}

const isAbort = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';

/** Every public SDK function ends here: nothing raw (HttpError, ZodError, TypeError) crosses the boundary. */
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

/**
 * The answer to `response`, checked with `schema`: both awaited side by side, so a schema that loads on first use
 * (a dynamic import) loads while the request runs.
 */
export async function checked<S extends z.ZodMiniType>(schema: Promise<S>, response: Promise<Response>): Promise<z.output<S>> {
  const [loaded, answer] = await Promise.all([schema, response]);
  return parseResponse(answer, loaded);
}

export interface CreateContextOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per attempt; default 15000. */
  timeoutMs?: number;
  /** Retries for safe requests (GETs, keyed report submission). 0 turns them off. */
  retry?: number;
  /** Added to every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
}

/** Resolves after `ms`, or rejects with `ABORTED` as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(aborted());
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** Ms to wait before retry `count` (1-based) after `error`, or -1 for no retry. */
function retryDelay(error: unknown, count: number, retry: Required<RetryOptions>): number {
  if (error instanceof HttpError) {
    const { status, headers } = error.response;
    if (!retry.statusCodes.includes(status)) return -1;
    const header = headers.get('Retry-After');
    if (header !== null && [413, 429, 503].includes(status)) {
      let after = Number(header) * 1000;
      if (Number.isNaN(after)) after = Date.parse(header) - Date.now();
      if (!Number.isNaN(after)) return after <= retry.maxRetryAfter ? Math.max(0, after) : -1;
    }
  } else if (!(error instanceof TypeError)) return -1; // only no answer at all (fetch rejects with a TypeError)
  return Math.min(300 * 2 ** (count - 1), 3_000);
}

/**
 * The SDK's transport on `fetch`: a base URL, JSON bodies, no credentials, a timeout per attempt, and retries with
 * backoff for chosen methods and answers. Only 2xx resolves; an error answer is an `HttpError`.
 */
export function createHttp(
  baseUrl: string,
  fetchImpl: typeof fetch,
  { timeoutMs, retry: limit, headers: staticHeaders }: { timeoutMs: number; retry: number; headers?: Record<string, string> },
): Http {
  // One attempt, raced against its timeout and the caller's signal: a fetch that ignores its signal cannot hang us.
  const attempt = (url: string, init: RequestInit, signal?: AbortSignal) =>
    new Promise<Response>((resolve, reject) => {
      const controller = new AbortController();
      const end = (error?: AqjbError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!error) return;
        controller.abort();
        reject(error);
      };
      const onAbort = () => end(aborted(signal?.reason));
      const timer = setTimeout(() => end(new TimeoutError()), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      Promise.resolve()
        .then(() => fetchImpl(new Request(url, { ...init, signal: controller.signal })))
        .then(
          (response) => {
            end();
            if (response.ok) resolve(response);
            else reject(new HttpError(response));
          },
          (error: unknown) => {
            end();
            reject(error);
          },
        );
    });

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Response> => {
    const { searchParams, json, signal } = options;
    const query = new URLSearchParams(searchParams).toString();
    const url = baseUrl + path.replace(/^\/+/, '') + (query ? `?${query}` : '');
    const headers = new Headers(staticHeaders);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    const init: RequestInit = { method, headers, credentials: 'omit' };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const own = typeof options.retry === 'number' ? { limit: options.retry } : options.retry;
    const retry: Required<RetryOptions> = {
      limit,
      methods: ['get', 'head'],
      statusCodes: [408, 500, 502, 503, 504],
      maxRetryAfter: 5_000,
      ...own,
    };
    const allowed = retry.methods.some((m) => m.toUpperCase() === method);
    for (let count = 1; ; count++) {
      if (signal?.aborted) throw aborted(signal.reason);
      try {
        return await attempt(url, init, signal);
      } catch (error) {
        const delay = allowed && count <= retry.limit ? retryDelay(error, count, retry) : -1;
        if (delay < 0) throw error;
        if (error instanceof HttpError) void error.response.body?.cancel().catch(() => undefined);
        await sleep(delay, signal);
      }
    }
  };

  return {
    get: (path, options) => request('GET', path, options),
    post: (path, options) => request('POST', path, options),
  };
}

export function createContext(options: CreateContextOptions): ClientContext {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;
  // Defaults: GET only; POSTs opt in per call where an idempotency key makes it safe. No retry on 429: a
  // rate-limited citizen is told the wait at once instead of watching a spinner. No cookies or credentials, ever.
  const http = createHttp(baseUrl, fetchImpl, { timeoutMs, retry: options.retry ?? 2, headers: options.headers });
  return { baseUrl, http, fetch: fetchImpl, timeoutMs };
}
