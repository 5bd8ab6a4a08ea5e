import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { apiErrorMessages } from '../messages/zh-CN.js';
import type { ApiErrorCode, ErrorBody, FieldIssue } from '../sdk/schemas/common.js';

/**
 * An answer in the one error shape. Thrown anywhere in a handler (also inside a transaction, which then rolls
 * back); `app.onError` renders it.
 */
export class Problem extends Error {
  override name = 'Problem';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    readonly extra: { message?: string; fields?: FieldIssue[]; retryAfterMs?: number } = {},
  ) {
    super(code);
  }

  get body(): ErrorBody {
    const { message = apiErrorMessages[this.code], fields, retryAfterMs } = this.extra;
    return {
      error: {
        code: this.code,
        message,
        ...(fields ? { fields } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)) } : {}),
      },
    };
  }
}

export const fieldProblem = (fields: FieldIssue[]) => new Problem(400, 'VALIDATION_FAILED', { fields });
