import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { toFieldIssues } from '../sdk/issues.js';
import { Problem, fieldProblem } from './problem.js';

/** Largest JSON body any endpoint takes; a 2000-character description fits many times over. */
export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads and validates a JSON body with the contract's schema. The server never trusts the client: the same
 * schemas the SDK ran before sending run again here.
 */
export async function jsonBody<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new Problem(415, 'UNSUPPORTED_MEDIA_TYPE');
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_JSON_BYTES) throw new Problem(413, 'BODY_TOO_LARGE');
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > MAX_JSON_BYTES) throw new Problem(413, 'BODY_TOO_LARGE');
  let input: unknown;
  try {
    // Lone surrogates (valid JSON escapes, invalid Unicode) become U+FFFD: PostgreSQL refuses them in jsonb.
    input = JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value));
  } catch {
    throw new Problem(400, 'BAD_REQUEST');
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const anonymous = (input as { mode?: unknown } | null)?.mode === 'anonymous';
    throw fieldProblem(toFieldIssues(parsed.error.issues, { anonymous }));
  }
  return parsed.data as z.output<S>;
}
