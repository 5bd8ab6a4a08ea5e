import type { FieldIssue } from './schemas/common.js';

/**
 * Every error the SDK throws is one of these. Messages never contain request bodies or personal data: they reach
 * logs. `name` is a literal per class so `isAqjbError` works across iframes and duplicate bundle copies.
 */
export class AqjbError extends Error {
  override name = 'AqjbError';
  /** Stable code: the API's error code, or `NETWORK`, `TIMEOUT`, `ABORTED`, `BAD_RESPONSE`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The server answered with an error (any status ≥ 400 that is not a validation failure). */
export class ApiError extends AqjbError {
  override name = 'ApiError';
  readonly status: number;
  /** From the server when waiting helps (notice gate, rate limits). */
  readonly retryAfterMs?: number;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(code, message, options);
    this.status = status;
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Input failed the contract's schema, before sending (`status` 0) or on the server (400). */
export class ValidationError extends AqjbError {
  override name = 'ValidationError';
  readonly status: number;
  /** One entry per problem, with dotted form paths (`reporter.phone`), a stable `code` and zh-CN `message`. */
  readonly fields: FieldIssue[];
  constructor(fields: FieldIssue[], options?: { status?: number; message?: string; cause?: unknown }) {
    super('VALIDATION_FAILED', options?.message ?? '提交的内容有误，请按提示修改', options);
    this.fields = fields;
    this.status = options?.status ?? 0;
  }
}

/** No answer: offline, DNS, connection reset, CORS refusal. Nothing was lost; retrying later is safe. */
export class NetworkError extends AqjbError {
  override name = 'NetworkError';
  constructor(message = '网络连接中断，请检查网络后重试', options?: { cause?: unknown }) {
    super('NETWORK', message, options);
  }
}

/** No answer in time. */
export class TimeoutError extends AqjbError {
  override name = 'TimeoutError';
  constructor(message = '服务器响应超时，请稍后重试', options?: { cause?: unknown }) {
    super('TIMEOUT', message, options);
  }
}

const NAMES = new Set(['AqjbError', 'ApiError', 'ValidationError', 'NetworkError', 'TimeoutError', 'MappingError', 'LegacyError']);

/** True for any SDK error, also from another realm or bundle copy. */
export const isAqjbError = (value: unknown): value is AqjbError =>
  value instanceof AqjbError ||
  (typeof value === 'object' && value !== null && NAMES.has((value as Error).name) && 'code' in value);
