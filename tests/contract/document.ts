/**
 * openapi.json as the contract suites read it: its operations, their parameters and bodies, and one check that an
 * answer is one the document allows (status, body schema, headers). The document is read as committed, so the
 * suites follow it when the route table regenerates it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Json = Record<string, unknown>;
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Json;
  /** JSON pointer of `schema` in the document. */
  pointer: string;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
export interface Operation {
  method: string;
  path: string;
  /** `GET /regions/{code}` */
  name: string;
  pointer: string;
  parameters: Parameter[];
  body?: { type: string; required: boolean; schema: Json; pointer: string; examples: { name: string; value: unknown }[] };
  responses: Record<string, Json>;
  secured: boolean;
}

/** The committed document; `AQJB_OPENAPI=<file>` checks another one (an older version, a province's copy). */
export const doc = JSON.parse(readFileSync(process.env.AQJB_OPENAPI ?? path.join(import.meta.dirname, '../../openapi.json'), 'utf8')) as Json;
const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** The value at a `#/…` pointer. */
export function at(pointer: string): unknown {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .reduce<unknown>((node, part) => (node as Json)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
}
/** Follows `$ref`s to the object they name, with its pointer. */
export function deref<T = Json>(node: unknown, pointer: string): { node: T; pointer: string } {
  let current = node as Json;
  let where = pointer;
  for (let hops = 0; typeof current?.$ref === 'string' && hops < 20; hops++) {
    where = current.$ref;
    current = at(where) as Json;
  }
  return { node: current as T, pointer: where };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const operations: Operation[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([p, item]) =>
  METHODS.filter((m) => item[m]).map((m) => {
    const pointer = `#/paths/${escape(p)}/${m}`;
    const op = item[m] as Json;
    const raw = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])];
    const parameters = raw.map((r, i) => {
      const { node, pointer: ptr } = deref<Omit<Parameter, 'pointer'>>(r, `${pointer}/parameters/${i}`);
      return { ...node, pointer: `${ptr}/schema` };
    });
    let body: Operation['body'];
    if (op.requestBody) {
      const { node, pointer: ptr } = deref<Json>(op.requestBody, `${pointer}/requestBody`);
      const [type, media] = Object.entries(node.content as Record<string, Json>)[0]!;
      const examples = Object.entries((media.examples as Record<string, Json>) ?? {}).map(([name, ex]) => ({
        name,
        value: deref<Json>(ex, '').node.value,
      }));
      if (media.example !== undefined) examples.push({ name: 'example', value: media.example });
      body = { type, required: node.required === true, schema: media.schema as Json, pointer: `${ptr}/content/${escape(type)}/schema`, examples };
    }
    const security = (op.security ?? doc.security) as unknown[] | undefined;
    return {
      method: m.toUpperCase(),
      path: p,
      name: `${m.toUpperCase()} ${p}`,
      pointer,
      parameters,
      body,
      responses: op.responses as Record<string, Json>,
      secured: (security ?? []).some((s) => Object.keys(s as Json).length > 0),
    };
  }),
);

// Calendar dates as the server reads them (2026-02-30 is not one).
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
ajv.addFormat('date', isDate);
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && isDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)));
ajv.addSchema(doc, 'openapi.json');
const validators = new Map<string, ValidateFunction>();
/** A validator for the schema at `pointer` (its `$ref`s resolve in the document). */
export function validatorAt(pointer: string): ValidateFunction {
  let v = validators.get(pointer);
  if (!v) validators.set(pointer, (v = ajv.compile({ $ref: `openapi.json${pointer}` })));
  return v;
}

/** Headers a status must carry whatever the document says (tus 1.0, RFC 9110), besides those it marks required. */
const ALWAYS: Record<string, (op: Operation) => string[]> = {
  '405': () => ['allow'],
  '412': (op) => (op.path.startsWith('/uploads') ? ['tus-version'] : []),
  '429': () => ['retry-after'],
  '201': (op) => (op.name === 'POST /uploads' ? ['location'] : []),
};

/** What is wrong with an answer to `op`, by the document; empty when it is allowed. */
export function problemsWith(op: Operation, status: number, headers: Headers, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`${status}: no input may produce a 5xx`);
  const documented = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
  if (!documented) return [...problems, `status ${status} is not documented (${Object.keys(op.responses).join(', ')})`];
  const { node: response, pointer } = deref<Json>(documented, `${op.pointer}/responses/${status}`);
  const declared = Object.entries((response.headers as Record<string, Json>) ?? {});
  const needed = new Set([
    ...declared.filter(([, h]) => deref<Json>(h, '').node.required === true).map(([name]) => name.toLowerCase()),
    ...(ALWAYS[String(status)]?.(op) ?? []),
  ]);
  for (const name of needed) if (!headers.has(name)) problems.push(`${status} lacks the ${name} header`);
  const content = response.content as Record<string, Json> | undefined;
  const json = content?.['application/json'];
  if (json && op.method !== 'HEAD') {
    if (!/^application\/json\b/i.test(headers.get('content-type') ?? '')) problems.push(`${status} is not JSON: ${headers.get('content-type')}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `${status} body is not JSON: ${text.slice(0, 80)}`];
    }
    const validate = validatorAt(`${pointer}/content/application~1json/schema`);
    if (!validate(body)) problems.push(`${status} body is off its schema: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 300)}`);
  }
  return problems;
}
