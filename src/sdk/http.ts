import ky, { HTTPError, TimeoutError as KyTimeoutError, type KyInstance, type Options } from 'ky';
import type * as z from 'zod/mini';
import { AqjbError, ApiError, NetworkError, TimeoutError, ValidationError, isAqjbError } from './errors.js';
import { ErrorBody } from './schemas/common.js';
import { toFieldIssues } from './issues.js';

export interface ClientContext {
  /** Absolute base URL, ending in `/`. */
  readonly baseUrl: string;
  readonly http: KyInstance;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Resolves the base URL and refuses anything but https:, except for a local server during development. */
export function resolveBaseUrl(baseUrl: string): string {
  const base = globalThis.document?.baseURI ?? undefined;
  let url: URL;
  try {
    url = new URL(baseUrl, base);
  } catch (cause) {
    throw new AqjbError('BAD_BASE_URL', 'baseUrl 不是有效的网址', { cause });
  }
  const local = url.protocol === 'http:' && (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'));
  if (url.protocol !== 'https:' && !local) {
    throw new AqjbError('BAD_BASE_URL', 'baseUrl 必须使用 https（本机调试时可用 http://localhost）');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Turns anything thrown into one of the SDK's error classes; bodies never go into messages. */
export async function toAqjbError(error: unknown): Promise<AqjbError> {
  if (isAqjbError(error)) return error;
  if (error instanceof HTTPError) {
    const { status } = error.response;
    const parsed = ErrorBody.safeParse(await error.response.json().catch(() => undefined));
    if (!parsed.success) return new ApiError(status, status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${status}`);
    const { code, message, fields, retryAfterMs } = parsed.data.error;
    if (code === 'VALIDATION_FAILED') return new ValidationError(fields ?? [], { status, message, cause: error });
    return new ApiError(status, code, message, { retryAfterMs, cause: error });
  }
  if (error instanceof KyTimeoutError) return new TimeoutError(undefined, { cause: error });
  if (isAbort(error)) return new AqjbError('ABORTED', '请求已取消', { cause: error });
  return new NetworkError(undefined, { cause: error });
}

const isAbort = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';

/** Every public SDK function ends here: nothing raw (HTTPError, ZodError, TypeError) crosses the boundary. */
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

/** Validates input before any request: a bad draft becomes a `ValidationError` with form paths. */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown, anonymous = false): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues, { anonymous }));
  return parsed.data as z.output<S>;
}

export interface CreateContextOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries for safe requests (GETs, keyed report submission). 0 turns them off. */
  retry?: number;
  hooks?: Options['hooks'];
}

export function createContext(options: CreateContextOptions): ClientContext {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const http = ky.create({
    prefixUrl: baseUrl,
    fetch: fetchImpl,
    timeout: timeoutMs,
    // ky's default: GET and other safe methods only; POSTs opt in per call where an idempotency key makes it safe.
    // No retry on 429: a rate-limited citizen is told the wait at once instead of watching a spinner.
    retry: { limit: options.retry ?? 2, backoffLimit: 3_000, statusCodes: [408, 500, 502, 503, 504], maxRetryAfter: 5_000 },
    // No cookies and no credentials are ever sent: the API does not use them.
    credentials: 'omit',
    hooks: options.hooks,
  });
  return { baseUrl, http, fetch: fetchImpl, timeoutMs };
}
