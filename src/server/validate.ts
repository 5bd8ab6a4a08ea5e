import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono/validator';
import type * as z from 'zod/mini';
import type { Fields, Refusal, Route } from '../sdk/contract/route.js';
import { API_ERROR_CODES, type ApiErrorCode } from '../sdk/schemas/common.js';
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

type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** What a handler receives: the route's params, query, headers and body, each checked by the table's schema. */
export interface Input<R extends Route> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  headers: Out<R['headers']>;
  /** Undefined also when the route takes a refused body as none (`refuse.body: 'absent'`). */
  body: R['refuse'] extends { body: 'absent' } ? Out<R['body']> | undefined : Out<R['body']>;
}

export type RouteHandler<R extends Route> = (c: Context, input: Input<R>) => Response | Promise<Response>;

/** Where a route sits: Hono's pattern for the table's path template (`/regions/{code}` → `/regions/:code`). */
export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * The path template of `routes` a request path falls under (the first, in the table's order: `/regions/search`
 * before `/regions/{code}`) with its parameters, or undefined. For code that sees a request before (or without) a
 * route matching it: the metrics' route label, the staff audit of a refused token.
 */
export function routeMatcher(routes: readonly Route[]): (path: string) => { template: string; params: Record<string, string> } | undefined {
  const patterns = [...new Set(routes.map((r) => r.path))].map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.+?^$()[\]\\|]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`),
  }));
  return (path) => {
    for (const { template, pattern } of patterns) {
      const found = pattern.exec(path);
      if (found) return { template, params: { ...found.groups } };
    }
    return undefined;
  };
}

const apiCodes = new Set<string>(API_ERROR_CODES);

/** The table's answer to a failed check: an issue naming an API error code answers that code. */
function refusal(issues: readonly { message: string }[], declared: Refusal | undefined): Problem {
  const [status, code] = declared ?? [400, 'BAD_REQUEST'];
  const named = issues.find((issue) => apiCodes.has(issue.message))?.message as ApiErrorCode | undefined;
  return new Problem(status as 400, named ?? code);
}

type Target = 'params' | 'query' | 'headers';
const HONO_TARGET = { params: 'param', query: 'query', headers: 'header' } as const;

/**
 * hono/validator reads each target (path parameters, query, headers) and keeps the checked value for the handler;
 * the check itself is the table's schema, refused the way the table says. Headers are declared by their canonical
 * name and matched case-insensitively.
 */
function check(route: Route, target: Target, schema: Fields): MiddlewareHandler {
  return validator(HONO_TARGET[target], (value: Record<string, unknown>) => {
    const input =
      target === 'headers'
        ? Object.fromEntries(
            Object.keys(schema.shape)
              .map((name) => [name, value[name.toLowerCase()]] as const)
              .filter(([, v]) => v !== undefined),
          )
        : value;
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw refusal(parsed.error.issues, route.refuse?.[target]);
    return parsed.data as Record<string, unknown>;
  });
}

/**
 * Registers `route` on `app` (mounted at `base`, e.g. `/staff`): its params, query and headers are checked in that
 * order, then its JSON body, before `handler` runs with what they gave. A JSON body is checked by `jsonBody` rather
 * than hono/validator's `json` target, which answers 400 to a non-JSON type (ours is 415), reads without a size
 * limit and keeps lone surrogates PostgreSQL refuses. `before` runs ahead of every check (rate limits that must
 * count refused requests too).
 */
export function register<R extends Route>(
  app: Hono<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- sub-apps carry their own variables
  route: R,
  handler: RouteHandler<R>,
  { base = '', before = [] }: { base?: string; before?: MiddlewareHandler[] } = {},
): void {
  if (!route.path.startsWith(base)) throw new Error(`${route.operationId}: ${route.path} is not under ${base}`);
  const checks: MiddlewareHandler[] = [];
  for (const target of ['params', 'query', 'headers'] as const) {
    const schema = route[target];
    if (schema) checks.push(check(route, target, schema));
  }
  const run: MiddlewareHandler = async (c) => {
    let body: unknown;
    if (route.body) {
      try {
        body = await jsonBody(c, route.body);
      } catch (error) {
        if (!(route.refuse?.body === 'absent' && error instanceof Problem && error.status !== 413)) throw error;
      }
    }
    const valid = (target: 'param' | 'query' | 'header') => (c.req.valid as (t: string) => unknown)(target);
    const input = {
      params: route.params ? valid('param') : undefined,
      query: route.query ? valid('query') : undefined,
      headers: route.headers ? valid('header') : undefined,
      body,
    } as Input<R>;
    return handler(c, input);
  };
  const on = app.on.bind(app) as (method: string, path: string, ...handlers: MiddlewareHandler[]) => unknown;
  on(route.method.toUpperCase(), honoPath(route.path.slice(base.length)) || '/', ...before, ...checks, run);
}

/**
 * 405 `METHOD_NOT_ALLOWED` for a method the table does not list on a path it has, with `Allow`: the table's methods,
 * and HEAD wherever GET is listed (HTTP serves HEAD with GET; so does Hono). OPTIONS passes (CORS preflight, tus
 * discovery); a path the table does not have passes on to its 404. Paths are tried in the table's order, so
 * `/regions/search` is found before `/regions/{code}`.
 */
export function methodAllowed(routes: readonly Route[]): MiddlewareHandler {
  const paths = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const { path, method } of routes) {
    const entry = paths.get(path) ?? { pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}/?$`), methods: new Set<string>() };
    entry.methods.add(method.toUpperCase());
    if (method === 'get') entry.methods.add('HEAD');
    paths.set(path, entry);
  }
  const table = [...paths.values()].map(({ pattern, methods }) => ({ pattern, methods, allow: [...methods].join(', ') }));
  return async (c, next) => {
    const method = c.req.method;
    const found = method === 'OPTIONS' ? undefined : table.find(({ pattern }) => pattern.test(c.req.path));
    if (found && !found.methods.has(method)) return c.json(new Problem(405, 'METHOD_NOT_ALLOWED').body, 405, { Allow: found.allow });
    await next();
  };
}
