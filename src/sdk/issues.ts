import type * as z from 'zod/mini';
import type { FieldIssue } from './schemas/common.js';
import { isErrorKey, type ErrorKey } from './schemas/error-keys.js';
import { errorMessages } from '../messages/zh-CN.js';
import { ValidationError } from './errors.js';

/** The subset of a zod issue this needs, so the server and the SDK share one mapping. */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
  input?: unknown;
}

/**
 * Turns schema issues into the contract's `fields`: dotted paths, a stable key, zh-CN text. Issues without a key
 * of ours (wrong type, a stray field) get a generic one by their zod code.
 */
export function toFieldIssues(issues: readonly SchemaIssue[], { anonymous = false } = {}): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        const personal = anonymous && (key === 'reporter' || key === 'consent');
        out.push(make([...base, key].join('.'), personal ? 'personal.forbidden' : 'field.unexpected'));
      }
      continue;
    }
    out.push(make(base.join('.'), keyOf(issue)));
  }
  return out;
}

function keyOf(issue: SchemaIssue): ErrorKey {
  if (isErrorKey(issue.message)) return issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'field.required';
  if (issue.code === 'too_big') return 'field.tooLong';
  return 'field.invalid';
}

const make = (path: string, code: ErrorKey): FieldIssue => ({ path, code, message: errorMessages[code] });

/**
 * Validates input before any request: a bad draft becomes a `ValidationError` with form paths. Lives here, not in
 * http.ts, so the zh-CN texts load with the forms that need them, not on the first screen.
 */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown, anonymous = false): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues, { anonymous }));
  return parsed.data as z.output<S>;
}
