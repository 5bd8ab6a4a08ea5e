import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as schemas from '../../src/sdk/schemas/index.js';
import { ERROR_KEYS, isErrorKey, type ErrorKey } from '../../src/sdk/schemas/error-keys.js';
import { ATTACHMENT_MB } from '../../src/sdk/schemas/limits.js';
import { apiErrorMessages, errorMessages } from '../../src/messages/zh-CN.js';
import { apiErrorMessagesEn, errorMessagesEn } from '../../src/messages/en.js';

// zod/mini internals this walk reads (zod 4.6): every schema has `_zod.def` with its `type`, its own `error` and its
// `checks`; a check's `_zod.def` names its kind (`check`) and its bound (`maximum`, `minimum`, `length`, `value`).
interface Def {
  type: string;
  error?: (issue?: unknown) => unknown;
  checks?: { _zod: { def: CheckDef } }[];
  [child: string]: unknown;
}
interface CheckDef {
  check: string;
  error?: (issue?: unknown) => unknown;
  maximum?: number;
  minimum?: number;
  length?: number;
  value?: unknown;
}
interface Schema {
  _zod: { def: Def };
  safeParse(input: unknown): { success: boolean };
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && '_zod' in value;

const keyOf = (error: CheckDef['error']): ErrorKey | undefined => {
  const key = error?.({});
  return isErrorKey(key) ? key : undefined;
};

/** The number a check holds against, if it is one a message must state (a "not empty" length of 1 is not). */
function boundOf(def: CheckDef): number | undefined {
  if (def.check === 'max_length') return def.maximum;
  if (def.check === 'length_equals') return def.length;
  if (def.check === 'min_length') return def.minimum === 1 ? undefined : def.minimum;
  if ((def.check === 'less_than' || def.check === 'greater_than') && typeof def.value === 'number') return def.value;
  return undefined;
}

interface KeyUse {
  /** Bounds of every check that answers with the key. */
  bounds: Set<number>;
  /** The schemas that answer with it: an example in its message must be a value they accept. */
  schemas: Set<Schema>;
}

/** Every validation key used by the contract's schemas, with the bounds of the checks that use it. */
function keyUses(): Map<ErrorKey, KeyUse> {
  const uses = new Map<ErrorKey, KeyUse>();
  const use = (key: ErrorKey, schema: Schema, bound?: number) => {
    const entry = uses.get(key) ?? { bounds: new Set(), schemas: new Set() };
    entry.schemas.add(schema);
    if (bound !== undefined) entry.bounds.add(bound);
    uses.set(key, entry);
  };
  const seen = new Set<Schema>();
  const walk = (schema: Schema) => {
    if (seen.has(schema)) return;
    seen.add(schema);
    const def = schema._zod.def;
    const own = keyOf(def.error);
    if (own) use(own, schema);
    for (const check of def.checks ?? []) {
      const key = keyOf(check._zod.def.error);
      if (key) use(key, schema, boundOf(check._zod.def));
    }
    // Children: object shapes, array elements, union options, wrapped and piped schemas.
    const children: unknown[] = [
      ...(def.shape ? Object.values(def.shape as object) : []),
      ...((def.options as unknown[] | undefined) ?? []),
      def.element,
      def.innerType,
      def.in,
      def.out,
      def.keyType,
      def.valueType,
    ];
    for (const child of children) if (isSchema(child)) walk(child);
  };
  for (const exported of Object.values(schemas)) if (isSchema(exported)) walk(exported);
  return uses;
}

const uses = keyUses();
/** Digit runs, keeping dates whole: `2025-06-01`, `13800000000`, `11`. */
const numbersIn = (text: string): string[] => text.match(/\d[\d-]*\d|\d/g) ?? [];

test('the walk finds the bounded keys of the contract (a walk that finds nothing cannot fail)', () => {
  const bounded = [...uses].filter(([, use]) => use.bounds.size > 0).map(([key]) => key);
  for (const key of ['subject.name.tooLong', 'description.tooShort', 'problemTypes.tooMany', 'attachments.tooMany', 'extension.days', 'reporter.phone.invalid'] as const) {
    assert.ok(bounded.includes(key), `${key} has a bound`);
  }
});

for (const [language, catalog] of [
  ['zh-CN', errorMessages],
  ['en', errorMessagesEn],
] as const) {
  test(`${language}: every validation message states its field's bounds, read from the schema`, () => {
    for (const key of ERROR_KEYS) {
      const stated = numbersIn(catalog[key]);
      for (const bound of uses.get(key)?.bounds ?? []) {
        assert.ok(stated.includes(String(bound)), `${key}: «${catalog[key]}» does not say ${bound}`);
      }
    }
  });

  test(`${language}: no validation message carries a number that is not a bound or an accepted example`, () => {
    for (const key of ERROR_KEYS) {
      const use = uses.get(key);
      for (const number of numbersIn(catalog[key])) {
        const bound = use?.bounds.has(Number(number)) ?? false;
        const example = [...(use?.schemas ?? [])].some((schema) => schema.safeParse(number).success);
        assert.ok(bound || example, `${key}: «${catalog[key]}» says ${number}, which its schema neither checks nor accepts`);
      }
    }
  });
}

test('the upload refusal states the contract’s size limits in both languages', () => {
  const sizes = [ATTACHMENT_MB.document, ATTACHMENT_MB.video].map(String);
  for (const text of [apiErrorMessages.ATTACHMENT_REJECTED, apiErrorMessagesEn.ATTACHMENT_REJECTED]) {
    for (const size of sizes) assert.ok(numbersIn(text).includes(size), `«${text}» does not say ${size} MB`);
  }
});
