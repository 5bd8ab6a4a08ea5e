import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type * as z from 'zod/mini';
import { toFieldIssues } from '../sdk/issues.js';
import { Problem, fieldProblem } from './problem.js';

/** Largest JSON body any endpoint takes; a 2000-character description fits many times over. */
export const MAX_JSON_BYTES = 64 * 1024;

const tooLarge = (c: Context): never => {
  // Stop reading: the rest of an oversized body is not worth receiving, and Node closes the socket after this answer.
  c.header('Connection', 'close');
  throw new Problem(413, 'BODY_TOO_LARGE');
};

// hono/body-limit counts the bytes as they arrive, whatever the transfer encoding (a chunked body has no length to
// check up front), and gives up at the first byte over the limit; under it, the body is held for `c.req.text()`.
const limitBody = bodyLimit({ maxSize: MAX_JSON_BYTES, onError: tooLarge });

/**
 * Reads and validates a JSON body with the contract's schema: the one way a route reads a JSON body, so every route
 * refuses an oversized one (413 BODY_TOO_LARGE) before holding more than `MAX_JSON_BYTES` of it. The server never
 * trusts the client: the same schemas the SDK ran before sending run again here.
 */
export async function jsonBody<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new Problem(415, 'UNSUPPORTED_MEDIA_TYPE');
  await limitBody(c, async () => {});
  const text = await c.req.text();
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
