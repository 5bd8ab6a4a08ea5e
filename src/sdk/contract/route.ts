import type * as z from 'zod/mini';
import type { ApiErrorCode } from '../schemas/common.js';

export type Method = 'get' | 'post' | 'patch' | 'delete' | 'head';

/** An answer by status: the error codes it may carry, or (for `refuse`) the one status and code a failed check gets. */
export type Refusal = readonly [status: number, code: ApiErrorCode];

/** Headers, query and path parameters: named strings in, checked (and possibly transformed) values out. */
export type Fields = z.ZodMiniObject;

/**
 * One endpoint, declared once: the server registers and validates it from here, openapi.json is generated from it
 * and the SDK takes its method, path and answers from it. Types only: nothing of this file reaches a bundle.
 */
export interface Route {
  readonly operationId: string;
  readonly method: Method;
  /** OpenAPI path template relative to the API base: `/regions/{code}`. */
  readonly path: `/${string}`;
  readonly params?: Fields;
  readonly query?: Fields;
  /** Request headers by their canonical name (`Idempotency-Key`); matched case-insensitively. */
  readonly headers?: Fields;
  /** A JSON body (`application/json`, at most `MAX_JSON_BYTES`). */
  readonly body?: z.ZodMiniType;
  /** A body that is not JSON, by media type (tus PATCH). */
  readonly rawBody?: string;
  /**
   * The answer to a failed check of the params, query or headers; 400 `BAD_REQUEST` when not given. An issue whose
   * message is an API error code (`z.string({ error: 'IDEMPOTENCY_KEY_REQUIRED' })`) answers that code instead.
   * `body: 'absent'`: a body that fails its schema counts as no body (the handler decides); 413 still applies.
   */
  readonly refuse?: { readonly params?: Refusal; readonly query?: Refusal; readonly headers?: Refusal; readonly body?: 'absent' };
  /** Success answers by status: the body's schema, or `null` for none. */
  readonly responses: { readonly [status: number]: z.ZodMiniType | null };
  /** Headers of answers, by status (success or error). */
  readonly responseHeaders?: { readonly [status: number]: Fields };
  /** Error answers by status, each with the codes it may carry (500 `INTERNAL` always applies). */
  readonly errors: { readonly [status: number]: readonly ApiErrorCode[] };
  /** `staff`: a staff bearer token (`Authorization: Bearer aqjbst_…`); public when absent. */
  readonly security?: 'staff';
  /** Routed only when the server runs with `--dev`. */
  readonly dev?: true;
}

/** Typed identity: keeps each entry's literal types (paths, schemas) while checking it against `Route`. */
export const route = <const R extends Route>(r: R): R => r;
