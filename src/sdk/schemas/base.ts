import * as z from 'zod/mini';

// The schemas the first screen needs (the notice and the error shape), apart from those that bring the validation
// keys and more of zod along; `common.ts` re-exports them.

export const IsoDateTime = z.iso.datetime({ offset: true });

/** Opaque identifiers issued by the server. */
export const Id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/));

export const FieldIssue = z.object({
  /** Dotted form path, e.g. `reporter.phone` or `problemTypes.0.items`. */
  path: z.string(),
  /** Stable key (see README, "Validation keys"). */
  code: z.string(),
  /** zh-CN text for the citizen. */
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The one error shape every endpoint answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(FieldIssue)),
    /** Set when waiting helps: the notice gate (409) and rate limits (429). */
    retryAfterMs: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

