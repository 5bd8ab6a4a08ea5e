/**
 * fast-check arbitraries from the document's JSON schemas: values the schema allows, and values it does not
 * (wrong types, lengths and bounds off by one, required properties missing, properties it does not list).
 */
import fc from 'fast-check';
import { deref } from './document.js';

type Json = Record<string, unknown>;
type Arb = fc.Arbitrary<unknown>;

const printable = fc.string({ unit: fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(0x20 + v) }), maxLength: 40 });
/** Any text, also control characters, CJK, astral-plane characters and lone surrogates. */
const anyText = fc.oneof(printable, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
const pad = (n: number) => fc.string({ unit: fc.constantFrom('a', '中', '1'), minLength: n, maxLength: n });

function stringArb(schema: Json): Arb {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? Math.max(min, 40);
  // Only the schema's own bounds: a pattern may ask for more than the default 40 (`^[0-9a-f]{64}$`).
  const fits = (s: string) => [...s].length >= min && [...s].length <= ((schema.maxLength as number | undefined) ?? Infinity);
  if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (typeof schema.pattern === 'string') {
    // A pattern and length bounds together (`^1[3-9]\d*$`, 11 long) can make a filter spin for ever: the values
    // come from a fixed sample of matching strings, kept when they fit.
    const matching = new RegExp(schema.pattern as string);
    const sample = (['xsmall', 'small', 'medium', 'large'] as const).flatMap((size) =>
      fc.sample(fc.stringMatching(matching, { size }), { numRuns: 100, seed: 18 }).filter(fits),
    );
    return sample.length > 0 ? fc.constantFrom(...new Set(sample)) : fc.constant(fc.sample(fc.stringMatching(matching), { numRuns: 1, seed: 18 })[0]);
  }
  return fc.string({ unit: fc.constantFrom('a', 'Z', '9', '金', '水', ' ', '-'), minLength: min, maxLength: Math.min(max, min + 40) });
}

/** A value `schema` allows (as far as JSON Schema says: the server may still refuse it for what only it knows). */
export function valid(schema: unknown, depth = 0): Arb {
  const { node } = deref<Json>(schema, '');
  if (!node || typeof node !== 'object') return fc.anything();
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
  const union = (node.oneOf ?? node.anyOf) as unknown[] | undefined;
  if (union) return fc.oneof(...union.map((s) => valid(s, depth + 1)));
  if (Array.isArray(node.allOf)) return valid(node.allOf[0], depth + 1);
  const type = Array.isArray(node.type) ? (node.type as string[]).find((t) => t !== 'null') : (node.type as string | undefined);
  switch (type) {
    case 'string':
      return stringArb(node);
    case 'integer':
    case 'number': {
      const min = (node.minimum as number | undefined) ?? (node.exclusiveMinimum !== undefined ? (node.exclusiveMinimum as number) + 1 : -1000);
      const max = (node.maximum as number | undefined) ?? (node.exclusiveMaximum !== undefined ? (node.exclusiveMaximum as number) - 1 : min + 100_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 6) return fc.constant([]);
      const min = (node.minItems as number | undefined) ?? 0;
      const max = Math.min((node.maxItems as number | undefined) ?? min + 3, min + 3);
      return fc.array(valid(node.items ?? {}, depth + 1), { minLength: min, maxLength: max });
    }
    case 'object': {
      if (depth > 6) return fc.constant({});
      const props = (node.properties as Record<string, unknown>) ?? {};
      const required = new Set((node.required as string[]) ?? []);
      const record: Record<string, Arb> = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, valid(s, depth + 1)]));
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value `schema` refuses, or one that is out of its bounds by one. */
export function invalid(schema: unknown): Arb {
  const { node } = deref<Json>(schema, '');
  const wrongType = fc.constantFrom<unknown>(12345, -1, 1.5, true, null, [], {}, '', 'x'.repeat(300));
  const arbs: Arb[] = [wrongType, anyText];
  if (node && typeof node === 'object') {
    if (typeof node.maxLength === 'number') arbs.push(pad(node.maxLength + 1));
    if (typeof node.minLength === 'number' && node.minLength > 0) arbs.push(pad(node.minLength - 1));
    if (typeof node.maximum === 'number') arbs.push(fc.constant(node.maximum + 1));
    if (typeof node.minimum === 'number') arbs.push(fc.constant(node.minimum - 1));
    if (typeof node.maxItems === 'number') arbs.push(fc.array(valid(node.items ?? {}), { minLength: node.maxItems + 1, maxLength: node.maxItems + 2 }));
    const props = node.properties as Record<string, unknown> | undefined;
    if (props) {
      // The object with one property dropped, one given a wrong value, or one it does not list.
      const base = valid(node) as fc.Arbitrary<Record<string, unknown>>;
      const keys = Object.keys(props);
      arbs.push(
        fc.tuple(base, fc.constantFrom(...((node.required as string[]) ?? keys))).map(([o, k]) => {
          const { [k]: _, ...rest } = o;
          return rest;
        }),
        fc.tuple(base, fc.constantFrom(...keys), wrongType).map(([o, k, v]) => ({ ...o, [k]: v })),
        fc.tuple(base, fc.constantFrom('extra', '__proto__', 'constructor', 'reporter', 'consent'), fc.jsonValue({ maxDepth: 1 })).map(([o, k, v]) => ({ ...o, [k]: v })),
      );
    }
  }
  return fc.oneof(...arbs);
}

/** A header value as a client can send it (no CR/LF, Latin-1). */
export const headerText = (value: unknown) => String(typeof value === 'object' ? JSON.stringify(value) : value).replace(/[^\x20-\x7e]/g, '?');
/** A name the document never uses for a query parameter or header. */
export const undocumentedName = fc.constantFrom('debug', 'admin', 'limit', 'x-debug', 'x-forwarded-host', 'x-http-method-override', 'callback', 'format');
