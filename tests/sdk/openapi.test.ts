import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { compileErrors, validate } from '@readme/openapi-parser';
import { buildOpenApi, OUTPUT } from '../../scripts/openapi.js';
import { createClient } from '../../src/sdk/index.js';
import { createStaffToken } from '../../src/server/staff/index.js';
import { anonymousDraft, readNotice, startTestServer } from '../support/reference-server.js';

interface Parameter {
  name: string;
  in: string;
  schema: StringSchema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
}
interface StringSchema {
  type?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  const?: string;
  format?: string;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, StringSchema> }> };
}
interface Route {
  method: string;
  path: string;
}

const committed = JSON.parse(readFileSync(OUTPUT, 'utf8')) as Document;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const documented = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => ({ method: method.toUpperCase(), path, operation: item[method]! })),
  );

/** Hono's `/staff/reports/:code` (or `:code{regex}`) as OpenAPI's `/staff/reports/{code}`. */
const toOpenApiPath = (path: string) =>
  (path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/\/+$/, '') || '/');

/** What the running server routes, `/dev/*` included (the test server runs with `dev: true`). */
async function routedByServer(): Promise<Route[]> {
  const server = await startTestServer();
  try {
    return server.app.app.routes.map(({ method, path }) => ({ method, path }));
  } finally {
    await server.close();
  }
}

test('the committed openapi.json is the one the schemas build', () => {
  assert.deepEqual(
    committed,
    JSON.parse(JSON.stringify(buildOpenApi())),
    'openapi.json is stale: run `npm run openapi` and commit the result',
  );
});

test('openapi.json is a valid OpenAPI 3.1 document', async () => {
  assert.equal((committed as unknown as { openapi: string }).openapi, '3.1.0');
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(committed) as never);
  assert.ok(result.valid, result.valid ? '' : compileErrors(result));
  assert.deepEqual(result.warnings, []);
});

test('every route the server answers is documented, and nothing else', async () => {
  const routes = await routedByServer();
  // `ALL` entries are middleware (logging, CORS); OPTIONS is CORS preflight and tus discovery.
  const endpoints = routes.filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS');
  assert.ok(endpoints.length >= 12, `expected the server's routes, found ${endpoints.length}`);
  const routed = new Set(endpoints.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
  const inDocument = new Set(documented(committed).map((o) => `${o.method} ${o.path}`));
  // Hono serves HEAD with GET handlers: the tus HEAD lives on a GET route that answers 404 to a plain GET.
  const missing = [...routed].filter((key) => !inDocument.has(key) && !inDocument.has(key.replace(/^GET /, 'HEAD ')));
  assert.deepEqual(missing, [], 'routed by the server but missing from openapi.json (scripts/openapi.ts)');
  const phantom = [...inDocument].filter((key) => !routed.has(key) && !routed.has(key.replace(/^HEAD /, 'GET ')));
  assert.deepEqual(phantom, [], 'documented in openapi.json but not routed by the server');
});

test('operations carry the SDK method names', () => {
  const ids = new Set(documented(committed).map((o) => o.operation.operationId));
  // uploadAttachment strings several tus operations together; it has no single operation.
  const methods = Object.keys(createClient({ baseUrl: 'http://localhost/' })).filter((k) => k !== 'baseUrl' && k !== 'uploadAttachment');
  assert.ok(methods.length >= 10);
  assert.deepEqual(methods.filter((m) => !ids.has(m)), [], 'SDK methods without an operation of the same operationId');
});

test('request bodies describe what a client may send: defaulted fields are optional', () => {
  const { schemas } = committed.components;
  assert.ok(!schemas.SupplementDraft!.required!.includes('attachmentIds'));
  assert.ok(!schemas.AnonymousReportDraft!.required!.includes('attachmentIds'));
  assert.ok(schemas.SupplementDraft!.required!.includes('text'));
});

test('redocly lint finds no error and no warning in openapi.json', async () => {
  const run = promisify(execFile);
  // redocly exits 1 when it finds errors: the report is on stdout either way.
  const { stdout } = await run('node_modules/.bin/redocly', ['lint', '--format=json', OUTPUT.pathname]).catch((e: { stdout: string }) => e);
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message}`);
  assert.deepEqual({ ...report.totals, ignored: undefined }, { errors: 0, warnings: 0, ignored: undefined }, problems.join('\n'));
});

test('a method a documented path does not list answers 405 with the methods the document lists in Allow', async () => {
  const server = await startTestServer();
  try {
    const { token } = await createStaffToken(server.sql, { scope: '410000', role: 'handler', label: '405 测试' });
    const example = { code: '410105', id: 'A'.repeat(22) } as Record<string, string>;
    for (const [path, item] of Object.entries(committed.paths)) {
      const listed = Object.keys(item).filter((key) => METHODS.includes(key)).map((m) => m.toUpperCase());
      // HTTP serves HEAD wherever GET is served.
      const allowed = new Set([...listed, ...(listed.includes('GET') ? ['HEAD'] : [])]);
      const url = new URL(path.slice(1).replace(/\{(\w+)\}/g, (_, name: string) => example[name]!), server.url);
      for (const method of ['PUT', ...['GET', 'POST', 'DELETE', 'PATCH'].filter((m) => !allowed.has(m))]) {
        const response = await fetch(url, { method, headers: { Authorization: `Bearer ${token}` } });
        const body = (await response.json()) as { error: { code: string } };
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(body.error.code, 'METHOD_NOT_ALLOWED', `${method} ${path}`);
        assert.deepEqual(new Set(response.headers.get('allow')!.split(', ')), allowed, `${method} ${path}: Allow`);
      }
    }
    // A path the document does not have stays 404.
    assert.equal((await fetch(new URL('notices', server.url), { method: 'PUT' })).status, 404);
  } finally {
    await server.close();
  }
});

/**
 * What the document says of one string: pattern, length, const and `format: date` (RFC 3339 full-date, which
 * has no 30 February). Enough for the parameters below; tests/contract checks whole requests.
 */
function documentAccepts(schema: StringSchema, value: string): boolean {
  const length = [...value].length;
  if (schema.const !== undefined && value !== schema.const) return false;
  if (schema.minLength !== undefined && length < schema.minLength) return false;
  if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
  if (schema.format === 'date') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return false;
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  }
  return true;
}

const parameter = (path: string, method: string, name: string) => {
  const found = committed.paths[path]![method]!.parameters?.find((p) => p.name === name);
  assert.ok(found, `${method.toUpperCase()} ${path} documents ${name}`);
  return found.schema;
};

test('the server refuses a checked parameter exactly where the document does', async () => {
  const server = await startTestServer();
  const send = (path: string, init: RequestInit = {}) => fetch(new URL(path, server.url), init);
  const errorOf = async (response: Response) => ((await response.json()) as { error?: { code: string; fields?: { path: string }[] } }).error;
  try {
    // `within` (and `parent`): six digits, or empty for none.
    const within = parameter('/regions/search', 'get', 'within');
    for (const value of ['', '410000', '41', '4100000', ' 410000']) {
      const response = await send(`regions/search?q=${encodeURIComponent('金水')}&within=${encodeURIComponent(value)}`);
      assert.equal(response.status !== 400, documentAccepts(within, value), `within=${JSON.stringify(value)}: ${response.status}`);
    }
    const parent = parameter('/regions', 'get', 'parent');
    for (const value of ['', '410000', '41']) {
      const response = await send(`regions?parent=${value}`);
      assert.equal(response.status !== 400, documentAccepts(parent, value), `parent=${JSON.stringify(value)}: ${response.status}`);
    }

    // Idempotency-Key: accepted keys reach the body's check (VALIDATION_FAILED for an empty body), refused ones do not.
    const key = parameter('/reports', 'post', 'Idempotency-Key');
    for (const value of ['', 'short', 'abcdefgh', 'a'.repeat(128), 'a'.repeat(129), 'has space 123', 'key+1234567']) {
      const response = await send('reports', { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': value }, body: '{}' });
      const code = (await errorOf(response))?.code;
      assert.equal(code === 'VALIDATION_FAILED', documentAccepts(key, value), `Idempotency-Key ${JSON.stringify(value)}: ${code}`);
      if (!documentAccepts(key, value)) assert.ok(code === 'BAD_REQUEST' || code === 'IDEMPOTENCY_KEY_REQUIRED', code);
    }

    // The upload id: exactly what the server issues.
    const id = parameter('/uploads/{id}', 'head', 'id');
    const created = await send('uploads', { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' } });
    assert.equal(created.status, 201);
    const issued = created.headers.get('location')!.split('/').pop()!;
    assert.ok(documentAccepts(id, issued), `the document accepts the id the server issued (${issued})`);
    for (const value of [issued.slice(1), `${issued}A`, issued.slice(0, -1) + '.']) {
      assert.ok(!documentAccepts(id, value), `the document refuses ${value}`);
      const response = await send(`uploads/${encodeURIComponent(value)}`, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
      assert.equal(response.status, 404, value);
    }
    assert.equal((await send(`uploads/${issued}`, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } })).status, 200);

    // occurredAt: a date of the calendar, not just of the pattern.
    const occurredAt = committed.components.schemas.AnonymousReportDraft!.properties!.occurredAt!;
    for (const [n, value] of ['2026-02-30', '2026-02-28', '2026-13-01', '2024-02-29', '2025-02-29'].entries()) {
      const draft = anonymousDraft(await readNotice(server), { occurredAt: value });
      const response = await send('reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': `occurred-at-${n}` },
        body: JSON.stringify(draft),
      });
      const error = response.ok ? undefined : await errorOf(response);
      const refused = !!error?.fields?.some((f) => f.path === 'occurredAt');
      assert.equal(!refused, documentAccepts(occurredAt, value), `occurredAt ${value}: ${response.status} ${error?.code ?? ''}`);
    }
  } finally {
    await server.close();
  }
});
